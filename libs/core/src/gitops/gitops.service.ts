import { governedObjects } from '../desired-state/governed.util.js';
import type { DataSource } from 'typeorm';
import { requireRole } from '@heliomesh/auth';
import { inTenantTx, PolicyEntity } from '@heliomesh/db';
import { compile, type IstioObject, toYaml } from '@heliomesh/istio';
import { parsePolicyDocuments, type PolicyBody } from '@heliomesh/policy';
import { canonicalJson, formatJsonPath, HeliomeshError } from '@heliomesh/util';
import type { RequestContext, TenantRequestContext } from '../common/request-context.types.js';
import { DesiredStateRepository } from '../desired-state/desired-state.repository.js';
import type { Change, DryRunResult } from '../policies/policy-change.service.js';
import { PolicyChangeService } from '../policies/policy-change.service.js';
import { resolveCluster } from '../policies/policy-targets.util.js';
import { tenantScope } from '../tenancy/tenant-scope.util.js';

export interface ApplyBundleResult {
  created: string[];
  configured: string[];
  unchanged: string[];
  deleted: string[];
  /** Not in the bundle but kept by --prune: policies the platform itself wrote (rollout release pins). */
  retained: string[];
  dryRun?: DryRunResult;
}

const label = (namespace: string, name: string) => `${namespace}/${name}`;

/**
 * GitOps: export what Heliomesh generates as plain Istio YAML (for Argo CD or Flux), and apply a
 * bundle of Heliomesh policy documents so the stored state matches it, like `kubectl apply`.
 * A bundle commits as a whole or not at all.
 */
export class GitOpsService {
  private readonly desired = new DesiredStateRepository();
  private readonly changes: PolicyChangeService;

  constructor(private readonly db: DataSource) {
    this.changes = new PolicyChangeService(db);
  }

  async export(rawCtx: RequestContext): Promise<string> {
    requireRole(rawCtx.auth, 'viewer');
    const ctx = tenantScope(rawCtx);
    return inTenantTx(this.db, ctx.tenantId, async (m) => {
      const clusters: Array<{ id: string; name: string }> = await m.query(
        `SELECT DISTINCT c.id, c.name FROM namespace_claims n JOIN clusters c ON c.id = n.cluster_id ORDER BY c.name`,
      );
      const objects: IstioObject[] = [];
      for (const cluster of clusters) {
        const result = compile((await this.desired.load(m, ctx.tenantId, cluster)).snapshot);
        for (const host of result.hosts.values()) objects.push(...governedObjects(host));
      }
      return toYaml(objects);
    });
  }

  async apply(
    rawCtx: RequestContext,
    yamlText: string,
    opts: { prune?: boolean; dryRun?: boolean } = {},
  ): Promise<ApplyBundleResult> {
    requireRole(rawCtx.auth, 'operator');
    const ctx = tenantScope(rawCtx);
    const docs = parseBundle(yamlText);
    const { changes, result } = await this.plan(ctx, docs, opts.prune ?? false);
    if (changes.length === 0) return result;
    const outcome = await this.changes.run(ctx, changes, opts.dryRun ?? false);
    return 'dryRun' in outcome ? { ...result, dryRun: outcome } : result;
  }

  private async plan(
    ctx: TenantRequestContext,
    docs: PolicyBody[],
    prune: boolean,
  ): Promise<{ changes: Change[]; result: ApplyBundleResult }> {
    const result: ApplyBundleResult = {
      created: [],
      configured: [],
      unchanged: [],
      deleted: [],
      retained: [],
    };
    const changes: Change[] = [];
    await inTenantTx(this.db, ctx.tenantId, async (m) => {
      const existing = await m.getRepository(PolicyEntity).find();
      const seen = new Set<string>();
      for (const [i, body] of docs.entries()) {
        const cluster = await resolveCluster(m, body.target.namespace, body.target.cluster).catch(
          (err: unknown) => {
            throw inDocument(err, i);
          },
        );
        const current = existing.find(
          (p) => p.clusterId === cluster.id && p.namespace === body.target.namespace && p.name === body.name,
        );
        const id = label(body.target.namespace, body.name);
        if (!current) {
          changes.push({ type: 'create', body, cluster });
          result.created.push(id);
        } else if (current.kind !== body.kind) {
          throw new HeliomeshError({
            code: 'IMMUTABLE_FIELD',
            status: 422,
            message: `Document ${i}: policy ${id} is a ${current.kind}; its kind cannot change to ${body.kind}. Delete it first or rename the new one.`,
            path: ['documents', i, 'kind'],
          });
        } else if (
          canonicalJson({ target: body.target, spec: body.spec }) ===
          canonicalJson({ target: current.target, spec: current.spec })
        ) {
          result.unchanged.push(id);
        } else {
          changes.push({ type: 'update', body, cluster, existing: current });
          result.configured.push(id);
        }
        seen.add(current?.id ?? `new:${cluster.id}:${id}`);
      }
      if (prune) {
        const clusters: Array<{ id: string; name: string }> = await m.query(`SELECT id, name FROM clusters`);
        for (const p of existing.filter((x) => !seen.has(x.id))) {
          // A rollout's release pin holds the traffic where the rollout left it; pruning it would
          // spread the service over every version again. It goes when a user policy replaces it.
          if (p.createdBy.startsWith('system:')) {
            result.retained.push(label(p.namespace, p.name));
            continue;
          }
          changes.push({ type: 'delete', existing: p, cluster: clusters.find((c) => c.id === p.clusterId)! });
          result.deleted.push(label(p.namespace, p.name));
        }
      }
    });
    return { changes, result };
  }
}

/** All documents valid, or a 422 listing every problem with its document index and path. */
function parseBundle(yamlText: string): PolicyBody[] {
  const parsed = parsePolicyDocuments(yamlText);
  if (parsed.findings.length) {
    const first = parsed.findings[0]!;
    throw new HeliomeshError({
      code: 'BUNDLE_INVALID',
      status: 422,
      message: `Document ${first.document}: ${formatJsonPath(first.path)}: ${first.message}`,
      path: ['documents', first.document, ...first.path],
      details: parsed.findings.map((f) => ({
        code: f.code,
        path: formatJsonPath(['documents', f.document, ...f.path]),
        message: f.message,
      })),
    });
  }
  const keys = new Map<string, number>();
  for (const { document, policy } of parsed.policies) {
    const key = `${policy.target.cluster ?? ''}/${label(policy.target.namespace, policy.name)}`;
    const previous = keys.get(key);
    if (previous !== undefined)
      throw new HeliomeshError({
        code: 'BUNDLE_DUPLICATE',
        status: 422,
        message: `Documents ${previous} and ${document} both define policy ${label(policy.target.namespace, policy.name)}.`,
        path: ['documents', document, 'metadata', 'name'],
      });
    keys.set(key, document);
  }
  return parsed.policies.map((p) => p.policy);
}

function inDocument(err: unknown, index: number): unknown {
  if (!(err instanceof HeliomeshError)) return err;
  return new HeliomeshError({
    code: err.code,
    status: err.status,
    message: `Document ${index}: ${err.message}`,
    path: `$.documents[${index}]${err.path.slice(1)}`,
  });
}
