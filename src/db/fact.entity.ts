// Provenance carried by every record: which dataset it belongs to, how sure we are, and where it comes from.
import { Enum, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { column, jsonArray, ownRow } from '../graphql/sql/compilers';
import { Sql } from '../graphql/sql/field-sql';
import { sql } from './sql';

export enum Dataset {
  REFERENCE = 'REFERENCE',
  IMPORTED = 'IMPORTED',
  DEMO = 'DEMO',
}

export enum Confidence {
  CONFIRMED = 'CONFIRMED',
  REPORTED = 'REPORTED',
  UNCONFIRMED = 'UNCONFIRMED',
}

registerEnumType(Dataset, {
  name: 'Dataset',
  description: 'Which body of data a record belongs to. Synthetic DEMO data is never mixed up with facts.',
  valuesConfig: {
    REFERENCE: { description: 'Curated public facts, each with its sources.' },
    IMPORTED: { description: 'Records synced from an integration (KIPP/Sinovik, IGA, InoLAN, JIPPNas).' },
    DEMO: { description: 'Synthetic data made by the demo generator. Not facts.' },
  },
});

registerEnumType(Confidence, {
  name: 'Confidence',
  description: 'How certain a record is.',
  valuesConfig: {
    CONFIRMED: { description: 'Stated by an official release or several independent reports.' },
    REPORTED: { description: 'Stated by one report, or not graded by its source. Not confirmed.' },
    UNCONFIRMED: { description: 'Inferred. Never to be presented as fact.' },
  },
});

@ObjectType({ description: 'One source of a record: a web address, or a citation when there is no address.', simpleResolvers: true })
export class Source {
  @Field({ description: 'The source as recorded: an address or a citation.' })
  @Sql(column('label'))
  label!: string;

  @Field(() => String, { nullable: true, description: 'The address, when the source is a web page.' })
  @Sql((_call, row) => sql`case when ${row}.label ~ '^https?://' then ${row}.label end`)
  url!: string | null;
}

/** Over a record's own row: its provenance columns. */
@ObjectType({ description: 'Where a record comes from and how certain it is.', simpleResolvers: true })
export class Provenance {
  @Field(() => Dataset)
  @Sql(column('dataset'))
  dataset!: Dataset;

  @Field(() => Confidence)
  @Sql(column('confidence'))
  confidence!: Confidence;

  @Field(() => [Source])
  @Sql((call, row, q) => {
    const s = q.alias();
    return jsonArray(q, call, s, sql`unnest(${row}.sources) with ordinality ${s}(label, n)`, sql`${s}.n`);
  })
  sources!: Source[];

  @Field(() => String, { nullable: true, description: 'A remark on the record, e.g. what is not known.' })
  @Sql(column('note'))
  note!: string | null;
}

@ObjectType('FactRecord', { description: 'Internal base of every record type.', simpleResolvers: true })
export abstract class FactEntity {
  /** Required, never defaulted: a row must say whether it is a fact, an import or synthetic. */
  @Enum({ items: () => Dataset })
  dataset!: Dataset;

  @Enum({ items: () => Confidence, default: Confidence.REPORTED })
  confidence: Confidence = Confidence.REPORTED;

  @Property({ type: 'text[]', default: '{}' })
  sources: string[] = [];

  @Property({ type: 'text', nullable: true })
  note: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** Read in SQL only (no value on an entity). */
  @Field(() => Provenance, { description: 'Sources, confidence and dataset of this record.' })
  @Sql(ownRow)
  provenance!: Provenance;
}

/** The provenance of a record entered through the API: IMPORTED, with the caller's sources and confidence. */
export function enteredProvenance(input: { confidence: Confidence; sources: string[]; note?: string | null }) {
  return { dataset: Dataset.IMPORTED, confidence: input.confidence, sources: input.sources, note: input.note ?? null };
}
