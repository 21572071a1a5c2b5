// The curated facts (jipp-reference.json), parsed and checked, so a bad edit fails the seed loudly.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const confidence = z.enum(['confirmed', 'reported', 'unconfirmed']);
const sources = z.array(z.string().min(1)).default([]);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const month = z.string().regex(/^\d{4}-\d{2}$/);
const regionCode = z.string().regex(/^\d{2}(\.\d{2})?$/);

const legalInstrument = z.object({
  key: z.string(),
  kind: z.enum(['LAW', 'GOVERNMENT_REGULATION', 'PRESIDENTIAL_REGULATION', 'MINISTERIAL_REGULATION', 'MINISTERIAL_DECREE', 'OTHER']),
  number: z.string(),
  year: z.number().int(),
  title: z.string(),
  issuer: z.string(),
  note: z.string().optional(),
  legalBasis: z.string().optional(),
  confidence: confidence.optional(),
  sources,
});

const hubDesignation = z.object({
  provinceCode: z.string().regex(/^\d{2}$/),
  cohortYear: z.number().int(),
  stage: z.enum(['COMMITTED', 'DESIGNATED']),
  instrument: z.string().nullable(),
  pilot: z.boolean().optional(),
  confidence,
  committedOn: isoDate.optional(),
  readinessMeetingOn: isoDate.optional(),
  note: z.string().optional(),
  sources: sources.optional(),
});

const award = z.object({
  competition: z.enum(['KIPP', 'UNPSA', 'IGA', 'OTHER']),
  year: z.number().int(),
  tier: z.string(),
  confidence: confidence.optional(),
});

const innovation = z.object({
  key: z.string(),
  title: z.string(),
  owner: z.string(),
  regionCode: regionCode.nullable(),
  awards: z.array(award).default([]),
  note: z.string().optional(),
  confidence: confidence.optional(),
  sources,
});

const adopter = z.union([
  z.object({ scope: z.literal('NATIONAL') }),
  z.object({ provinceCode: z.string().regex(/^\d{2}$/), allRegencies: z.boolean().optional() }),
  z.object({ regencyCode: z.string().regex(/^\d{2}\.\d{2}$/), unit: z.string().optional() }),
]);

const replication = z.object({
  source: z.string(),
  adopter,
  adoptedAs: z.string().optional(),
  kind: z.enum(['REPLICATION', 'SCALING_UP', 'DISSEMINATION']),
  year: z.number().int(),
  implementationYear: z.number().int().optional(),
  status: z.enum(['PROPOSED', 'COMMITTED', 'IMPLEMENTED', 'INSTITUTIONALIZED', 'DISCONTINUED']),
  committedOn: isoDate.optional(),
  facilitatingHub: z.string().optional(),
  mentoredBy: z.string().optional(),
  note: z.string().optional(),
  confidence: confidence.optional(),
  sources,
});

const university = z.object({ key: z.string(), name: z.string(), provinceCode: z.string().regex(/^\d{2}$/) });

const mentoringProgramme = z.object({
  year: z.number().int(),
  provinceCode: z.string().regex(/^\d{2}$/),
  partner: z.string().nullable(),
  period: z.object({ from: month, to: month }).optional(),
  commitmentSignedOn: isoDate.optional(),
  recommendedBy: z.string().optional(),
  confidence,
  note: z.string().optional(),
  sources: sources.optional(),
});

const referenceFile = z.object({
  legalInstruments: z.array(legalInstrument),
  hubDesignations: z.array(hubDesignation),
  hubTotals: z.array(z.object({ asOf: z.string(), note: z.string().optional(), sources })),
  innovations: z.array(innovation),
  replications: z.array(replication),
  universities: z.array(university),
  mentoringProgrammes: z.array(mentoringProgramme),
  mentoringContext: z.object({ scope2021: z.string(), sources }),
});

export type ReferenceData = z.infer<typeof referenceFile>;
export type ReferenceReplication = z.infer<typeof replication>;
export type ReferenceConfidence = z.infer<typeof confidence>;

const ministryHubsFile = z.object({
  committedOn: isoDate,
  cohortYear: z.number().int(),
  hubs: z.array(z.object({ abbreviation: z.string(), name: z.string(), kind: z.string() })),
});
export type MinistryHubs = z.infer<typeof ministryHubsFile>;

export function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(__dirname, file), 'utf8'));
}

/** Seed files live beside this module in the source tree; compiled code reads them from there too. */
export function seedFile(name: string): string {
  const compiled = __dirname.includes(`${path.sep}dist${path.sep}`);
  return compiled ? path.join('..', '..', '..', 'seeds', 'reference', name) : name;
}

export function loadReferenceData(): { reference: ReferenceData; ministryHubs: MinistryHubs } {
  return {
    reference: referenceFile.parse(readJson(seedFile('jipp-reference.json'))),
    ministryHubs: ministryHubsFile.parse(readJson(seedFile('ministry-hubs.json'))),
  };
}
