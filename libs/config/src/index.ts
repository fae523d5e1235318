export { env, formOf } from './env.schema.js';
export { ConfigError, loadConfig, loadConfigOrExit } from './load-config.util.js';
export {
  clusterAccessEnv,
  commonServiceEnv,
  DEFAULT_DATABASE_URL,
  DEFAULT_PORTS,
  DEFAULT_REDIS_URL,
  DEV_CLUSTER_SECRET_KEY,
} from './service.config.js';
