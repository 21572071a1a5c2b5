// fast-check arbitraries for the write fuzz: the variables of a mutation, built from its GraphQL input types.
// Unlike the read fuzz's values, these are mostly plausible, so that calls get past validation and reach
// the scope checks: ids of real records inside and outside the caller's scope, real codes, stored registry
// keys and owner names, valid enum values; and mixed in, texts at and over their limits, blanks, NUL
// characters, out-of-range numbers and forged ids.
import fc from 'fast-check';
import {
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
} from 'graphql';
import { toGlobalId, type NodeType } from '../../src/graphql/global-id';

/** Values taken from the test database, so that calls name real records. */
export interface WritePools {
  /** Global ids by type, of records in and out of every caller's scope. */
  ids: Partial<Record<NodeType, string[]>>;
  provinces: string[];
  regencies: string[];
  /** External ids stored under any registry, and some new ones. */
  externalIds: string[];
  /** Names of existing institutions (any province, national) and new ones. */
  ownerNames: string[];
  /** Registry keys of stored innovations (sources of replication rows) and replications. */
  innovationKeys: [registry: string, externalId: string][];
  replicationKeys: [registry: string, externalId: string][];
}

/** Which record an ID field names, by the field's name or (for a bare `id`) by its input type. */
const ID_TYPES: Record<string, NodeType> = {
  sourceId: 'Innovation',
  adoptedAsId: 'Innovation',
  institutionId: 'Institution',
  mentoringProgrammeId: 'MentoringProgramme',
  programmeId: 'MentoringProgramme',
  universityId: 'University',
  'UpdateInnovationInput.id': 'Innovation',
  'UpdateReplicationStatusInput.id': 'Replication',
  'OwnerInput.id': 'Institution',
};

/** Import row fields that are enum names written as strings: valid names mostly, now and then not. */
const ROW_ENUMS: Record<string, string[]> = {
  registry: ['KIPP', 'IGA', 'JIPPNAS', 'OTHER'],
  sourceRegistry: ['IGA', 'KIPP', 'JIPPNAS'],
  adopterScope: ['REGENCY', 'PROVINCE', 'PROVINCE_WIDE', 'NATIONAL'],
  kind: ['REPLICATION', 'SCALING_UP', 'DISSEMINATION'],
  status: ['PROPOSED', 'COMMITTED', 'IMPLEMENTED', 'INSTITUTIONALIZED', 'DISCONTINUED'],
  stage: ['INISIATIF', 'UJI_COBA', 'PENERAPAN'],
  sustainability: ['CONTINUING', 'STOPPED'],
  confidence: ['CONFIRMED', 'REPORTED', 'UNCONFIRMED'],
};

const hostileText = fc.oneof(
  fc.constantFrom('', '   ', 'x\u0000y', '\u0000'),
  fc.string({ maxLength: 8 }).map((s) => `${s}\u0000`),
  fc.constantFrom(199, 200, 201, 300, 301, 500, 501, 2000, 2001, 5001).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

// Hostile values are rare per field: a call has many fields, and one bad one stops it at validation.
export const text = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('Layanan Publik Terpadu', 'https://example.org/sumber', 'Catatan operator', 'Klinik inovasi') },
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).filter((v) => v.trim().length > 0) },
  { weight: 1, arbitrary: hostileText },
);

/** Mostly one of the given values, sometimes something hostile. */
export const mostly = (values: string[]) => fc.oneof({ weight: 15, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: hostileText });

export function idArbitrary(type: NodeType | undefined, pools: WritePools): fc.Arbitrary<string> {
  const all = Object.values(pools.ids).flat();
  const own = type ? (pools.ids[type] ?? []) : [];
  const forged = fc.oneof(
    fc.constantFrom('bukan-id', '', '\u0000'),
    fc.nat({ max: 3_000_000_000 }).map((n) => toGlobalId(type ?? 'Innovation', n)),
    fc.string({ maxLength: 12 }),
  );
  return fc.oneof(
    ...(own.length ? [{ weight: 12, arbitrary: fc.constantFrom(...own) }] : []),
    { weight: 2, arbitrary: fc.constantFrom(...all) },
    { weight: 1, arbitrary: forged },
  );
}

