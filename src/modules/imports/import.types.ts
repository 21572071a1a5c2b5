// GraphQL shapes of the import mutations. Every field of a row takes an ImportValue, which GraphQL never
// refuses: the row check (import-rows.ts) validates it per row, so a malformed value ("20x5" for a year) is
// that row's error in the report, and the call's other rows are imported, instead of the whole request
// failing variable coercion with none of its rows imported or reported.
import { GraphQLScalarType, valueFromASTUntyped } from 'graphql';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { UserErrorCode } from '../../graphql/user-errors';

export const ImportValue = new GraphQLScalarType({
  name: 'ImportValue',
  description:
    'A value of an import row as the source system has it: a string, number or boolean (for sources, a list of strings or one string). ' +
    'GraphQL takes any value here; the import checks it per row and reports a malformed one as that row\'s error, with the value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

type Value = unknown;

@InputType({ description: 'One innovation record; upserted by (registry, externalId). Every field is checked per row (see ImportValue).' })
export class InnovationImportRow {
  @Field(() => ImportValue, { nullable: true, description: 'Required. KIPP, IGA, INOLAN, JIPPNAS or OTHER.' }) registry?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'Required. The id of the record in its registry.' }) externalId?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'Required.' }) title?: Value;
  @Field(() => ImportValue, { nullable: true }) summary?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'Required. Exact name of the owning institution; created when new.' }) owner?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'A province code such as "35".' }) provinceCode?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'A regency code such as "35.25".' }) regencyCode?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'A year from 1945 to 2100, as a number or as digits.' }) launchYear?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'INISIATIF, UJI_COBA or PENERAPAN.' }) stage?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'true or false (also "true", "false", "1", "0").' }) isDigital?: Value;
  @Field(() => ImportValue, { nullable: true }) category?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'CONTINUING or STOPPED.' }) sustainability?: Value;
  @Field(() => [ImportValue], { nullable: 'itemsAndList', description: 'Required. Web addresses or citations, 1 to 20.' }) sources?: Value[];
  @Field(() => ImportValue, { nullable: true, description: 'CONFIRMED, REPORTED (default) or UNCONFIRMED.' }) confidence?: Value;
  @Field(() => ImportValue, { nullable: true }) note?: Value;
}

@InputType({ description: 'One replication record; upserted by (registry, externalId). The source innovation must exist. Every field is checked per row (see ImportValue).' })
export class ReplicationImportRow {
  @Field(() => ImportValue, { nullable: true, description: 'Required. KIPP, IGA, INOLAN, JIPPNAS or OTHER.' }) registry?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'Required.' }) externalId?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'Required. Registry of the source innovation.' }) sourceRegistry?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'Required. Registry id of the source innovation.' }) sourceExternalId?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'Required. NATIONAL, PROVINCE, PROVINCE_WIDE or REGENCY.' }) adopterScope?: Value;
  @Field(() => ImportValue, { nullable: true }) adopterProvinceCode?: Value;
  @Field(() => ImportValue, { nullable: true }) adopterRegencyCode?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'Required. REPLICATION, SCALING_UP or DISSEMINATION.' }) kind?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'PROPOSED (default), COMMITTED, IMPLEMENTED, INSTITUTIONALIZED or DISCONTINUED.' }) status?: Value;
  @Field(() => ImportValue, { nullable: true, description: 'Required. A year from 1990 to 2100, as a number or as digits.' }) year?: Value;
  @Field(() => ImportValue, { nullable: true }) implementationYear?: Value;
  @Field(() => ImportValue, { nullable: true }) facilitatingHubCode?: Value;
  @Field(() => [ImportValue], { nullable: 'itemsAndList', description: 'Required. Web addresses or citations, 1 to 20.' }) sources?: Value[];
  @Field(() => ImportValue, { nullable: true }) confidence?: Value;
  @Field(() => ImportValue, { nullable: true }) note?: Value;
}

@ObjectType({ description: 'A row that was not imported, and why. A row with several bad fields has one error per field.' })
export class ImportRowError {
  @Field(() => Int, { description: 'The row\'s line: firstLine + its position in rows (the line in a file, for a file).' }) line!: number;
  @Field(() => Int, { description: '0-based position of the row in the call\'s rows.' }) index!: number;
  @Field(() => String, { nullable: true, description: 'The row field at fault, e.g. "regencyCode"; null when the row as a whole is refused.' })
  field!: string | null;
  @Field(() => UserErrorCode) code!: UserErrorCode;
  @Field() message!: string;
  @Field(() => String, { nullable: true, description: 'The value at fault as sent (as text, JSON for non-strings; at most 100 characters); null when no field is.' })
  value!: string | null;
}

@ObjectType({ description: 'What an import did. Good rows are written even when others fail; every failed row is listed.' })
export class ImportReport {
  @Field() dryRun!: boolean;
  @Field(() => Int) received!: number;
  @Field(() => Int) inserted!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int, { description: 'Rows equal to what was stored: nothing changed.' }) unchanged!: number;
  @Field(() => Int, { description: 'Rows not imported; each has one or more entries in errors.' }) failed!: number;
  @Field(() => [ImportRowError], { description: 'Every error of every failed row, by line (none left out).' }) errors!: ImportRowError[];
  @Field({ description: 'True when an earlier call with the same idempotencyKey made this report.' }) replayed!: boolean;
}
