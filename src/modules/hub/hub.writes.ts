// designateHub: the ministry designates a province (or changes a designation), with its decree.
import { LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireRole } from '../../auth/authorize';
import { Role } from '../../auth/viewer';
import type { Context } from '../../context';
import { Dataset } from '../../db/fact.entity';
import { writeOnce } from '../../db/idempotency';
import { PROVINCE_CODE } from '../../graphql/codes';
import { Checks, userErrorFromDatabase, UserErrorCode } from '../../graphql/user-errors';
import { checkDate } from '../../writes/dates';
import { checkSources, checkText } from '../../writes/text-limits';
import { snapshot, updateAudited } from '../audit/audit.service';
import { LegalInstrument } from '../legal/legal-instrument.entity';
import { Province } from '../region/province.entity';
import { Hub, HubStage } from './hub.entity';
import type { DesignateHubInput, HubPayload, LegalInstrumentInput } from './hub.write-inputs';

type Result = Omit<HubPayload, 'replayed'>;

async function findOrRecordInstrument(em: EntityManager, checks: Checks, input: LegalInstrumentInput): Promise<LegalInstrument | null> {
  checkText(checks, 'input.instrument.number', input.number, 'instrumentNumber', { required: true });
  checks.integer('input.instrument.year', input.year, 1945, 2100);
  checkText(checks, 'input.instrument.title', input.title, 'instrumentTitle', { required: true });
  checkText(checks, 'input.instrument.issuer', input.issuer, 'instrumentIssuer', { required: true });
  checkDate(checks, 'input.instrument.issuedOn', input.issuedOn);
  if (!checks.ok) return null;
  const existing = await em.findOne(LegalInstrument, { kind: input.kind, issuer: input.issuer, number: input.number, year: input.year });
  if (existing) return existing;
  const key = `${input.kind}-${input.issuer}-${input.number}-${input.year}`.toUpperCase().replace(/[^A-Z0-9]+/g, '-');
  const created = Object.assign(new LegalInstrument(), {
    key,
    kind: input.kind,
    number: input.number,
    year: input.year,
    title: input.title,
    issuer: input.issuer,
    issuedOn: input.issuedOn ?? null,
    dataset: Dataset.IMPORTED,
  });
  em.persist(created);
  return created;
}

export async function designateHub(ctx: Context, input: DesignateHubInput, idempotencyKey?: string | null) {
  requireRole(ctx.viewer, [Role.MINISTRY_ADMIN], 'designateHub');
  return writeOnce<Result>(ctx.em, {
    owner: `key:${ctx.viewer.keyId ?? 0}`,
    actor: ctx,
    operation: 'designateHub',
    key: idempotencyKey,
    input,
    save: (r) => ({ hubId: r.hub?.id ?? null, userErrors: r.userErrors }),
    restore: async (stored, em) => ({
      hub: stored.hubId ? await em.findOneOrFail(Hub, stored.hubId as number) : null,
      userErrors: (stored.userErrors as Result['userErrors']) ?? [],
    }),
    work: async (em) => {
      const checks = new Checks();
      checks.pattern('input.provinceCode', input.provinceCode, PROVINCE_CODE, '"35"');
      checks.integer('input.cohortYear', input.cohortYear, 2015, 2100);
      checkSources(checks, 'input.sources', input.sources);
      checkText(checks, 'input.note', input.note, 'note');
      checkDate(checks, 'input.committedOn', input.committedOn);
      checkDate(checks, 'input.designatedOn', input.designatedOn);
      if (input.stage === HubStage.DESIGNATED && !input.instrument) checks.fail('input.instrument', 'A DESIGNATED hub needs its decree.');
      if (!checks.ok) return { hub: null, userErrors: checks.errors };
      if (!(await em.count(Province, { code: input.provinceCode }))) {
        checks.fail('input.provinceCode', `There is no province ${input.provinceCode}.`, UserErrorCode.NOT_FOUND);
        return { hub: null, userErrors: checks.errors };
      }
      const instrument = input.instrument ? await findOrRecordInstrument(em, checks, input.instrument) : null;
      // Locked for update: the version compared below is the one the change commits against.
      const existing = await em.findOne(Hub, { province: input.provinceCode }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (existing && input.version == null) checks.fail('input.version', `Province ${input.provinceCode} already has a hub; send its version to change it.`, UserErrorCode.CONFLICT);
      else if (existing && input.version !== existing.version) {
        checks.fail('input.version', `The hub changed: you sent version ${input.version}, it is now ${existing.version}.`, UserErrorCode.CONFLICT);
      }
      if (!checks.ok) return { hub: null, userErrors: checks.errors };
      const hub = existing ?? Object.assign(new Hub(), { province: em.getReference(Province, input.provinceCode, { wrapped: true }) });
      const before = existing ? snapshot(em, existing) : null;
      Object.assign(hub, {
        cohortYear: input.cohortYear,
        stage: input.stage,
        isPilot: input.isPilot,
        instrument: instrument ? ref(instrument) : null,
        committedOn: input.committedOn ?? null,
        designatedOn: input.designatedOn ?? null,
        sources: input.sources,
        confidence: input.confidence,
        note: input.note ?? null,
        ...(existing ? {} : { dataset: Dataset.IMPORTED }),
      });
      await updateAudited(em, ctx, hub, before, { action: existing ? 'hub.update' : 'hub.designate', entityType: 'Hub', idempotencyKey });
      return { hub, userErrors: [] };
    },
  }).catch((error: unknown): HubPayload => ({ hub: null, replayed: false, userErrors: [userErrorFromDatabase(error)] }));
}
