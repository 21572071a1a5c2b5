// Webhooks in the API: the endpoints a key registered, their delivery log, and the mutations. Answered by
// resolvers with SQL of their own: webhooks are the ministry's and integrations' own records, never public.
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { requireRole } from '../../auth/authorize';
import { Role } from '../../auth/viewer';
import type { Context } from '../../context';
import { sql } from '../../db/sql';
import { BadUserInputError } from '../../errors';
import { MAX_PAGE_SIZE } from '../../graphql/paging';
import { RegisterWebhookInput, RegisterWebhookPayload, Webhook, WebhookDelivery, WebhookDeliveryStatus, WebhookPayload } from './webhook.types';
import { deleteWebhook, enableWebhook, registerWebhook } from './webhook.writes';

const OWNERS = [Role.MINISTRY_ADMIN, Role.INTEGRATION];

/** Webhooks the caller may see: the ministry all, an integration its key's. */
const owned = (ctx: Context) => (ctx.viewer.role === Role.MINISTRY_ADMIN ? sql`true` : sql`w.api_key_id = ${ctx.viewer.keyId ?? 0}`);

const webhookJson = sql`json_build_object('id', w.id::text, 'url', w.url, 'recordTypes', w.record_types, 'regionCode', w.region_code, 'active', w.active,
  'disabledReason', w.disabled_reason, 'disabledAt', w.disabled_at, 'consecutiveFailures', w.consecutive_failures, 'keyLabel', k.label, 'createdAt', w.created_at)`;

@Resolver()
export class WebhookResolver {
  @Query(() => [Webhook], { description: "Webhooks: the ministry's view is every one, an integration's its key's own." })
  async webhooks(@Ctx() ctx: Context): Promise<Webhook[]> {
    requireRole(ctx.viewer, OWNERS, 'webhooks');
    // Timestamps stay the ISO text PostgreSQL writes into JSON: DateTime serialises it as it is.
    return ctx.reads.json<Webhook[]>(
      sql`select coalesce(json_agg(${webhookJson} order by w.id), '[]')::text as data from webhook w join api_key k on k.id = w.api_key_id where ${owned(ctx)}`,
    );
  }

  @Query(() => [WebhookDelivery], { description: 'The delivery log of a webhook, newest first: every attempt\'s outcome.' })
  async webhookDeliveries(
    @Ctx() ctx: Context,
    @Arg('webhookId', () => ID) webhookId: string,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status: WebhookDeliveryStatus | null,
    @Arg('first', () => Int, { defaultValue: 20, description: `0 to ${MAX_PAGE_SIZE}.` }) first: number,
  ): Promise<WebhookDelivery[]> {
    requireRole(ctx.viewer, OWNERS, 'webhookDeliveries');
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw new BadUserInputError(`first must be from 0 to ${MAX_PAGE_SIZE}.`, 'first');
    if (!/^[1-9]\d{0,9}$/.test(webhookId)) throw new BadUserInputError('webhookId is not the id of a webhook.', 'webhookId');
    return ctx.reads.json<WebhookDelivery[]>(sql`select coalesce(json_agg(d order by d.id desc), '[]')::text as data from (
        select d.id::text as id, d.event_id::text as "eventId", d.status, d.attempts, d.response_status as "responseStatus", d.error, d.duration_ms as "durationMs",
               d.created_at as "createdAt", d.last_attempt_at as "lastAttemptAt", d.delivered_at as "deliveredAt",
               case when d.status = 'PENDING' then d.next_attempt_at end as "nextAttemptAt"
          from webhook_delivery d join webhook w on w.id = d.webhook_id
         where d.webhook_id = ${Number(webhookId)} and ${owned(ctx)} ${status ? sql`and d.status = ${status}` : sql``}
         order by d.id desc limit ${first}) d`);
  }

  @Mutation(() => RegisterWebhookPayload, {
    description:
      'Registers an endpoint for signed change events of the given kinds (MINISTRY_ADMIN, INTEGRATION). The secret is returned once. Deliveries are retried with backoff, at least once, in commit order per endpoint; the endpoint is disabled after repeated failures.',
  })
  registerWebhook(@Ctx() ctx: Context, @Arg('input', () => RegisterWebhookInput) input: RegisterWebhookInput): Promise<RegisterWebhookPayload> {
    return registerWebhook(ctx, input);
  }

  @Mutation(() => WebhookPayload, { description: 'Resumes a webhook (after it was disabled): pending deliveries are tried again, oldest first.' })
  enableWebhook(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<WebhookPayload> {
    return enableWebhook(ctx, id);
  }

  @Mutation(() => WebhookPayload, { description: 'Removes a webhook and its delivery log.' })
  deleteWebhook(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<WebhookPayload> {
    return deleteWebhook(ctx, id);
  }
}
