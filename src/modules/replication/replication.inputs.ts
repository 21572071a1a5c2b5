import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import { Dataset } from '../../db/fact.entity';
import { OrderDirection } from '../innovation/innovation.inputs';
import { AdopterScope, ReplicationKind, ReplicationStatus } from './replication.entity';

@InputType({ description: 'Narrows a list of replications. Well-formed but unknown codes match nothing.' })
export class ReplicationFilter {
  @Field(() => String, { nullable: true, description: "Province of the source innovation." })
  sourceProvinceCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Regency of the source innovation.' })
  sourceRegencyCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Province of the adopter (regency adopters included).' })
  adopterProvinceCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Regency of the adopter.' })
  adopterRegencyCode?: string | null;

  @Field(() => [AdopterScope], { nullable: true })
  adopterScope?: AdopterScope[] | null;

  @Field(() => [ReplicationKind], { nullable: true, description: 'One kind or several.' })
  kind?: ReplicationKind[] | null;

  @Field(() => [ReplicationStatus], { nullable: true, description: 'One status or several.' })
  status?: ReplicationStatus[] | null;

  @Field(() => Int, { nullable: true })
  yearFrom?: number | null;

  @Field(() => Int, { nullable: true })
  yearTo?: number | null;

  @Field(() => String, { nullable: true, description: 'Province code of the facilitating hub.' })
  facilitatingHubCode?: string | null;

  @Field(() => Dataset, { nullable: true })
  dataset?: Dataset | null;
}

export enum ReplicationOrderField {
  ID = 'ID',
  YEAR = 'YEAR',
}
registerEnumType(ReplicationOrderField, { name: 'ReplicationOrderField' });

@InputType()
export class ReplicationOrder {
  @Field(() => ReplicationOrderField)
  field!: ReplicationOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction: OrderDirection = OrderDirection.ASC;
}
