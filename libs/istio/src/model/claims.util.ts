import type { StoredPolicy } from '@heliomesh/policy';
import type { JsonPath } from '@heliomesh/util';
import type { RolloutRoute } from '../snapshot/snapshot.types.js';

/** Who set a field: a policy (with the path of the setting inside it) or a running rollout. */
export type ClaimSource =
  | { kind: 'policy'; policy: StoredPolicy; path: JsonPath }
  | { kind: 'rollout'; rollout: RolloutRoute; path: JsonPath };

export interface Claim<T = unknown> {
  value: T;
  source: ClaimSource;
}

/** Two sources for one field. `overridden` marks the rollout-beats-policy case, which is not an error. */
export interface ClaimCollision {
  /** `route` (VirtualService) or `destination` (DestinationRule). */
  object: 'route' | 'destination';
  /** Human label of the scope, e.g. `route {"uri":{"prefix":"/api"}}` or `subset v2`. */
  scope: string;
  field: string;
  kept: ClaimSource;
  other: ClaimSource;
  overridden: boolean;
}

export function sourceId(source: ClaimSource): string {
  return source.kind === 'policy' ? source.policy.id : `rollout:${source.rollout.rolloutId}`;
}

export function sourceLabel(source: ClaimSource): string {
  return source.kind === 'policy'
    ? `${source.policy.kind} "${source.policy.name}" (${source.policy.id})`
    : `rollout ${source.rollout.rolloutId}`;
}

/**
 * The fields set in one scope (the whole service, one route, or one DestinationRule subset) and
 * who set each. The first claim of a field keeps it; a second claim by another source is logged as
 * a collision, except that a rollout always wins over a policy (it is the only writer of weights
 * while it runs).
 */
export class ClaimScope {
  readonly claims = new Map<string, Claim>();

  constructor(
    readonly object: 'route' | 'destination',
    readonly label: string,
    private readonly collisions: ClaimCollision[],
  ) {}

  claim<T>(field: string, value: T, source: ClaimSource): void {
    const existing = this.claims.get(field);
    if (!existing) {
      this.claims.set(field, { value, source });
      return;
    }
    const rolloutWins = source.kind === 'rollout' && existing.source.kind === 'policy';
    const rolloutKept = existing.source.kind === 'rollout' && source.kind === 'policy';
    if (rolloutWins) this.claims.set(field, { value, source });
    this.collisions.push({
      object: this.object,
      scope: this.label,
      field,
      kept: rolloutWins ? source : existing.source,
      other: rolloutWins ? existing.source : source,
      overridden: rolloutWins || rolloutKept,
    });
  }

  get<T>(field: string): Claim<T> | undefined {
    return this.claims.get(field) as Claim<T> | undefined;
  }
}
