import { loadConfig } from '@heliomesh/config';
import { describeServiceContract } from '@heliomesh/testing';
import { workerEnv } from '../src/config.js';
import { startWorker } from '../src/worker.bootstrap.js';

describeServiceContract({
  name: 'rollout-worker',
  entry: 'apps/rollout-worker/dist/main.js',
  portVariable: 'WORKER_PORT',
  start: ({ databaseUrl, redisUrl, queuePrefix }) => {
    const config = loadConfig(workerEnv, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      LOG_LEVEL: 'silent',
    });
    return startWorker({ ...config, WORKER_PORT: 0 });
  },
});
