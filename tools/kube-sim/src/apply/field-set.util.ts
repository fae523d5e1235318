import { isJsonObject, type JsonObject, type JsonValue } from '../api/object.types.js';

/**
 * A set of field paths, stored as a trie in the shape of managedFields' FieldsV1: path elements
 * `f:<field>`, `k:<json key>`, `v:<json value>`, `i:<index>`; a node is a member of the set when
 * `self` is true (FieldsV1 writes that as `".": {}` when the node also has children, or as a bare
 * `{}` leaf).
 */
export class FieldSet {
  self = false;
  readonly children = new Map<string, FieldSet>();

  /** Parses FieldsV1; a nested `{}` is a leaf member, while an empty root is the empty set. */
  static fromFieldsV1(json: JsonValue | undefined, root = true): FieldSet {
    const set = new FieldSet();
    if (!isJsonObject(json)) return set;
    const keys = Object.keys(json);
    if (keys.length === 0 && !root) set.self = true;
    for (const key of keys) {
      if (key === '.') {
        set.self = true;
        continue;
      }
      set.children.set(key, FieldSet.fromFieldsV1(json[key], false));
    }
    return set;
  }

  toFieldsV1(): JsonObject {
    const out: JsonObject = {};
    if (this.self && this.children.size > 0) out['.'] = {};
    for (const key of [...this.children.keys()].sort()) out[key] = this.children.get(key)!.toFieldsV1();
    return out;
  }

  isEmpty(): boolean {
    if (this.self) return false;
    for (const child of this.children.values()) if (!child.isEmpty()) return false;
    return true;
  }

  /** Adds a path as a member, creating intermediate nodes. */
  insert(path: readonly string[]): void {
    if (path.length === 0) {
      this.self = true;
      return;
    }
    const [head, ...rest] = path;
    let next = this.children.get(head!);
    if (!next) this.children.set(head!, (next = new FieldSet()));
    next.insert(rest);
  }

  has(path: readonly string[]): boolean {
    const node = this.find(path);
    return !!node?.self;
  }

  /** True when the path or anything below it is a member. */
  hasPrefix(path: readonly string[]): boolean {
    const node = this.find(path);
    return !!node && !node.isEmpty();
  }

  private find(path: readonly string[]): FieldSet | undefined {
    if (path.length === 0) return this;
    return this.children.get(path[0]!)?.find(path.slice(1));
  }

  /** Every member path, depth first. */
  members(prefix: string[] = [], out: string[][] = []): string[][] {
    if (this.self) out.push(prefix);
    for (const [key, child] of this.children) child.members([...prefix, key], out);
    return out;
  }

  union(other: FieldSet): FieldSet {
    const out = this.copy();
    for (const path of other.members()) out.insert(path);
    return out;
  }

  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const path of this.members()) if (!other.has(path)) out.insert(path);
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const path of this.members()) if (other.has(path)) out.insert(path);
    return out;
  }

  copy(): FieldSet {
    const out = new FieldSet();
    out.self = this.self;
    for (const [k, v] of this.children) out.children.set(k, v.copy());
    return out;
  }
}

/** `k:{"name":"c"}`: the key fields of an associative-list item, sorted like Go's JSON maps. */
export function keyElement(item: JsonObject, keys: string[]): string {
  const sorted = [...keys].sort();
  const obj: JsonObject = {};
  for (const k of sorted) if (item[k] !== undefined) obj[k] = item[k]!;
  return `k:${JSON.stringify(obj)}`;
}

export function valueElement(value: JsonValue): string {
  return `v:${JSON.stringify(value)}`;
}

/** A path as structured-merge-diff prints it in conflicts: `.spec.containers[name="c"].image`. */
export function formatFieldPath(path: readonly string[]): string {
  let out = '';
  for (const el of path) {
    const kind = el.slice(0, 2);
    const rest = el.slice(2);
    if (kind === 'f:') out += `.${rest}`;
    else if (kind === 'i:') out += `[${rest}]`;
    else if (kind === 'v:') out += `[=${rest}]`;
    else if (kind === 'k:') {
      const key = JSON.parse(rest) as JsonObject;
      out += `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    }
  }
  return out;
}
