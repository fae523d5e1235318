import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type onResponseHookHandler,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilent, Logger } from 'pino';
import { HealthService } from './health.service.js';
import { LazyChildLogger } from './lazy-child-logger.util.js';
import { createLogger, NestPinoLogger } from './logger.util.js';
import { ServiceMetrics } from './service-metrics.service.js';

export interface ServiceRuntime {
  logger: Logger;
  metrics: ServiceMetrics;
  health: HealthService;
}

export interface RunServiceOptions {
  name: string;
  host: string;
  port: number;
  logLevel: LevelWithSilent;
  shutdownTimeoutMs: number;
  /** The root module, built with the runtime so it can import ObservabilityModule.forRoot(runtime). */
  module: (runtime: ServiceRuntime) => DynamicModule | Type;
  /** Extra setup on the app before it listens (OpenAPI, GraphQL plugins). */
  configure?: (app: NestFastifyApplication, runtime: ServiceRuntime) => Promise<void> | void;
  /** Install SIGTERM/SIGINT handlers that close gracefully and exit (off in tests). */
  handleSignals?: boolean;
  logDestination?: NodeJS.WritableStream;
}

export interface RunningService extends ServiceRuntime {
  app: NestFastifyApplication;
  url: string;
  /** Stop taking work, finish in-flight requests and jobs, close connections. */
  close(): Promise<void>;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const PROBE_PATHS = /^\/(healthz|readyz|metrics)(\?|$)/;

/** A caller's `x-request-id` is kept when it is sane, so one id follows a request across services. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Counts each request under its route's pattern. Every route gets its own hook with the pattern
 * captured once (routes are registered later, in Nest's init): `req.routeOptions` builds a
 * dozen-field object on each read, a measurable share of a small request. Requests no route
 * matched are counted as `unmatched`.
 */
function recordRequests(fastify: FastifyInstance, metrics: ServiceMetrics): void {
  fastify.addHook('onRoute', (route) => {
    const url = route.url;
    const record: onResponseHookHandler = (req, reply, done) => {
      metrics.recordHttpRequest(req.method, url, reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    route.onResponse = [...[route.onResponse ?? []].flat(), record];
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    if (req.is404)
      metrics.recordHttpRequest(req.method, 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}

export async function runService(opts: RunServiceOptions): Promise<RunningService> {
  const logger = createLogger(opts.name, opts.logLevel, opts.logDestination);
  const runtime: ServiceRuntime = {
    logger,
    metrics: new ServiceMetrics(opts.name),
    health: new HealthService(),
  };
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // Only a request that logs at an enabled level pays for its child logger.
    childLoggerFactory: (parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) =>
      new LazyChildLogger(parent as Logger, bindings, options),
    genReqId: requestId,
    // Probes and scrapes arrive every few seconds; logging them would drown the real traffic.
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: (req) => PROBE_PATHS.test(req.url),
    }),
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // Errors the router raises before any handler runs get the same body as every other error.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      const code = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'URI_TOO_LONG' : 'URL_MALFORMED';
      const message =
        status === 414
          ? 'A path segment is too long; no object has such an id.'
          : 'The URL is malformed (check its percent-encoding).';
      void reply
        .status(status)
        .send({ error: { code, message, path: '$.url', requestId: String(request.id) } });
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(opts.module(runtime), adapter, {
    logger: new NestPinoLogger(logger),
    bufferLogs: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Callback-style hooks: on every request, an async hook would cost a promise and a microtask.
  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.header('x-request-id', req.id);
    done();
  });
  recordRequests(fastify, runtime.metrics);
  await opts.configure?.(app, runtime);
  await app.listen(opts.port, opts.host);
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  logger.info({ url }, `${opts.name} listening`);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      runtime.health.markShuttingDown();
      await app.close();
    })();
    return closing;
  };
  if (opts.handleSignals) installSignalHandlers(close, logger, opts.shutdownTimeoutMs);
  return { ...runtime, app, url, close };
}

function installSignalHandlers(close: () => Promise<void>, logger: Logger, timeoutMs: number): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal, timeoutMs }, 'shutting down: finishing in-flight work');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown did not finish in time; exiting anyway');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    close().then(
      () => {
        logger.info('shutdown complete');
        logger.flush();
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
