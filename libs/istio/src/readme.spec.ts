import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { CHECK_CATALOGUE } from './index.js';

/**
 * The README's catalogue table and examples are generated from the registry and the golden files;
 * this spec fails when they drift. `UPDATE_README=1 npx vitest run src/readme.spec.ts` rewrites them.
 */
const root = join(import.meta.dirname, '..');
const readmePath = join(root, 'README.md');
const goldenDir = join(root, 'test', '__golden__');

const escape = (text: string) => text.replace(/\|/g, '\\|');

function catalogueTable(): string {
  const rows = CHECK_CATALOGUE.map(
    (d) => `| ${d.code} | ${d.severity} | ${d.area} | ${escape(d.title)} | ${escape(d.meaning)} |`,
  );
  return ['| code | severity | area | check | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}

function goldenSection(): string {
  const inputs = readdirSync(goldenDir)
    .filter((f) => f.endsWith('.input.yaml'))
    .sort();
  return inputs
    .map((file) => {
      const kind = file.replace('.input.yaml', '');
      const input = readFileSync(join(goldenDir, file), 'utf8').trimEnd();
      const output = readFileSync(
        join(goldenDir, file.replace('.input.yaml', '.expected.yaml')),
        'utf8',
      ).trimEnd();
      return `### ${kind}\n\n\`\`\`yaml\n${input}\n\`\`\`\n\ncompiles to\n\n\`\`\`yaml\n${output}\n\`\`\``;
    })
    .join('\n\n');
}

/** Verbatim: prettier would requote the YAML, and these must be the bytes `toYaml` produces. */
const verbatim = (body: string) => `<!-- prettier-ignore-start -->\n${body}\n<!-- prettier-ignore-end -->`;

function withSection(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README is missing the ${start} ... ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

/** The README as generated, formatted the way `prettier --write` leaves it. */
async function generated(current: string): Promise<string> {
  const text = withSection(
    withSection(current, 'catalogue', catalogueTable()),
    'golden',
    verbatim(goldenSection()),
  );
  const options = (await resolveConfig(readmePath)) ?? {};
  return format(text, { ...options, filepath: readmePath });
}

describe('README', () => {
  it('lists every code of the catalogue, and shows every golden example as generated', async () => {
    const current = readFileSync(readmePath, 'utf8');
    const expected = await generated(current);
    if (process.env['UPDATE_README'] === '1') writeFileSync(readmePath, expected);
    else
      expect(current, 'README drift: run UPDATE_README=1 npx vitest run src/readme.spec.ts').toBe(expected);
    for (const d of CHECK_CATALOGUE)
      expect(expected).toMatch(new RegExp(`\\| ${d.code} +\\| ${d.severity} +\\|`));
  });
});
