import { loadConfig } from '@heliomesh/config';
import { describeServiceContract } from '@heliomesh/testing';
import { collectorEnv } from '../src/config.js';
import { startCollector } from '../src/collector.bootstrap.js';

describeServiceContract({
  name: 'metrics-collector',
  entry: 'apps/metrics-collector/dist/main.js',
  portVariable: 'COLLECTOR_PORT',
  start: ({ databaseUrl, redisUrl, queuePrefix }) => {
    const config = loadConfig(collectorEnv, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      LOG_LEVEL: 'silent',
    });
    return startCollector({ ...config, COLLECTOR_PORT: 0 });
  },
});
