import { sourceLabel, type ClaimCollision, type ClaimSource } from '../../model/claims.util.js';
import type { FindingDraft } from '../finding.types.js';

const idOf = (s: ClaimSource) => (s.kind === 'policy' ? s.policy.id : undefined);

/** A finding naming both sides of a collision, pointing at the later (losing) setting. */
export function collisionDraft(c: ClaimCollision, message: string): FindingDraft {
  const policyIds = [c.other, c.kept].map(idOf).filter((id): id is string => id !== undefined);
  const rollout = [c.other, c.kept].find((s) => s.kind === 'rollout');
  return {
    message,
    path: c.other.path,
    policyIds,
    ...(rollout?.kind === 'rollout' ? { rolloutId: rollout.rollout.rolloutId } : {}),
  };
}

export function between(c: ClaimCollision): string {
  return `${sourceLabel(c.kept)} and ${sourceLabel(c.other)}`;
}

/** Collisions between two different sources (one policy colliding with itself is HM1018). */
export function crossSource(c: ClaimCollision): boolean {
  return !(c.kept.kind === 'policy' && c.other.kind === 'policy' && c.kept.policy.id === c.other.policy.id);
}
