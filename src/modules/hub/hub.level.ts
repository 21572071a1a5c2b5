import { registerEnumType } from 'type-graphql';

export enum HubLevel {
  PROVINCE = 'PROVINCE',
  MINISTRY = 'MINISTRY',
}
registerEnumType(HubLevel, {
  name: 'HubLevel',
  description: 'Whether the hub is a province or a ministry/agency.',
});
