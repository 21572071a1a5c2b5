// GraphQL shapes of the import mutations. Row fields are plain strings and numbers on purpose: a bad value
// in one row becomes a per-row error in the report, not a failure of the whole call.
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { UserErrorCode } from '../../graphql/user-errors';

@InputType({ description: 'One innovation record; upserted by (registry, externalId).' })
export class InnovationImportRow {
  @Field({ description: 'KIPP, IGA, INOLAN, JIPPNAS or OTHER.' }) registry!: string;
  @Field() externalId!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field({ description: 'Exact name of the owning institution; created when new.' }) owner!: string;
  @Field(() => String, { nullable: true }) provinceCode?: string | null;
  @Field(() => String, { nullable: true }) regencyCode?: string | null;
  @Field(() => Int, { nullable: true }) launchYear?: number | null;
  @Field(() => String, { nullable: true, description: 'INISIATIF, UJI_COBA or PENERAPAN.' }) stage?: string | null;
  @Field(() => Boolean, { nullable: true }) isDigital?: boolean | null;
  @Field(() => String, { nullable: true }) category?: string | null;
  @Field(() => String, { nullable: true, description: 'CONTINUING or STOPPED.' }) sustainability?: string | null;
  @Field(() => [String]) sources!: string[];
  @Field(() => String, { nullable: true, description: 'CONFIRMED, REPORTED (default) or UNCONFIRMED.' }) confidence?: string | null;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType({ description: 'One replication record; upserted by (registry, externalId). The source innovation must exist.' })
export class ReplicationImportRow {
  @Field() registry!: string;
  @Field() externalId!: string;
  @Field() sourceRegistry!: string;
  @Field() sourceExternalId!: string;
  @Field({ description: 'NATIONAL, PROVINCE, PROVINCE_WIDE or REGENCY.' }) adopterScope!: string;
  @Field(() => String, { nullable: true }) adopterProvinceCode?: string | null;
  @Field(() => String, { nullable: true }) adopterRegencyCode?: string | null;
  @Field({ description: 'REPLICATION, SCALING_UP or DISSEMINATION.' }) kind!: string;
  @Field(() => String, { nullable: true, description: 'PROPOSED (default), COMMITTED, IMPLEMENTED, INSTITUTIONALIZED or DISCONTINUED.' }) status?: string | null;
  @Field(() => Int) year!: number;
  @Field(() => Int, { nullable: true }) implementationYear?: number | null;
  @Field(() => String, { nullable: true }) facilitatingHubCode?: string | null;
  @Field(() => [String]) sources!: string[];
  @Field(() => String, { nullable: true }) confidence?: string | null;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@ObjectType({ description: 'A row that was not imported, and why.' })
export class ImportRowError {
  @Field(() => Int, { description: '1-based position of the row in the call (the line in a file).' }) line!: number;
  @Field(() => String, { nullable: true, description: 'The row field at fault, e.g. "regencyCode"; null when the row as a whole is refused.' })
  field!: string | null;
  @Field(() => UserErrorCode) code!: UserErrorCode;
  @Field() message!: string;
}

@ObjectType({ description: 'What an import did. Good rows are written even when others fail.' })
export class ImportReport {
  @Field() dryRun!: boolean;
  @Field(() => Int) received!: number;
  @Field(() => Int) inserted!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int, { description: 'Rows equal to what was stored: nothing changed.' }) unchanged!: number;
  @Field(() => Int) failed!: number;
  @Field(() => [ImportRowError], { description: 'The failed rows, by line (at most 1,000 listed).' }) errors!: ImportRowError[];
  @Field({ description: 'True when an earlier call with the same idempotencyKey made this report.' }) replayed!: boolean;
}
