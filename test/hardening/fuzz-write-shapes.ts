// Plausible calls for the write fuzz: for each mutation, the shape of a call that could succeed (the fields
// that must come together, such as a registry with its external id or an adopter scope with its codes),
// filled from the pools; then now and then one or two of its values swapped for random ones of the schema's
// types. A purely random call rarely gets past validation; these reach the scope checks and the writes.
import fc from 'fast-check';
import type { GraphQLArgument } from 'graphql';
import { idArbitrary, localDate, mostly, mutationVariables, text, type WritePools } from './fuzz-write-arbitraries';

type Shape = (pools: WritePools) => fc.Arbitrary<Record<string, unknown>>;

/** Absent half the time. */
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });
const sources = fc.array(text, { minLength: 1, maxLength: 2 });
const year = fc.integer({ min: 2015, max: 2026 });
const key = (keys: [string, string][]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom('KIPP', 'IGA', 'JIPPNAS'), fc.constantFrom('FZ-NEW-1', 'FZ-NEW-2', 'FZ-NEW-3')) });
/** Records start at version 1 and move on with every write that succeeds. */
const version = fc.oneof({ weight: 6, arbitrary: fc.constant(1) }, { weight: 3, arbitrary: fc.constant(2) }, { weight: 1, arbitrary: fc.integer({ min: 3, max: 5 }) });
const idempotencyKey = maybe(fc.constantFrom('fuzz-1', 'fuzz-2', 'fuzz-3'));

const region = (p: WritePools) =>
  fc.oneof({ weight: 4, arbitrary: mostly(p.regencies).map((regencyCode) => ({ regencyCode })) }, { weight: 1, arbitrary: mostly(p.provinces).map((provinceCode) => ({ provinceCode })) }, { weight: 1, arbitrary: fc.constant({}) });
const adopter = (p: WritePools) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ scope: fc.constant('REGENCY'), regencyCode: mostly(p.regencies), institutionId: maybe(idArbitrary('Institution', p)) }) },
    { weight: 2, arbitrary: fc.record({ scope: fc.constantFrom('PROVINCE', 'PROVINCE_WIDE'), provinceCode: mostly(p.provinces) }) },
    { weight: 1, arbitrary: fc.constant({ scope: 'NATIONAL' }) },
  );
const present = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

const SHAPES: Record<string, Shape> = {
  createInnovation: (p) =>
    fc.record({
      input: fc
        .tuple(
          fc.record({
            title: text,
            owner: fc.oneof(idArbitrary('Institution', p).map((id) => ({ id })), mostly(p.ownerNames).map((name) => ({ name }))),
            sources,
            launchYear: maybe(year),
            summary: maybe(text),
            category: maybe(text),
            note: maybe(text),
            stage: maybe(fc.constantFrom('INISIATIF', 'UJI_COBA', 'PENERAPAN')),
          }),
          region(p),
          maybe(key(p.innovationKeys).map(([registry, externalId]) => ({ registry: registry === 'JIPPNAS' ? 'OTHER' : registry, externalId }))),
        )
        .map(([fields, where, keyed]) => present({ ...fields, ...where, ...keyed })),
      idempotencyKey,
    }).map(present),
  updateInnovation: (p) =>
    fc.record({
      input: fc
        .tuple(
          fc.record({ id: idArbitrary('Innovation', p), version, title: maybe(text), summary: maybe(text), category: maybe(text), note: maybe(text), sources: maybe(sources) }),
          maybe(region(p)),
        )
        .map(([fields, where]) => present({ ...fields, ...where })),
    }),
  recordReplication: (p) =>
    fc.record({
      input: fc
        .tuple(
          fc.record({
            sourceId: idArbitrary('Innovation', p),
            adopter: adopter(p).map(present),
            kind: fc.constantFrom('REPLICATION', 'SCALING_UP', 'DISSEMINATION'),
            year,
            sources,
            facilitatingHubCode: maybe(mostly(p.provinces)),
            mentoringProgrammeId: maybe(idArbitrary('MentoringProgramme', p)),
            adoptedAsId: maybe(idArbitrary('Innovation', p)),
            committedOn: maybe(localDate),
            note: maybe(text),
          }),
          maybe(key(p.replicationKeys).map(([, externalId]) => ({ registry: 'JIPPNAS', externalId }))),
        )
        .map(([fields, keyed]) => present({ ...fields, ...keyed })),
      idempotencyKey,
    }).map(present),
  updateReplicationStatus: (p) =>
    fc.record({
      input: fc
        .record({
          id: idArbitrary('Replication', p),
          version,
          status: fc.constantFrom('COMMITTED', 'IMPLEMENTED', 'INSTITUTIONALIZED', 'DISCONTINUED'),
          on: maybe(localDate),
          sources: maybe(sources),
        })
        .map(present),
    }),
  designateHub: (p) =>
    fc.record({
      input: fc
        .record({
          provinceCode: mostly(p.provinces),
          cohortYear: year,
          stage: fc.constantFrom('COMMITTED', 'DESIGNATED'),
          instrument: maybe(fc.record({ kind: fc.constant('MINISTERIAL_DECREE'), number: fc.constantFrom('94', '305', '777'), year, title: text, issuer: fc.constant('Menteri PANRB') })),
          version: maybe(fc.integer({ min: 1, max: 3 })),
          sources,
          note: maybe(text),
        })
        .map(present),
      idempotencyKey,
    }).map(present),
  createMentoringProgramme: (p) =>
    fc.record({
      input: fc
        .record({
          year,
          provinceCode: mostly(p.provinces),
          universityId: maybe(idArbitrary('University', p)),
          otherPartner: maybe(text),
          periodStart: maybe(localDate),
          outputs: maybe(fc.array(text, { maxLength: 2 })),
          sources,
          note: maybe(text),
        })
        .map(present),
      idempotencyKey,
    }).map(present),
  recordMentoringSession: (p) =>
    fc.record({
      input: fc
        .record({
          programmeId: idArbitrary('MentoringProgramme', p),
          heldOn: localDate,
          mode: fc.constantFrom('ONLINE', 'IN_PERSON', 'HYBRID'),
          topic: text,
          participantCount: maybe(fc.integer({ min: 0, max: 60 })),
          mentorNames: maybe(fc.array(text, { maxLength: 2 })),
          regencyCodes: maybe(fc.array(mostly(p.regencies), { maxLength: 2 })),
          sources: maybe(sources),
        })
        .map(present),
      idempotencyKey,
    }).map(present),
  importInnovations: (p) =>
    fc.record({
      rows: fc.array(
        fc
          .tuple(key(p.innovationKeys), fc.record({ title: text, owner: mostly(p.ownerNames), sources, launchYear: maybe(year), category: maybe(text), note: maybe(text) }), region(p))
          .map(([[registry, externalId], fields, where]) => present({ registry: registry === 'JIPPNAS' ? 'OTHER' : registry, externalId, ...fields, ...where })),
        { minLength: 1, maxLength: 3 },
      ),
      dryRun: maybe(fc.boolean()),
      idempotencyKey,
    }).map(present),
  importReplications: (p) =>
    fc.record({
      rows: fc.array(
        fc
          .tuple(
            key(p.replicationKeys),
            key(p.innovationKeys),
            adopter(p),
            fc.record({ kind: fc.constantFrom('REPLICATION', 'SCALING_UP', 'DISSEMINATION'), year, sources, facilitatingHubCode: maybe(mostly(p.provinces)), note: maybe(text) }),
          )
          .map(([[, externalId], [sourceRegistry, sourceExternalId], who, fields]) =>
            present({
              registry: 'JIPPNAS',
              externalId,
              sourceRegistry,
              sourceExternalId,
              adopterScope: who.scope,
              adopterProvinceCode: 'provinceCode' in who ? who.provinceCode : undefined,
              adopterRegencyCode: 'regencyCode' in who ? who.regencyCode : undefined,
              ...fields,
            }),
          ),
        { minLength: 1, maxLength: 3 },
      ),
      dryRun: maybe(fc.boolean()),
      idempotencyKey,
    }).map(present),
  registerWebhook: () =>
    fc.record({
      input: fc
        .record({
          url: fc.oneof(fc.constantFrom('https://example.org/hooks', 'http://127.0.0.1:9/hooks', 'http://example.org/hooks', 'ftp://example.org/'), text),
          recordTypes: fc.subarray(['INNOVATION', 'REPLICATION', 'HUB', 'MENTORING_SESSION']),
          regionCode: maybe(fc.constantFrom('35', '35.25', '3', 'xx')),
        })
        .map(present),
    }),
  enableWebhook: () => fc.record({ id: fc.constantFrom('1', '2', '999', 'x') }),
  deleteWebhook: () => fc.record({ id: fc.constantFrom('1', '2', '999', 'x') }),
};

