// Every resolver of the API, listed explicitly.
import type { NonEmptyArray } from 'type-graphql';
import { NodeResolver } from './graphql/node.resolver';
import { ApiKeyResolver, CreateApiKeyPayloadResolver, RevokeApiKeyPayloadResolver } from './auth/api-key.resolver';
import { AuditResolver } from './modules/audit/audit.resolver';
import { HubMutations, HubPayloadResolver } from './modules/hub/hub.mutations';
import { ImportMutations } from './modules/imports/import.resolver';
import { InnovationMutations, InnovationPayloadResolver } from './modules/innovation/innovation.mutations';
import { MentoringMutations, MentoringProgrammePayloadResolver, MentoringSessionPayloadResolver } from './modules/mentoring/mentoring.mutations';
import { ReplicationMutations, ReplicationPayloadResolver } from './modules/replication/replication.mutations';
import { DiffusionResolver } from './modules/analytics/diffusion.resolver';
import { ReplicationGraphResolver } from './modules/analytics/graph.resolver';
import { HubImpactResolver } from './modules/analytics/impact.resolver';
import { HubStatisticsResolver, ProvinceStatisticsResolver, RegencyStatisticsResolver } from './modules/analytics/statistics.resolver';
import { HubResolver, InstrumentHubsResolver, ProvinceHubResolver } from './modules/hub/hub.resolver';
import {
  InnovationResolver,
  InstitutionResolver,
  ProvinceInnovationsResolver,
  RegencyInnovationsResolver,
} from './modules/innovation/innovation.resolver';
import { LegalInstrumentResolver } from './modules/legal/legal.resolver';
import { MentoringProgrammeResolver, UniversityResolver } from './modules/mentoring/mentoring.resolver';
import { ProvinceResolver, RegencyResolver } from './modules/region/region.resolver';
import {
  HubReplicationsResolver,
  InnovationReplicationsResolver,
  ProgrammeReplicationsResolver,
  ReplicationResolver,
} from './modules/replication/replication.resolver';
import { ViewerResolver } from './modules/viewer/viewer.resolver';
import { ProvinceCentroidResolver, RegencyCentroidResolver } from './modules/geo/centroid.resolver';
import { ReferenceCountResolver } from './modules/figures/reference-count.resolver';
import { ChangeFeedResolver } from './changes/change-feed.resolver';
import { WebhookResolver } from './changes/webhooks/webhook.resolver';
import { ChangeSubscriptions, ReplicationChangeResolver } from './changes/subscriptions.resolver';

export const resolvers: NonEmptyArray<Function> = [
  NodeResolver,
  ProvinceResolver,
  RegencyResolver,
  ProvinceHubResolver,
  HubResolver,
  InstrumentHubsResolver,
  LegalInstrumentResolver,
  InnovationResolver,
  InstitutionResolver,
  ProvinceInnovationsResolver,
  RegencyInnovationsResolver,
  ReplicationResolver,
  InnovationReplicationsResolver,
  HubReplicationsResolver,
  ProgrammeReplicationsResolver,
  MentoringProgrammeResolver,
  UniversityResolver,
  ViewerResolver,
  ChangeFeedResolver,
  WebhookResolver,
  ChangeSubscriptions,
  ReplicationChangeResolver,
  ReplicationGraphResolver,
  DiffusionResolver,
  ProvinceStatisticsResolver,
  RegencyStatisticsResolver,
  HubStatisticsResolver,
  HubImpactResolver,
  InnovationMutations,
  ReplicationMutations,
  HubMutations,
  MentoringMutations,
  InnovationPayloadResolver,
  ReplicationPayloadResolver,
  HubPayloadResolver,
  MentoringProgrammePayloadResolver,
  MentoringSessionPayloadResolver,
  AuditResolver,
  ImportMutations,
  ProvinceCentroidResolver,
  RegencyCentroidResolver,
  ReferenceCountResolver,
  ApiKeyResolver,
  CreateApiKeyPayloadResolver,
  RevokeApiKeyPayloadResolver,
];
