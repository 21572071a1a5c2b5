// fast-check arbitraries for GraphQL input types, for the fuzz test: values of the right shape that are
// wrong in every way a client can make them (out of range, malformed codes, random and forged ids and
// cursors, huge strings and lists), and now and then a value of the wrong type altogether.
import fc from 'fast-check';
import {
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isScalarType,
  type GraphQLInputType,
} from 'graphql';
import { NODE_TYPES, toGlobalId } from '../../src/graphql/global-id';

export interface Samples {
  /** Real global ids, cursors and codes taken from the database, so some values reach deep code paths. */
  ids: string[];
  cursors: string[];
  codes: string[];
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function stringArbitrary(samples: Samples): fc.Arbitrary<string> {
  const forgedId = fc
    .tuple(fc.constantFrom(...NODE_TYPES, 'Nope', ''), fc.oneof(fc.nat(), fc.integer(), fc.string({ maxLength: 12 }), fc.constant('35.25')))
    .map(([type, key]) => toGlobalId(type as (typeof NODE_TYPES)[number], String(key)));
  const forgedCursor = fc
    .array(fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.double(), fc.constant(null), fc.boolean()), { maxLength: 6 })
    .map((parts) => base64url(JSON.stringify(parts)));
  const mutated = fc
    .tuple(fc.constantFrom(...samples.ids, ...samples.cursors), fc.nat(), fc.string({ minLength: 1, maxLength: 1 }))
    .map(([text, at, c]) => text.slice(0, at % (text.length + 1)) + c + text.slice((at % (text.length + 1)) + 1));
  return fc.oneof(
    { arbitrary: fc.constantFrom(...samples.ids, ...samples.cursors, ...samples.codes), weight: 3 },
    { arbitrary: fc.string({ maxLength: 40 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
    { arbitrary: forgedId, weight: 2 },
    { arbitrary: forgedCursor, weight: 2 },
    { arbitrary: mutated, weight: 2 },
    { arbitrary: fc.stringMatching(/^\d{2}(\.\d{2})?$/), weight: 2 },
    { arbitrary: fc.string({ minLength: 2_000, maxLength: 20_000 }), weight: 1 },
  );
}

const intArbitrary = fc.oneof(
  { arbitrary: fc.integer({ min: -5, max: 120 }), weight: 4 },
  { arbitrary: fc.integer({ min: 1900, max: 2100 }), weight: 2 },
  { arbitrary: fc.constantFrom(0, -1, 100, 101, 2_147_483_647, -2_147_483_648), weight: 2 },
  { arbitrary: fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }), weight: 1 },
);

const localDate = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
    ([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  ),
  fc.string({ maxLength: 12 }),
);

function scalarArbitrary(name: string, samples: Samples): fc.Arbitrary<unknown> {
  switch (name) {
    case 'Int':
      return intArbitrary;
    case 'Float':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'Boolean':
      return fc.boolean();
    case 'LocalDate':
      return localDate;
    case 'DateTime':
      return fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string({ maxLength: 30 }));
    case 'JSONObject':
      return fc.jsonValue({ maxDepth: 3 });
    default:
      return stringArbitrary(samples);
  }
}

/**
 * Plausible values: valid enum values, real ids, codes and cursors, small numbers and short lists, so that
 * some calls get past argument checks and into the SQL that filters and pages.
 */
export function plausibleArbitrary(type: GraphQLInputType, samples: Samples, name = '', depth = 0): fc.Arbitrary<unknown> {
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) return fc.array(plausibleArbitrary(inner.ofType, samples, name, depth + 1), { maxLength: 3 });
  if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields());
    if (depth > 3) return fc.constant({});
    return fc.record(Object.fromEntries(fields.map((f) => [f.name, sometimes(plausibleArbitrary(f.type, samples, f.name, depth + 1))])));
  }
  if (isEnumType(inner)) return fc.constantFrom(...inner.getValues().map((v) => v.name));
  if (!isScalarType(inner)) return fc.constant(null);
  switch (inner.name) {
    case 'Int':
      return /year/i.test(name) ? fc.integer({ min: 2015, max: 2025 }) : fc.integer({ min: 0, max: 20 });
    case 'Float':
      return fc.double({ min: 0, max: 1, noNaN: true });
    case 'Boolean':
      return fc.boolean();
    case 'LocalDate':
      return fc.date({ min: new Date('2015-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    default:
      return fc.constantFrom(...samples.ids, ...samples.cursors, ...samples.codes, 'inovasi', 'a');
  }
}

/** Absent three times out of four: few arguments at once, so that they rarely contradict each other. */
export function sometimes<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 });
}

/** A value for the input type: usually of its shape, sometimes null, sometimes any JSON value at all. */
export function valueArbitrary(type: GraphQLInputType, samples: Samples, depth = 0): fc.Arbitrary<unknown> {
  const inner = getNullableType(type) as GraphQLInputType;
  let shaped: fc.Arbitrary<unknown>;
  if (isListType(inner)) {
    const item = valueArbitrary(inner.ofType, samples, depth + 1);
    shaped = fc.oneof(
      { arbitrary: fc.array(item, { maxLength: 4 }), weight: 6 },
      { arbitrary: fc.array(item, { minLength: 100, maxLength: 2_000 }), weight: 1 },
      { arbitrary: item, weight: 1 },
    );
  } else if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields());
    const record = Object.fromEntries(fields.map((f) => [f.name, valueArbitrary(f.type, samples, depth + 1)]));
    shaped = depth > 3 ? fc.constant({}) : fc.record(record, { requiredKeys: [] });
  } else if (isEnumType(inner)) {
    shaped = fc.oneof({ arbitrary: fc.constantFrom(...inner.getValues().map((v) => v.name)), weight: 9 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 });
  } else if (isScalarType(inner)) {
    shaped = scalarArbitrary(inner.name, samples);
  } else {
    shaped = fc.constant(null);
  }
  return fc.oneof(
    { arbitrary: shaped, weight: 16 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
  );
}
