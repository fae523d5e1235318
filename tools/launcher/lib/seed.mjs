import { readFileSync } from 'node:fs';
import { readSecret, writeSecret } from './state.mjs';

/**
 * Makes the sandbox usable at once, idempotently: the sandbox cluster registered, a tenant
 * `demo` owning namespace `shop` with the demo shop's services discovered, and an operator
 * token for it (kept in the state directory, recreated when no longer valid).
 */
export async function seedDemo({ apiUrl, adminToken, kubeconfigPath, stateDir }) {
  const call = async (method, path, body, token = adminToken, tenant) => {
    const headers = {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(tenant ? { 'x-heliomesh-tenant': tenant } : {}),
    };
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers,
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const ok = (res, what, allowed = [200, 201]) => {
    if (!allowed.includes(res.status))
      throw new Error(`seeding the demo failed at "${what}": ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };

  const clusters = ok(await call('GET', '/v1/clusters'), 'list clusters').body;
  if (!clusters.some((c) => c.name === 'sandbox')) {
    ok(
      await call('POST', '/v1/clusters', {
        name: 'sandbox',
        connection: 'sandbox',
        kubeconfig: readFileSync(kubeconfigPath, 'utf8'),
      }),
      'register the sandbox cluster',
    );
  }
  const tenants = ok(await call('GET', '/v1/tenants'), 'list tenants').body;
  if (!tenants.some((t) => t.name === 'demo'))
    ok(
      await call('POST', '/v1/tenants', { name: 'demo', displayName: 'Demo shop team' }),
      'create tenant demo',
    );
  const claims = ok(await call('GET', '/v1/namespaces'), 'list namespace claims').body;
  if (!claims.some((c) => c.tenant === 'demo' && c.namespace === 'shop'))
    ok(
      await call('POST', '/v1/namespaces', { tenant: 'demo', cluster: 'sandbox', namespace: 'shop' }),
      'claim namespace shop',
    );

  let operator = readSecret(stateDir, 'demo-operator-token');
  if (!operator || (await call('GET', '/v1/policies?limit=1', undefined, operator)).status !== 200) {
    const created = ok(
      await call('POST', '/v1/tokens', { name: 'demo-operator', role: 'operator' }, adminToken, 'demo'),
      'create the demo operator token',
    );
    operator = created.body.secret;
    writeSecret(stateDir, 'demo-operator-token', operator);
  }
  const sync = ok(await call('POST', '/v1/services/sync', undefined, operator), 'discover the demo services');
  const services = sync.body.reduce((n, r) => n + r.added.length + r.updated.length + r.unchanged, 0);
  return { operatorToken: operator, services };
}
