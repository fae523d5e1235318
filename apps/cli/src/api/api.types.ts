import type { MetricVerdict } from '@heliomesh/analysis';

export type { MetricVerdict };

/**
 * The parts of the REST API's responses the CLI reads (apps/policy-api/openapi.json is the
 * contract; test/openapi-contract.spec.ts checks these names against it).
 */
export interface ServiceView {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  ports: Array<{ name?: string; port: number; protocol?: string }>;
  versions: Array<{ name: string; labels: Record<string, string>; pods: number }>;
  discoveredAt: string;
  removed: boolean;
}

export interface Finding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  path: string;
  host?: string;
  policyIds?: string[];
  object?: string;
}

export interface PolicyView {
  id: string;
  name: string;
  kind: string;
  cluster: string;
  namespace: string;
  serviceId: string | null;
  target: Record<string, unknown> & { service?: string };
  spec: Record<string, unknown>;
  revision: number;
  status: {
    phase: 'Pending' | 'Applied' | 'Error';
    appliedRevision: number | null;
    reason: Record<string, unknown> | null;
    updatedAt: string;
  };
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}

export interface GeneratedConfig {
  serviceId: string;
  host: string;
  yaml: string;
  emitted: boolean;
  findings: Finding[];
}

export interface DryRunResult {
  dryRun: true;
  yaml: string;
  diff: string;
  findings: Finding[];
}

export interface ApplyResult {
  created: string[];
  configured: string[];
  unchanged: string[];
  deleted: string[];
  /** Kept by --prune: policies the platform wrote itself (rollout release pins). */
  retained?: string[];
  dryRun?: DryRunResult;
}

export interface AuditEvent {
  id: string;
  seq: number;
  occurredAt: string;
  actor: string;
  action: string;
  resourceKind: string;
  resourceId: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

export const TERMINAL_PHASES = ['Succeeded', 'RolledBack', 'Failed', 'Aborted'] as const;
export type RolloutPhase =
  'Initializing' | 'Progressing' | 'Paused' | 'Promoting' | 'RollingBack' | (typeof TERMINAL_PHASES)[number];

export interface RolloutView {
  id: string;
  cluster: string;
  namespace: string;
  service: string;
  serviceId: string;
  strategy: 'canary' | 'ab' | 'blue-green';
  stable: string;
  canary: string;
  phase: RolloutPhase;
  phaseReason: { code: string; message: string; outcome?: RolloutPhase } | null;
  step: { index: number; total: number; description: string };
  canaryWeight: number;
  route: { canaryWeight?: number; mirrorPercent?: number } | null;
  failedChecks: number;
  attempt: number;
  version: number;
  spec: Record<string, unknown>;
  nextTickAt: string | null;
  eta: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface RolloutEvent {
  rolloutId: string;
  seq: number;
  tick: number;
  attempt: number;
  type: string;
  phase: RolloutPhase;
  stepIndex: number;
  canaryWeight: number;
  actor: string;
  message: string;
  data: {
    verdicts?: MetricVerdict[];
    decision?: string;
    reason?: string;
    observedSplit?: { canary: number | null; stable: number | null; canaryShare: number | null };
    [key: string]: unknown;
  };
  occurredAt: string;
}

export function isTerminal(phase: RolloutPhase): boolean {
  return (TERMINAL_PHASES as readonly string[]).includes(phase);
}
