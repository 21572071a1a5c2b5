import { Check, Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property, type Ref, Unique } from '@mikro-orm/core';
import { LocalDateResolver } from 'graphql-scalars';
import { reference } from '../../graphql/sql/compilers';
import { Sql, SqlTable } from '../../graphql/sql/field-sql';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { Hub } from '../hub/hub.entity';
import { Institution } from '../institution/institution.entity';
import { Innovation, Registry } from '../innovation/innovation.entity';
import { MentoringProgramme } from '../mentoring/mentoring-programme.entity';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';

export enum ReplicationKind {
  REPLICATION = 'REPLICATION',
  SCALING_UP = 'SCALING_UP',
  DISSEMINATION = 'DISSEMINATION',
}
registerEnumType(ReplicationKind, {
  name: 'ReplicationKind',
  valuesConfig: {
    REPLICATION: { description: 'Another region or institution adopts the innovation.' },
    SCALING_UP: { description: 'Adoption is widened, up to national scale; may stay with the same owner.' },
    DISSEMINATION: { description: 'Knowledge of the innovation is spread; not (yet) an adoption.' },
  },
});

export enum ReplicationStatus {
  PROPOSED = 'PROPOSED',
  COMMITTED = 'COMMITTED',
  IMPLEMENTED = 'IMPLEMENTED',
  INSTITUTIONALIZED = 'INSTITUTIONALIZED',
  DISCONTINUED = 'DISCONTINUED',
}
registerEnumType(ReplicationStatus, {
  name: 'ReplicationStatus',
  valuesConfig: {
    PROPOSED: { description: 'Named at a replication forum or in a plan.' },
    COMMITTED: { description: 'A signed commitment or cooperation agreement with an action plan.' },
    IMPLEMENTED: { description: 'Running at the adopter, or awarded as a replication.' },
    INSTITUTIONALIZED: { description: 'Anchored in a local regulation or budget line.' },
    DISCONTINUED: { description: 'Stopped.' },
  },
});

export enum AdopterScope {
  NATIONAL = 'NATIONAL',
  PROVINCE = 'PROVINCE',
  PROVINCE_WIDE = 'PROVINCE_WIDE',
  REGENCY = 'REGENCY',
}
registerEnumType(AdopterScope, {
  name: 'AdopterScope',
  description: 'Who adopts, at which level.',
  valuesConfig: {
    NATIONAL: { description: 'Adopted (or to be adopted) nationally: one adoption, no single region.' },
    PROVINCE: { description: 'The provincial government (or a provincial unit) adopts.' },
    PROVINCE_WIDE: {
      description:
        "A province-wide commitment: the province and all its regencies. Counted once, at the province, never expanded into per-regency adoptions.",
    },
    REGENCY: { description: 'A regency or city government (or one of its units) adopts.' },
  },
});

