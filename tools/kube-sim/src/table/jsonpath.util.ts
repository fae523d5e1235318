import { isJsonObject, type JsonValue } from '../api/object.types.js';

type Step =
  | { t: 'field'; name: string }
  | { t: 'index'; i: number }
  | { t: 'all' }
  | { t: 'filter'; path: string[]; value: string };

/**
 * Parses the simple JSONPath subset CRD printer columns and selectable fields use: `.a.b`, `.a[0]`,
 * `.a[*].b`, `.a['x.y']` and `.a[?(@.type=="Ready")].status`. Returns undefined when unsupported.
 */
export function parseJsonPath(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let i = path.startsWith('$') ? 1 : 0;
  if (path.startsWith('{') && path.endsWith('}')) return parseJsonPath(path.slice(1, -1));
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      if (j === i + 1) return undefined;
      steps.push({ t: 'field', name: path.slice(i + 1, j) });
      i = j;
      continue;
    }
    if (ch !== '[') return undefined;
    const end = path.indexOf(']', i);
    if (end < 0) return undefined;
    const inner = path.slice(i + 1, end).trim();
    i = end + 1;
    if (inner === '*') steps.push({ t: 'all' });
    else if (/^-?\d+$/.test(inner)) steps.push({ t: 'index', i: Number(inner) });
    else if (/^'[^']*'$/.test(inner) || /^"[^"]*"$/.test(inner))
      steps.push({ t: 'field', name: inner.slice(1, -1) });
    else {
      const m = /^\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)')\)$/.exec(inner);
      if (!m) return undefined;
      steps.push({ t: 'filter', path: m[1]!.slice(1).split('.'), value: m[2] ?? m[3] ?? '' });
    }
  }
  return steps;
}

function stepValues(values: JsonValue[], step: Step): JsonValue[] {
  const out: JsonValue[] = [];
  for (const v of values) {
    switch (step.t) {
      case 'field':
        if (isJsonObject(v) && v[step.name] !== undefined) out.push(v[step.name]!);
        break;
      case 'index':
        if (Array.isArray(v)) {
          const item = v[step.i < 0 ? v.length + step.i : step.i];
          if (item !== undefined) out.push(item);
        }
        break;
      case 'all':
        if (Array.isArray(v)) out.push(...v);
        else if (isJsonObject(v)) out.push(...Object.values(v));
        break;
      case 'filter':
        if (Array.isArray(v))
          for (const item of v) {
            let cur: JsonValue | undefined = item;
            for (const k of step.path) cur = isJsonObject(cur) ? cur[k] : undefined;
            if (cur !== undefined && String(cur) === step.value) out.push(item);
          }
        break;
    }
  }
  return out;
}

/** Every value the path selects (empty when nothing matches). */
export function evalJsonPath(root: JsonValue, steps: Step[]): JsonValue[] {
  let values: JsonValue[] = [root];
  for (const step of steps) values = stepValues(values, step);
  return values;
}
