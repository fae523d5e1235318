// Runnable entry for process supervisors: `node tools/mesh-sim/dist/cli/main.js [options]`.
import { main } from './mesh-sim.cli.js';

await main(process.argv);