/** Paths to the leaves of a value: ['input', 'owner', 'name'], ['rows', 0, 'title'], ... */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.length ? value.flatMap((v, i) => leaves(v, [...path, i])) : [path];
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length ? entries.flatMap(([k, v]) => leaves(v, [...path, k])) : [path];
  }
  return [path];
}

/** Sets `path` in `target` to what `path` holds in `source`, copying whole what `target` lacks on the way. */
function graft(target: Record<string, unknown>, source: unknown, path: (string | number)[]): void {
  let to = target as Record<string | number, unknown>;
  let from = source as Record<string | number, unknown>;
  for (const [i, step] of path.entries()) {
    if (i === path.length - 1 || to[step] === null || typeof to[step] !== 'object') {
      to[step] = structuredClone(from[step]);
      return;
    }
    to = to[step] as Record<string | number, unknown>;
    from = from[step] as Record<string | number, unknown>;
  }
}

/** The variables of a call to `mutation`: a plausible one, with up to two values swapped for random ones. */
SHAPES.createApiKey = (p) =>
  fc.record({
    input: fc
      .record({
        role: fc.constantFrom('UNIVERSITY', 'HUB_OPERATOR', 'MINISTRY_ADMIN', 'INTEGRATION', 'PUBLIC'),
        label: text,
        provinceCode: maybe(mostly(p.provinces)),
        universityId: maybe(idArbitrary('University', p)),
        expiresAt: maybe(fc.constantFrom('2030-01-01T00:00:00Z', '2020-01-01T00:00:00Z', '2999-01-01T00:00:00Z')),
      })
      .map(present),
  });
SHAPES.revokeApiKey = () => fc.record({ prefix: fc.constantFrom('jipp_AAAAAAAA', 'jipp_notthere', 'jipp_', 'jipp_AAAAAAAA_x') });

export function writeCall(mutation: string, args: readonly GraphQLArgument[], pools: WritePools): fc.Arbitrary<Record<string, unknown>> {
  const swaps = fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }) });
  return fc.tuple(SHAPES[mutation](pools), mutationVariables(args, pools), swaps).map(([shaped, random, picks]) => {
    const call = structuredClone(shaped);
    const paths = leaves(random).filter((p) => p.length > 0);
    for (const pick of picks) if (paths.length) graft(call, random, paths[pick % paths.length]);
    return call;
  });
}
