// Change cursors: a position in commit order (the commit's seq, the event's id within it) in the log of one
// database (its log id), opaque to clients. A cursor of another log (a restored or recreated database) or
// one older than retention cannot resume: the client must resync.
import { GraphQLError } from 'graphql';
import { BadUserInputError, ErrorCode } from '../errors';

export interface Position {
  seq: number;
  id: number;
}

export const START: Position = { seq: 0, id: 0 };

export function encodeCursor(logId: string, position: Position): string {
  return Buffer.from(`${logId}:${position.seq}:${position.id}`, 'utf8').toString('base64url');
}

/** The log id and position of a cursor; a malformed cursor is the caller's input. */
export function decodeCursor(cursor: string, argument = 'after'): { logId: string; position: Position } {
  const match = /^([0-9a-f-]{36}):(\d{1,15}):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || cursor.length > 100) throw new BadUserInputError(`"${cursor.slice(0, 60)}" is not a cursor of the change log.`, argument);
  return { logId: match[1], position: { seq: Number(match[2]), id: Number(match[3]) } };
}

/** A cursor this log cannot resume from: BAD_USER_INPUT with reason CHANGES_CURSOR_EXPIRED, so a client knows to resync. */
export function cursorExpired(why: string, retentionDays: number): GraphQLError {
  return new GraphQLError(
    `${why} Changes are kept ${retentionDays} days: read the records again (a full sync), then follow changes from the pageInfo.endCursor of changes(first: 0) taken before it.`,
    { extensions: { code: ErrorCode.BAD_USER_INPUT, argument: 'after', reason: 'CHANGES_CURSOR_EXPIRED' } },
  );
}
