import type { RouteMatch, StringMatch } from '@heliomesh/policy';
import type { JsonPath } from '@heliomesh/util';
import type { CheckContext } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

/** A match written by a user, with where it sits (for findings). */
export interface LocatedMatch {
  match: RouteMatch;
  path: JsonPath;
  owner: Pick<FindingDraft, 'policyIds' | 'rolloutId'>;
}

/** Every match the host's policies and rollouts state. */
export function userMatches(ctx: CheckContext): LocatedMatch[] {
  const out: LocatedMatch[] = [];
  for (const p of ctx.policies) {
    const owner = { policyIds: [p.id] };
    if (p.target.match) out.push({ match: p.target.match, path: ['target', 'match'], owner });
    if (p.kind === 'RequestRouting')
      p.spec.rules.forEach((r, i) =>
        out.push({ match: r.match, path: ['spec', 'rules', i, 'match'], owner }),
      );
  }
  for (const r of ctx.unit.rollouts)
    if (r.match) out.push({ match: r.match, path: ['match'], owner: { rolloutId: r.rolloutId } });
  return out;
}

export interface LocatedStringMatch {
  value: StringMatch;
  /** `uri`, `headers`, `queryParams`... */
  field: string;
  /** Header or query parameter name, for record fields. */
  name?: string;
  path: JsonPath;
}

/** The string conditions inside one match. */
export function stringMatches(match: RouteMatch, base: JsonPath): LocatedStringMatch[] {
  const out: LocatedStringMatch[] = [];
  for (const field of ['uri', 'scheme', 'method', 'authority'] as const) {
    const value = match[field];
    if (value) out.push({ value, field, path: [...base, field] });
  }
  for (const field of ['headers', 'withoutHeaders', 'queryParams'] as const)
    for (const [name, value] of Object.entries(match[field] ?? {}))
      out.push({ value, field, name, path: [...base, field, name] });
  return out;
}
