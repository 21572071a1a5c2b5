// Checksums of what imports write, comparable across databases: rows are identified by their registry
// keys and names, never by serial ids (which differ between two databases fed the same rows).
import { Client } from 'pg';

export interface ImportedState {
  innovations: number;
  replications: number;
  institutions: number;
  checksum: string;
}

export async function importedState(databaseUrl: string): Promise<ImportedState> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<ImportedState>(`
      with i as (
        select concat_ws('|', i.registry, i.external_id, i.title, i.summary, o.name, i.province_code, i.regency_code, i.launch_year,
                         i.stage, i.is_digital, i.category, i.sustainability, i.sources::text, i.confidence, i.note, i.version) as line
          from innovation i join institution o on o.id = i.owner_id where i.dataset = 'IMPORTED'
      ), r as (
        select concat_ws('|', r.registry, r.external_id, s.registry, s.external_id, r.adopter_scope, r.adopter_province_code,
                         r.adopter_regency_code, r.kind, r.status, r.year, r.implementation_year, h.province_code, r.sources::text,
                         r.confidence, r.note, r.version) as line
          from replication r join innovation s on s.id = r.source_id left join hub h on h.id = r.facilitating_hub_id
         where r.dataset = 'IMPORTED'
      ), o as (
        select concat_ws('|', name, kind, province_code, regency_code, sources::text) as line from institution where dataset = 'IMPORTED'
      )
      select (select count(*)::int from i) as innovations,
             (select count(*)::int from r) as replications,
             (select count(*)::int from o) as institutions,
             md5(concat((select string_agg(line, ';' order by line) from i), '#',
                        (select string_agg(line, ';' order by line) from r), '#',
                        (select string_agg(line, ';' order by line) from o))) as checksum`);
    return rows[0];
  } finally {
    await client.end();
  }
}

/** For databases a test hands to a child process: one connection per query. */
export async function selectRows<T extends object = Record<string, unknown>>(databaseUrl: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

export async function countRows(databaseUrl: string, sql: string): Promise<number> {
  const [{ n }] = await selectRows<{ n: number }>(databaseUrl, `select (${sql})::int as n`);
  return n;
}
