import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { POLICY_KINDS } from '@heliomesh/policy';
import { DryRunResult, Finding } from '../graphql/common.models.js';
import { ConnectionType } from '../graphql/connection.types.js';
import { DateTimeScalar, JsonScalar } from '../graphql/scalars.js';

/** The policy kinds, named as in the REST API and YAML documents (TrafficSplit, Timeout, ...). */
export const PolicyKind = Object.fromEntries(POLICY_KINDS.map((k) => [k, k])) as {
  [K in (typeof POLICY_KINDS)[number]]: K;
};
registerEnumType(PolicyKind, { name: 'PolicyKind' });

@ObjectType('PolicyStatus')
export class PolicyStatusModel {
  @Field({ description: 'Pending, Applied or Error.' })
  phase!: string;

  @Field(() => Int, { nullable: true, description: 'The revision the cluster runs.' })
  appliedRevision!: number | null;

  @Field(() => JsonScalar, { nullable: true, description: 'Why the phase is Error: code, message, details.' })
  reason!: unknown;

  @Field(() => DateTimeScalar)
  updatedAt!: string;
}

@ObjectType('Policy')
export class PolicyModel {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => PolicyKind)
  kind!: string;

  @Field()
  cluster!: string;

  @Field()
  namespace!: string;

  @Field(() => ID, { nullable: true })
  serviceId!: string | null;

  @Field(() => JsonScalar, { description: 'cluster, namespace, service, port, match: as in the REST body.' })
  target!: Record<string, unknown>;

  @Field(() => JsonScalar, { description: "The kind's settings, as in the REST body." })
  spec!: Record<string, unknown>;

  @Field(() => Int, { description: 'Pass it as expectedRevision when you update or delete.' })
  revision!: number;

  @Field(() => PolicyStatusModel)
  status!: PolicyStatusModel;

  @Field(() => DateTimeScalar)
  createdAt!: string;

  @Field(() => DateTimeScalar)
  updatedAt!: string;

  @Field()
  createdBy!: string;

  @Field()
  updatedBy!: string;
}
export const PolicyConnection = ConnectionType(PolicyModel, 'Policy');

@ObjectType('PolicyRevision', { description: 'One stored revision; kept after the policy is deleted.' })
export class PolicyRevisionModel {
  @Field(() => Int)
  revision!: number;

  @Field({ description: 'create, update or delete.' })
  change!: string;

  @Field()
  name!: string;

  @Field(() => PolicyKind)
  kind!: string;

  @Field(() => JsonScalar)
  target!: Record<string, unknown>;

  @Field(() => JsonScalar)
  spec!: Record<string, unknown>;

  @Field()
  actor!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: string;
}

@InputType({ description: 'The body of POST /v1/policies; validated by the policy library, as in REST.' })
export class PolicyInput {
  @Field()
  name!: string;

  @Field(() => PolicyKind)
  kind!: string;

  @Field(() => JsonScalar, { description: '{ namespace, service, cluster?, port?, match? }' })
  target!: unknown;

  @Field(() => JsonScalar)
  spec!: unknown;
}

@InputType()
export class PolicyFilter {
  @Field(() => ID, { nullable: true })
  serviceId?: string | null;

  @Field(() => PolicyKind, { nullable: true })
  kind?: string | null;

  @Field(() => String, { nullable: true })
  namespace?: string | null;
}

@ObjectType('PolicyChangeResult', {
  description: 'A stored change (policy and warnings), or for a dry run only `dryRun`: nothing was stored.',
})
export class PolicyChangeResult {
  @Field(() => PolicyModel, { nullable: true })
  policy!: PolicyModel | null;

  @Field(() => [Finding], { description: 'Findings that did not block the change.' })
  warnings!: Finding[];

  @Field(() => DryRunResult, { nullable: true })
  dryRun!: DryRunResult | null;
}

@ObjectType('PolicyDeleteResult')
export class PolicyDeleteResult {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'False for a dry run.' })
  deleted!: boolean;

  @Field(() => DryRunResult, { nullable: true })
  dryRun!: DryRunResult | null;
}
