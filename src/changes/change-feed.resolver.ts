// Query.changes: the change log in commit order after a cursor, for partners' sync. Answered by a resolver
// (not the read engine): whether a cursor can still resume is a fact of the database at the moment it is
// read, which a plan compiled once per operation cannot know. One statement per call.
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { BadUserInputError } from '../errors';
import { MAX_PAGE_SIZE } from '../graphql/paging';
import { START, cursorExpired, decodeCursor, encodeCursor, type Position } from './change-cursor';
import { ChangeConnection, ChangeFilter } from './change-event.types';
import { changePageSql, type ChangePage } from './change-log';
import type { RecordType } from './change-tables';
import { viewChange } from './change-view';

const after = (a: Position, b: Position) => a.seq > b.seq || (a.seq === b.seq && a.id > b.id);

@Resolver()
export class ChangeFeedResolver {
  @Query(() => ChangeConnection, {
    description:
      'What changed, in commit order, after a cursor (from the oldest change kept when absent). Resume from pageInfo.endCursor: no change is skipped or repeated. Changes are kept for a retention period (docs/changes.md); an older cursor is BAD_USER_INPUT with extensions.reason CHANGES_CURSOR_EXPIRED: resync, then follow again. Personal data and who wrote are shown as the caller may read them.',
  })
  async changes(
    @Ctx() ctx: Context,
    @Arg('after', () => String, { nullable: true }) afterCursor: string | null,
    @Arg('filter', () => ChangeFilter, { nullable: true }) filter: ChangeFilter | null,
    @Arg('first', () => Int, { defaultValue: 20, description: `0 to ${MAX_PAGE_SIZE}. 0 reads no event: its endCursor is the head of the log, where to follow from now on.` })
    first: number,
  ): Promise<ChangeConnection> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw new BadUserInputError(`first must be from 0 to ${MAX_PAGE_SIZE}.`, 'first');
    const cursor = afterCursor == null ? null : decodeCursor(afterCursor);
    const from = cursor?.position ?? START;
    const selection = { recordTypes: filter?.recordTypes as RecordType[] | null | undefined, regionCode: filter?.regionCode };
    const page = await ctx.reads.json<ChangePage>(changePageSql(from, selection, first + 1));
    if (cursor && cursor.logId !== page.logId) throw cursorExpired('This cursor is of another change log (the database was restored or recreated).', page.retentionDays);
    if (cursor && after(page.pruned, cursor.position)) {
      throw cursorExpired('This cursor is older than the changes kept.', page.retentionDays);
    }
    const rows = page.rows.slice(0, first);
    const hasNextPage = page.rows.length > first;
    const metadata = ctx.em.getMetadata();
    const nodes = rows.map((row) => viewChange(row, page.logId, ctx.viewer, metadata));
    // Nothing more matches up to the head: resume from the head, not from the last match, so the next call
    // does not read the same unmatched events again.
    let end = rows.length ? { seq: rows[rows.length - 1].seq, id: rows[rows.length - 1].id } : from;
    if ((!hasNextPage || first === 0) && after(page.head, end)) end = page.head;
    if (first === 0) return { edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: encodeCursor(page.logId, end) } };
    return {
      edges: nodes.map((node) => ({ cursor: node.cursor, node })),
      nodes,
      pageInfo: { hasNextPage, endCursor: encodeCursor(page.logId, end) },
    };
  }
}
