import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { UnauthenticatedError } from '../errors';
import { checkKey } from './api-keys';
import { PUBLIC_VIEWER, type Viewer } from './viewer';

/**
 * The caller an Authorization header stands for: PUBLIC without one, the key's viewer with a valid
 * `Bearer <key>`, UNAUTHENTICATED (401) otherwise, saying why (malformed, unknown, revoked, expired).
 */
export async function viewerFromAuthorization(em: EntityManager, authorization: string | undefined): Promise<Viewer> {
  if (authorization === undefined || authorization.trim() === '') return PUBLIC_VIEWER;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new UnauthenticatedError('Send the API key as Authorization: Bearer <key>.');
  const check = await checkKey(em, match[1]);
  if ('refused' in check) throw new UnauthenticatedError(check.refused);
  return check.viewer;
}

/** Sets the request's viewer from an Authorization: Bearer header; without one the caller stays PUBLIC. */
export async function authenticate(ctx: Context, authorization: string | undefined): Promise<Context> {
  if (authorization === undefined || authorization.trim() === '') return ctx;
  ctx.viewer = await viewerFromAuthorization(ctx.em, authorization);
  return ctx;
}
