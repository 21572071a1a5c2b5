// The change events clients see: in the changes feed, in subscriptions, and as webhook bodies.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';

export enum ChangeRecordType {
  PROVINCE = 'Province',
  REGENCY = 'Regency',
  LEGAL_INSTRUMENT = 'LegalInstrument',
  INSTITUTION = 'Institution',
  HUB = 'Hub',
  INNOVATION = 'Innovation',
  REPLICATION = 'Replication',
  UNIVERSITY = 'University',
  MENTORING_PROGRAMME = 'MentoringProgramme',
  MENTORING_SESSION = 'MentoringSession',
}
registerEnumType(ChangeRecordType, { name: 'ChangeRecordType', description: 'The kind of record a change event is about.' });

export enum ChangeOperation {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
}
registerEnumType(ChangeOperation, { name: 'ChangeOperation' });

@ObjectType({ description: 'Who made a change. Key labels and request ids are shown to the ministry only.' })
export class ChangeActorInfo {
  @Field(() => String, { description: 'The role of the key that wrote, or SYSTEM for a tool on its own account (seeds).' })
  role!: string;

  @Field(() => String, { nullable: true, description: 'A command-line tool that wrote, e.g. "npm run import".' })
  tool!: string | null;

  @Field(() => String, { nullable: true, description: 'The API key label (ministry only).' })
  keyLabel!: string | null;

  @Field(() => String, { nullable: true, description: 'The request that wrote (ministry only): its audit records carry the same id.' })
  requestId!: string | null;
}

@ObjectType({
  description:
    'A committed change. Row events name one record (recordId) with its new version and the fields changed; bulk events (imports, seeds, DEMO loads) say that rowCount records of a province (scopeProvinceCode, null for national records) changed: read that scope again.',
})
export class ChangeEvent {
  @Field(() => ID, { description: 'Unique and stable: the key to de-duplicate deliveries by.' })
  id!: string;

  @Field(() => String, { description: 'Resume after this event: pass it as changes(after:).' })
  cursor!: string;

  @Field(() => ChangeRecordType)
  recordType!: ChangeRecordType;

  @Field(() => ID, { nullable: true, description: 'Global id of the record; null for a bulk event.' })
  recordId!: string | null;

  @Field(() => ChangeOperation)
  operation!: ChangeOperation;

  @Field(() => Boolean)
  bulk!: boolean;

  @Field(() => Int, { description: 'Records the event stands for: 1 for a row event.' })
  rowCount!: number;

  @Field(() => String, { nullable: true, description: "A bulk event's province." })
  scopeProvinceCode!: string | null;

  @Field(() => Int, { nullable: true, description: 'The record version after the change, for versioned records.' })
  version!: number | null;

  @Field(() => [String], { description: 'API fields an UPDATE changed (empty for CREATE, DELETE and bulk events).' })
  fields!: string[];

  @Field(() => [String], { nullable: true, description: 'Province and regency codes the change touches (before and after); null: every region.' })
  regions!: string[] | null;

  @Field(() => ChangeActorInfo)
  actor!: ChangeActorInfo;

  @Field(() => DateTimeResolver, { description: 'When the writing transaction started.' })
  occurredAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When it committed.' })
  committedAt!: Date;
}

@ObjectType()
export class ChangeEdge {
  @Field()
  cursor!: string;

  @Field(() => ChangeEvent)
  node!: ChangeEvent;
}

@ObjectType({ description: 'Where a page of changes ended. There is no previous page and no total: the feed only moves forward.' })
export class ChangePageInfo {
  @Field({ description: 'More events match after this page now: ask again at once.' })
  hasNextPage!: boolean;

  @Field({ description: 'Where to resume: the last event of the page, or the head of the log when nothing more matches (never null, so a client always has a cursor).' })
  endCursor!: string;
}

@ObjectType({ description: 'Events in commit order after a cursor.' })
export class ChangeConnection {
  @Field(() => [ChangeEdge])
  edges!: ChangeEdge[];

  @Field(() => [ChangeEvent])
  nodes!: ChangeEvent[];

  @Field(() => ChangePageInfo)
  pageInfo!: ChangePageInfo;
}

@InputType({ description: 'Which changes to follow.' })
export class ChangeFilter {
  @Field(() => [ChangeRecordType], { nullable: true, description: 'Only these kinds of record (all when absent).' })
  recordTypes?: ChangeRecordType[] | null;

  @Field(() => String, { nullable: true, description: 'Only changes touching this province ("35") or regency ("35.25"), its regencies or province included.' })
  regionCode?: string | null;
}
