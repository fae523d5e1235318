import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { errorMessage, formatJsonPath, HeliomeshError } from '@heliomesh/util';
import type { Io } from '../io/io.types.js';
import { type CliConfig, cliConfigSchema, type CliContext } from './cli-config.schema.js';

/** `$HELIOMESH_CONFIG`, else `$XDG_CONFIG_HOME/heliomesh/config.yaml`, else `~/.config/heliomesh/config.yaml`. */
export function configPath(env: Io['env'], cwd: string): string {
  if (env['HELIOMESH_CONFIG']) return resolve(cwd, env['HELIOMESH_CONFIG']);
  const base = env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config');
  return join(base, 'heliomesh', 'config.yaml');
}

/** The config file, or an empty one when it does not exist yet. Never half-read: a bad file is an error that names it. */
export function loadConfig(path: string): CliConfig {
  if (!existsSync(path)) return { contexts: [] };
  const bad = (message: string) =>
    new HeliomeshError({
      code: 'CONFIG_INVALID',
      status: 400,
      message: `${path}: ${message}. Fix the file, or delete it and log in again.`,
    });
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'), { maxAliasCount: 10, logLevel: 'error' }) ?? {};
  } catch (err) {
    throw bad(`not YAML (${errorMessage(err)})`);
  }
  const parsed = cliConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw bad(
      `${formatJsonPath(issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)))} ${issue.message}`,
    );
  }
  const names = new Set<string>();
  for (const c of parsed.data.contexts) {
    if (names.has(c.name)) throw bad(`context "${c.name}" is defined twice`);
    names.add(c.name);
  }
  return parsed.data;
}

/**
 * Writes the file readable by its owner only (it holds tokens): a temporary file created with
 * mode 0600 and renamed over the old one, so no reader ever sees a partial file or wider permissions.
 */
export function saveConfig(path: string, config: CliConfig): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  const body = stringify(
    { 'current-context': config['current-context'], contexts: config.contexts },
    { lineWidth: 0 },
  );
  writeFileSync(tmp, body, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Adds or replaces a context (by name) and makes it current. */
export function upsertContext(config: CliConfig, context: CliContext): CliConfig {
  const exists = config.contexts.some((c) => c.name === context.name);
  const contexts = exists
    ? config.contexts.map((c) => (c.name === context.name ? context : c))
    : [...config.contexts, context];
  return { 'current-context': context.name, contexts };
}

export function findContext(config: CliConfig, name: string): CliContext {
  const found = config.contexts.find((c) => c.name === name);
  if (!found)
    throw new HeliomeshError({
      code: 'CONTEXT_NOT_FOUND',
      status: 404,
      message: `No context "${name}". ${config.contexts.length ? `Known: ${config.contexts.map((c) => c.name).join(', ')}.` : 'Log in first: heliomesh login <server-url> --token <token>.'}`,
    });
  return found;
}

/** A context name from a server URL: its host and port, e.g. `127.0.0.1-3000`. */
export function contextNameFor(server: string): string {
  const url = new URL(server);
  return `${url.hostname}${url.port ? `-${url.port}` : ''}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63);
}
