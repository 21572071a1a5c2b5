// SQL the DEMO generator tests ask of a database: checksums of row sets and the diffusion depth.
import type { ClientBase } from 'pg';

/** Every table a seed can touch; mentoring_session_regency has no dataset column and counts whole. */
const TABLES = [
  'province',
  'regency',
  'legal_instrument',
  'institution',
  'hub',
  'innovation',
  'award',
  'university',
  'mentoring_programme',
  'replication',
  'mentoring_session',
] as const;

async function md5(client: ClientBase, sql: string, params: unknown[] = []): Promise<string> {
  const result = await client.query<{ md5: string }>(`select md5(coalesce(string_agg(x, E'\\n' order by x), '')) as md5 from (${sql}) s`, params);
  return result.rows[0].md5;
}

/** A checksum per table of every row (ids, timestamps and all) whose dataset matches `where`. */
export async function checksumRows(client: ClientBase, where: 'REFERENCE' | 'NOT_DEMO'): Promise<Record<string, string>> {
  const condition = where === 'REFERENCE' ? `t.dataset = 'REFERENCE'` : `t.dataset <> 'DEMO'`;
  const sums: Record<string, string> = {};
  for (const table of TABLES) sums[table] = await md5(client, `select t::text as x from ${table} t where ${condition}`);
  sums.mentoring_session_regency = await md5(client, `select t::text as x from mentoring_session_regency t`);
  return sums;
}

/**
 * A checksum of the DEMO rows by their natural keys (names, external ids) instead of serial ids, so two
 * databases can be compared whatever their sequences handed out.
 */
export async function checksumDemo(client: ClientBase): Promise<Record<string, string>> {
  return {
    institution: await md5(
      client,
      `select row(name, kind, province_code, regency_code, dataset, confidence, sources, note)::text as x
         from institution where dataset = 'DEMO'`,
    ),
    innovation: await md5(
      client,
      `select row(i.registry, i.external_id, i.title, i.summary, o.name, i.province_code, i.regency_code, i.launch_year,
                  i.stage, i.is_digital, i.category, i.sustainability, i.dataset, i.confidence, i.sources)::text as x
         from innovation i join institution o on o.id = i.owner_id where i.dataset = 'DEMO'`,
    ),
    award: await md5(
      client,
      `select row(i.external_id, a.competition, a.year, a.tier, a.dataset, a.confidence, a.sources)::text as x
         from award a join innovation i on i.id = a.innovation_id where a.dataset = 'DEMO'`,
    ),
    replication: await md5(
      client,
      `select row(s.external_id, r.source_province_code, r.source_regency_code, r.adopter_scope, r.adopter_province_code,
                  r.adopter_regency_code, ai.name, r.kind, r.status, r.year, r.implementation_year, r.committed_on,
                  r.implemented_on, h.province_code, r.mentoring_programme_id, v.external_id, r.dataset, r.confidence, r.sources)::text as x
         from replication r
         join innovation s on s.id = r.source_id
         left join institution ai on ai.id = r.adopter_institution_id
         left join hub h on h.id = r.facilitating_hub_id
         left join innovation v on v.id = r.adopted_as_id
        where r.dataset = 'DEMO'`,
    ),
  };
}

export async function countDemo(client: ClientBase): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const result = await client.query<{ n: number }>(`select count(*)::int as n from ${table} where dataset = 'DEMO'`);
    counts[table] = result.rows[0].n;
  }
  return counts;
}

/** The deepest generation of any DEMO diffusion tree: 1 = adopted, 2 = a local version adopted, ... */
export async function maxDiffusionDepth(client: ClientBase): Promise<number> {
  const result = await client.query<{ depth: number }>(
    `with recursive tree as (
       select r.adopted_as_id, 1 as depth
         from replication r join innovation i on i.id = r.source_id
        where r.dataset = 'DEMO' and not exists (select 1 from replication p where p.adopted_as_id = i.id)
       union all
       select c.adopted_as_id, t.depth + 1
         from tree t join replication c on c.source_id = t.adopted_as_id
     )
     select max(depth)::int as depth from tree`,
  );
  return result.rows[0].depth;
}
