import { describe, expect, it } from 'vitest';
import { warmUpCompiler } from './compiler-warm-up.util.js';

describe('warmUpCompiler', () => {
  it('exercises every emitter and the validators on a valid sample mesh', () => {
    const result = warmUpCompiler();
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(new Set(result.objects.map((o) => o.kind))).toEqual(
      new Set(['VirtualService', 'DestinationRule', 'EnvoyFilter', 'AuthorizationPolicy']),
    );
  });
});
