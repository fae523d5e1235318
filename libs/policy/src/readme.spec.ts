import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicyDocuments, POLICY_KINDS } from './index.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README', () => {
  it('documents every kind with an example that parses', () => {
    const documents = yamlBlocks.filter((block) => block.startsWith('apiVersion:'));
    const parsed = documents.map((block) => parsePolicyDocuments(block));
    expect(parsed.flatMap((p) => p.findings)).toEqual([]);
    expect(parsed.map((p) => p.policies[0]!.policy.kind)).toEqual([...POLICY_KINDS]);
    for (const kind of POLICY_KINDS) expect(readme).toContain(`### ${kind}\n`);
  });
});
