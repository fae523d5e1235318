import { loadConfig } from '@heliomesh/config';
import { describeServiceContract } from '@heliomesh/testing';
import { policyApiEnv } from '../src/config.js';
import { startPolicyApi } from '../src/policy-api.bootstrap.js';

describeServiceContract({
  name: 'policy-api',
  entry: 'apps/policy-api/dist/main.js',
  portVariable: 'POLICY_API_PORT',
  start: ({ databaseUrl, redisUrl, queuePrefix }) => {
    const config = loadConfig(policyApiEnv, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      LOG_LEVEL: 'silent',
    });
    return startPolicyApi({ ...config, POLICY_API_PORT: 0 });
  },
});
