import type { StoredPolicy } from '@heliomesh/policy';
import type { CompileSnapshot, MeshService } from '../../../src/index.js';
import {
  foreignVirtualService,
  p,
  rollout,
  service,
  snapshot,
  type SnapshotOptions,
} from '../snapshot.builders.js';

/** Shared helpers of the catalogue cases: small builders so each case states one thing. */
export type Case = () => CompileSnapshot;
export type Cases = Record<string, [fail: Case, pass: Case]>;
export const s = (policies: StoredPolicy[], extra: SnapshotOptions = {}): CompileSnapshot =>
  snapshot({ policies, ...extra });
export const header = (name: string, m: Record<string, string>) => ({ headers: { [name]: m } });
export const routeOn = (match: object, version = 'v2', name?: string) =>
  p.requestRouting({ rules: [{ match, version }] }, name ? { name } : undefined);
export const acl = (spec: Parameters<typeof p.accessControl>[0], name?: string) =>
  p.accessControl(spec, name ? { name } : undefined);
export const plugin = (spec: Partial<Parameters<typeof p.plugin>[0]>, name?: string) =>
  p.plugin(
    { url: 'oci://ghcr.io/acme/auth:1.0', sha256: 'a'.repeat(64), ...spec },
    name ? { name } : undefined,
  );
export const reviewsWith = (
  versions: MeshService['versions'],
  selector?: Record<string, string>,
): MeshService => ({
  ...service('reviews'),
  versions,
  ...(selector ? { selector } : {}),
});
export const v = (name: string, labels: Record<string, string>, pods = 3) => ({ name, labels, pods });
export { foreignVirtualService, p, rollout, service };
