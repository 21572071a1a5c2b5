// Registering, resuming and removing webhooks: the ministry's and integrations' keys, each its own
// endpoints (the ministry all of them); every write audited. Endpoints are https on a public host (http, and
// hosts on this machine or its network, only where WEBHOOK_ALLOW_PRIVATE_ADDRESSES is on: webhook-address.ts).
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireRole } from '../../auth/authorize';
import { Role, type Viewer } from '../../auth/viewer';
import type { Context } from '../../context';
import { UnauthenticatedError } from '../../errors';
import { Checks, UserErrorCode } from '../../graphql/user-errors';
import { hasNul } from '../../writes/text-limits';
import { audit } from '../../modules/audit/audit.service';
import type { ChangeRecordType } from '../change-event.types';
import { regionCodeArg } from '../region-match';
import { hostRefusal } from './webhook-address';
import type { RegisterWebhookInput, RegisterWebhookPayload, Webhook, WebhookPayload } from './webhook.types';

const OWNERS = [Role.MINISTRY_ADMIN, Role.INTEGRATION];
export const MAX_WEBHOOKS_PER_KEY = 20;

interface WebhookRow {
  id: number;
  url: string;
  record_types: string[];
  region_code: string | null;
  active: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  consecutive_failures: number;
  label: string;
  created_at: Date;
}

export const WEBHOOK_COLUMNS = `w.id, w.url, w.record_types, w.region_code, w.active, w.disabled_reason, w.disabled_at, w.consecutive_failures, k.label, w.created_at`;

export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: String(row.id),
    url: row.url,
    recordTypes: row.record_types as ChangeRecordType[],
    regionCode: row.region_code,
    active: row.active,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at,
    consecutiveFailures: row.consecutive_failures,
    keyLabel: row.label,
    createdAt: row.created_at,
  };
}

/** The condition on webhook `w` for the endpoints a caller may see and change: the ministry's all, a key's own. */
export function ownedBy(viewer: Viewer): { sql: string; params: number[] } {
  return viewer.role === Role.MINISTRY_ADMIN ? { sql: 'true', params: [] } : { sql: 'w.api_key_id = ?', params: [viewer.keyId ?? 0] };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why an endpoint's host is refused (loopback, private, link-local, local names...), or null. The request's
 * context says whether WEBHOOK_ALLOW_PRIVATE_ADDRESSES is on (off unless the process was started so).
 */
function endpointRefusal(ctx: Context, url: URL): string | null {
  return ctx.allowPrivateWebhookAddresses ? null : hostRefusal(url.hostname);
}

function checkUrl(ctx: Context, checks: Checks, value: string): void {
  if (hasNul(value)) {
    checks.fail('input.url', 'input.url must not contain the NUL character (U+0000).');
    return;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    checks.fail('input.url', 'input.url must be an absolute https:// address.');
    return;
  }
  const loopback = LOOPBACK.has(url.hostname) || (isIP(url.hostname) === 4 && url.hostname.startsWith('127.'));
  if (value.length > 2000) checks.fail('input.url', 'input.url must be at most 2000 characters.');
  else if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    checks.fail('input.url', 'input.url must be https://; plain http:// only for an endpoint on this machine (127.0.0.1, ::1, localhost).');
  } else if (url.username || url.password) checks.fail('input.url', 'input.url must not carry a user name or password: verify the signature instead.');
  else {
    const refusal = endpointRefusal(ctx, url);
    if (refusal) checks.fail('input.url', `input.url must be on the public internet: ${refusal}. Webhooks are not sent into private networks.`);
  }
}

async function findOwned(em: EntityManager, viewer: Viewer, id: string): Promise<WebhookRow | null> {
  if (!/^[1-9]\d{0,9}$/.test(id)) return null;
  const owned = ownedBy(viewer);
  const [row] = await em.execute<WebhookRow[]>(
    `select ${WEBHOOK_COLUMNS} from webhook w join api_key k on k.id = w.api_key_id where w.id = ? and ${owned.sql} for update of w`,
    [Number(id), ...owned.params],
  );
  return row ?? null;
}

