import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { env } from './env.schema.js';
import { ConfigError, loadConfig } from './load-config.util.js';
import { commonServiceEnv, DEFAULT_DATABASE_URL } from './service.config.js';

const schema = z.object({ ...commonServiceEnv, TEST_PORT: env.port(3000) });

function failure(vars: Record<string, string>): ConfigError {
  try {
    loadConfig(schema, vars);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults that fit a developer machine', () => {
    const cfg = loadConfig(schema, {});
    expect(cfg.DATABASE_URL).toBe(DEFAULT_DATABASE_URL);
    expect(cfg.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(cfg.TEST_PORT).toBe(3000);
    expect(cfg.DB_MIGRATE_ON_START).toBe(true);
    expect(cfg.DATABASE_POOL_MIN).toBe(0);
    expect(loadConfig(schema, { DATABASE_POOL_MIN: '20' }).DATABASE_POOL_MIN).toBe(20);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(schema, { TEST_PORT: '' }).TEST_PORT).toBe(3000);
  });

  it.each([
    ['DATABASE_URL', 'mysql://root@localhost/x', 'a postgres:// URL'],
    ['DATABASE_URL', 'not a url', 'a postgres:// URL'],
    ['REDIS_URL', 'http://127.0.0.1:6379', 'a redis:// URL'],
    ['TEST_PORT', '70000', 'a TCP port number between 1 and 65535'],
    ['TEST_PORT', 'abc', 'a TCP port number between 1 and 65535'],
    ['TEST_PORT', '0', 'a TCP port number between 1 and 65535'],
    ['LOG_LEVEL', 'loud', 'one of fatal, error'],
    ['SHUTDOWN_TIMEOUT_MS', '-5', 'a positive whole number'],
    ['QUEUE_PREFIX', 'Bad Prefix', 'lowercase letters'],
    ['DATABASE_POOL_MIN', '21', 'a whole number from 0 to 20'],
    ['DATABASE_POOL_MIN', '-1', 'a whole number from 0 to 20'],
    ['DATABASE_POOL_MIN', '2.5', 'a whole number from 0 to 20'],
  ])('rejects %s=%s naming the variable and the form', (variable, value, form) => {
    const err = failure({ [variable]: value });
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(`Invalid configuration: ${variable} must be ${form}`);
    expect(err.message).toContain(JSON.stringify(value));
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('never throws anything but a ConfigError for arbitrary port strings', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        try {
          const cfg = loadConfig(schema, { TEST_PORT: value });
          expect(Number.isInteger(cfg.TEST_PORT)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
        }
      }),
    );
  });
});
