import type { KubeObject } from '../api/object.types.js';
import { builtinResourceTypes } from './builtin-kinds.js';
import { crdResourceType, type CustomValidator } from './crd.util.js';
import type { ResourceType } from './resource-type.types.js';
import { sortVersions } from './version-order.util.js';

export interface GroupInfo {
  name: string;
  /** Served versions, preferred first. */
  versions: string[];
}

/** Built-in groups in kube-apiserver's priority order; CRD groups follow alphabetically. */
const builtinGroupOrder = ['', 'apps', 'apiextensions.k8s.io'];

/**
 * Which resources exist right now: the built-ins plus one entry per Established CRD. Discovery,
 * OpenAPI and routing all read from here, so a new CRD shows up everywhere at once.
 */
export class ResourceRegistry {
  private readonly types = new Map<string, ResourceType>();
  private readonly customValidators: CustomValidator[] = [];
  private generation = 0;

  constructor() {
    for (const rt of builtinResourceTypes()) this.types.set(rt.key, rt);
  }

  /** Bumped on every change; OpenAPI and discovery hashes key on it. */
  get version(): number {
    return this.generation;
  }

  addCustomValidator(v: CustomValidator): void {
    this.customValidators.push(v);
  }

  registerCrd(crd: KubeObject): ResourceType {
    const rt = crdResourceType(crd, (obj, group, version) => {
      for (const v of this.customValidators) {
        const errors = v(obj, group, version);
        if (errors) return errors;
      }
      return undefined;
    });
    this.types.set(rt.key, rt);
    this.generation++;
    return rt;
  }

  unregister(key: string): void {
    if (this.types.delete(key)) this.generation++;
  }

  byKey(key: string): ResourceType | undefined {
    return this.types.get(key);
  }

  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    for (const rt of this.types.values())
      if (rt.group === group && rt.plural === plural && rt.versions.includes(version)) return rt;
    return undefined;
  }

  byKind(group: string, kind: string): ResourceType | undefined {
    for (const rt of this.types.values()) if (rt.group === group && rt.kind === kind) return rt;
    return undefined;
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** Resources served in one group version, sorted by plural (client-node picks the first kind match). */
  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all()
      .filter((rt) => rt.group === group && rt.versions.includes(version))
      .sort((a, b) => a.plural.localeCompare(b.plural));
  }

  groups(): GroupInfo[] {
    const byGroup = new Map<string, Set<string>>();
    for (const rt of this.types.values()) {
      const set = byGroup.get(rt.group) ?? new Set<string>();
      rt.versions.forEach((v) => set.add(v));
      byGroup.set(rt.group, set);
    }
    const rank = (g: string) => {
      const i = builtinGroupOrder.indexOf(g);
      return i >= 0 ? i : builtinGroupOrder.length;
    };
    return [...byGroup.entries()]
      .map(([name, versions]) => ({ name, versions: sortVersions([...versions]) }))
      .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  }
}
