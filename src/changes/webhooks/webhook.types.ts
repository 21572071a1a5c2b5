// Webhooks as clients see them: endpoints, their delivery log, and the payloads of the mutations.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../graphql/user-errors';
import { ChangeRecordType } from '../change-event.types';

@ObjectType({ description: 'An HTTPS endpoint that receives signed change events (docs/changes.md).' })
export class Webhook {
  @Field(() => ID)
  id!: string;

  @Field()
  url!: string;

  @Field(() => [ChangeRecordType], { description: 'The kinds of record whose changes it receives.' })
  recordTypes!: ChangeRecordType[];

  @Field(() => String, { nullable: true, description: 'Only changes touching this province or regency.' })
  regionCode!: string | null;

  @Field({ description: 'Whether deliveries are being made. Disabled after repeated failures (see disabledReason); enableWebhook resumes.' })
  active!: boolean;

  @Field(() => String, { nullable: true })
  disabledReason!: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  disabledAt!: Date | null;

  @Field(() => Int, { description: 'Failed attempts since the last delivery that succeeded.' })
  consecutiveFailures!: number;

  @Field(() => String, { description: 'The label of the key that registered it.' })
  keyLabel!: string;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

@ObjectType({ description: 'One event sent (or to be sent) to one endpoint, with its last attempt.' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'Also sent as the X-Jipp-Delivery-Id header.' })
  id!: string;

  @Field(() => ID, { description: 'The change event (ChangeEvent.id, the X-Jipp-Event-Id header): the key to de-duplicate by.' })
  eventId!: string;

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last attempt; null when it got none (timeout, refused).' })
  responseStatus!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  error!: string | null;

  @Field(() => Int, { nullable: true })
  durationMs!: number | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  deliveredAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When a pending delivery is tried next.' })
  nextAttemptAt!: Date | null;
}

@InputType()
export class RegisterWebhookInput {
  @Field({ description: 'An https:// address on the public internet: names that resolve to loopback, private or link-local addresses are refused when registering and when sending. (Where the API runs with WEBHOOK_ALLOW_PRIVATE_ADDRESSES, for development, private addresses too, and http:// on this machine.)' })
  url!: string;

  @Field(() => [ChangeRecordType], { description: 'The kinds of record whose changes to send (event types).' })
  recordTypes!: ChangeRecordType[];

  @Field(() => String, { nullable: true, description: 'Only changes touching this province ("35") or regency ("35.25").' })
  regionCode?: string | null;
}

@ObjectType()
export class RegisterWebhookPayload {
  @Field(() => Webhook, { nullable: true })
  webhook!: Webhook | null;

  @Field(() => String, { nullable: true, description: 'The signing secret, shown this once: keep it to verify X-Jipp-Signature-256.' })
  secret!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class WebhookPayload {
  @Field(() => Webhook, { nullable: true })
  webhook!: Webhook | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
