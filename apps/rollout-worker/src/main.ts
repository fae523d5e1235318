import { loadConfigOrExit } from '@heliomesh/config';
import { workerEnv } from './config.js';

const config = loadConfigOrExit(workerEnv);
const { startWorker } = await import('./worker.bootstrap.js');
await startWorker(config, { handleSignals: true });
