// The rows of a generated DEMO network, before they have database ids: rows point at each other by
// their index in the network's arrays, and the loader swaps indexes for ids.
import type { DemoScaleName } from './scale';

export type InstitutionKind = 'PROVINCIAL_GOVERNMENT' | 'REGENCY_GOVERNMENT' | 'CITY_GOVERNMENT' | 'REGIONAL_AGENCY' | 'HOSPITAL';
export type Registry = 'KIPP' | 'IGA' | 'INOLAN' | 'JIPPNAS';
export type InnovationStage = 'INISIATIF' | 'UJI_COBA' | 'PENERAPAN';
export type Sustainability = 'CONTINUING' | 'STOPPED';
export type AdopterScope = 'NATIONAL' | 'PROVINCE' | 'PROVINCE_WIDE' | 'REGENCY';
export type ReplicationKind = 'REPLICATION' | 'SCALING_UP' | 'DISSEMINATION';
export type ReplicationStatus = 'PROPOSED' | 'COMMITTED' | 'IMPLEMENTED' | 'INSTITUTIONALIZED' | 'DISCONTINUED';

export interface DemoInstitution {
  name: string;
  kind: InstitutionKind;
  provinceCode: string;
  regencyCode: string | null;
}

export interface DemoInnovation {
  title: string;
  summary: string;
  /** Index into DemoNetwork.institutions. */
  owner: number;
  provinceCode: string;
  regencyCode: string | null;
  launchYear: number;
  registry: Registry;
  externalId: string;
  stage: InnovationStage;
  isDigital: boolean;
  category: string;
  sustainability: Sustainability;
}

export interface DemoAward {
  /** Index into DemoNetwork.innovations. */
  innovation: number;
  competition: 'KIPP' | 'UNPSA';
  year: number;
  tier: string;
}

export interface DemoReplication {
  /** Index into DemoNetwork.innovations. */
  source: number;
  scope: AdopterScope;
  adopterProvinceCode: string | null;
  adopterRegencyCode: string | null;
  /** Index into DemoNetwork.institutions. */
  adopterInstitution: number | null;
  kind: ReplicationKind;
  status: ReplicationStatus;
  year: number;
  implementationYear: number | null;
  committedOn: string | null;
  implementedOn: string | null;
  /** Reference hub id: DEMO data reuses the real hubs as facilitators. */
  facilitatingHubId: number | null;
  /** Reference mentoring programme id. */
  mentoringProgrammeId: number | null;
  /** Index into DemoNetwork.innovations: the adopter's local version. */
  adoptedAs: number | null;
}

export interface DemoNetwork {
  scale: DemoScaleName;
  seed: number;
  institutions: DemoInstitution[];
  innovations: DemoInnovation[];
  awards: DemoAward[];
  replications: DemoReplication[];
}
