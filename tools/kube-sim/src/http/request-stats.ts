/** One served request, as the request log keeps it. */
export interface RequestRecord {
  method: string;
  path: string;
  /** Kubernetes verb for resource requests (get, list, watch, create, update, patch, delete, deletecollection). */
  verb?: string;
  group?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** HTTP status answered (0 for a request left hanging by fault injection). */
  status: number;
  dryRun: boolean;
  /** Stored objects this request changed (0 for no-op writes and reads). */
  mutations: number;
}

export interface KubeSimStats {
  /** All HTTP requests served, discovery included. */
  requests: number;
  /** Write requests (create, update, patch, delete, deletecollection) on resources, whatever their outcome. */
  writes: number;
  /** Stored-object changes caused by client requests (controllers' own writes excluded). */
  mutations: number;
  byVerb: Record<string, number>;
}

const writeVerbs = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** Counts requests and keeps the most recent ones, so tests can prove that a no-op issued no write. */
export class RequestStats {
  private totals: KubeSimStats = { requests: 0, writes: 0, mutations: 0, byVerb: {} };
  private log: RequestRecord[] = [];

  constructor(private readonly logLimit: number) {}

  record(r: RequestRecord): void {
    this.totals.requests++;
    if (r.verb) {
      this.totals.byVerb[r.verb] = (this.totals.byVerb[r.verb] ?? 0) + 1;
      if (writeVerbs.has(r.verb)) this.totals.writes++;
    }
    this.totals.mutations += r.mutations;
    this.log.push(r);
    if (this.log.length > this.logLimit * 2) this.log = this.log.slice(-this.logLimit);
  }

  stats(): KubeSimStats {
    return { ...this.totals, byVerb: { ...this.totals.byVerb } };
  }

  requests(): RequestRecord[] {
    return this.log.slice(-this.logLimit);
  }

  reset(): void {
    this.totals = { requests: 0, writes: 0, mutations: 0, byVerb: {} };
    this.log = [];
  }
}
