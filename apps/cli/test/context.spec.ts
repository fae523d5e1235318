import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../src/io/memory-io.util.js';
import { runCli } from '../src/program/cli.program.js';
import { apiErrorReply, fakeFetch } from './fake-api.js';

describe('login and contexts (config file on disk, in-memory API)', () => {
  const config = join(mkdtempSync(join(tmpdir(), 'heliomesh-cli-ctx-')), 'config.yaml');
  const api = fakeFetch((req) =>
    req.headers['authorization'] === 'Bearer hm_good'
      ? { json: [] }
      : apiErrorReply(401, 'AUTH_INVALID', 'This token is not valid.'),
  );
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const io = memoryIo({ env: { HELIOMESH_CONFIG: config, ...env } });
    const code = await runCli(args, io, api);
    return { code, out: io.stdout(), err: io.stderr() };
  };

  it('saves a verified context per server, switches between them, and removes one', async () => {
    expect((await run(['login', 'http://a.test:3000', '--token', 'hm_good'])).code).toBe(0);
    expect(
      (
        await run(['login', 'http://b.test', '--name', 'b', '--tenant', 'demo'], {
          HELIOMESH_TOKEN: 'hm_good',
        })
      ).code,
    ).toBe(0);
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect((await run(['context', 'list'])).out).toBe(
      'CURRENT   NAME          SERVER               GATEWAY   TENANT\n' +
        '          a.test-3000   http://a.test:3000   <none>    <none>\n' +
        '*         b             http://b.test        <none>    demo\n',
    );
    expect((await run(['context', 'use', 'a.test-3000'])).out).toBe('Switched to context "a.test-3000".\n');
    expect((await run(['context', 'current'])).out).toBe('a.test-3000 http://a.test:3000\n');
    // Commands use the current context's server and token; --context picks another for one command.
    await run(['get', 'services']);
    await run(['--context', 'b', 'get', 'services']);
    expect(
      api.calls.slice(-2).map((c) => [c.headers['authorization'], c.headers['x-heliomesh-tenant']]),
    ).toEqual([
      ['Bearer hm_good', undefined],
      ['Bearer hm_good', 'demo'],
    ]);
    expect((await run(['context', 'use', 'nope'])).err).toBe(
      'error: CONTEXT_NOT_FOUND: No context "nope". Known: a.test-3000, b.\n',
    );
    expect((await run(['context', 'delete', 'a.test-3000'])).out).toContain('No context is current now');
    expect((await run(['context', 'list'])).out).not.toContain('a.test');
  });

  it('refuses a token the server refuses, and saves nothing', async () => {
    const before = (await run(['context', 'list'])).out;
    const bad = await run(['login', 'http://c.test', '--token', 'hm_bad']);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(
      'error: AUTH_INVALID: http://c.test refused the token: This token is not valid. Nothing was saved.\n',
    );
    expect((await run(['context', 'list'])).out).toBe(before);
    expect((await run(['login', 'ftp://c.test', '--token', 'hm_good'])).err).toContain(
      'is not a server URL; give one like http://127.0.0.1:3000',
    );
    expect((await run(['login', 'http://c.test'])).err).toContain(
      'Give the token: --token <token>, --token-stdin, or HELIOMESH_TOKEN.',
    );
  });
});
