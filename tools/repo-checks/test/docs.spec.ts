import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@heliomesh/testing';
import { serviceVariables } from '../src/index.js';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const ci = readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8');

describe('README and CI', () => {
  it('gives a newcomer the two commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });

  it('lists every environment variable the services read', () => {
    const all = new Set([...serviceVariables(REPO_ROOT).values()].flat());
    for (const variable of all)
      expect(readme, `README is missing ${variable}`).toMatch(new RegExp(`^\\| \`${variable}\`\\s+\\|`, 'm'));
  });

  it('CI runs the README test command', () => {
    expect(ci).toMatch(/^time npm test$/m);
    expect(ci).toContain('CI=true');
    expect(ci).toContain('NX_NO_CLOUD=true');
  });
});
