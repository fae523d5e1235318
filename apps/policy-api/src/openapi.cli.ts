import { writeFileSync } from 'node:fs';
import { loadConfig } from '@heliomesh/config';
import { canonicalJson } from '@heliomesh/util';
import { policyApiEnv } from './config.js';
import { startPolicyApi } from './policy-api.bootstrap.js';

/**
 * `npm run openapi`: writes the OpenAPI document the API serves to apps/policy-api/openapi.json,
 * the checked-in contract a test compares against. Runs the service on a spare port briefly.
 */
const target = process.argv[2] ?? new URL('../openapi.json', import.meta.url).pathname;
const config = loadConfig(policyApiEnv, {
  ...process.env,
  LOG_LEVEL: 'silent',
  DB_MIGRATE_ON_START: 'false',
});
const service = await startPolicyApi({ ...config, POLICY_API_PORT: 0 });
try {
  const document: unknown = await (await fetch(`${service.url}/openapi.json`)).json();
  writeFileSync(target, `${JSON.stringify(JSON.parse(canonicalJson(document)), null, 2)}\n`);
  process.stdout.write(`wrote ${target}\n`);
} finally {
  await service.close();
}
