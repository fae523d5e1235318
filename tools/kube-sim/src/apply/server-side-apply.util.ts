import { jsonEqual, type JsonObject } from '../api/object.types.js';
import { KubeStatusError } from '../api/status.util.js';
import type { SchemaNode } from '../schema/schema.types.js';
import { FieldSet, formatFieldPath } from './field-set.util.js';
import { sameEntry, trackedPart, type ManagedEntry } from './managed-fields.util.js';
import { fieldSetOf, mergeValues, removeAt, valueAt } from './typed-value.util.js';

export interface ApplyRequest {
  manager: string;
  apiVersion: string;
  subresource: string;
  force: boolean;
  time: string;
  schema: SchemaNode;
  statusSubresource: boolean;
}

export interface ApplyResult {
  /** The live object with the configuration merged in and released fields removed. */
  object: JsonObject;
  entries: ManagedEntry[];
}

interface Conflict {
  entry: ManagedEntry;
  path: string[];
}

/** How conflicts name a manager (apimachinery managedfields/internal/conflict.go printManager). */
function printManager(e: ManagedEntry): string {
  let out = JSON.stringify(e.manager);
  if (e.subresource) out += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') out += ` using ${e.apiVersion}`;
  return out;
}

function conflictError(conflicts: Conflict[], group: string, kind: string, name: string): KubeStatusError {
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${printManager(c.entry)}: ${formatFieldPath(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const key = printManager(c.entry);
      byManager.set(key, [...(byManager.get(key) ?? []), formatFieldPath(c.path)]);
    }
    const lines: string[] = [];
    for (const manager of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${manager}:`);
      for (const p of byManager.get(manager)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new KubeStatusError(409, 'Conflict', message, {
    name,
    group,
    kind,
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(c.entry)}`,
      field: formatFieldPath(c.path),
    })),
  });
}

/**
 * Server-side apply of `config` onto `live` (an empty object for a create). Conflicts are fields the
 * configuration sets to a different value than the live one while another manager owns them: 409
 * unless `force`, which moves their ownership. Fields this manager applied before and no longer
 * applies are removed when no other manager owns them.
 */
export function serverSideApply(
  live: JsonObject,
  liveEntries: ManagedEntry[],
  config: JsonObject,
  req: ApplyRequest,
  ref: { group: string; kind: string; name: string },
): ApplyResult {
  const tracked = trackedPart(config, req.subresource, req.statusSubresource);
  const liveTracked = trackedPart(live, req.subresource, req.statusSubresource);
  const configSet = fieldSetOf(tracked, req.schema);
  const conflicts: Conflict[] = [];
  for (const entry of liveEntries) {
    if (sameEntry(entry, req.manager, 'Apply', req.subresource) || entry.subresource !== req.subresource)
      continue;
    for (const path of configSet.intersection(entry.set).members()) {
      // A list item present on both sides is not itself a conflict; its fields are checked one by one.
      const last = path[path.length - 1] ?? '';
      if (last.startsWith('k:') || last.startsWith('v:')) continue;
      if (!jsonEqual(valueAt(liveTracked, path, req.schema), valueAt(tracked, path, req.schema)))
        conflicts.push({ entry, path });
    }
  }
  // structured-merge-diff reports conflicts in path order.
  conflicts.sort((a, b) => (formatFieldPath(a.path) < formatFieldPath(b.path) ? -1 : 1));
  if (conflicts.length > 0 && !req.force) throw conflictError(conflicts, ref.group, ref.kind, ref.name);
  const taken = new FieldSet();
  for (const c of conflicts) taken.insert(c.path);
  let previous = new FieldSet();
  const others: ManagedEntry[] = [];
  for (const entry of liveEntries) {
    if (sameEntry(entry, req.manager, 'Apply', req.subresource)) previous = entry.set;
    else others.push(taken.isEmpty() ? entry : { ...entry, set: entry.set.difference(taken) });
  }
  const merged = mergeValues(live, tracked, req.schema) as JsonObject;
  const released = previous.difference(configSet);
  const ownedByOthers = others.reduce(
    (acc, e) => (e.subresource === req.subresource ? acc.union(e.set) : acc),
    new FieldSet(),
  );
  // Shallowest first: a released list item goes as a whole (its key fields are still there to find it
  // by), and paths under it become no-ops.
  const toRemove = released.members().sort((a, b) => a.length - b.length);
  for (const path of toRemove) if (!ownedByOthers.hasPrefix(path)) removeAt(merged, path, req.schema);
  const mine: ManagedEntry = {
    manager: req.manager,
    operation: 'Apply',
    apiVersion: req.apiVersion,
    time: req.time,
    subresource: req.subresource,
    set: configSet,
  };
  const index = liveEntries.findIndex((e) => sameEntry(e, req.manager, 'Apply', req.subresource));
  const entries = [...others];
  entries.splice(index < 0 ? entries.length : index, 0, mine);
  return { object: merged, entries: entries.filter((e) => !e.set.isEmpty()) };
}
