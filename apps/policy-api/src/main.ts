import { loadConfigOrExit } from '@heliomesh/config';
import { policyApiEnv } from './config.js';

// Configuration is checked before the framework is even loaded, so a bad value fails in milliseconds.
const config = loadConfigOrExit(policyApiEnv);
const { startPolicyApi } = await import('./policy-api.bootstrap.js');
await startPolicyApi(config, { handleSignals: true });
