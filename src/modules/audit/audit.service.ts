// Writes audit events inside the caller's transaction, so a write and its audit record commit together.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../auth/viewer';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  idempotencyKey?: string | null;
}

export interface Actor {
  viewer: Viewer;
  requestId: string | null;
  /** For writes from the command line, which have no key: the tool's name. */
  tool?: string;
}

export function audit(em: EntityManager, actor: Actor, entry: AuditEntry): void {
  const event = Object.assign(new AuditEvent(), {
    role: actor.viewer.role,
    apiKeyId: actor.viewer.keyId,
    actor: actor.viewer.keyLabel ?? actor.tool ?? null,
    action: entry.action,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: actor.requestId,
    idempotencyKey: entry.idempotencyKey ?? null,
    occurredAt: new Date(),
  });
  em.persist(event);
}

/** A record's API-visible state for the audit log: scalar columns only, no secrets, no relations loaded. */
export function snapshot(em: EntityManager, entity: object): Record<string, unknown> {
  const meta = em.getMetadata().find(entity.constructor.name)!;
  const out: Record<string, unknown> = {};
  for (const prop of meta.props) {
    if (prop.lazy || prop.hidden) continue;
    const value = (entity as Record<string, unknown>)[prop.name];
    if (value === undefined || typeof value === 'function') continue;
    if (value && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value)) {
      const ref = value as { unwrap?: () => Record<string, unknown> };
      const target = ref.unwrap ? ref.unwrap() : (value as Record<string, unknown>);
      const pk = prop.targetMeta?.primaryKeys[0];
      out[prop.name] = pk ? (target[pk] ?? null) : null;
      continue;
    }
    out[prop.name] = value;
  }
  return out;
}

/** Saves a new record and audits its creation, in the caller's transaction. */
export async function createAudited<T extends { nodeId: string }>(
  em: EntityManager,
  actor: Actor,
  entity: T,
  entry: { action: string; entityType: string; idempotencyKey?: string | null },
): Promise<T> {
  em.persist(entity);
  await em.flush();
  audit(em, actor, { ...entry, entityId: entity.nodeId, after: snapshot(em, entity) });
  return entity;
}

/** Saves changes to a record and audits them with the state before, in the caller's transaction. */
export async function updateAudited<T extends { nodeId: string }>(
  em: EntityManager,
  actor: Actor,
  entity: T,
  before: Record<string, unknown> | null,
  entry: { action: string; entityType: string; idempotencyKey?: string | null },
): Promise<T> {
  em.persist(entity);
  await em.flush();
  audit(em, actor, { ...entry, entityId: entity.nodeId, before, after: snapshot(em, entity) });
  return entity;
}
