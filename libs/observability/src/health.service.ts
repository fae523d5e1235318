import { errorMessage } from '@heliomesh/util';

/** A dependency the service cannot work without; `check` throws when it is unusable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface ReadinessReport {
  status: 'ready' | 'not-ready';
  checks: Record<string, { status: 'up' | 'down'; error?: string }>;
}

const CHECK_TIMEOUT_MS = 2_000;

/** Readiness is computed on every probe from live checks, so recovery needs no restart. */
export class HealthService {
  private readonly checks: ReadinessCheck[] = [];
  private shuttingDown = false;

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async readiness(): Promise<ReadinessReport> {
    const checks: ReadinessReport['checks'] = {};
    if (this.shuttingDown) checks['shutdown'] = { status: 'down', error: 'the service is shutting down' };
    await Promise.all(
      this.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(
            check(),
            CHECK_TIMEOUT_MS,
            `${name} did not answer within ${CHECK_TIMEOUT_MS} ms`,
          );
          checks[name] = { status: 'up' };
        } catch (err) {
          checks[name] = { status: 'down', error: errorMessage(err) };
        }
      }),
    );
    const ready = Object.values(checks).every((c) => c.status === 'up');
    return { status: ready ? 'ready' : 'not-ready', checks };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
