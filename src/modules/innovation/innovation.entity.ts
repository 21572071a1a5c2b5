import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref, Unique } from '@mikro-orm/core';
import { reference } from '../../graphql/sql/compilers';
import { Sql, SqlTable } from '../../graphql/sql/field-sql';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { Institution } from '../institution/institution.entity';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';

export enum Registry {
  KIPP = 'KIPP',
  IGA = 'IGA',
  INOLAN = 'INOLAN',
  JIPPNAS = 'JIPPNAS',
  OTHER = 'OTHER',
}
registerEnumType(Registry, {
  name: 'Registry',
  description: 'The system an innovation record comes from.',
  valuesConfig: {
    KIPP: { description: "KemenPANRB's public service innovation competition (via Sinovik)." },
    IGA: { description: "Kemendagri's Innovative Government Award / regional innovation index reporting." },
    INOLAN: { description: "LAN's innovation laboratory records." },
    JIPPNAS: { description: 'The national JIPP portal.' },
  },
});

export enum InnovationStage {
  INISIATIF = 'INISIATIF',
  UJI_COBA = 'UJI_COBA',
  PENERAPAN = 'PENERAPAN',
}
registerEnumType(InnovationStage, {
  name: 'InnovationStage',
  description: 'Stage in the regional innovation index: initiative, trial, implementation.',
});

export enum SustainabilityStatus {
  CONTINUING = 'CONTINUING',
  STOPPED = 'STOPPED',
}
registerEnumType(SustainabilityStatus, { name: 'SustainabilityStatus' });

@ObjectType({ simpleResolvers: true, implements: Node, description: 'A public-service innovation, owned by an institution in a region.' })
@SqlTable('innovation', 'id', () => Innovation)
@Entity()
@Unique({ name: 'innovation_registry_external_id_unique', properties: ['registry', 'externalId'] })
@Check({ name: 'innovation_regency_in_province', expression: 'regency_code is null or province_code = left(regency_code, 2)' })
@Check({ name: 'innovation_external_id_has_registry', expression: 'external_id is null or registry is not null' })
@Check({ name: 'innovation_launch_year_range', expression: 'launch_year is null or (launch_year >= 1945 and launch_year <= 2100)' })
@Index({ name: 'innovation_title_id_index', properties: ['title', 'id'] })
@Index({ name: 'innovation_launch_year_id_index', expression: 'create index "innovation_launch_year_id_index" on "innovation" (coalesce(launch_year, 0), id)' })
@Index({
  name: 'innovation_awarded_province_year_index',
  expression: 'create index "innovation_awarded_province_year_index" on "innovation" (province_code, coalesce(launch_year, 0), id) where has_award',
})
@Index({ name: 'innovation_search_index', expression: 'create index "innovation_search_index" on "innovation" using gin (search_vector)' })
@Index({ name: 'innovation_title_trgm_index', expression: 'create index "innovation_title_trgm_index" on "innovation" using gin (title gin_trgm_ops)' })
export class Innovation extends FactEntity {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'text', nullable: true, unique: true })
  referenceKey: string | null = null;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  summary: string | null = null;

  @Index()
  @ManyToOne(() => Institution, { ref: true })
  @Field(() => Institution, { description: 'Who owns the innovation.' })
  @Sql(reference('owner_id'))
  owner!: Ref<Institution>;

  @Index()
  @ManyToOne(() => Province, { ref: true, nullable: true })
  @Field(() => Province, { nullable: true, description: 'Province of the innovation; null for national ones.' })
  @Sql(reference('province_code'))
  province: Ref<Province> | null = null;

  @Index()
  @ManyToOne(() => Regency, { ref: true, nullable: true })
  @Field(() => Regency, { nullable: true, description: 'Regency or city of the innovation, when it has one.' })
  @Sql(reference('regency_code'))
  regency: Ref<Regency> | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  launchYear: number | null = null;

  @Field(() => Registry, { nullable: true, description: 'Source registry; null for curated reference records.' })
  @Enum({ items: () => Registry, nullable: true })
  registry: Registry | null = null;

  @Field(() => String, { nullable: true, description: 'The id of this record in its source registry.' })
  @Property({ type: 'text', nullable: true })
  externalId: string | null = null;

  @Field(() => InnovationStage, { nullable: true })
  @Enum({ items: () => InnovationStage, nullable: true })
  stage: InnovationStage | null = null;

  @Field(() => Boolean, { nullable: true, description: 'Digital (true) or non-digital (false); null when unknown.' })
  @Property({ type: 'boolean', nullable: true })
  isDigital: boolean | null = null;

  @Field(() => String, { nullable: true, description: 'Thematic category, e.g. "kesehatan".' })
  @Property({ type: 'text', nullable: true })
  category: string | null = null;

  @Field(() => SustainabilityStatus, { nullable: true })
  @Enum({ items: () => SustainabilityStatus, nullable: true })
  sustainability: SustainabilityStatus | null = null;

  /**
   * Kept by triggers on award (see the Rollups migration), never written by the application: lets lists and
   * the innovation rollup filter on awards without a join. Not part of the API (awards are).
   */
  @Property({ type: 'boolean', default: false, hidden: true })
  hasAward: boolean = false;

  @Property({
    columnType: 'tsvector',
    generated: "(to_tsvector('indonesian'::regconfig, title || ' ' || coalesce(summary, ''))) stored",
    lazy: true,
    hidden: true,
    nullable: true,
  })
  searchVector?: string;

  @Field(() => Int, { description: 'Increases with every change; send it back to update (optimistic concurrency).' })
  @Property({ version: true, type: 'integer', default: 1 })
  version: number = 1;

  /** The record's global id, for writes (the audit log); reads build it in SQL (Node.id). */
  get nodeId(): string {
    return toGlobalId('Innovation', this.id);
  }
}
