// Delivers change events to webhooks, from any number of API processes at once:
//
//   fan-out   one process at a time (the fan-out row is locked, `for update skip locked`) reads the change
//             log after the fan-out position, queues one delivery per event and matching endpoint, and moves
//             the position, in one transaction: each event is queued once.
//   delivery  a process leases an endpoint whose oldest pending delivery is due (`for update skip locked`,
//             then a lease time), and sends its deliveries oldest first, one at a time: an endpoint gets its
//             events in commit order. A failure is retried with exponential backoff and blocks the ones
//             after it; enough failures in a row disable the endpoint with the reason. A process that dies
//             mid-delivery leaves a lease that expires: another sends that delivery again (at least once:
//             receivers de-duplicate by event id).
//   addresses each attempt resolves the endpoint's name and connects only to public addresses it vetted
//             (webhook-request.ts); a refusal is a failed delivery like any other.
import type { MetadataStorage } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { Role, type Viewer } from '../../auth/viewer';
import type { ChangeListener } from '../change-listener';
import { ChangeRecordType } from '../change-event.types';
import { changePageSql, type ChangePage } from '../change-log';
import { viewChange } from '../change-view';
import { touchesAny } from '../region-match';
import { dnsLookupAll, postEvent, type Lookup } from './webhook-request';
import { DELIVERY_ID_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from './webhook-signature';

export interface DispatcherOptions {
  timeoutMs: number;
  retryBaseMs: number;
  maxFailures: number;
  /** Deliver to loopback and private addresses too (WEBHOOK_ALLOW_PRIVATE_ADDRESSES); off, such a delivery fails. */
  allowPrivateAddresses: boolean;
  /** How endpoint names are resolved; the system resolver (dns.promises.lookup) unless given. */
  lookup?: Lookup;
  /** How often due retries are looked for (commits wake the dispatcher at once). */
  pollMs?: number;
}

const FAN_OUT_PAGE = 500;
const RECORD_TYPE_NAMES = new Map(Object.entries(ChangeRecordType).map(([name, type]) => [type as string, name]));
const MAX_BACKOFF_MS = 3_600_000;
const CLAIM = 20;

interface Hook {
  id: number;
  record_types: string[];
  region_code: string | null;
  start_seq: string;
  role: Role;
  key_id: number;
  label: string;
  province_code: string | null;
  university_id: number | null;
}

interface Claimed {
  id: number;
  url: string;
  secret: string;
}

/** The delay before retry number `attempts` (1 for the first retry): doubling from the base, with jitter. */
export function backoffMs(base: number, attempts: number): number {
  const delay = Math.min(base * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}

export class WebhookDispatcher {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private unobserve: (() => void) | undefined;
  private closed = false;
  private readonly metadata: MetadataStorage;

  constructor(
    private readonly orm: MikroORM,
    private readonly options: DispatcherOptions,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {
    this.metadata = orm.getMetadata();
  }

  /** Runs on every commit heard, and every pollMs for retries that come due. */
  start(listener: Pick<ChangeListener, 'observe'>): void {
    this.unobserve = listener.observe({ changed: () => void this.run(), resumed: () => void this.run() });
    this.timer = setInterval(() => void this.run(), this.options.pollMs ?? 1_000);
    this.timer.unref();
    void this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.unobserve?.();
    await this.running;
  }

  /** Fans out what is new and sends what is due; a call while one runs makes it run once more. */
  run(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        while (await this.fanOut());
        await this.deliver();
      } while (this.again && !this.closed);
    })()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'webhooks: a dispatch round failed; retrying'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Queues the deliveries of the next page of events; true when there may be more. */
  private fanOut(): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em) => {
      const [position] = await em.execute<{ seq: string; event_id: string }[]>('select seq, event_id from webhook_fanout for update skip locked');
      if (!position) return false;
      const [{ data }] = await em.execute<{ data: string }[]>(changePageSql({ seq: Number(position.seq), id: Number(position.event_id) }, {}, FAN_OUT_PAGE).text);
      const page = JSON.parse(data) as ChangePage;
      if (!page.rows.length) return false;
      const hooks = await em.execute<Hook[]>(
        `select w.id, w.record_types, w.region_code, w.start_seq, k.role, k.id as key_id, k.label, k.province_code, k.university_id
           from webhook w join api_key k on k.id = w.api_key_id where w.active and k.revoked_at is null`,
      );
      const deliveries: { webhook_id: number; event_id: number; seq: number; body: string }[] = [];
      for (const row of page.rows) {
        for (const hook of hooks) {
          if (row.seq <= Number(hook.start_seq) || !hook.record_types.includes(row.recordType)) continue;
          if (hook.region_code !== null && !touchesAny(row.regions, [hook.region_code])) continue;
          const viewer: Viewer = { role: hook.role, keyId: hook.key_id, keyLabel: hook.label, provinceCode: hook.province_code, universityId: hook.university_id };
          // As the API shows it: enum names (REPLICATION), timestamps in ISO 8601.
          const event = { ...viewChange(row, page.logId, viewer, this.metadata), recordType: RECORD_TYPE_NAMES.get(row.recordType) };
          deliveries.push({ webhook_id: hook.id, event_id: row.id, seq: row.seq, body: JSON.stringify({ id: event.id, webhookId: String(hook.id), event }) });
        }
      }
      if (deliveries.length) {
        await em.execute(
          `insert into webhook_delivery (webhook_id, event_id, seq, body)
           select webhook_id, event_id, seq, body from json_to_recordset(?::json) as x(webhook_id int, event_id bigint, seq bigint, body text)
           on conflict (webhook_id, event_id) do nothing`,
          [JSON.stringify(deliveries)],
        );
      }
      const last = page.rows[page.rows.length - 1];
      await em.execute('update webhook_fanout set seq = ?, event_id = ?', [last.seq, last.id]);
      return page.rows.length === FAN_OUT_PAGE;
    });
  }

  private leaseSeconds(): number {
    return Math.ceil(this.options.timeoutMs / 1000) + 5;
  }

  /** Leases the endpoints whose oldest pending delivery is due, and sends each one's deliveries in order. */
  private async deliver(): Promise<void> {
    const claimed = await this.orm.em.fork().execute<Claimed[]>(
      `update webhook w set lease_until = now() + make_interval(secs => ?)
        where w.id in (
          select w2.id from webhook w2
           where w2.active and (w2.lease_until is null or w2.lease_until < now())
             and (select d.next_attempt_at from webhook_delivery d where d.webhook_id = w2.id and d.status = 'PENDING'
                   order by d.seq, d.event_id limit 1) <= now()
           for update skip locked limit ?)
        returning w.id, w.url, w.secret`,
      [this.leaseSeconds(), CLAIM],
    );
    await Promise.all(claimed.map((hook) => this.deliverTo(hook)));
  }

  private async deliverTo(hook: Claimed): Promise<void> {
    const em = this.orm.em.fork();
    try {
      while (!this.closed) {
        const [head] = await em.execute<{ id: string; event_id: string; body: string; attempts: number; due: boolean }[]>(
          `select id, event_id, body, attempts, next_attempt_at <= now() as due from webhook_delivery
            where webhook_id = ? and status = 'PENDING' order by seq, event_id limit 1`,
          [hook.id],
        );
        if (!head?.due) return;
        const renewed = await em.execute(`update webhook set lease_until = now() + make_interval(secs => ?) where id = ? and active returning id`, [this.leaseSeconds(), hook.id]);
        if (!renewed.length) return;
        const outcome = await this.attempt(hook, head);
        if (outcome.ok) {
          await em.execute(
            `update webhook_delivery set status = 'DELIVERED', attempts = attempts + 1, delivered_at = now(), last_attempt_at = now(),
                    response_status = ?, error = null, duration_ms = ? where id = ?`,
            [outcome.status, outcome.ms, head.id],
          );
          await em.execute('update webhook set consecutive_failures = 0 where id = ? and consecutive_failures > 0', [hook.id]);
          continue;
        }
        await this.failed(em, hook, head, outcome);
        return;
      }
    } finally {
      await em.execute('update webhook set lease_until = null where id = ?', [hook.id]).catch(() => {});
    }
  }

  private async failed(em: EntityManager, hook: Claimed, head: { id: string; attempts: number }, outcome: { status: number | null; ms: number; error: string }): Promise<void> {
    const attempts = head.attempts + 1;
    await em.execute(
      `update webhook_delivery set attempts = ?, last_attempt_at = now(), next_attempt_at = now() + make_interval(secs => ?),
              response_status = ?, error = ?, duration_ms = ? where id = ?`,
      [attempts, backoffMs(this.options.retryBaseMs, attempts) / 1000, outcome.status, outcome.error, outcome.ms, head.id],
    );
    await em.execute(
      `update webhook set consecutive_failures = consecutive_failures + 1,
              active = consecutive_failures + 1 < ?,
              disabled_at = case when consecutive_failures + 1 >= ? then now() end,
              disabled_reason = case when consecutive_failures + 1 >= ? then ? end
        where id = ?`,
      [this.options.maxFailures, this.options.maxFailures, this.options.maxFailures, `Disabled after ${this.options.maxFailures} failed deliveries in a row; the last: ${outcome.error}`, hook.id],
    );
  }

  /** One POST, signed; a 2xx answer within the timeout is a delivery, anything else a failure with its reason. */
  private async attempt(hook: Claimed, delivery: { id: string; event_id: string; body: string }): Promise<{ ok: true; status: number; ms: number } | { ok: false; status: number | null; ms: number; error: string }> {
    const timestamp = Math.floor(Date.now() / 1000);
    const started = performance.now();
    const outcome = await postEvent(
      hook.url,
      delivery.body,
      {
        'content-type': 'application/json',
        'user-agent': 'jipp-hub-webhooks/1',
        [EVENT_ID_HEADER]: delivery.event_id,
        [DELIVERY_ID_HEADER]: delivery.id,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: sign(hook.secret, timestamp, delivery.body),
      },
      { timeoutMs: this.options.timeoutMs, allowPrivateAddresses: this.options.allowPrivateAddresses, lookup: this.options.lookup ?? dnsLookupAll },
    );
    return { ...outcome, ms: Math.round(performance.now() - started) };
  }
}
