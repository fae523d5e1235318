export { freePort } from './free-port.util.js';
export {
  describeServiceContract,
  type ServiceUnderTest,
  type StartedService,
} from './service-contract.suite.js';
export {
  eventually,
  type ProcessResult,
  REPO_ROOT,
  spawnNode,
  type SpawnedProcess,
} from './service-process.util.js';
export { TcpProxy, viaProxy } from './tcp-proxy.util.js';
export {
  createTestDatabase,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  uniqueQueuePrefix,
  type TestDatabase,
} from './test-database.util.js';
export {
  DEMO_TOPOLOGY,
  deployTopology,
  type KubeSim,
  loadTopologyFile,
  type MeshSimHandle,
  type MeshSimOptions,
  parsePromText,
  type PromSample,
  startMeshSim,
  startSandbox,
  sumSamples,
} from './sandbox.util.js';
export { ApiClient, type ApiResponse } from './api-client.util.js';
export { setUpTenant, testAdminToken, type TenantSetup } from './platform.fixture.js';
export {
  auditTails,
  recordStatements,
  type StatementRecorder,
  statementsAfterAudit,
} from './statement-recorder.util.js';
