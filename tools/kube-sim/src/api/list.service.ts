import { objectKey } from '../store/object.store.js';
import type { ResourceType } from '../registry/resource-type.types.js';
import { matchesFields, parseFieldSelector, type FieldSelector } from '../selectors/field-selector.parser.js';
import { matchesLabels, parseLabelSelector, type LabelSelector } from '../selectors/label-selector.parser.js';
import { presentAs } from './commit.util.js';
import { stringMap, type KubeObject } from './object.types.js';
import { badRequest, expired, KubeStatusError } from './status.util.js';
import type { ApiDeps, Target } from './write.types.js';

export interface Selectors {
  labels: LabelSelector;
  fields: FieldSelector;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** The value of a field selector field on an object (undefined for unset). */
export function fieldValue(rt: ResourceType, obj: KubeObject, field: string): string | undefined {
  if (field === 'metadata.name') return obj.metadata.name;
  if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
  return rt.selectableFields[field]?.(obj);
}

/** Parses and checks `labelSelector` and `fieldSelector` for one resource (400 on unknown fields). */
export function parseSelectors(
  rt: ResourceType,
  labelSelector: string | null,
  fieldSelector: string | null,
): Selectors {
  const fields = parseFieldSelector(fieldSelector ?? '');
  const known = ['metadata.name', 'metadata.namespace', ...Object.keys(rt.selectableFields)];
  for (const f of fields) {
    if (known.includes(f.field)) continue;
    if (rt.fieldSelectorErrorStyle === 'core') throw badRequest(`field label not supported: ${f.field}`);
    throw badRequest(
      `"${f.field}" is not a known field selector: only ${known.map((k) => `"${k}"`).join(', ')}`,
    );
  }
  return { labels: parseLabelSelector(labelSelector ?? ''), fields };
}

export function matchesSelectors(rt: ResourceType, sel: Selectors, obj: KubeObject): boolean {
  return (
    matchesLabels(sel.labels, stringMap(obj.metadata['labels'])) &&
    matchesFields(sel.fields, (f) => fieldValue(rt, obj, f))
  );
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })).toString(
    'base64',
  );
}

function decodeContinue(raw: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as {
      v?: string;
      rv?: number;
      start?: string;
    };
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string')
      throw new Error('bad');
    return { rv: parsed.rv, start: parsed.start };
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

export interface ListQuery {
  selectors: Selectors;
  limit: number;
  continueToken: string | null;
  resourceVersion: string | null;
  resourceVersionMatch: string | null;
}

function tooLarge(rv: number, current: number): KubeStatusError {
  return new KubeStatusError(504, 'Timeout', `Too large resource version: ${rv}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/** List with selectors, `limit`/`continue` and the resourceVersion semantics of a watch-cache-backed list. */
export function listObjects(deps: ApiDeps, target: Target, q: ListQuery): ListResult {
  const current = deps.store.currentRv;
  let snapshotRv = current;
  let start = '';
  if (q.continueToken) {
    const token = decodeContinue(q.continueToken);
    if (token.rv < deps.store.oldestWatchableRv)
      throw expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    snapshotRv = token.rv;
    start = token.start;
  } else if (q.resourceVersion && q.resourceVersion !== '0') {
    const rv = Number(q.resourceVersion);
    if (!Number.isInteger(rv) || rv < 0) throw badRequest(`invalid resource version: ${q.resourceVersion}`);
    if (rv > current) throw tooLarge(rv, current);
    if (q.resourceVersionMatch === 'Exact' && rv !== current) {
      if (rv < deps.store.oldestWatchableRv)
        throw expired(`too old resource version: ${rv} (${deps.store.oldestWatchableRv + 1})`);
      throw new KubeStatusError(
        410,
        'Expired',
        `the sandbox keeps no snapshots: resourceVersion ${rv} with resourceVersionMatch=Exact is only served when it is the current one (${current})`,
      );
    }
  }
  const all = deps.store.list(target.rt.key, target.namespace || undefined);
  const matching = all.filter(
    (o) =>
      (!start || objectKey(o.metadata.namespace, o.metadata.name) > start) &&
      matchesSelectors(target.rt, q.selectors, o),
  );
  const page = q.limit > 0 ? matching.slice(0, q.limit) : matching;
  const result: ListResult = {
    items: page.map((o) => presentAs(target.rt, target.version, o)),
    resourceVersion: String(snapshotRv),
  };
  if (q.limit > 0 && matching.length > q.limit) {
    const last = page[page.length - 1]!;
    result.continue = encodeContinue({
      rv: snapshotRv,
      start: objectKey(last.metadata.namespace, last.metadata.name),
    });
    // Like the real server: no remainingItemCount when selectors filter the list.
    if (q.selectors.labels.length === 0 && q.selectors.fields.length === 0)
      result.remainingItemCount = matching.length - q.limit;
  }
  return result;
}
