import type { Context } from '../context';
import { UnauthenticatedError } from '../errors';
import { viewerForKey } from './api-keys';

/** Sets the request's viewer from an Authorization: Bearer header; without one the caller stays PUBLIC. */
export async function authenticate(ctx: Context, authorization: string | undefined): Promise<Context> {
  if (authorization === undefined || authorization.trim() === '') return ctx;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new UnauthenticatedError('Send the API key as Authorization: Bearer <key>.');
  const viewer = await viewerForKey(ctx.em, match[1]);
  if (!viewer) throw new UnauthenticatedError('The API key is malformed, unknown or revoked.');
  ctx.viewer = viewer;
  return ctx;
}
