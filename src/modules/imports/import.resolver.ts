import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import { requireRole } from '../../auth/authorize';
import { Role } from '../../auth/viewer';
import type { Context } from '../../context';
import { checkIdempotencyKey, writeOnce } from '../../db/idempotency';
import { BadUserInputError } from '../../errors';
import { UserErrorCode } from '../../graphql/user-errors';
import { IDEMPOTENCY_KEY_DESCRIPTION } from '../innovation/innovation.mutations';
import { createImporter, type ImportReport as Report } from './import-engine';
import { importBatch } from './import-run';
import type { ImportKind } from './import-rows';
import { ImportReport, InnovationImportRow, ReplicationImportRow } from './import.types';

export const MAX_ROWS_PER_CALL = 1000;
const IMPORTERS = [Role.INTEGRATION, Role.MINISTRY_ADMIN, Role.HUB_OPERATOR];

/** The largest line a report can name (GraphQL's Int). */
const MAX_LINE = 2_147_483_647;

async function runImport(ctx: Context, kind: ImportKind, call: ImportCall): Promise<ImportReport> {
  const { rows, dryRun, idempotencyKey, firstLine } = call;
  requireRole(ctx.viewer, IMPORTERS, `import${kind === 'innovations' ? 'Innovations' : 'Replications'}`);
  if (rows.length > MAX_ROWS_PER_CALL) {
    throw new BadUserInputError(`rows takes at most ${MAX_ROWS_PER_CALL} rows per call; got ${rows.length}. Send batches, or use jipp import.`, 'rows');
  }
  if (firstLine < 1 || firstLine + rows.length - 1 > MAX_LINE) {
    throw new BadUserInputError(`firstLine must be from 1 to ${MAX_LINE - Math.max(rows.length - 1, 0)} for ${rows.length} rows; got ${firstLine}.`, 'firstLine');
  }
  // Before the dry run too: its audit record keeps the key.
  checkIdempotencyKey(idempotencyKey);
  // Plain objects without the fields left out: the row schemas are strict, and a class instance is not what they check.
  const lines = rows.map((record, i) => ({ line: firstLine + i, record: presentFields(record) }));
  const importer = createImporter(kind, ctx, { dryRun, idempotencyKey });
  const shape = (report: Report, replayed: boolean): ImportReport => ({
    ...report,
    errors: report.errors.map((e) => ({ ...e, index: e.line - firstLine, value: e.value ?? null, code: UserErrorCode[e.code] })),
    replayed,
  });
  if (dryRun) {
    // Nothing is kept, so there is nothing to replay: the idempotency key plays no part.
    await importBatch(ctx.em, importer, lines);
    return shape(importer.report, false);
  }
  // writeOnce re-runs the work after a lost deadlock: each attempt first undoes what the last one counted.
  let undoLastAttempt: (() => void) | null = null;
  const result = await writeOnce<{ report: Report }>(ctx.em, {
    owner: `key:${ctx.viewer.keyId ?? 0}`,
    actor: ctx,
    operation: `import.${kind}`,
    key: idempotencyKey,
    // The lines a report names depend on firstLine: a retry with another one is another call.
    input: firstLine === 1 ? rows : { rows, firstLine },
    work: async (tx) => {
      undoLastAttempt?.();
      undoLastAttempt = importer.checkpoint();
      await importer.processBatch(tx, lines);
      return { report: importer.report };
    },
    save: (r) => ({ report: r.report }),
    restore: async (stored) => ({ report: stored.report as Report }),
  });
  return shape(result.report, result.replayed);
}

interface ImportCall {
  rows: object[];
  dryRun: boolean;
  idempotencyKey: string | null | undefined;
  firstLine: number;
}

function presentFields(row: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined));
}

const FIRST_LINE_DESCRIPTION =
  'The line of the first row in your file (e.g. 2 after a CSV header, or 1002 for the second call of 1,000 rows): errors name lines from it. Default 1.';

@Resolver()
export class ImportMutations {
  @Mutation(() => ImportReport, {
    nullable: true,
    description: `Imports up to ${MAX_ROWS_PER_CALL} innovation records, upserting by (registry, externalId). Every value is checked per row: a bad one fails its row (reported with its line, field and value), never the call. Integrations and the ministry: any row; hub operators: rows of their province.`,
  })
  importInnovations(
    @Ctx() ctx: Context,
    @Arg('rows', () => [InnovationImportRow]) rows: InnovationImportRow[],
    @Arg('dryRun', { defaultValue: false, description: 'Check and count, but write nothing.' }) dryRun: boolean,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey?: string | null,
    @Arg('firstLine', () => Int, { defaultValue: 1, description: FIRST_LINE_DESCRIPTION }) firstLine = 1,
  ): Promise<ImportReport> {
    return runImport(ctx, 'innovations', { rows, dryRun, idempotencyKey, firstLine });
  }

  @Mutation(() => ImportReport, { nullable: true,
    description: `Imports up to ${MAX_ROWS_PER_CALL} replication records, upserting by (registry, externalId); sources must exist. Hub operators: rows adopted in their province.`,
  })
  importReplications(
    @Ctx() ctx: Context,
    @Arg('rows', () => [ReplicationImportRow]) rows: ReplicationImportRow[],
    @Arg('dryRun', { defaultValue: false }) dryRun: boolean,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey?: string | null,
    @Arg('firstLine', () => Int, { defaultValue: 1, description: FIRST_LINE_DESCRIPTION }) firstLine = 1,
  ): Promise<ImportReport> {
    return runImport(ctx, 'replications', { rows, dryRun, idempotencyKey, firstLine });
  }
}
