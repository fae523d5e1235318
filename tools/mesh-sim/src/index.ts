export { InMemoryConfigSource } from './config/in-memory-config.source.js';
export { MeshEngine } from './engine/mesh-engine.service.js';
export { Simulation } from './sim/simulation.service.js';