export async function registerWebhook(ctx: Context, input: RegisterWebhookInput): Promise<RegisterWebhookPayload> {
  requireRole(ctx.viewer, OWNERS, 'registerWebhook');
  const checks = new Checks();
  checkUrl(ctx, checks, input.url);
  if (!input.recordTypes.length) checks.fail('input.recordTypes', 'Name at least one kind of record.');
  let region: string | null = null;
  if (input.regionCode != null) {
    try {
      region = regionCodeArg(input.regionCode, 'input.regionCode');
    } catch (error) {
      checks.fail('input.regionCode', (error as Error).message);
    }
  }
  if (!checks.ok) return { webhook: null, secret: null, userErrors: checks.errors };
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  return ctx.em.transactional(async (em) => {
    // Serialises a key's registrations, so the limit holds under concurrent calls; a key revoked since the
    // request began registers nothing.
    const key = await em.execute('select id from api_key where id = ? and revoked_at is null for update', [ctx.viewer.keyId ?? 0]);
    if (!key.length) throw new UnauthenticatedError('The API key is unknown or revoked.');
    const [{ n }] = await em.execute<{ n: number }[]>('select count(*)::int as n from webhook where api_key_id = ?', [ctx.viewer.keyId ?? 0]);
    if (n >= MAX_WEBHOOKS_PER_KEY) {
      checks.fail('input.url', `A key may register ${MAX_WEBHOOKS_PER_KEY} webhooks; delete one first.`, UserErrorCode.CONFLICT);
      return { webhook: null, secret: null, userErrors: checks.errors };
    }
    const types = [...new Set(input.recordTypes)];
    const [{ id }] = await em.execute<{ id: number }[]>(
      `insert into webhook (api_key_id, url, record_types, region_code, secret, start_seq)
       values (?, ?, ?::text[], ?, ?, (select coalesce(max(seq), 0) from change_commit)) returning id`,
      [ctx.viewer.keyId ?? 0, input.url, `{${types.join(',')}}`, region, secret],
    );
    audit(em, ctx, { action: 'webhook.register', entityType: 'Webhook', entityId: String(id), after: { url: input.url, recordTypes: types, regionCode: region } });
    await em.flush();
    return { webhook: toWebhook((await findOwned(em, ctx.viewer, String(id)))!), secret, userErrors: [] };
  });
}

/** Resumes a webhook (disabled after failures, or not): its pending deliveries are tried again at once, oldest first. */
export async function enableWebhook(ctx: Context, id: string): Promise<WebhookPayload> {
  requireRole(ctx.viewer, OWNERS, 'enableWebhook');
  return ctx.em.transactional(async (em) => {
    const found = await findOwned(em, ctx.viewer, id);
    if (!found) return { webhook: null, userErrors: [{ field: 'id', message: 'There is no such webhook of yours.', code: UserErrorCode.NOT_FOUND }] };
    // An endpoint registered before addresses were checked (or while they were not) stays off.
    const refusal = endpointRefusal(ctx, new URL(found.url));
    if (refusal) {
      const message = `The webhook's url is not on the public internet: ${refusal}. Delete it and register a public endpoint.`;
      return { webhook: null, userErrors: [{ field: 'id', message, code: UserErrorCode.BAD_USER_INPUT }] };
    }
    await em.execute(`update webhook set active = true, disabled_reason = null, disabled_at = null, consecutive_failures = 0 where id = ?`, [found.id]);
    await em.execute(`update webhook_delivery set next_attempt_at = now() where webhook_id = ? and status = 'PENDING'`, [found.id]);
    audit(em, ctx, { action: 'webhook.enable', entityType: 'Webhook', entityId: String(found.id), before: { active: found.active, disabledReason: found.disabled_reason } });
    await em.flush();
    return { webhook: toWebhook((await findOwned(em, ctx.viewer, id))!), userErrors: [] };
  });
}

export async function deleteWebhook(ctx: Context, id: string): Promise<WebhookPayload> {
  requireRole(ctx.viewer, OWNERS, 'deleteWebhook');
  return ctx.em.transactional(async (em) => {
    const found = await findOwned(em, ctx.viewer, id);
    if (!found) return { webhook: null, userErrors: [{ field: 'id', message: 'There is no such webhook of yours.', code: UserErrorCode.NOT_FOUND }] };
    await em.execute('delete from webhook where id = ?', [found.id]);
    audit(em, ctx, { action: 'webhook.delete', entityType: 'Webhook', entityId: String(found.id), before: { url: found.url, recordTypes: found.record_types } });
    await em.flush();
    return { webhook: toWebhook(found), userErrors: [] };
  });
}
