// Recording replications and moving their status forward. A replication belongs to the adopter's
// province: a hub operator records adoptions in its own province, of innovations from anywhere, and points
// only at records its scope holds (docs/authorization.md). Scopes are read under row locks: the replication
// updated is locked for update, the records pointed at are share locked, so what is checked is what commits.
import { LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { mayChangeDataset, mayReferenceProvince, mayWriteProvince, requireRole } from '../../auth/authorize';
import { Role } from '../../auth/viewer';
import type { Context } from '../../context';
import { enteredProvenance } from '../../db/fact.entity';
import { writeOnce } from '../../db/idempotency';
import { ForbiddenError } from '../../errors';
import { PROVINCE_CODE } from '../../graphql/codes';
import { decodeGlobalId, type NodeType } from '../../graphql/global-id';
import { Checks, userErrorFromDatabase, UserErrorCode } from '../../graphql/user-errors';
import { checkDate } from '../../writes/dates';
import { checkSources, checkText } from '../../writes/text-limits';
import { createAudited, snapshot, updateAudited } from '../audit/audit.service';
import { Hub } from '../hub/hub.entity';
import { Innovation } from '../innovation/innovation.entity';
import { Institution } from '../institution/institution.entity';
import { MentoringProgramme } from '../mentoring/mentoring-programme.entity';
import { Province } from '../region/province.entity';
import { checkRegion } from '../region/region.checks';
import { Regency } from '../region/regency.entity';
import { AdopterScope, Replication, ReplicationStatus } from './replication.entity';
import type { RecordReplicationInput, ReplicationPayload, UpdateReplicationStatusInput } from './replication.write-inputs';

type Result = Omit<ReplicationPayload, 'replayed'>;
const WRITERS = [Role.HUB_OPERATOR, Role.MINISTRY_ADMIN];
const ORDER = [ReplicationStatus.PROPOSED, ReplicationStatus.COMMITTED, ReplicationStatus.IMPLEMENTED, ReplicationStatus.INSTITUTIONALIZED];

/** Forward along the lifecycle, or to DISCONTINUED from any status that is not final. */
export function isForward(from: ReplicationStatus, to: ReplicationStatus): boolean {
  if (from === ReplicationStatus.DISCONTINUED) return false;
  if (to === ReplicationStatus.DISCONTINUED) return true;
  return ORDER.indexOf(to) > ORDER.indexOf(from);
}

const failed = (checks: Checks): Result => ({ replication: null, userErrors: checks.errors });
const save = (r: Result) => ({ replicationId: r.replication?.id ?? null, userErrors: r.userErrors });
async function restore(stored: Record<string, unknown>, em: EntityManager): Promise<Result> {
  const id = stored.replicationId as number | null;
  return { replication: id ? await em.findOneOrFail(Replication, id) : null, userErrors: (stored.userErrors as Result['userErrors']) ?? [] };
}

async function findByGlobalId<T extends object>(
  em: EntityManager,
  checks: Checks,
  field: string,
  id: string | null | undefined,
  type: NodeType,
  entity: new () => T,
  lockMode?: LockMode,
): Promise<T | null> {
  if (id == null) return null;
  const decoded = decodeGlobalId(id);
  if (!decoded || decoded.type !== type) {
    checks.fail(field, `"${id.slice(0, 60)}" is not a ${type} id.`);
    return null;
  }
  const found = await em.findOne(entity, Number(decoded.key) as never, { lockMode });
  if (!found) checks.fail(field, `There is no such ${type}.`, UserErrorCode.NOT_FOUND);
  return found;
}

/**
 * The facilitating hub, by its province code. A hub's record of what it facilitated is that hub's to claim,
 * so a hub operator names its own province's hub only. A hub never changes province: nothing to lock.
 */
async function facilitatingHub(ctx: Context, em: EntityManager, checks: Checks, code: string | null | undefined): Promise<Hub | null> {
  if (code == null) return null;
  const field = 'input.facilitatingHubCode';
  checks.pattern(field, code, PROVINCE_CODE, '"35"');
  if (!PROVINCE_CODE.test(code)) return null;
  const hub = await em.findOne(Hub, { province: code });
  if (!hub) checks.fail(field, `Province ${code} has no hub.`, UserErrorCode.NOT_FOUND);
  else if (!mayReferenceProvince(ctx.viewer, code)) {
    checks.fail(field, `Your key may name its own province's hub as facilitator, not ${code}'s.`, UserErrorCode.FORBIDDEN);
    return null;
  }
  return hub;
}

export async function recordReplication(ctx: Context, input: RecordReplicationInput, idempotencyKey?: string | null) {
  requireRole(ctx.viewer, WRITERS, 'recordReplication');
  return writeOnce<Result>(ctx.em, {
    owner: `key:${ctx.viewer.keyId ?? 0}`,
    actor: ctx,
    operation: 'recordReplication',
    key: idempotencyKey,
    input,
    save,
    restore,
    work: async (em) => {
      const checks = new Checks();
      const { scope } = input.adopter;
      const region = await checkRegion(em, checks, 'input.adopter.', input.adopter.provinceCode, input.adopter.regencyCode);
      if (!checks.ok) return failed(checks);
      if (scope === AdopterScope.NATIONAL && (region.provinceCode || region.regencyCode)) {
        checks.fail('input.adopter', 'A NATIONAL adopter has no province or regency.');
      }
      if (scope === AdopterScope.REGENCY && !region.regencyCode) checks.fail('input.adopter.regencyCode', 'A REGENCY adopter needs regencyCode.');
      if ((scope === AdopterScope.PROVINCE || scope === AdopterScope.PROVINCE_WIDE) && (!region.provinceCode || region.regencyCode)) {
        checks.fail('input.adopter.provinceCode', `A ${scope} adopter needs provinceCode and no regencyCode.`);
      }
      if (!checks.ok) return failed(checks);
      if (!mayWriteProvince(ctx.viewer, region.provinceCode)) {
        throw new ForbiddenError(
          region.provinceCode
            ? `Your key may not record adoptions in province ${region.provinceCode}.`
            : 'Only the ministry may record national adoptions.',
        );
      }
      checks.integer('input.year', input.year, 1990, 2100);
      checks.integer('input.implementationYear', input.implementationYear, input.year, 2100);
      checkSources(checks, 'input.sources', input.sources);
      checkText(checks, 'input.externalId', input.externalId, 'externalId');
      if (input.externalId != null && input.registry == null) checks.fail('input.registry', 'An externalId needs its registry.');
      checkText(checks, 'input.note', input.note, 'note');
      checkDate(checks, 'input.committedOn', input.committedOn);
      checkDate(checks, 'input.implementedOn', input.implementedOn);
      const shared = LockMode.PESSIMISTIC_READ;
      // The source may lie anywhere (spreading is the point), and nothing of it is checked against a scope.
      const source = await findByGlobalId(em, checks, 'input.sourceId', input.sourceId, 'Innovation', Innovation);
      const institution = await findByGlobalId(em, checks, 'input.adopter.institutionId', input.adopter.institutionId, 'Institution', Institution, shared);
      const programme = await findByGlobalId(em, checks, 'input.mentoringProgrammeId', input.mentoringProgrammeId, 'MentoringProgramme', MentoringProgramme, shared);
      const adoptedAs = await findByGlobalId(em, checks, 'input.adoptedAsId', input.adoptedAsId, 'Innovation', Innovation, shared);
      const hub = await facilitatingHub(ctx, em, checks, input.facilitatingHubCode);
      const programmeProvince = programme?.province.unwrap().code;
      if (programme && !mayReferenceProvince(ctx.viewer, programmeProvince ?? null)) {
        checks.fail('input.mentoringProgrammeId', `That programme mentors province ${programmeProvince}; your key may name programmes of its own province only.`, UserErrorCode.FORBIDDEN);
      }
      // The adopter's own records only: its unit and its local version lie where the adoption does, so nobody
      // rewrites another province's institutions or lineage through a replication of their own.
      const institutionProvince = institution?.province?.unwrap().code ?? null;
      const institutionRegency = institution?.regency?.unwrap().code ?? null;
      if (institution && (institutionProvince !== region.provinceCode || (institutionRegency && region.regencyCode && institutionRegency !== region.regencyCode))) {
        checks.fail('input.adopter.institutionId', `That institution is in ${institutionRegency ?? institutionProvince ?? 'no region (national)'}, not where the adopter is.`);
      }
      const adoptedAsProvince = adoptedAs?.province?.unwrap().code ?? null;
      if (adoptedAs && source && adoptedAs.id === source.id) checks.fail('input.adoptedAsId', 'An innovation cannot be its own local version.');
      else if (adoptedAs && adoptedAsProvince !== region.provinceCode) {
        checks.fail('input.adoptedAsId', `The local version must lie in the adopter's province (${region.provinceCode ?? 'national'}); it is in ${adoptedAsProvince ?? 'no province (national)'}.`);
      } else if (adoptedAs && !mayChangeDataset(ctx.viewer, adoptedAs.dataset)) {
        checks.fail('input.adoptedAsId', `That innovation is a ${adoptedAs.dataset} record; only the ministry may make it a local version (it rewrites its lineage).`, UserErrorCode.FORBIDDEN);
      }
      if (adoptedAs && (await em.count(Replication, { adoptedAs: adoptedAs.id }))) {
        checks.fail('input.adoptedAsId', 'That innovation is already the local version of another replication.', UserErrorCode.CONFLICT);
      }
      if (!checks.ok || !source) return failed(checks);
      // Looked up once the id is known to be a storable text (a NUL in it would fail the query itself).
      if (input.registry && input.externalId && (await em.count(Replication, { registry: input.registry, externalId: input.externalId }))) {
        checks.fail('input.externalId', `${input.registry} already has a replication with id ${input.externalId}.`, UserErrorCode.CONFLICT);
        return failed(checks);
      }
      // Where the adoption lands, compared with where the source lives (null: national). A PROVINCE_WIDE
      // adoption is the regencies' too, so it is never the owner's own region.
      const adopterRegion =
        scope === AdopterScope.REGENCY ? region.regencyCode : scope === AdopterScope.PROVINCE ? region.provinceCode : scope === AdopterScope.NATIONAL ? null : undefined;
      const sameRegion = adopterRegion === (source.regency?.unwrap().code ?? source.province?.unwrap().code ?? null);
      if (input.kind !== 'SCALING_UP' && sameRegion && (!institution || institution.id === source.owner.id)) {
        checks.fail('input.adopter', 'An innovation cannot be replicated to its own region by its own owner; record a SCALING_UP instead.');
        return failed(checks);
      }
      const replication = Object.assign(new Replication(), {
        source: ref(source),
        adopterScope: scope,
        adopterProvince: region.provinceCode ? em.getReference(Province, region.provinceCode, { wrapped: true }) : null,
        adopterRegency: region.regencyCode ? em.getReference(Regency, region.regencyCode, { wrapped: true }) : null,
        adopterInstitution: institution ? ref(institution) : null,
        kind: input.kind,
        status: input.status,
        year: input.year,
        implementationYear: input.implementationYear ?? null,
        committedOn: input.committedOn ?? null,
        implementedOn: input.implementedOn ?? null,
        facilitatingHub: hub ? ref(hub) : null,
        mentoringProgramme: programme ? ref(programme) : null,
        adoptedAs: adoptedAs ? ref(adoptedAs) : null,
        registry: input.registry ?? null,
        externalId: input.externalId ?? null,
        ...enteredProvenance(input),
      });
      await createAudited(em, ctx, replication, { action: 'replication.record', entityType: 'Replication', idempotencyKey });
      return { replication, userErrors: [] };
    },
  }).catch(conflict);
}

export async function updateReplicationStatus(ctx: Context, input: UpdateReplicationStatusInput) {
  requireRole(ctx.viewer, WRITERS, 'updateReplicationStatus');
  return writeOnce<Result>(ctx.em, {
    owner: `key:${ctx.viewer.keyId ?? 0}`,
    actor: ctx,
    operation: 'updateReplicationStatus',
    key: null,
    input,
    save,
    restore,
    work: async (em) => {
      const checks = new Checks();
      const decoded = decodeGlobalId(input.id);
      if (!decoded || decoded.type !== 'Replication') {
        checks.fail('input.id', `"${input.id.slice(0, 60)}" is not a Replication id.`);
        return failed(checks);
      }
      // Locked for update: the adopter's province checked below is the one the update commits against.
      const replication = await em.findOne(Replication, Number(decoded.key), { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!replication) {
        checks.fail('input.id', 'There is no such replication.', UserErrorCode.NOT_FOUND);
        return failed(checks);
      }
      const province = replication.adopterProvince?.unwrap().code ?? null;
      if (!mayWriteProvince(ctx.viewer, province)) {
        throw new ForbiddenError(province ? `Your key may not write replications adopted in province ${province}.` : 'Only the ministry may change national replications.');
      }
      if (!mayChangeDataset(ctx.viewer, replication.dataset)) {
        throw new ForbiddenError(`${replication.dataset} records (curated or synthetic) are corrected by the ministry only.`);
      }
      if (input.version !== replication.version) {
        checks.fail('input.version', `The replication changed: you sent version ${input.version}, it is now ${replication.version}.`, UserErrorCode.CONFLICT);
        return failed(checks);
      }
      if (!isForward(replication.status, input.status)) {
        checks.fail('input.status', `Status moves only forward (PROPOSED -> COMMITTED -> IMPLEMENTED -> INSTITUTIONALIZED, or to DISCONTINUED); it is ${replication.status}.`);
      }
      checkDate(checks, 'input.on', input.on);
      if (input.on != null && input.status !== ReplicationStatus.COMMITTED && input.status !== ReplicationStatus.IMPLEMENTED) {
        checks.fail('input.on', `on sets committedOn (COMMITTED) or implementedOn (IMPLEMENTED); ${input.status} has no date to set.`);
      }
      if (input.sources != null) checkSources(checks, 'input.sources', input.sources);
      if (!checks.ok) return failed(checks);
      const before = snapshot(em, replication);
      replication.status = input.status;
      if (input.on && input.status === ReplicationStatus.COMMITTED) replication.committedOn = input.on;
      if (input.on && input.status === ReplicationStatus.IMPLEMENTED) replication.implementedOn = input.on;
      if (input.sources?.length) replication.sources = [...new Set([...replication.sources, ...input.sources])];
      await updateAudited(em, ctx, replication, before, { action: 'replication.updateStatus', entityType: 'Replication' });
      return { replication, userErrors: [] };
    },
  }).catch(conflict);
}

function conflict(error: unknown): ReplicationPayload {
  return { replication: null, replayed: false, userErrors: [userErrorFromDatabase(error)] };
}
