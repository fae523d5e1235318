import { loadConfigOrExit } from '@heliomesh/config';
import { collectorEnv } from './config.js';

const config = loadConfigOrExit(collectorEnv);
const { startCollector } = await import('./collector.bootstrap.js');
await startCollector(config, { handleSignals: true });
