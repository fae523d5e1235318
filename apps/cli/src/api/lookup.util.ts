import { HeliomeshError } from '@heliomesh/util';
import type { ApiClient } from './api-client.service.js';
import type { PolicyView, RolloutView, ServiceView } from './api.types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isId(ref: string): boolean {
  return UUID.test(ref);
}

/** `namespace/name`, or `name` with the namespace from -n. */
export function splitRef(
  ref: string,
  namespace: string | undefined,
  what: string,
): { namespace?: string; name: string } {
  const parts = ref.split('/');
  if (parts.length === 2 && parts[0] && parts[1]) return { namespace: parts[0], name: parts[1] };
  if (parts.length === 1 && ref) return { ...(namespace ? { namespace } : {}), name: ref };
  throw new HeliomeshError({
    code: 'INPUT_INVALID',
    status: 400,
    message: `"${ref}" is not a ${what}: give NAME (with -n NAMESPACE), NAMESPACE/NAME, or its id.`,
  });
}

function notFound(what: string, ref: string, hint: string): HeliomeshError {
  return new HeliomeshError({ code: 'NOT_FOUND', status: 404, message: `No ${what} "${ref}". ${hint}` });
}

function ambiguous(what: string, ref: string, choices: string[]): HeliomeshError {
  return new HeliomeshError({
    code: 'AMBIGUOUS',
    status: 409,
    message: `"${ref}" names more than one ${what} (${choices.join(', ')}); give NAMESPACE/NAME or the id.`,
  });
}

export async function findService(api: ApiClient, ref: string, namespace?: string): Promise<ServiceView> {
  if (isId(ref)) return api.get<ServiceView>(`/v1/services/${ref}`);
  const { namespace: ns, name } = splitRef(ref, namespace, 'service');
  const matches = (await api.list<ServiceView>('/v1/services', { namespace: ns })).filter(
    (s) => s.name === name && !s.removed,
  );
  if (!matches.length) throw notFound('service', ref, 'List them with `heliomesh get services`.');
  if (matches.length > 1)
    throw ambiguous(
      'service',
      ref,
      matches.map((s) => `${s.cluster}:${s.namespace}/${s.name}`),
    );
  return matches[0]!;
}

export async function findPolicy(api: ApiClient, ref: string, namespace?: string): Promise<PolicyView> {
  if (isId(ref)) return api.get<PolicyView>(`/v1/policies/${ref}`);
  const { namespace: ns, name } = splitRef(ref, namespace, 'policy');
  const matches = (await api.list<PolicyView>('/v1/policies', { namespace: ns })).filter(
    (p) => p.name === name,
  );
  if (!matches.length) throw notFound('policy', ref, 'List them with `heliomesh get policies`.');
  if (matches.length > 1)
    throw ambiguous(
      'policy',
      ref,
      matches.map((p) => `${p.cluster}:${p.namespace}/${p.name}`),
    );
  return matches[0]!;
}

/**
 * A rollout by id, or by its service (`reviews -n shop`, `shop/reviews`): the one running now,
 * else the most recent.
 */
export async function findRollout(api: ApiClient, ref: string, namespace?: string): Promise<RolloutView> {
  if (isId(ref)) return api.get<RolloutView>(`/v1/rollouts/${ref}`);
  const { namespace: ns, name } = splitRef(ref, namespace, 'rollout id or service');
  const all = (await api.list<RolloutView>('/v1/rollouts', { namespace: ns })).filter(
    (r) => r.service === name,
  );
  if (!all.length)
    throw notFound(
      'rollout of service',
      ref,
      'List rollouts with `heliomesh get rollouts`, or start one with `heliomesh rollout start -f FILE`.',
    );
  const active = all.filter((r) => r.finishedAt === null);
  const pick = (active.length ? active : all).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  return pick[0]!;
}