function stringArbitrary(name: string, pools: WritePools): fc.Arbitrary<string> {
  if (/^(provinceCode|adopterProvinceCode|facilitatingHubCode)$/.test(name)) return mostly(pools.provinces);
  if (/^(regencyCode|adopterRegencyCode|regencyCodes)$/.test(name)) return mostly(pools.regencies);
  if (/^(externalId|sourceExternalId)$/.test(name)) return mostly(pools.externalIds);
  if (name === 'owner' || name === 'name') return mostly(pools.ownerNames);
  if (name in ROW_ENUMS) return mostly(ROW_ENUMS[name]);
  if (name === 'idempotencyKey') return mostly(['fuzz-1', 'fuzz-2', 'fuzz-3']);
  return text;
}

function intArbitrary(name: string): fc.Arbitrary<number> {
  if (name === 'version') return fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 2 }) }, { weight: 1, arbitrary: fc.integer() });
  if (/year/i.test(name)) return fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 2015, max: 2026 }) }, { weight: 1, arbitrary: fc.integer({ min: 1800, max: 2200 }) });
  return fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 60 }) }, { weight: 1, arbitrary: fc.integer({ min: -5, max: 200_000 }) });
}

export const localDate = fc.oneof(
  { weight: 12, arbitrary: fc.date({ min: new Date('2015-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: fc.constantFrom('2026-02-30', '0000-01-01', '9999-12-31', 'kemarin') },
);

/** A value for one field or argument: `owner` is the input type that declares it (for bare `id` fields). */
function valueFor(name: string, type: GraphQLInputType, owner: string, pools: WritePools): fc.Arbitrary<unknown> {
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) {
    const item = valueFor(name, inner.ofType, owner, pools);
    const most = name === 'rows' ? fc.array(item, { minLength: 1, maxLength: 3 }) : fc.array(item, { minLength: 1, maxLength: 2 });
    return fc.oneof({ weight: 16, arbitrary: most }, { weight: 1, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(item, { minLength: 21, maxLength: 60 }) });
  }
  if (isInputObjectType(inner)) return recordFor(Object.values(inner.getFields()), inner.name, pools);
  if (isEnumType(inner)) return fc.constantFrom(...inner.getValues().map((v) => v.name));
  if (!isScalarType(inner)) return fc.constant(null);
  switch (inner.name) {
    case 'ID':
      return idArbitrary(ID_TYPES[`${owner}.${name}`] ?? ID_TYPES[name], pools);
    case 'Int':
      return intArbitrary(name);
    case 'Boolean':
      return fc.boolean();
    case 'LocalDate':
      return localDate;
    case 'ImportValue':
      // Whatever a source system sends: any JSON scalar, now and then an object.
      return fc.oneof({ weight: 6, arbitrary: stringArbitrary(name, pools) }, { weight: 2, arbitrary: intArbitrary(name) }, { weight: 1, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.object({ maxDepth: 1 }) });
    default:
      return stringArbitrary(name, pools);
  }
}

/** Required fields always, optional ones half the time (and then now and then an explicit null). */
function recordFor(fields: readonly (GraphQLInputField | GraphQLArgument)[], owner: string, pools: WritePools): fc.Arbitrary<Record<string, unknown>> {
  const entries = fields.map((f) => {
    const value = valueFor(f.name, f.type, owner, pools);
    const required = isNonNullType(f.type) && f.defaultValue === undefined;
    const optional = fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, { weight: 8, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) });
    return [f.name, required ? value : optional] as const;
  });
  return fc.record(Object.fromEntries(entries)).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
}

/** The variables of a mutation, one per argument, named as the arguments are. */
export function mutationVariables(args: readonly GraphQLArgument[], pools: WritePools): fc.Arbitrary<Record<string, unknown>> {
  return recordFor(args, 'Mutation', pools);
}
