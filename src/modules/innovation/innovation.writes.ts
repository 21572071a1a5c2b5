// Creating and updating innovations: validation into userErrors, scope checks, optimistic concurrency,
// idempotency and an audit record in the same transaction. Scopes are read under row locks: the innovation
// updated is locked for update, an owner pointed at is share locked, so the scope checked is the one at commit.
import { LockMode, ref, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { mayChangeDataset, mayReferenceProvince, mayWriteProvince, requireRole } from '../../auth/authorize';
import { Role } from '../../auth/viewer';
import type { Context } from '../../context';
import { enteredProvenance } from '../../db/fact.entity';
import { writeOnce } from '../../db/idempotency';
import { ForbiddenError } from '../../errors';
import { decodeGlobalId } from '../../graphql/global-id';
import { Checks, userErrorFromDatabase, UserErrorCode } from '../../graphql/user-errors';
import { checkSources, checkText } from '../../writes/text-limits';
import { audit, createAudited, snapshot, updateAudited } from '../audit/audit.service';
import { Institution } from '../institution/institution.entity';
import { classifyInstitution } from '../institution/institution.kinds';
import { Province } from '../region/province.entity';
import { checkRegion } from '../region/region.checks';
import { Regency } from '../region/regency.entity';
import { Innovation } from './innovation.entity';
import type { CreateInnovationInput, InnovationPayload, OwnerInput, UpdateInnovationInput } from './innovation.write-inputs';

const WRITERS = [Role.HUB_OPERATOR, Role.MINISTRY_ADMIN];

type Result = Omit<InnovationPayload, 'replayed'>;

const failed = (checks: Checks): Result => ({ innovation: null, userErrors: checks.errors });

function owner(ctx: Context): string {
  return `key:${ctx.viewer.keyId ?? 0}`;
}

async function restore(stored: Record<string, unknown>, em: EntityManager): Promise<Result> {
  const id = stored.innovationId as number | null;
  return { innovation: id ? await em.findOneOrFail(Innovation, id) : null, userErrors: (stored.userErrors as Result['userErrors']) ?? [] };
}

function save(result: Result): Record<string, unknown> {
  return { innovationId: result.innovation?.id ?? null, userErrors: result.userErrors };
}

function checkScope(ctx: Context, provinceCode: string | null, what: string): void {
  if (!mayWriteProvince(ctx.viewer, provinceCode)) {
    throw new ForbiddenError(
      provinceCode
        ? `Your key may not write ${what} in province ${provinceCode}.`
        : `Only the ministry may write ${what} without a province (national).`,
    );
  }
}

/** An existing owner may be pointed at by a caller whose scope holds it (docs/authorization.md); else FORBIDDEN. */
function ownerInScope(ctx: Context, checks: Checks, field: string, institution: Institution): Institution | null {
  const province = institution.province?.unwrap().code ?? null;
  if (mayReferenceProvince(ctx.viewer, province)) return institution;
  checks.fail(field, `${institution.name} is an institution of ${province ? `province ${province}` : 'no province (national)'}; your key may name owners of its own province only.`, UserErrorCode.FORBIDDEN);
  return null;
}

async function resolveOwner(ctx: Context, em: EntityManager, checks: Checks, input: CreateInnovationInput, provinceCode: string | null, regencyCode: string | null, idempotencyKey?: string | null) {
  const owner: OwnerInput = input.owner;
  if ((owner.id == null) === (owner.name == null)) {
    checks.fail('input.owner', 'Give either owner.id or owner.name.');
    return null;
  }
  const shared = { lockMode: LockMode.PESSIMISTIC_READ };
  if (owner.id != null) {
    const decoded = decodeGlobalId(owner.id);
    if (!decoded || decoded.type !== 'Institution') {
      checks.fail('input.owner.id', `"${owner.id.slice(0, 60)}" is not an Institution id.`);
      return null;
    }
    const found = await em.findOne(Institution, Number(decoded.key), shared);
    if (!found) checks.fail('input.owner.id', 'There is no such institution.', UserErrorCode.NOT_FOUND);
    return found && ownerInScope(ctx, checks, 'input.owner.id', found);
  }
  const name = owner.name!.trim();
  checkText(checks, 'input.owner.name', name, 'institutionName', { required: true });
  if (!checks.ok) return null;
  const existing = await em.findOne(Institution, { name }, shared);
  if (existing) return ownerInScope(ctx, checks, 'input.owner.name', existing);
  // A new owner is a record of its own: it carries the provenance it was entered with and its own audit event.
  const created = Object.assign(new Institution(), {
    name,
    kind: owner.kind ?? classifyInstitution(name),
    province: provinceCode ? em.getReference(Province, provinceCode, { wrapped: true }) : null,
    regency: regencyCode ? em.getReference(Regency, regencyCode, { wrapped: true }) : null,
    ...enteredProvenance({ sources: input.sources, confidence: input.confidence }),
  });
  try {
    // In a savepoint: a concurrent write that named the same new owner first makes this insert fail; reuse
    // its row, if it lies in the caller's scope.
    await em.transactional((inner) => inner.persist(created).flush());
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return ownerInScope(ctx, checks, 'input.owner.name', await em.findOneOrFail(Institution, { name }, shared));
    throw error;
  }
  audit(em, ctx, { action: 'institution.create', entityType: 'Institution', entityId: created.nodeId, after: snapshot(em, created), idempotencyKey });
  return created;
}

export async function createInnovation(ctx: Context, input: CreateInnovationInput, idempotencyKey?: string | null) {
  requireRole(ctx.viewer, WRITERS, 'createInnovation');
  return writeOnce<Result>(ctx.em, {
    owner: owner(ctx),
    actor: ctx,
    operation: 'createInnovation',
    key: idempotencyKey,
    input,
    save,
    restore,
    work: async (em) => {
      const checks = new Checks();
      const region = await checkRegion(em, checks, 'input.', input.provinceCode, input.regencyCode);
      if (checks.ok) checkScope(ctx, region.provinceCode, 'innovations');
      checkText(checks, 'input.title', input.title, 'title', { required: true });
      checkText(checks, 'input.summary', input.summary, 'summary');
      checks.integer('input.launchYear', input.launchYear, 1945, 2100);
      checkText(checks, 'input.externalId', input.externalId, 'externalId');
      if (input.externalId != null && input.registry == null) checks.fail('input.registry', 'An externalId needs its registry.');
      checkText(checks, 'input.category', input.category, 'category');
      checkSources(checks, 'input.sources', input.sources);
      checkText(checks, 'input.note', input.note, 'note');
      if (!checks.ok) return failed(checks);
      if (input.registry && input.externalId && (await em.count(Innovation, { registry: input.registry, externalId: input.externalId }))) {
        checks.fail('input.externalId', `${input.registry} already has an innovation with id ${input.externalId}.`, UserErrorCode.CONFLICT);
        return failed(checks);
      }
      const ownerEntity = await resolveOwner(ctx, em, checks, input, region.provinceCode, region.regencyCode, idempotencyKey);
      if (!checks.ok || !ownerEntity) return failed(checks);
      const innovation = Object.assign(new Innovation(), {
        title: input.title.trim(),
        summary: input.summary ?? null,
        owner: ref(ownerEntity),
        province: region.provinceCode ? em.getReference(Province, region.provinceCode, { wrapped: true }) : null,
        regency: region.regencyCode ? em.getReference(Regency, region.regencyCode, { wrapped: true }) : null,
        launchYear: input.launchYear ?? null,
        registry: input.registry ?? null,
        externalId: input.externalId ?? null,
        stage: input.stage ?? null,
        isDigital: input.isDigital ?? null,
        category: input.category ?? null,
        sustainability: input.sustainability ?? null,
        ...enteredProvenance(input),
      });
      await createAudited(em, ctx, innovation, { action: 'innovation.create', entityType: 'Innovation', idempotencyKey });
      return { innovation, userErrors: [] };
    },
  }).catch(conflictOnDuplicate);
}

export async function updateInnovation(ctx: Context, input: UpdateInnovationInput) {
  requireRole(ctx.viewer, WRITERS, 'updateInnovation');
  return writeOnce<Result>(ctx.em, {
    owner: owner(ctx),
    actor: ctx,
    operation: 'updateInnovation',
    key: null,
    input,
    save,
    restore,
    work: async (em) => {
      const checks = new Checks();
      const decoded = decodeGlobalId(input.id);
      if (!decoded || decoded.type !== 'Innovation') {
        checks.fail('input.id', `"${input.id.slice(0, 60)}" is not an Innovation id.`);
        return failed(checks);
      }
      // Locked for update: the province checked below is the one the update commits against.
      const innovation = await em.findOne(Innovation, Number(decoded.key), { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!innovation) {
        checks.fail('input.id', 'There is no such innovation.', UserErrorCode.NOT_FOUND);
        return failed(checks);
      }
      checkScope(ctx, innovation.province?.unwrap().code ?? null, 'innovations');
      if (!mayChangeDataset(ctx.viewer, innovation.dataset)) {
        throw new ForbiddenError(`${innovation.dataset} records (curated or synthetic) are corrected by the ministry only.`);
      }
      if (input.version !== innovation.version) {
        checks.fail('input.version', `The innovation changed: you sent version ${input.version}, it is now ${innovation.version}. Reload and retry.`, UserErrorCode.CONFLICT);
        return failed(checks);
      }
      const movesRegion = input.provinceCode !== undefined || input.regencyCode !== undefined;
      const region = movesRegion ? await checkRegion(em, checks, 'input.', input.provinceCode, input.regencyCode) : null;
      if (region && checks.ok) checkScope(ctx, region.provinceCode, 'innovations');
      if (input.title !== undefined) checkText(checks, 'input.title', input.title, 'title', { required: true });
      checkText(checks, 'input.summary', input.summary, 'summary');
      checks.integer('input.launchYear', input.launchYear, 1945, 2100);
      checkText(checks, 'input.category', input.category, 'category');
      if (input.sources !== undefined) checkSources(checks, 'input.sources', input.sources ?? []);
      checkText(checks, 'input.note', input.note, 'note');
      if (input.confidence === null) checks.fail('input.confidence', 'confidence cannot be cleared.');
      if (!checks.ok) return failed(checks);
      const before = snapshot(em, innovation);
      em.assign(innovation, {
        ...(input.title != null && { title: input.title.trim() }),
        ...(input.summary !== undefined && { summary: input.summary }),
        ...(input.launchYear !== undefined && { launchYear: input.launchYear }),
        ...(input.stage !== undefined && { stage: input.stage }),
        ...(input.isDigital !== undefined && { isDigital: input.isDigital }),
        ...(input.category !== undefined && { category: input.category }),
        ...(input.sustainability !== undefined && { sustainability: input.sustainability }),
        ...(input.sources != null && { sources: input.sources }),
        ...(input.confidence != null && { confidence: input.confidence }),
        ...(input.note !== undefined && { note: input.note }),
        ...(region && {
          province: region.provinceCode ? em.getReference(Province, region.provinceCode, { wrapped: true }) : null,
          regency: region.regencyCode ? em.getReference(Regency, region.regencyCode, { wrapped: true }) : null,
        }),
      });
      await updateAudited(em, ctx, innovation, before, { action: 'innovation.update', entityType: 'Innovation' });
      return { innovation, userErrors: [] };
    },
  }).catch(conflictOnDuplicate);
}

function conflictOnDuplicate(error: unknown): InnovationPayload {
  return { innovation: null, replayed: false, userErrors: [userErrorFromDatabase(error)] };
}
