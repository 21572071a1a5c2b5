// GraphQL shapes of key management through the API (the ministry's): the input, and payloads that carry
// the new secret once.
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../graphql/user-errors';
import { ApiKey, ApiKeyStatus } from './api-key.entity';
import { Role } from './viewer';

@InputType({ description: 'A new API key: its role, its scope (a province or a university, by role) and how long it lives.' })
export class CreateApiKeyInput {
  @Field(() => Role, { description: 'UNIVERSITY, HUB_OPERATOR, MINISTRY_ADMIN or INTEGRATION.' })
  role!: Role;

  @Field({ description: 'Who or what uses the key, e.g. "Tim pendamping UNTAN".' })
  label!: string;

  @Field(() => String, { nullable: true, description: 'For HUB_OPERATOR keys (only): the province, e.g. "35".' })
  provinceCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'For UNIVERSITY keys (only): the global id of the university.' })
  universityId?: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the key stops working (401 from then on); leave out for a key that does not expire.' })
  expiresAt?: Date | null;
}

@InputType()
export class ApiKeyFilter {
  @Field(() => [ApiKeyStatus], { nullable: true, description: 'One status or several.' })
  status?: ApiKeyStatus[] | null;

  @Field(() => Role, { nullable: true })
  role?: Role | null;
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => String, {
    nullable: true,
    description: 'The secret key, shown this once and never again (only its hash is stored). Send it as Authorization: Bearer <key>.',
  })
  key!: string | null;

  @Field(() => ApiKey, { nullable: true })
  apiKey!: ApiKey | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class RevokeApiKeyPayload {
  @Field(() => ApiKey, { nullable: true, description: 'The key, revoked (also when it was revoked before).' })
  apiKey!: ApiKey | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
