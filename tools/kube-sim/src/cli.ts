import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { parseFaultSpec } from './faults/fault-injector.js';
import { startKubeSim } from './kube-sim.server.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('expected a TCP port number (0-65535)');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function faults(value: string): ReturnType<typeof parseFaultSpec> {
  try {
    return parseFaultSpec(value);
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
}

interface CliOptions {
  port: number;
  host: string;
  kubeconfigOut: string;
  faults?: ReturnType<typeof parseFaultSpec>;
  watchHistory?: number;
  controllers: boolean;
  istio: boolean;
}

/** `npm run kube-sim -- [options]`: runs the sandbox until SIGINT/SIGTERM. */
export async function main(argv: string[]): Promise<void> {
  const envPort = process.env['KUBE_SIM_PORT'];
  const program = new Command('kube-sim')
    .description('Kubernetes API sandbox that kubectl and @kubernetes/client-node accept (no cluster needed)')
    .option('--port <port>', 'port to listen on (env KUBE_SIM_PORT)', port, envPort ? port(envPort) : 6443)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option(
      '--kubeconfig-out <file>',
      'where to write a kubeconfig for kubectl',
      '.heliomesh/kube-sim.kubeconfig',
    )
    .option('--faults <spec>', 'fault injection, e.g. 429=0.1,500=0.05,timeout=0.02,seed=7', faults)
    .option('--watch-history <events>', 'events kept for watch replay before 410 Gone', positive)
    .option('--no-controllers', 'do not run the fake Deployment/ReplicaSet controllers and kubelet')
    .option('--no-istio', 'do not register the Istio CRDs at start')
    .parse(argv);
  const opts = program.opts<CliOptions>();
  const kubeconfigOut = resolve(opts.kubeconfigOut);
  mkdirSync(dirname(kubeconfigOut), { recursive: true });
  const sim = await startKubeSim({
    port: opts.port,
    host: opts.host,
    kubeconfigOut,
    controllers: opts.controllers,
    istio: opts.istio,
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.watchHistory ? { watchHistory: opts.watchHistory } : {}),
  });
  process.stdout.write(
    [
      `kube-sim: Kubernetes API sandbox (v1.32 protocol) listening on ${sim.url}`,
      `kube-sim: kubeconfig written to ${kubeconfigOut}`,
      `kube-sim: try  KUBECONFIG=${kubeconfigOut} kubectl get pods -A`,
      opts.faults ? `kube-sim: fault injection ${JSON.stringify(opts.faults)}` : '',
    ]
      .filter(Boolean)
      .join('\n') + '\n',
  );
  const shutdown = (signal: string) => {
    process.stdout.write(`kube-sim: ${signal}, stopping\n`);
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

const isEntry =
  process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isEntry)
  main(process.argv).catch((err: unknown) => {
    process.stderr.write(`kube-sim: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
