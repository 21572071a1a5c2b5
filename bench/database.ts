// The bench's database (an embedded PostgreSQL kept in .data/bench-<scale>, or DATABASE_URL) and the
// parameters its dashboard operations are asked with, shared by the load bench and the in-process one.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { ensureDatabase } from '../src/db/database';
import { startEmbeddedPostgres } from '../src/db/embedded';
import type { DemoScaleName } from '../seeds/demo/scale';
import { VARIED_VALUES, type OperationParameters } from './operations';
import { freePort } from './processes';

const ROOT = path.resolve(__dirname, '..', '..');

export async function benchDatabase(scale: DemoScaleName): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const dataDir = path.join(ROOT, '.data', `bench-${scale}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const db = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  await ensureDatabase(db.url('postgres'), 'jipp_bench');
  return { url: db.url('jipp_bench'), stop: db.stop };
}

export async function operationParameters(url: string): Promise<OperationParameters> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const one = async (sql: string) => (await client.query(sql)).rows[0]?.v as string;
    return {
      diffusionRoot: Number(await one('select source_id as v from replication group by 1 order by count(*) desc, 1 limit 1')),
      province: await one(`select province_code as v from innovation i where exists (select 1 from award a where a.innovation_id = i.id)
                           and province_code is not null group by 1 order by count(*) desc, 1 limit 1`),
      sourceProvince: await one('select source_province_code as v from replication where source_province_code is not null group by 1 order by count(*) desc, 1 limit 1'),
      hubProvince: (await one(`select province_code as v from hub where province_code = '33'`)) ?? '35',
      diffusionRoots: (await client.query(`select source_id as v from replication group by 1 order by count(*) desc, 1 limit ${VARIED_VALUES}`)).rows.map((r) => Number(r.v)),
      provinces: (
        await client.query(`select province_code as v from innovation i where i.has_award and province_code is not null
                            group by 1 order by count(*) desc, 1 limit ${VARIED_VALUES}`)
      ).rows.map((r) => String(r.v)),
      // Hubs with a start (designated, committed or a cohort year): hubImpact measures from it.
      hubProvinces: (
        await client.query('select province_code as v from hub where province_code is not null and (coalesce(designated_on, committed_on) is not null or cohort_year is not null) order by 1')
      ).rows.map((r) => String(r.v)),
    };
  } finally {
    await client.end();
  }
}
