import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeliomeshError } from '@heliomesh/util';
import {
  configPath,
  contextNameFor,
  findContext,
  loadConfig,
  saveConfig,
  upsertContext,
} from './cli-config.service.js';

const dir = () => mkdtempSync(join(tmpdir(), 'heliomesh-cli-config-'));
const ctx = (name: string, server = 'http://127.0.0.1:3000') => ({ name, server, token: `hm_${name}` });

describe('config file', () => {
  it('lives at $HELIOMESH_CONFIG, else under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configPath({ HELIOMESH_CONFIG: 'my.yaml' }, '/work')).toBe('/work/my.yaml');
    expect(configPath({ XDG_CONFIG_HOME: '/x' }, '/work')).toBe('/x/heliomesh/config.yaml');
    expect(configPath({ HOME: '/home/ana' }, '/work')).toBe('/home/ana/.config/heliomesh/config.yaml');
  });

  it('is written with mode 0600, also over a file that was world-readable, and reads back the same', () => {
    const path = join(dir(), 'nested', 'config.yaml');
    const config = upsertContext(
      upsertContext({ contexts: [] }, ctx('a')),
      ctx('b', 'https://hm.example.com'),
    );
    saveConfig(path, config);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    writeFileSync(path, readFileSync(path), { mode: 0o644 });
    saveConfig(path, config);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadConfig(path)).toEqual({
      'current-context': 'b',
      contexts: [ctx('a'), ctx('b', 'https://hm.example.com')],
    });
  });

  it('replaces a context of the same name in place and makes it current', () => {
    const config = upsertContext(upsertContext(upsertContext({ contexts: [] }, ctx('a')), ctx('b')), {
      ...ctx('a'),
      token: 'hm_new',
    });
    expect(config.contexts.map((c) => [c.name, c.token])).toEqual([
      ['a', 'hm_new'],
      ['b', 'hm_b'],
    ]);
    expect(config['current-context']).toBe('a');
  });

  it('is empty when missing, and a bad file is an error naming the file and the field', () => {
    const d = dir();
    expect(loadConfig(join(d, 'missing.yaml'))).toEqual({ contexts: [] });
    const bad = join(d, 'bad.yaml');
    writeFileSync(bad, 'contexts:\n  - name: a\n    server: ftp://x\n');
    expect(() => loadConfig(bad)).toThrow(/bad\.yaml: \$\.contexts\[0\]\.server must be an http/);
    writeFileSync(
      bad,
      'contexts:\n  - { name: a, server: "http://x" }\n  - { name: a, server: "http://y" }\n',
    );
    expect(() => loadConfig(bad)).toThrow(/context "a" is defined twice/);
    writeFileSync(bad, 'contexts: [\n');
    expect(() => loadConfig(bad)).toThrow(/not YAML/);
  });

  it('names the known contexts when one is missing', () => {
    expect(() => findContext({ contexts: [ctx('a'), ctx('b')] }, 'c')).toThrow(
      'No context "c". Known: a, b.',
    );
    expect(() => findContext({ contexts: [] }, 'c')).toThrow(/Log in first/);
  });

  it('derives context names from the server host and port', () => {
    expect(contextNameFor('http://127.0.0.1:3000')).toBe('127.0.0.1-3000');
    expect(contextNameFor('https://heliomesh.example.com/')).toBe('heliomesh.example.com');
  });

  it('never fails on any file content with anything but a CONFIG_INVALID error (property)', () => {
    const path = join(dir(), 'fuzz.yaml');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc
            .record({
              name: fc.string(),
              server: fc.string(),
              token: fc.option(fc.string(), { nil: undefined }),
            })
            .map((c) => JSON.stringify({ contexts: [c] })),
        ),
        (text) => {
          writeFileSync(path, text);
          try {
            loadConfig(path);
          } catch (err) {
            expect(err).toBeInstanceOf(HeliomeshError);
            expect((err as HeliomeshError).code).toBe('CONFIG_INVALID');
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads back exactly what it wrote, for any valid contexts (property)', () => {
    const path = join(dir(), 'roundtrip.yaml');
    const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            name,
            server: fc.webUrl({ validSchemes: ['http', 'https'] }),
            token: fc.string({ minLength: 1 }),
          }),
          { selector: (c) => c.name, maxLength: 5 },
        ),
        (contexts) => {
          const config = { 'current-context': contexts[0]?.name, contexts };
          saveConfig(path, config);
          expect(loadConfig(path)).toEqual(contexts.length ? config : { contexts: [] });
        },
      ),
      { numRuns: 100 },
    );
  });
});
