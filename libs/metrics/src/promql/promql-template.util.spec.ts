import { HeliomeshError } from '@heliomesh/util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderPromqlTemplate, templateVariableNames } from './promql-template.util.js';

const VARS = {
  namespace: 'shop',
  service: 'cart',
  version: 'v2',
  canary: 'cart-v2',
  interval: '1m',
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof HeliomeshError ? err.code : 'not a HeliomeshError';
  }
}

/** Decodes a PromQL (Go) string literal body, for checking what Prometheus would read. */
function unquote(body: string): string {
  return body.replace(/\\(x[0-9a-f]{2}|.)/gs, (_m, e: string) => {
    if (e.startsWith('x') && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    return { n: '\n', r: '\r', t: '\t' }[e] ?? e;
  });
}

describe('renderPromqlTemplate', () => {
  it('fills a Flagger-style template', () => {
    const t =
      'sum(rate(istio_requests_total{destination_workload_namespace="{{ namespace }}",destination_workload=~"{{canary}}",response_code!~"5.*"}[{{ interval }}]))';
    expect(renderPromqlTemplate(t, VARS)).toBe(
      'sum(rate(istio_requests_total{destination_workload_namespace="shop",destination_workload=~"cart-v2",response_code!~"5.*"}[1m]))',
    );
  });

  it('rejects an unknown variable and lists the known ones', () => {
    try {
      renderPromqlTemplate('up{job="{{ target }}"}', VARS, ['metrics', 0, 'query']);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HeliomeshError);
      const e = err as HeliomeshError;
      expect(e.code).toBe('PROMQL_TEMPLATE_UNKNOWN_VARIABLE');
      expect(e.status).toBe(400);
      expect(e.path).toBe('$.metrics[0].query');
      expect(e.message).toBe(
        'Unknown variable {{ target }}; known variables: canary, interval, namespace, service, version.',
      );
    }
  });

  it.each([
    ['up{a="{{ }}"}', 'PROMQL_TEMPLATE_SYNTAX'],
    ['up{a="{{ .Values.x }}"}', 'PROMQL_TEMPLATE_SYNTAX'],
    ['up{a="{{ service }"}', 'PROMQL_TEMPLATE_SYNTAX'],
    ['up{a="{{ service }}}', 'PROMQL_TEMPLATE_SYNTAX'],
    ['up{a="x"} * {{ canary }}', 'PROMQL_TEMPLATE_UNSAFE_VALUE'],
  ])('%s fails with %s', (template, code) => {
    expect(codeOf(() => renderPromqlTemplate(template, VARS))).toBe(code);
  });

  it('keeps an injection attempt inside its string', () => {
    const evil = { ...VARS, service: 'x"} or vector(1) or up{a="' };
    const out = renderPromqlTemplate('up{svc="{{ service }}"}', evil);
    expect(out).toBe('up{svc="x\\"} or vector(1) or up{a=\\""}');
  });

  it('refuses a value that would leave a bare position or a raw string', () => {
    expect(
      codeOf(() => renderPromqlTemplate('rate(x[{{ interval }}])', { interval: '1m]) or vector(1' })),
    ).toBe('PROMQL_TEMPLATE_UNSAFE_VALUE');
    expect(codeOf(() => renderPromqlTemplate('up{a=`{{ v }}`}', { v: 'a`b' }))).toBe(
      'PROMQL_TEMPLATE_UNSAFE_VALUE',
    );
    expect(renderPromqlTemplate('up{a=`{{ v }}`}', { v: 'a"b' })).toBe('up{a=`a"b`}');
  });

  it('string-escapes any value in double and single quotes, so Prometheus reads it back unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom('"', "'"), (v, q) => {
        const out = renderPromqlTemplate(`up{a=${q}{{ v }}${q}}`, { v });
        expect(out.startsWith(`up{a=${q}`)).toBe(true);
        expect(out.endsWith(`${q}}`)).toBe(true);
        const body = out.slice(6, -2);
        // No unescaped quote inside: the string cannot end early.
        expect(body.replace(/\\./gs, '')).not.toContain(q);
        expect(unquote(body)).toBe(v);
      }),
    );
  });

  it('after =~ the value also matches only itself as a regex', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 20 }), (v) => {
        const out = renderPromqlTemplate('up{a=~"{{ v }}"}', { v });
        const regex = new RegExp(`^(?:${unquote(out.slice(7, -2))})$`, 's');
        expect(regex.test(v)).toBe(true);
        expect(regex.test(v + 'x')).toBe(false);
      }),
    );
  });

  it('lists the variables a template uses', () => {
    expect(templateVariableNames('a{{ x }} {{y}} {{ x }} {{ variables.z }}')).toEqual([
      'x',
      'y',
      'variables.z',
    ]);
  });
});
