import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@heliomesh/testing';

/**
 * A real Prometheus for the PromQL tests (Debian package `prometheus`, as in libs/metrics' tests;
 * duplicated here, minimal, because test helpers are not shared across projects' test dirs).
 */
export const PROMETHEUS_BIN = process.env['PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';

export function prometheusAvailable(): boolean {
  return existsSync(PROMETHEUS_BIN);
}

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited early:\n${log()}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus not ready after 20 s:\n${log()}`);
}

/** Starts Prometheus scraping `target` (host:port) every second with a temp config and data dir. */
export async function startPrometheus(target: string): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'heliomesh-collector-prom-'));
  const config = [
    'global:',
    '  scrape_interval: 1s',
    'scrape_configs:',
    '  - job_name: mesh',
    `    static_configs: [{ targets: ['${target}'] }]`,
  ].join('\n');
  await writeFile(join(dir, 'prometheus.yml'), config);
  // Prometheus cannot report a port it bound to 0: take a free one, retry if it is taken meanwhile.
  for (let attempt = 0; ; attempt++) {
    const url = `http://127.0.0.1:${await freePort()}`;
    let log = '';
    const child = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=${url.slice('http://'.length)}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    };
    try {
      await waitReady(url, child, () => log);
      return {
        url,
        output: () => log,
        stop: async () => {
          await stop();
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      await stop();
      if (attempt >= 2) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
}
