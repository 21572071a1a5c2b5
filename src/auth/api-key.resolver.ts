// Key management through the API, for the ministry: create (the secret in the payload, once), list (never
// the secrets) and revoke, audited as the command line's are.
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { sql, type SqlFragment } from '../db/sql';
import { Connection, PageArgs } from '../graphql/connection';
import { parseNumericGlobalId } from '../graphql/global-id';
import { connection } from '../graphql/sql/connection';
import { Sql } from '../graphql/sql/field-sql';
import { Answer } from '../graphql/sql/reads';
import { ApiKey, ApiKeyStatus } from './api-key.entity';
import { ApiKeyFilter, CreateApiKeyInput, CreateApiKeyPayload, RevokeApiKeyPayload } from './api-key.inputs';
import { createApiKey, revokeApiKey } from './api-key.service';
import { requireRole } from './authorize';
import { Role } from './viewer';

export const ApiKeyConnection = Connection(ApiKey);

const STATUS_SQL: Record<ApiKeyStatus, SqlFragment> = {
  ACTIVE: sql`k.revoked_at is null and (k.expires_at is null or k.expires_at > now())`,
  EXPIRED: sql`k.revoked_at is null and k.expires_at <= now()`,
  REVOKED: sql`k.revoked_at is not null`,
};

function apiKeyWhere(filter: ApiKeyFilter | null | undefined): SqlFragment {
  const where: SqlFragment[] = [];
  if (filter?.status?.length) where.push(sql.join(filter.status.map((s) => sql`(${STATUS_SQL[s]})`), ' or '));
  if (filter?.role != null) where.push(sql`k.role = ${filter.role}`);
  return sql.and(where);
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Query(() => ApiKeyConnection, { description: 'API keys, oldest first, without their secrets. Ministry only.' })
  @Sql(
    connection((call, _row, q) => {
      requireRole(q.viewer, [Role.MINISTRY_ADMIN], 'apiKeys');
      const where = apiKeyWhere(call.args.filter as ApiKeyFilter | null);
      return {
        from: sql`api_key k`,
        alias: sql`k`,
        where,
        ordering: { name: 'ID', direction: 'asc', keys: [{ sql: sql`k.id`, type: 'number' }] },
        total: sql`(select count(*)::int from api_key k where ${where})`,
        nested: false,
      };
    }),
  )
  apiKeys(@Args() _page: PageArgs, @Arg('filter', () => ApiKeyFilter, { nullable: true }) _filter: ApiKeyFilter | null, @Answer() answer: unknown): unknown {
    return answer;
  }

  @Mutation(() => CreateApiKeyPayload, {
    description:
      'Creates an API key and returns its secret once. Ministry only. To rotate a key without downtime: create a second one for the same role and scope, move the client to it, then revoke the old one.',
  })
  async createApiKey(@Ctx() ctx: Context, @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput): Promise<CreateApiKeyPayload> {
    requireRole(ctx.viewer, [Role.MINISTRY_ADMIN], 'createApiKey');
    const university = input.universityId != null ? { id: parseNumericGlobalId(input.universityId, 'University', 'input.universityId') } : null;
    const result = await createApiKey(ctx.em, ctx, { ...input, university });
    return { key: result.key, apiKey: result.record, userErrors: result.userErrors };
  }

  @Mutation(() => RevokeApiKeyPayload, { description: 'Revokes an API key by its prefix: it gets 401 from now on. Ministry only.' })
  async revokeApiKey(@Ctx() ctx: Context, @Arg('prefix', { description: 'The public start of the key, e.g. "jipp_AbCdEfGh".' }) prefix: string): Promise<RevokeApiKeyPayload> {
    requireRole(ctx.viewer, [Role.MINISTRY_ADMIN], 'revokeApiKey');
    const result = await revokeApiKey(ctx.em, ctx, { prefix });
    return { apiKey: result.record, userErrors: result.userErrors };
  }
}

@Resolver(() => CreateApiKeyPayload)
export class CreateApiKeyPayloadResolver {
  @FieldResolver()
  apiKey(@Root() payload: CreateApiKeyPayload, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<unknown> | null {
    return payload.apiKey ? ctx.reads.record(info, payload.apiKey.id) : null;
  }
}

@Resolver(() => RevokeApiKeyPayload)
export class RevokeApiKeyPayloadResolver {
  @FieldResolver()
  apiKey(@Root() payload: RevokeApiKeyPayload, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<unknown> | null {
    return payload.apiKey ? ctx.reads.record(info, payload.apiKey.id) : null;
  }
}
