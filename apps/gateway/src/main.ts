import { loadConfigOrExit } from '@heliomesh/config';
import { gatewayEnv } from './config.js';

const config = loadConfigOrExit(gatewayEnv);
const { startGateway } = await import('./gateway.bootstrap.js');
await startGateway(config, { handleSignals: true });
