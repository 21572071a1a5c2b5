// What the graph rollups cost a write: an import of replications through the importer (as `jipp import`
// and importReplications run it) into the loaded DEMO network, their sources DEMO innovations spread over
// the whole network and their years over the DEMO years, with the triggers that keep the regency flow,
// activity and spread rollups (Migration20261206120000GraphRollups) off and on, alternated. Off is what a
// write cost before them. Each round's rows are deleted again with the triggers as they were, so the
// rollups stay exact and the network as loaded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PUBLIC_VIEWER, Role } from '../src/auth/viewer';
import { openOrm } from '../src/db/orm';
import { createImporter } from '../src/modules/imports/import-engine';
import { RecordReader } from '../src/modules/imports/import-file';
import { importFile } from '../src/modules/imports/import-run';
import { median } from './measure';

export interface WriteCostReport {
  rows: number;
  rowsPerSecond: { rollupsOff: number[]; rollupsOn: number[]; ratio: number };
}

const TRIGGERS = ['replication_spread_insert', 'replication_spread_update', 'replication_spread_delete'];
const KINDS = ['REPLICATION', 'SCALING_UP', 'DISSEMINATION'];
const PREFIX = 'BENCH-WRITE-COST-';

export async function measureWriteCost(url: string, options: { rows: number; rounds: number }): Promise<WriteCostReport> {
  const orm = await openOrm({ clientUrl: url, statementTimeoutMs: 0 });
  const sql = <T>(text: string) => orm.em.fork().getConnection().execute<T[]>(text);
  const setTriggers = async (enabled: boolean) => {
    for (const trigger of TRIGGERS) await sql(`alter table replication ${enabled ? 'enable' : 'disable'} trigger ${trigger}`);
  };
  const result = { rollupsOff: [] as number[], rollupsOn: [] as number[], ratio: 0 };
  try {
    // Sources spread over the network (every n-th DEMO innovation), adopters over its regencies.
    const sources = await sql<{ registry: string; external_id: string }>(
      `select registry, external_id from (select registry, external_id, row_number() over (order by id) as n from innovation
        where dataset = 'DEMO' and external_id is not null) x where n % 7 = 0 order by n limit ${options.rows}`,
    );
    const regencies = (await sql<{ code: string }>('select code from regency order by code')).map((r) => r.code);
    for (let round = 0; round < options.rounds * 2; round += 1) {
      const on = round % 2 === 1;
      await setTriggers(on);
      const rows = Array.from({ length: options.rows }, (_, i) => {
        const source = sources[(i * 31 + round) % sources.length];
        return {
          registry: 'OTHER',
          externalId: `${PREFIX}${round}-${i}`,
          sourceRegistry: source.registry,
          sourceExternalId: source.external_id,
          adopterScope: 'REGENCY',
          adopterRegencyCode: regencies[(i * 13 + round) % regencies.length],
          kind: KINDS[i % KINDS.length],
          year: 2014 + ((i + round) % 12),
          sources: ['https://bench.example'],
        };
      });
      const file = path.join(os.tmpdir(), `jipp-bench-write-cost-${process.pid}-${round}.jsonl`);
      fs.writeFileSync(file, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
      const importer = createImporter('replications', { viewer: { ...PUBLIC_VIEWER, role: Role.MINISTRY_ADMIN }, requestId: null, tool: 'bench' }, { dryRun: false });
      const started = performance.now();
      try {
        await importFile(orm, importer, new RecordReader(file, 'jsonl', 'replications'), { batchSize: 1000 });
        const seconds = (performance.now() - started) / 1000;
        // Refused rows (an adoption by the source's own regency) are a few; the rate counts what was written.
        (on ? result.rollupsOn : result.rollupsOff).push(Math.round(importer.report.inserted / seconds));
      } finally {
        fs.rmSync(file);
        // With the triggers as they were for the insert: the rollups end as they began.
        await sql(`delete from replication where registry = 'OTHER' and external_id like '${PREFIX}%'`);
      }
    }
    result.ratio = Math.round((median(result.rollupsOn) / median(result.rollupsOff)) * 100) / 100;
    return { rows: options.rows, rowsPerSecond: result };
  } finally {
    await setTriggers(true);
    await orm.close();
  }
}

export function printWriteCost(report: WriteCostReport): void {
  const r = report.rowsPerSecond;
  console.log(`\nwrite cost of the graph rollups (imports of ${report.rows.toLocaleString('en-US')} replications into the DEMO network, batches of 1,000)`);
  console.log(`  rows/s without their triggers: ${r.rollupsOff.join(', ')}; with: ${r.rollupsOn.join(', ')}; with/without ${r.ratio}`);
}
