// Every entity, listed explicitly: the list is what the ORM, the migrations and the tests see.
import { ApiKey } from '../auth/api-key.entity';
import { AuditEvent } from '../modules/audit/audit-event.entity';
import { Hub } from '../modules/hub/hub.entity';
import { Award } from '../modules/innovation/award.entity';
import { Innovation } from '../modules/innovation/innovation.entity';
import { Institution } from '../modules/institution/institution.entity';
import { LegalInstrument } from '../modules/legal/legal-instrument.entity';
import { MentoringProgramme } from '../modules/mentoring/mentoring-programme.entity';
import { MentoringSession } from '../modules/mentoring/mentoring-session.entity';
import { University } from '../modules/mentoring/university.entity';
import { Province } from '../modules/region/province.entity';
import { Regency } from '../modules/region/regency.entity';
import { Replication } from '../modules/replication/replication.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { RegionCentroid } from '../modules/geo/region-centroid.entity';
import { ReferenceCount } from '../modules/figures/reference-count.entity';

export const entities = [
  Province,
  Regency,
  LegalInstrument,
  Institution,
  Hub,
  Innovation,
  Award,
  Replication,
  University,
  MentoringProgramme,
  MentoringSession,
  ApiKey,
  AuditEvent,
  IdempotencyRecord,
  RegionCentroid,
  ReferenceCount,
];
