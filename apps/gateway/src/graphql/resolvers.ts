import { AuditResolver } from '../audit/audit.resolver.js';
import { ClustersResolver } from '../clusters/clusters.resolver.js';
import { GitOpsResolver } from '../gitops/gitops.resolver.js';
import { HealthResolver } from '../health.resolver.js';
import { ServiceTrafficResolver } from '../mesh/service-traffic.resolver.js';
import { TopologyResolver } from '../mesh/topology.resolver.js';
import { PoliciesResolver } from '../policies/policies.resolver.js';
import { PolicyMutationsResolver } from '../policies/policy-mutations.resolver.js';
import { RolloutCommandsResolver } from '../rollouts/rollout-commands.resolver.js';
import { RolloutsResolver } from '../rollouts/rollouts.resolver.js';
import { ServiceFieldsResolver } from '../services/service-fields.resolver.js';
import { ServicesResolver } from '../services/services.resolver.js';
import { TenantsResolver } from '../tenancy/tenants.resolver.js';
import { TokensResolver } from '../tenancy/tokens.resolver.js';
import { ViewerResolver } from '../tenancy/viewer.resolver.js';

/** Every resolver of the schema: the app provides them, and the SDL is generated from them. */
export const RESOLVERS = [
  HealthResolver,
  ViewerResolver,
  TenantsResolver,
  TokensResolver,
  ClustersResolver,
  ServicesResolver,
  ServiceFieldsResolver,
  ServiceTrafficResolver,
  TopologyResolver,
  PoliciesResolver,
  PolicyMutationsResolver,
  GitOpsResolver,
  AuditResolver,
  RolloutsResolver,
  RolloutCommandsResolver,
];
