export { HeliomeshError } from '@heliomesh/util';
// The tests use the package's public entry point only.
export * from '../../src/index.js';
