// Map placement of regions: Province.centroid and Regency.centroid, each the sourced point of its code.
import { FieldResolver, Resolver } from 'type-graphql';
import { reference } from '../../graphql/sql/compilers';
import { Sql } from '../../graphql/sql/field-sql';
import { Answer } from '../../graphql/sql/reads';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';
import { RegionCentroid } from './region-centroid.entity';

const DESCRIPTION =
  'Where to place the region on a map: the centroid of its boundary, as published by the source in provenance; null when no sourced point is known.';

@Resolver(() => Province)
export class ProvinceCentroidResolver {
  @FieldResolver(() => RegionCentroid, { nullable: true, description: DESCRIPTION })
  @Sql(reference('code'))
  centroid(@Answer() answer: RegionCentroid | null): RegionCentroid | null {
    return answer;
  }
}

@Resolver(() => Regency)
export class RegencyCentroidResolver {
  @FieldResolver(() => RegionCentroid, { nullable: true, description: DESCRIPTION })
  @Sql(reference('code'))
  centroid(@Answer() answer: RegionCentroid | null): RegionCentroid | null {
    return answer;
  }
}
