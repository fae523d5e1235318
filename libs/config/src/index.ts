export { env, formOf } from './env.schema.js';
export { ConfigError, loadConfig, loadConfigOrExit } from './load-config.util.js';
export {
  commonServiceEnv,
  DEFAULT_DATABASE_URL,
  DEFAULT_PORTS,
  DEFAULT_REDIS_URL,
} from './service.config.js';
