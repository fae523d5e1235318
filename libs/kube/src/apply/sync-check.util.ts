import {
  APPLIED_HASH_ANNOTATION,
  isRecord,
  type KubeObject,
  type ManagedFieldsEntry,
} from '../kube.types.js';
import { appliedHash } from './applied-content.util.js';
import { covers, memberPaths, parseFieldsV1, project, type FieldTree } from './field-set.util.js';

/** A field someone else owns that our apply configuration does not set. */
export interface ForeignField {
  manager: string;
  /** The fieldsV1 path, e.g. `['f:spec', 'f:gateways']`. */
  path: string[];
}

export interface SyncState {
  inSync: boolean;
  /** Why not, in words (for logs and drift events). */
  reason?: string;
  /** Other managers' fields outside ours, outside metadata: a server-side apply leaves them in place. */
  foreign: ForeignField[];
  /** Managers other than ours that own fields outside metadata. */
  editors: string[];
}

function ourEntry(entries: ManagedFieldsEntry[], manager: string): ManagedFieldsEntry | undefined {
  return entries.find((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource);
}

/** Fields of other managers on the main resource, outside metadata, that our set does not cover. */
export function foreignFields(
  entries: ManagedFieldsEntry[],
  ours: FieldTree,
  manager: string,
): ForeignField[] {
  const out: ForeignField[] = [];
  for (const e of entries) {
    if (e.manager === manager || e.subresource) continue;
    for (const path of memberPaths(parseFieldsV1(e.fieldsV1))) {
      if (path.length === 0 || path[0] === 'f:metadata') continue;
      if (!covers(ours, path)) out.push({ manager: e.manager ?? '', path });
    }
  }
  return out;
}

function editorsOf(entries: ManagedFieldsEntry[], manager: string): string[] {
  const names = new Set<string>();
  for (const e of entries) {
    if (e.manager === manager || e.subresource || !isRecord(e.fieldsV1)) continue;
    if (Object.keys(e.fieldsV1).some((k) => k !== 'f:metadata')) names.add(e.manager ?? '');
  }
  return [...names].sort();
}

/**
 * Whether a live object still holds exactly what our manager applied. Three checks, so that edits
 * through any path are caught without comparing server-defaulted fields we never set:
 *  1. the applied-hash annotation names the expected content (the desired object's hash, or, for
 *     the DriftWatcher that has no desired object, the annotation itself);
 *  2. the live values of the fields our managedFields entry owns hash to that same value (a foreign
 *     write takes the fields it changes away from us, a removal drops them: either way the
 *     projection stops matching);
 *  3. nobody else owns fields outside metadata that we do not set (foreign additions; others'
 *     labels and annotations are fine).
 */
export function checkSync(live: KubeObject, manager: string, expectedHash?: string): SyncState {
  const entries = live.metadata.managedFields ?? [];
  const editors = editorsOf(entries, manager);
  const no = (reason: string, foreign: ForeignField[] = []): SyncState => ({
    inSync: false,
    reason,
    foreign,
    editors,
  });
  if (live.metadata.deletionTimestamp) return no('the object is being deleted');
  const annotation = live.metadata.annotations?.[APPLIED_HASH_ANNOTATION];
  if (annotation === undefined)
    return no(`it has no ${APPLIED_HASH_ANNOTATION} annotation (not applied by ${manager})`);
  const expected = expectedHash ?? annotation;
  if (annotation !== expected)
    return no(
      `its ${APPLIED_HASH_ANNOTATION} is ${annotation.slice(0, 12)}…, the desired content hashes to ${expected.slice(0, 12)}…`,
    );
  const entry = ourEntry(entries, manager);
  if (!entry) return no(`no server-side apply by "${manager}" is recorded in managedFields`);
  const ours = parseFieldsV1(entry.fieldsV1);
  const projected = project(live, ours);
  if (!isRecord(projected) || appliedHash(projected) !== expected)
    return no(
      `fields applied by "${manager}" were changed or removed${editors.length ? ` (other writers: ${editors.join(', ')})` : ''}`,
    );
  const foreign = foreignFields(entries, ours, manager);
  if (foreign.length > 0) {
    const who = [...new Set(foreign.map((f) => f.manager))].join(', ');
    return no(`fields were added by ${who}`, foreign);
  }
  return { inSync: true, foreign: [], editors };
}