@ObjectType({ simpleResolvers: true,
  implements: Node,
  description: 'A directed link: a source innovation spreads to an adopter by replication, scaling-up or dissemination.',
})
@SqlTable('replication', 'id', () => Replication)
@Entity()
@Check({
  name: 'replication_adopter_scope',
  expression:
    "(adopter_scope = 'NATIONAL' and adopter_province_code is null and adopter_regency_code is null)" +
    " or ((adopter_scope = 'PROVINCE' or adopter_scope = 'PROVINCE_WIDE') and adopter_province_code is not null and adopter_regency_code is null)" +
    " or (adopter_scope = 'REGENCY' and adopter_regency_code is not null and adopter_province_code = left(adopter_regency_code, 2))",
})
@Check({ name: 'replication_not_adopted_as_itself', expression: 'adopted_as_id is null or adopted_as_id <> source_id' })
@Check({ name: 'replication_year_range', expression: 'year >= 1990 and year <= 2100' })
@Check({
  name: 'replication_implementation_after_year',
  expression: 'implementation_year is null or implementation_year >= year',
})
@Unique({ name: 'replication_registry_external_id_unique', properties: ['registry', 'externalId'] })
@Check({ name: 'replication_external_id_has_registry', expression: 'external_id is null or registry is not null' })
@Index({ name: 'replication_year_id_index', properties: ['year', 'id'] })
@Index({ name: 'replication_source_province_index', properties: ['sourceProvinceCode', 'adopterProvince'] })
export class Replication extends FactEntity {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'text', nullable: true, unique: true })
  referenceKey: string | null = null;

  @Field(() => Registry, { nullable: true, description: 'Source registry of an imported replication record.' })
  @Enum({ items: () => Registry, nullable: true })
  registry: Registry | null = null;

  @Field(() => String, { nullable: true, description: 'The id of this record in its source registry.' })
  @Property({ type: 'text', nullable: true })
  externalId: string | null = null;

  @Index()
  @ManyToOne(() => Innovation, { ref: true })
  @Field(() => Innovation, { description: 'The innovation that spreads.' })
  @Sql(reference('source_id'))
  source!: Ref<Innovation>;

  /** Copied from the source innovation by a database trigger, so graph queries need no join. */
  @Property({ type: 'string', length: 2, nullable: true })
  sourceProvinceCode: string | null = null;

  /** Copied from the source innovation by a database trigger. */
  @Property({ type: 'string', length: 5, nullable: true })
  sourceRegencyCode: string | null = null;

  @Field(() => AdopterScope)
  @Enum({ items: () => AdopterScope })
  adopterScope!: AdopterScope;

  @Index()
  @ManyToOne(() => Province, { ref: true, nullable: true })
  adopterProvince: Ref<Province> | null = null;

  @Index()
  @ManyToOne(() => Regency, { ref: true, nullable: true })
  adopterRegency: Ref<Regency> | null = null;

  @Index()
  @ManyToOne(() => Institution, { ref: true, nullable: true })
  adopterInstitution: Ref<Institution> | null = null;

  @Field(() => ReplicationKind)
  @Enum({ items: () => ReplicationKind })
  kind!: ReplicationKind;

  @Field(() => ReplicationStatus)
  @Enum({ items: () => ReplicationStatus })
  status!: ReplicationStatus;

  @Field(() => Int, { description: 'Year of the replication event (forum, commitment or adoption).' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => Int, { nullable: true, description: 'Year the adopter implements it, when planned or known.' })
  @Property({ type: 'integer', nullable: true })
  implementationYear: number | null = null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Date the commitment was signed (YYYY-MM-DD).' })
  @Property({ type: 'date', nullable: true })
  committedOn: string | null = null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Date it went live at the adopter (YYYY-MM-DD).' })
  @Property({ type: 'date', nullable: true })
  implementedOn: string | null = null;

  @Index()
  @ManyToOne(() => Hub, { ref: true, nullable: true })
  @Field(() => Hub, { nullable: true, description: 'The hub that facilitated it.' })
  @Sql(reference('facilitating_hub_id'))
  facilitatingHub: Ref<Hub> | null = null;

  @Index()
  @ManyToOne(() => MentoringProgramme, { ref: true, nullable: true })
  @Field(() => MentoringProgramme, { nullable: true, description: 'The mentoring programme that supported it.' })
  @Sql(reference('mentoring_programme_id'))
  mentoringProgramme: Ref<MentoringProgramme> | null = null;

  @OneToOne(() => Innovation, { ref: true, nullable: true, owner: true, unique: true })
  @Field(() => Innovation, { nullable: true, description: "The adopter's own local version, e.g. Buleleng's PAS URBAN for Klungkung's TOSS." })
  @Sql(reference('adopted_as_id'))
  adoptedAs: Ref<Innovation> | null = null;

  @Field(() => Int, { description: 'Increases with every change; send it back to update (optimistic concurrency).' })
  @Property({ version: true, type: 'integer', default: 1 })
  version: number = 1;

  /** The record's global id, for writes (the audit log); reads build it in SQL (Node.id). */
  get nodeId(): string {
    return toGlobalId('Replication', this.id);
  }
}
