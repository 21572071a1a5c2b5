// Live dashboards: subscriptions over WebSocket (src/http/subscriptions.ts) fed by the process's change
// stream. replicationChanged delivers each replication recorded or changed within a filter, read through
// the read engine for the subscriber's selection; replicationGraphChanged says when a graph's answer moved,
// so a dashboard refetches only then.
import { createHash } from 'node:crypto';
import { DateTimeResolver } from 'graphql-scalars';
import { parse, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../context';
import { sql } from '../db/sql';
import { GraphLevel } from '../modules/analytics/graph.types';
import { Replication } from '../modules/replication/replication.entity';
import { ReplicationFilter } from '../modules/replication/replication.inputs';
import { replicationWhere } from '../modules/replication/replication.queries';
import { ChangeEvent } from './change-event.types';
import type { ChangeRow } from './change-log';
import type { ChangeStream } from './change-stream';
import { viewChange } from './change-view';
import { EventQueue } from './event-queue';
import { touchesAny } from './region-match';
import { encodeCursor } from './change-cursor';

@ObjectType({ description: 'A replication recorded or changed within the subscription\'s filter.' })
export class ReplicationChange {
  @Field(() => ChangeEvent)
  event!: ChangeEvent;

  /** The replication's key; null for a bulk event (read the scope again) or a deletion. */
  key!: number | null;
}

@ObjectType({ description: "The answer of replicationGraph for the subscription's level and filter moved: refetch it." })
export class ReplicationGraphChange {
  @Field(() => GraphLevel)
  level!: GraphLevel;

  @Field({ description: 'The change after which the answer moved (a cursor of the changes feed).' })
  cursor!: string;

  @Field({ description: 'A digest of the new answer: equal digests, equal answers.' })
  digest!: string;

  @Field(() => DateTimeResolver, { description: 'When that change committed.' })
  committedAt!: Date;
}

function streamOf(ctx: Context): ChangeStream {
  if (!ctx.changes) throw new Error('subscriptions need the change stream (served over WebSocket)');
  return ctx.changes;
}

/** The region codes a filter confines replications to (none: any region). */
function filterRegions(filter: ReplicationFilter | null): string[] {
  return [filter?.sourceProvinceCode, filter?.sourceRegencyCode, filter?.adopterProvinceCode, filter?.adopterRegencyCode].filter((c): c is string => c != null);
}

/** Which of the replications still exist and match the filter, by key. */
async function matching(ctx: Context, keys: number[], filter: ReplicationFilter | null): Promise<Set<number>> {
  if (!keys.length) return new Set();
  const where = sql.and([sql`r.id in (${sql.join(keys.map((k) => sql`${k}`))})`, ...replicationWhere(filter)]);
  const found = await ctx.reads.json<number[]>(sql`select coalesce(json_agg(r.id), '[]')::text as data from replication r where ${where}`);
  return new Set(found);
}

const GRAPH_TYPES = new Set(['Replication', 'Innovation', 'Hub', 'Province', 'Regency']);

const DIGEST_QUERY = parse(`query($level: GraphLevel!, $filter: ReplicationFilter) {
  replicationGraph(level: $level, filter: $filter) {
    nodes { code name level isHub outgoing incoming innovations spreadingInnovations }
    edges { source target count byKind { kind count } firstYear lastYear }
    totals { replications innovations regions national crossProvinceShare }
  }
}`).definitions[0] as OperationDefinitionNode;

/** A digest of the whole graph answer for a level and filter, as the caller would read it. */
async function graphDigest(ctx: Context, level: GraphLevel, filter: ReplicationFilter | null): Promise<string> {
  const answer = await ctx.reads.fresh(DIGEST_QUERY, { level, filter });
  return createHash('sha256').update(JSON.stringify(answer)).digest('base64url').slice(0, 22);
}

@Resolver(() => ReplicationChange)
export class ReplicationChangeResolver {
  @FieldResolver(() => Replication, { nullable: true, description: 'The replication as it is now, for your selection; null for a bulk event or a deletion.' })
  replication(@Root() change: ReplicationChange, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<unknown> | null {
    return change.key === null ? null : ctx.reads.record(info, change.key);
  }
}

@Resolver()
export class ChangeSubscriptions {
  @Subscription(() => ReplicationChange, {
    description:
      'Each replication recorded or changed (or deleted) within the filter, as it commits. Bulk writes (imports) come as one event per province with no replication: read that scope again.',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      const filter = (args.filter ?? null) as ReplicationFilter | null;
      const regions = filterRegions(filter);
      const metadata = ctx.em.getMetadata();
      const queue: EventQueue<ReplicationChange> = new EventQueue(() => unsubscribe());
      // Pages are handled one after another, so messages keep commit order.
      let done = Promise.resolve();
      const unsubscribe = streamOf(ctx).subscribe((rows: readonly ChangeRow[], logId: string) => {
        const mine = rows.filter((row) => row.recordType === 'Replication');
        if (!mine.length) return;
        done = done.then(async () => {
          const live = mine.filter((row) => !row.bulk && row.operation !== 'DELETE').map((row) => Number(row.recordId));
          const matched = await matching(ctx, live, filter);
          for (const row of mine) {
            const key = row.bulk || row.operation === 'DELETE' ? null : Number(row.recordId);
            const relevant = key === null ? touchesAny(row.regions, regions) || !regions.length : matched.has(key);
            if (relevant) queue.push({ event: viewChange(row, logId, ctx.viewer, metadata), key });
          }
        }).catch((error: unknown) => void queue.throw(error));
      });
      return queue;
    },
  })
  replicationChanged(
    @Root() change: ReplicationChange,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) _filter: ReplicationFilter | null,
  ): ReplicationChange {
    return change;
  }

  @Subscription(() => ReplicationGraphChange, {
    description: "A signal each time the answer of replicationGraph(level, filter) moves (not on changes that leave it as it was): refetch it then.",
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const level = args.level as GraphLevel;
      const filter = (args.filter ?? null) as ReplicationFilter | null;
      let digest = await graphDigest(ctx, level, filter);
      const queue: EventQueue<ReplicationGraphChange> = new EventQueue(() => unsubscribe());
      let done = Promise.resolve();
      const unsubscribe = streamOf(ctx).subscribe((rows: readonly ChangeRow[], logId: string) => {
        const last = [...rows].reverse().find((row) => GRAPH_TYPES.has(row.recordType));
        if (!last) return;
        done = done.then(async () => {
          const now = await graphDigest(ctx, level, filter);
          if (now === digest) return;
          digest = now;
          queue.push({ level, digest, cursor: encodeCursor(logId, { seq: last.seq, id: last.id }), committedAt: new Date(last.committedAt) });
        }).catch((error: unknown) => void queue.throw(error));
      });
      return queue;
    },
  })
  replicationGraphChanged(
    @Root() change: ReplicationGraphChange,
    @Arg('level', () => GraphLevel, { defaultValue: GraphLevel.PROVINCE }) _level: GraphLevel,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) _filter: ReplicationFilter | null,
  ): ReplicationGraphChange {
    return change;
  }
}
