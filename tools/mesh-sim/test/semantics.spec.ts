import { inMemoryHarness } from './support/harness.js';
import { describeSemantics } from './support/semantics.scenarios.js';

describeSemantics('in-memory source', inMemoryHarness, (name) => `sem-${name}`);
