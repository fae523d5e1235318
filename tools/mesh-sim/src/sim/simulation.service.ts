import type { EntryClient, MeshEngine } from '../engine/mesh-engine.service.js';

/**
 * Simulated time. Entry arrivals are generated per client as a Poisson process (exponential gaps)
 * or evenly spaced, and processed in time order bucket by bucket; each request is evaluated whole
 * (including its downstream calls) at its arrival time.
 */
export class Simulation {
  /** Simulated milliseconds since the start. */
  now = 0;
  private readonly nextAt: number[];
  /** Evenly spaced arrivals are computed as base + k × gap so they do not drift. */
  private readonly base: number[];
  private readonly sent: number[];
  private loadScale: number;

  constructor(
    private readonly engine: MeshEngine,
    readonly bucketMs = 100,
    loadScale = 1,
  ) {
    this.loadScale = loadScale;
    this.base = engine.clients.map(() => 0);
    this.sent = engine.clients.map(() => 0);
    this.nextAt = engine.clients.map((c) => this.first(c, 0));
  }

  private first(client: EntryClient, now: number): number {
    return client.spec.arrival === 'uniform' && this.rps(client) > 0 ? now : now + this.gap(client);
  }

  private rps(client: EntryClient): number {
    return client.spec.rps * this.loadScale;
  }

  /** Runs `ms` of simulated time synchronously. */
  step(ms: number): void {
    const end = this.now + ms;
    while (this.now < end) {
      const to = Math.min(end, this.now + this.bucketMs);
      this.runBucket(to);
      this.now = to;
    }
  }

  setLoadScale(scale: number): void {
    this.loadScale = scale;
    this.engine.clients.forEach((c, i) => {
      this.base[i] = this.now;
      this.sent[i] = 0;
      this.nextAt[i] = this.first(c, this.now);
    });
  }

  private runBucket(to: number): void {
    const clients = this.engine.clients;
    for (;;) {
      let best = -1;
      let bestAt = to;
      for (let i = 0; i < clients.length; i++) {
        if (this.nextAt[i]! < bestAt) {
          bestAt = this.nextAt[i]!;
          best = i;
        }
      }
      if (best < 0) return;
      const client = clients[best]!;
      this.engine.send(client, this.pickRequest(client), bestAt);
      const k = ++this.sent[best]!;
      this.nextAt[best] =
        client.spec.arrival === 'uniform'
          ? this.base[best]! + k * this.gap(client)
          : bestAt + this.gap(client);
    }
  }

  private gap(client: EntryClient): number {
    const rps = this.rps(client);
    if (rps <= 0) return Number.POSITIVE_INFINITY;
    const mean = 1000 / rps;
    return client.spec.arrival === 'poisson' ? -mean * Math.log(1 - this.engine.rng.next()) : mean;
  }

  private pickRequest(client: EntryClient): EntryClient['requests'][number] {
    const weights = client.cumulativeWeights;
    if (weights.length === 1) return client.requests[0]!;
    const r = this.engine.rng.next() * weights[weights.length - 1]!;
    for (let i = 0; i < weights.length; i++) if (r < weights[i]!) return client.requests[i]!;
    return client.requests[weights.length - 1]!;
  }
}
