// The closed list of error codes clients can rely on, and the error classes that carry them.
import { NotFoundError as MikroNotFoundError, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, isValueNode, type GraphQLFormattedError } from 'graphql';
import { databaseFault } from './db/faults';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Apollo's own codes for requests that never reach execution; they pass through unchanged. */
export const APOLLO_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

abstract class CodedError extends GraphQLError {
  protected constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export class BadUserInputError extends CodedError {
  constructor(message: string, argument?: string) {
    super(message, ErrorCode.BAD_USER_INPUT, argument ? { argument } : {});
  }
}

export class NotFoundError extends CodedError {
  constructor(message: string) {
    super(message, ErrorCode.NOT_FOUND);
  }
}

export class ForbiddenError extends CodedError {
  constructor(message = 'You are not allowed to do this.') {
    super(message, ErrorCode.FORBIDDEN);
  }
}

/** No key, or a key that is malformed, unknown or revoked. HTTP 401 when it stops the whole request. */
export class UnauthenticatedError extends CodedError {
  constructor(message = 'This needs an API key: send Authorization: Bearer <key>.') {
    super(message, ErrorCode.UNAUTHENTICATED, { http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } });
  }
}

export class ConflictError extends CodedError {
  constructor(message: string, argument?: string) {
    super(message, ErrorCode.CONFLICT, argument ? { argument } : {});
  }
}

/**
 * graphql-js stops coercing variables after 50 errors and adds this uncoded error, which would otherwise
 * be masked as an internal error: it is the client's input, like the 50 before it.
 */
const VARIABLE_ERROR_LIMIT = 'Too many errors processing variables, error limit reached.';

const PASS_THROUGH = new Set<string>([...Object.values(ErrorCode), ...APOLLO_REQUEST_CODES]);

/**
 * The one place errors are shaped for clients: coded errors pass through, known database failures get
 * their code, and everything else is masked as INTERNAL_SERVER_ERROR (the request pipeline logs it with
 * the request id, and puts that id in the error, src/pipeline.ts).
 */
export function createFormatError() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PASS_THROUGH.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      return formatted;
    }
    if (original instanceof GraphQLError && !original.originalError && original.message.startsWith(VARIABLE_ERROR_LIMIT)) {
      return { ...formatted, extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    // graphql-js refusing an argument's value as it executes (a null variable for a non-null argument that
    // has a default): its error is located at the value.
    const at = original instanceof GraphQLError && !original.originalError ? original.nodes?.[0] : undefined;
    if (at && isValueNode(at)) return { ...formatted, extensions: { code: ErrorCode.BAD_USER_INPUT } };
    // Apollo refuses some requests with a 4xx status but no code (a persisted query whose hash does not
    // match its text, an unknown persisted query version): the request is wrong, not the server.
    if (original instanceof GraphQLError && !original.originalError && isClientStatus(original.extensions?.http)) {
      return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
    }
    const mapped = mapDatabaseError(original);
    if (mapped) {
      return { ...formatted, message: mapped.message, extensions: { code: mapped.code } };
    }
    // Availability failures are not bugs to hide: say what happened and that a retry may work.
    const fault = databaseFault(original);
    if (fault) {
      return {
        message: fault.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reason: fault.reason },
      };
    }
    return {
      message: 'Internal server error.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/** Whether formatError masks the error (or reports it as a database fault): the log keeps its details. */
export function isMasked(error: GraphQLError): boolean {
  const original = unwrapResolverError(error);
  const code = error.extensions?.code;
  if (typeof code === 'string' && PASS_THROUGH.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) return false;
  if (original instanceof GraphQLError && !original.originalError) return false;
  return mapDatabaseError(original) === null;
}

function isClientStatus(http: unknown): boolean {
  const status = (http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function mapDatabaseError(error: unknown): { code: ErrorCode; message: string } | null {
  if (error instanceof UniqueConstraintViolationException) {
    return { code: ErrorCode.CONFLICT, message: 'A record with the same identifying values already exists.' };
  }
  if (error instanceof OptimisticLockError) {
    return { code: ErrorCode.CONFLICT, message: 'The record was changed by someone else; reload it and try again.' };
  }
  if (error instanceof MikroNotFoundError) {
    return { code: ErrorCode.NOT_FOUND, message: 'The record does not exist.' };
  }
  return null;
}
