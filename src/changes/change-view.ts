// A stored change event as a caller may see it: API field names instead of columns, record ids as global
// ids, and what is not the caller's to read left out (the key behind a change, a mentor-name change of
// another university's session).
import type { MetadataStorage } from '@mikro-orm/core';
import { personalDataScope } from '../auth/authorize';
import { Role, type Viewer } from '../auth/viewer';
import { toGlobalId } from '../graphql/global-id';
import { encodeCursor } from './change-cursor';
import { ChangeOperation, ChangeRecordType, type ChangeEvent } from './change-event.types';
import type { ChangeRow } from './change-log';
import type { RecordType } from './change-tables';

const PERSONAL_FIELDS = new Set(['mentorNames']);

const names = new WeakMap<MetadataStorage, Map<string, Map<string, string>>>();

/** Column name to API field name, per record type, from the entities (a reference column is its relation's name). */
function fieldNames(metadata: MetadataStorage): Map<string, Map<string, string>> {
  let byType = names.get(metadata);
  if (!byType) {
    byType = new Map();
    for (const meta of Object.values(metadata.getAll())) {
      const columns = new Map<string, string>();
      for (const prop of Object.values(meta.properties)) for (const column of prop.fieldNames ?? []) columns.set(column, prop.name);
      byType.set(meta.className, columns);
    }
    names.set(metadata, byType);
  }
  return byType;
}

function mayReadPersonalData(viewer: Viewer, row: ChangeRow): boolean {
  const scope = personalDataScope(viewer);
  return scope !== null && ('all' in scope || scope.universityId === row.universityId);
}

export function viewChange(row: ChangeRow, logId: string, viewer: Viewer, metadata: MetadataStorage): ChangeEvent {
  const columns = fieldNames(metadata).get(row.recordType);
  const fields = row.fields
    .map((field) => columns?.get(field) ?? field)
    .filter((field) => !PERSONAL_FIELDS.has(field) || mayReadPersonalData(viewer, row));
  const ministry = viewer.role === Role.MINISTRY_ADMIN;
  return {
    id: String(row.id),
    cursor: encodeCursor(logId, { seq: row.seq, id: row.id }),
    recordType: row.recordType as ChangeRecordType,
    recordId: row.recordId === null ? null : toGlobalId(row.recordType as RecordType, row.recordId),
    operation: row.operation as ChangeOperation,
    bulk: row.bulk,
    rowCount: row.rowCount,
    scopeProvinceCode: row.bulk ? row.scope : null,
    version: row.version,
    fields: [...new Set(fields)],
    regions: row.regions,
    actor: {
      role: row.actor.role,
      tool: row.actor.tool ?? null,
      keyLabel: ministry ? (row.actor.label ?? null) : null,
      requestId: ministry ? (row.actor.requestId ?? null) : null,
    },
    occurredAt: new Date(row.occurredAt),
    committedAt: new Date(row.committedAt),
  };
}
