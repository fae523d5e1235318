import { canonicalJson } from '@heliomesh/util';
import { isRecord } from '../kube.types.js';

/**
 * A managedFields `fieldsV1` trie (https://kubernetes.io/docs/reference/using-api/server-side-apply/):
 * path elements `f:<field>`, `k:<json key>` (associative-list item), `v:<json value>` (set
 * element), `i:<index>`; a node is a member when it is a bare `{}` leaf or carries `".": {}`.
 */
export interface FieldTree {
  self: boolean;
  children: Map<string, FieldTree>;
}

export function parseFieldsV1(json: unknown): FieldTree {
  const tree: FieldTree = { self: false, children: new Map() };
  if (!isRecord(json)) return tree;
  const keys = Object.keys(json);
  if (keys.length === 0) tree.self = true;
  for (const key of keys) {
    if (key === '.') tree.self = true;
    else tree.children.set(key, parseFieldsV1(json[key]));
  }
  return tree;
}

/** Every member path, depth first. */
export function memberPaths(tree: FieldTree, prefix: string[] = [], out: string[][] = []): string[][] {
  if (tree.self) out.push(prefix);
  for (const [key, child] of tree.children) memberPaths(child, [...prefix, key], out);
  return out;
}

function nodeAt(tree: FieldTree, path: readonly string[]): FieldTree | undefined {
  let node: FieldTree | undefined = tree;
  for (const el of path) {
    node = node.children.get(el);
    if (!node) return undefined;
  }
  return node;
}

/**
 * True when `tree` owns the field at `path`: the path itself is a member, or an ancestor is a
 * member leaf (an atomic value owns everything inside it). A list-item marker with children does
 * not own fields it does not list.
 */
export function covers(tree: FieldTree, path: readonly string[]): boolean {
  if (nodeAt(tree, path)?.self) return true;
  let node: FieldTree | undefined = tree;
  for (const el of path) {
    if (node.self && node.children.size === 0) return true;
    node = node.children.get(el);
    if (!node) return false;
  }
  return false;
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * The index of the list item a `k:`, `v:` or `i:` element addresses. A key field the item lacks
 * matches when it is the only candidate: the server filled it from a schema default (protocol: TCP).
 */
export function findItem(list: unknown[], el: string): number {
  const kind = el.slice(0, 2);
  const rest = el.slice(2);
  if (kind === 'i:') {
    const i = Number(rest);
    return Number.isInteger(i) && i >= 0 && i < list.length ? i : -1;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(rest);
  } catch {
    return -1;
  }
  if (kind === 'v:') return list.findIndex((item) => sameJson(item, parsed));
  if (kind !== 'k:' || !isRecord(parsed)) return -1;
  const key = parsed;
  const exact = list.findIndex(
    (item) => isRecord(item) && Object.keys(key).every((k) => sameJson(item[k], key[k])),
  );
  if (exact >= 0) return exact;
  const loose = list
    .map((item, i) => ({ item, i }))
    .filter(
      ({ item }) =>
        isRecord(item) && Object.keys(key).every((k) => item[k] === undefined || sameJson(item[k], key[k])),
    );
  return loose.length === 1 ? loose[0]!.i : -1;
}

/**
 * The part of `value` that `tree` covers: what a manager's apply configuration set, read back from
 * the live object. Fields that left the manager (taken by another writer, or removed) are absent.
 */
export function project(value: unknown, tree: FieldTree): unknown {
  if (tree.children.size === 0) return value;
  if (Array.isArray(value)) {
    const picked: Array<{ index: number; item: unknown }> = [];
    for (const [el, child] of tree.children) {
      const index = findItem(value, el);
      if (index >= 0) picked.push({ index, item: project(value[index], child) });
    }
    return picked.sort((a, b) => a.index - b.index).map((p) => p.item);
  }
  if (!isRecord(value)) return tree.self ? value : undefined;
  const out: Record<string, unknown> = {};
  for (const [el, child] of tree.children) {
    if (!el.startsWith('f:')) continue;
    const key = el.slice(2);
    // Own keys only, defined rather than assigned: a "__proto__" key in an object is data here.
    if (Object.hasOwn(value, key))
      Object.defineProperty(out, key, {
        value: project(value[key], child),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The RFC 6901 pointer of a field path inside `obj`, or undefined when the path is not there. */
export function jsonPointer(obj: unknown, path: readonly string[]): string | undefined {
  let cur: unknown = obj;
  let pointer = '';
  for (const el of path) {
    if (el.startsWith('f:')) {
      const key = el.slice(2);
      if (!isRecord(cur) || !(key in cur)) return undefined;
      cur = cur[key];
      pointer += `/${escapePointer(key)}`;
      continue;
    }
    if (!Array.isArray(cur)) return undefined;
    const index = findItem(cur, el);
    if (index < 0) return undefined;
    cur = cur[index];
    pointer += `/${index}`;
  }
  return pointer;
}

/** Orders pointers so that removing them one after another never shifts a later one (higher list indexes first). */
export function compareForRemoval(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    if (as[i] === bs[i]) continue;
    const an = /^\d+$/.test(as[i]!) ? Number(as[i]) : NaN;
    const bn = /^\d+$/.test(bs[i]!) ? Number(bs[i]) : NaN;
    if (!Number.isNaN(an) && !Number.isNaN(bn)) return bn - an;
    return as[i]! < bs[i]! ? -1 : 1;
  }
  return bs.length - as.length;
}
