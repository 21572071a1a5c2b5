import { Check, Entity, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Field, Float, ObjectType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { SqlTable } from '../../graphql/sql/field-sql';

/**
 * A point that stands for a province or a regency on a map, kept apart from the region's own row: the
 * official code list and the point come from different sources, with their own confidence.
 */
@ObjectType({
  simpleResolvers: true,
  description: 'A point that places a region on a map (WGS84 degrees), with where it comes from and how it was made.',
})
@SqlTable('region_centroid', 'code', () => RegionCentroid)
@Entity()
@Check({ name: 'region_centroid_code', expression: "code ~ '^[0-9]{2}([.][0-9]{2})?$'" })
// Indonesia's extent, with a margin: a point outside it is a data error, not a place.
@Check({ name: 'region_centroid_in_indonesia', expression: 'lat >= -12 and lat <= 7 and lon >= 94 and lon <= 142' })
export class RegionCentroid extends FactEntity {
  [PrimaryKeyProp]?: 'code';

  /** The Kemendagri code of the province ("35") or regency ("35.25") placed. */
  @PrimaryKey({ type: 'string', length: 5 })
  code!: string;

  // Six decimals (about 0.1 m) kept exactly: a point reads back as the source wrote it.
  @Field(() => Float, { description: 'Latitude in degrees, negative south of the equator.' })
  @Property({ type: 'double', columnType: 'numeric(9,6)' })
  lat!: number;

  @Field(() => Float, { description: 'Longitude in degrees east.' })
  @Property({ type: 'double', columnType: 'numeric(9,6)' })
  lon!: number;
}
