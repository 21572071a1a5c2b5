import { alignByKey, defineLoader, type Context } from '../../context';
import type { Knex } from '@mikro-orm/postgresql';
import { joinRecord, readJoined, readWhereIn } from '../../db/read-rows';
import { Hub } from './hub.entity';

export const hubByProvince = defineLoader<string, Hub | null>('hub.byProvince', async (ctx, codes) => {
  const rows = await readWhereIn(ctx, Hub, 'province_code', codes);
  return alignByKey(codes, rows, (h) => h.province!.code, (found) => found?.[0] ?? null);
});

export const hubsByInstrument = defineLoader<number, Hub[]>('hub.byInstrument', async (ctx, ids) => {
  const rows = await readWhereIn(ctx, Hub, 'instrument_id', ids, 't.province_code, t.id');
  return alignByKey(ids, rows, (h) => h.instrument!.id, (found) => found ?? []);
});

const JOINED = 'joined_hub';

/**
 * Joins each province's hub into a list of provinces (provinceCode: the list's province code column), so
 * that Province.hub and isHub cost no statement of their own: see primeHubs.
 */
export function joinHubs(ctx: Context, qb: Knex.QueryBuilder, provinceCode: string): void {
  joinRecord(ctx.em, qb, Hub, JOINED, provinceCode, 'province_code');
}

/** Hands the hubs joined by joinHubs to the lookup by province, null where a province has none. */
export function primeHubs(ctx: Context, rows: readonly Record<string, unknown>[], provinceCodes: readonly string[]): void {
  const loader = hubByProvince(ctx);
  rows.forEach((row, i) => loader.prime(provinceCodes[i], readJoined(ctx, Hub, row, JOINED)));
}
