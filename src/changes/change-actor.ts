// Who makes a write, and at which grain its change events are recorded: transaction-local settings the
// change triggers read (see the Changes migration). Set at the start of every write transaction; a write
// that sets nothing is recorded at row grain as the SYSTEM with its connection's application name.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../modules/audit/audit.service';

/**
 * `row`: one event per record (mutations). `scope`: one event per statement and province, for bulk writes
 * whose consumers only need to know that a scope changed (imports, seeds, DEMO loads and removals).
 */
export type ChangeGrain = 'row' | 'scope';

/** As recorded on each event: a key's role, id and label, or a tool of the command line. */
export interface ChangeActor {
  role: string;
  keyId?: number | null;
  label?: string | null;
  tool?: string | null;
  requestId?: string | null;
}

/** The change actor of a request or a command-line tool acting with a viewer's rights. */
export function changeActor(actor: Actor): ChangeActor {
  return { role: actor.viewer.role, keyId: actor.viewer.keyId, label: actor.viewer.keyLabel, tool: actor.tool ?? null, requestId: actor.requestId };
}

/** A tool writing on its own account (the reference seed, the DEMO generator). */
export const systemActor = (tool: string): ChangeActor => ({ role: 'SYSTEM', tool });

/** For a pg client: the statement that describes the transaction's writes, and its parameters. */
export function changeSettings(actor: ChangeActor, grain: ChangeGrain): { text: string; values: [string, string] } {
  return { text: `select set_config('jipp.change_actor', $1, true), set_config('jipp.change_grain', $2, true)`, values: [JSON.stringify(actor), grain] };
}

/** Describes the writes of the EntityManager's open transaction. */
export async function describeChanges(em: EntityManager, actor: ChangeActor, grain: ChangeGrain): Promise<void> {
  await em.execute(`select set_config('jipp.change_actor', ?, true), set_config('jipp.change_grain', ?, true)`, [JSON.stringify(actor), grain]);
}
