import { loadConfig } from '@heliomesh/config';
import { describeServiceContract } from '@heliomesh/testing';
import { gatewayEnv } from '../src/config.js';
import { startGateway } from '../src/gateway.bootstrap.js';

describeServiceContract({
  name: 'gateway',
  entry: 'apps/gateway/dist/main.js',
  portVariable: 'GATEWAY_PORT',
  start: ({ databaseUrl, redisUrl, queuePrefix }) => {
    const config = loadConfig(gatewayEnv, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      LOG_LEVEL: 'silent',
    });
    return startGateway({ ...config, GATEWAY_PORT: 0 });
  },
});
