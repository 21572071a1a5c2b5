// One structured log line per GraphQL request. It names the operation, the caller and what it cost, but
// never the Authorization header or the values of variables (they may hold personal data): names only.
import type { Logger } from 'pino';
import type { RequestRecord } from './request-record';

export function logOperation(logger: Logger, record: RequestRecord, status: number): void {
  // The line is not built when it would not be written (LOG_LEVEL=warn and quieter, for answers under 500).
  if (!logger.isLevelEnabled(status >= 500 ? 'warn' : 'info')) return;
  const line = {
    requestId: record.requestId,
    operation: record.operationName ?? null,
    type: record.operationType ?? null,
    client: record.keyId != null ? `key:${record.keyId}` : record.clientAddress,
    role: record.role ?? null,
    cost: record.cost ?? 0,
    sqlStatements: record.sqlStatements ?? 0,
    durationMs: Math.round(Number(process.hrtime.bigint() - record.startedAt) / 1e4) / 100,
    status,
    codes: [...new Set(record.codes)],
    variables: record.variableNames ?? [],
  };
  if (status >= 500) logger.warn(line, 'graphql operation');
  else logger.info(line, 'graphql operation');
}
