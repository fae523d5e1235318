import { Command, InvalidArgumentError, Option } from 'commander';
import { fileURLToPath } from 'node:url';
import { HeliomeshError, errorMessage } from '@heliomesh/util';
import { InMemoryConfigSource } from '../config/in-memory-config.source.js';
import { simulatedCluster } from '../deploy/topology-manifests.util.js';
import { DEFAULT_PORT, startMeshSim } from '../server/mesh-sim.server.js';
import { loadTopologyFile } from '../topology/topology-loader.util.js';
import { topologyJsonSchema } from '../topology/topology.schema.js';

export const DEMO_TOPOLOGY = fileURLToPath(new URL('../../topologies/demo-shop.yaml', import.meta.url));

function number(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be a number between ${min} and ${max}`);
    return n;
  };
}

interface RunOptions {
  kubeconfig?: string;
  topology: string;
  port: number;
  host: string;
  speed: number;
  seed: number;
  loadScale: number;
  deploy?: boolean;
  inMemory?: boolean;
}

async function run(opts: RunOptions): Promise<void> {
  const log = (message: string): void => console.error(`[mesh-sim] ${message}`);
  const topology = await loadTopologyFile(opts.topology);
  const sim = await startMeshSim({
    topology,
    kubeconfig: opts.kubeconfig,
    source: opts.inMemory ? new InMemoryConfigSource(simulatedCluster(topology)) : undefined,
    deploy: opts.deploy && !opts.inMemory,
    port: opts.port,
    host: opts.host,
    speed: opts.speed,
    seed: opts.seed,
    loadScale: opts.loadScale,
    log,
  });
  const shutdown = (): void => {
    log('stopping');
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

export function buildCli(): Command {
  const program = new Command('mesh-sim')
    .description(
      'Simulated Istio data plane: reads Istio config from Kubernetes, simulates traffic, exports Istio metrics',
    )
    .addOption(
      new Option('--kubeconfig <file>', 'kubeconfig of the cluster to read (default: ~/.kube/config)').env(
        'KUBECONFIG',
      ),
    )
    .addOption(
      new Option('--topology <file>', 'topology YAML file').env('MESH_SIM_TOPOLOGY').default(DEMO_TOPOLOGY),
    )
    .addOption(
      new Option('--port <port>', '/metrics port (0 = any free port)')
        .env('MESH_SIM_PORT')
        .argParser(number('--port', 0, 65535))
        .default(DEFAULT_PORT),
    )
    .addOption(
      new Option('--host <address>', 'address to listen on').env('MESH_SIM_HOST').default('127.0.0.1'),
    )
    .addOption(
      new Option('--speed <factor>', 'simulated seconds per second')
        .env('MESH_SIM_SPEED')
        .argParser(number('--speed', 0.01, 1000))
        .default(1),
    )
    .addOption(new Option('--seed <n>', 'random seed').argParser(number('--seed', 0, 2 ** 32 - 1)).default(1))
    .addOption(
      new Option('--load-scale <factor>', "multiply every client's requests per second")
        .env('MESH_SIM_LOAD_SCALE')
        .argParser(number('--load-scale', 0, 10_000))
        .default(1),
    )
    .option('--deploy', "apply the topology's namespaces, Deployments and Services first (server-side apply)")
    .option('--in-memory', 'run without a cluster, with the pods the topology describes')
    .action((opts: RunOptions) => run(opts));
  program
    .command('schema')
    .description('print the topology JSON Schema')
    .action(() => {
      process.stdout.write(`${JSON.stringify(topologyJsonSchema(), null, 2)}\n`);
    });
  program
    .command('validate <file>')
    .description('check a topology file and print its services')
    .action(async (file: string) => {
      const t = await loadTopologyFile(file);
      console.log(
        `${file}: ${t.services.length} services, ${t.services.reduce((n, s) => n + s.versions.length, 0)} versions, ${t.clients.length} clients`,
      );
    });
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    if (err instanceof HeliomeshError) {
      console.error(`mesh-sim: ${err.code}: ${err.message}`);
      for (const d of err.details.slice(1, 10)) console.error(`  ${d.path}: ${d.message}`);
    } else {
      console.error(`mesh-sim: ${errorMessage(err)}`);
    }
    process.exit(1);
  }
}
