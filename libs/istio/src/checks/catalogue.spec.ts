import { describe, expect, it } from 'vitest';
import { DESTINATION_AND_EDGE_CASES } from '../../test/support/catalogue-cases/destination-edge.cases.js';
import { MESH_AND_ROUTING_CASES } from '../../test/support/catalogue-cases/mesh-routing.cases.js';
import { p, plugin, s } from '../../test/support/catalogue-cases/case.util.js';
import { compile, type CompileSnapshot } from '../index.js';
import { CHECK_CATALOGUE, CHECKERS } from './catalogue.util.js';

/**
 * One failing and one passing case per catalogue code, built from object builders. Each case is
 * a whole snapshot compiled end to end, so a check is tested through the compiler that runs it.
 */
const CASES = { ...MESH_AND_ROUTING_CASES, ...DESTINATION_AND_EDGE_CASES };

const codesOf = (snap: CompileSnapshot) => compile(snap).findings.map((f) => f.code);

describe('validation catalogue', () => {
  it('has a failing and a passing case for every code, and codes are unique', () => {
    const codes = CHECK_CATALOGUE.map((d) => d.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.keys(CASES).sort()).toEqual([...codes].sort());
    expect(codes.length).toBeGreaterThanOrEqual(30);
  });

  it('keeps every checker small and self-described', () => {
    for (const checker of CHECKERS) {
      expect(checker.definition.code).toMatch(/^HM\d{4}$/);
      expect(checker.definition.meaning.length).toBeGreaterThan(20);
    }
  });

  it.each(Object.entries(CASES))(
    '%s fires on its failing case and not on its passing case',
    (code, [fail, pass]) => {
      const failing = codesOf(fail());
      expect(failing).toContain(code);
      expect(codesOf(pass())).not.toContain(code);
      if (code !== 'HM0000') expect(failing).not.toContain('HM0000');
    },
  );

  it('reports policy findings with the policy id, host and the JSON path of the field', () => {
    const finding = compile(s([p.trafficSplit({ v1: -10, v2: 110 })])).findings.find(
      (f) => f.code === 'HM1001',
    );
    expect(finding).toMatchObject({
      severity: 'error',
      host: 'reviews.bookinfo.svc.cluster.local',
      policyIds: ['pol-reviews-split'],
      path: '$.spec.weights[0].weight',
    });
  });

  it('reports generated-object schema failures with the object and its path', () => {
    const finding = compile(s([plugin({ priority: 2 ** 40 })])).findings.find((f) => f.code === 'HM0007');
    expect(finding).toMatchObject({
      object: 'WasmPlugin bookinfo/heliomesh-reviews-plugin',
      path: '$.spec.priority',
    });
  });
});
