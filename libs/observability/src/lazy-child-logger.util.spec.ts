import { Writable } from 'node:stream';
import Fastify from 'fastify';
import type { LevelWithSilent, Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { LazyChildLogger } from './lazy-child-logger.util.js';
import { createLogger } from './logger.util.js';

function capture(level: LevelWithSilent): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('test', level, sink);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('LazyChildLogger', () => {
  it('creates no child while nothing is logged at an enabled level', () => {
    const { logger, lines } = capture('warn');
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<Logger['child']>) => {
      children++;
      return child(...args);
    }) as Logger['child'];
    const lazy = new LazyChildLogger(logger, { requestId: 'r-1' }, {});
    lazy.info({ req: 'x' }, 'incoming request');
    lazy.debug('details');
    expect(children).toBe(0);
    expect(lines()).toEqual([]);
    lazy.warn({ code: 'SLOW' }, 'slow answer');
    lazy.error('failed %s', 'twice');
    expect(children).toBe(1);
    expect(lines()).toMatchObject([
      { level: 'warn', requestId: 'r-1', code: 'SLOW', msg: 'slow answer', service: 'test' },
      { level: 'error', requestId: 'r-1', msg: 'failed twice' },
    ]);
  });

  it('passes child bindings and the level through', () => {
    const { logger, lines } = capture('info');
    const lazy = new LazyChildLogger(logger, { requestId: 'r-2' }, {});
    expect(lazy.level).toBe('info');
    lazy.child({ job: 'j' }).info('from a grandchild');
    lazy.level = 'error';
    lazy.warn('dropped');
    expect(lines()).toMatchObject([{ requestId: 'r-2', job: 'j', msg: 'from a grandchild' }]);
    expect(lines()).toHaveLength(1);
  });

  it("honours a route's own log level, below or above the service's", () => {
    const { logger, lines } = capture('info');
    const verbose = new LazyChildLogger(logger, { requestId: 'r-3' }, { level: 'debug' });
    const quiet = new LazyChildLogger(logger, { requestId: 'r-4' }, { level: 'error' });
    expect([verbose.level, quiet.level]).toEqual(['debug', 'error']);
    expect([verbose.isLevelEnabled('debug'), quiet.isLevelEnabled('warn')]).toEqual([true, false]);
    verbose.debug('kept');
    quiet.warn('dropped');
    expect(lines()).toMatchObject([{ requestId: 'r-3', msg: 'kept' }]);
    expect(lines()).toHaveLength(1);
    expect(verbose.bindings()).toMatchObject({ requestId: 'r-3' });
  });

  it("as Fastify's child logger factory: request lines carry the request id", async () => {
    const { logger, lines } = capture('info');
    const app = Fastify({
      loggerInstance: logger,
      genReqId: () => 'req-42',
      childLoggerFactory: (parent, bindings, options) =>
        new LazyChildLogger(parent as Logger, bindings, options),
    });
    app.get('/', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/' });
    await app.close();
    const request = lines().filter((l) => l['reqId'] === 'req-42');
    expect(request.map((l) => l['msg'])).toEqual(['incoming request', 'request completed']);
  });
});
