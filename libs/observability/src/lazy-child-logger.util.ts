import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

/**
 * A request's logger that becomes a pino child only when something is logged at an enabled
 * level. Fastify makes a child per request (pino serialises its bindings at creation, a few
 * microseconds); with LOG_LEVEL above `info`, most requests log nothing and now cost nothing.
 */
export class LazyChildLogger implements FastifyBaseLogger {
  private real?: Logger;

  constructor(
    private readonly parent: Logger,
    private readonly childBindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {
    // A route with its own logLevel gets a real child at once: its level is the child's, not ours.
    if (options.level !== undefined) this.real = parent.child(childBindings, options);
  }

  get level(): string {
    return this.real?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.resolve().level = level;
  }

  fatal(...args: unknown[]): void {
    this.log('fatal', args);
  }

  error(...args: unknown[]): void {
    this.log('error', args);
  }

  warn(...args: unknown[]): void {
    this.log('warn', args);
  }

  info(...args: unknown[]): void {
    this.log('info', args);
  }

  debug(...args: unknown[]): void {
    this.log('debug', args);
  }

  trace(...args: unknown[]): void {
    this.log('trace', args);
  }

  /** Pino's `silent` level method: logs nothing by definition. */
  silent(): void {
    return undefined;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.resolve().child(bindings, options);
  }

  isLevelEnabled(level: string): boolean {
    return (this.real ?? this.parent).isLevelEnabled(level);
  }

  bindings(): Bindings {
    return this.resolve().bindings();
  }

  flush(cb?: (err?: Error) => void): void {
    this.parent.flush(cb);
  }

  private log(level: Level, args: unknown[]): void {
    const logger = this.real ?? this.parent;
    if (!logger.isLevelEnabled(level)) return;
    const real = this.resolve();
    // Methods stay on the prototype: a request's logger is one small object, no closures.
    (real[level] as (...a: unknown[]) => void).apply(real, args);
  }

  private resolve(): Logger {
    this.real ??= this.parent.child(this.childBindings, this.options);
    return this.real;
  }
}
