import pg from 'pg';
import { errorMessage } from '@heliomesh/util';

export interface PgListenerOptions {
  url: string;
  applicationName: string;
  channel: string;
  onNotification: (payload: string | undefined) => void;
  /** Called once per lost or failed connection; the listener reconnects by itself. */
  onDisconnect: (reason: string) => void;
}

/**
 * One LISTEN connection that reconnects with backoff until stopped. What is notified while it
 * is away is lost, so every user of it also polls.
 */
export class PgListener {
  private client?: pg.Client;
  private stopped = false;
  private loop?: Promise<void>;
  private cancelPause?: () => void;

  constructor(private readonly opts: PgListenerOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelPause?.();
    // The loop is not awaited: a connect to an unreachable database may take long to fail, and
    // once stopped the loop only closes the client it was opening.
    await this.client?.end().catch(() => undefined);
  }

  private async run(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const client = new pg.Client({
        connectionString: this.opts.url,
        application_name: this.opts.applicationName,
      });
      const closed = new Promise<void>((resolve) => {
        // `on`, not `once`: a second 'error' without a listener would crash the process.
        client.on('error', () => resolve());
        client.once('end', () => resolve());
      });
      client.on('notification', (n) => {
        if (n.channel === this.opts.channel) this.opts.onNotification(n.payload);
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${this.opts.channel}`);
        this.client = client;
        attempt = 0;
        // stop() may have run while connecting, before it could see this client.
        if (!this.stopped) await closed;
        if (!this.stopped) this.opts.onDisconnect('connection closed');
      } catch (err) {
        if (!this.stopped) this.opts.onDisconnect(errorMessage(err));
      }
      this.client = undefined;
      await client.end().catch(() => undefined);
      if (!this.stopped) await this.pause(Math.min(500 * 2 ** attempt, 10_000));
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.cancelPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
