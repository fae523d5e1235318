import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Finding } from '../graphql/common.models.js';
import { ConnectionType } from '../graphql/connection.types.js';
import { DateTimeScalar, JsonScalar } from '../graphql/scalars.js';

@ObjectType('ServicePort')
export class ServicePortModel {
  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => Int)
  port!: number;

  @Field(() => Int, { nullable: true })
  targetPort?: number;

  @Field(() => String, { nullable: true })
  protocol?: string;
}

@ObjectType('ServiceVersion', { description: 'The pods behind a service that share a `version` label.' })
export class ServiceVersionModel {
  @Field()
  name!: string;

  @Field(() => JsonScalar)
  labels!: Record<string, string>;

  @Field(() => Int)
  pods!: number;
}

@ObjectType('Service', { description: 'A Kubernetes Service discovered in one of the tenant namespaces.' })
export class ServiceModel {
  @Field(() => ID)
  id!: string;

  @Field()
  cluster!: string;

  @Field()
  namespace!: string;

  @Field()
  name!: string;

  @Field(() => [ServicePortModel])
  ports!: ServicePortModel[];

  @Field(() => [ServiceVersionModel])
  versions!: ServiceVersionModel[];

  @Field(() => DateTimeScalar)
  discoveredAt!: string;

  @Field({ description: 'The Service disappeared from the cluster; policies on it report an error.' })
  removed!: boolean;
}
export const ServiceConnection = ConnectionType(ServiceModel, 'Service');

@InputType()
export class ServiceFilter {
  @Field(() => String, { nullable: true })
  namespace?: string | null;

  @Field(() => String, { nullable: true })
  cluster?: string | null;
}

@ObjectType('GeneratedConfig', { description: 'The Istio objects Heliomesh generates for a service.' })
export class GeneratedConfigModel {
  @Field()
  host!: string;

  @Field({ description: 'Multi-document YAML; empty when no policy or rollout governs the service.' })
  yaml!: string;

  @Field()
  emitted!: boolean;

  @Field(() => [Finding])
  findings!: Finding[];
}

@ObjectType('ExplainEntry', {
  description: 'Which policy (id, revision) or rollout produced one generated field.',
})
export class ExplainEntryModel {
  @Field()
  objectKind!: string;

  @Field()
  objectName!: string;

  @Field()
  namespace!: string;

  @Field({ description: 'JSON path of the field in the generated object.' })
  jsonPath!: string;

  @Field({ description: 'policy, rollout or service.' })
  source!: string;

  @Field(() => ID, { nullable: true })
  policyId?: string;

  @Field(() => Int, { nullable: true })
  policyRevision?: number;

  @Field(() => String, { nullable: true })
  policyName?: string;

  @Field(() => String, { nullable: true })
  policyKind?: string;

  @Field(() => String, {
    nullable: true,
    description: 'JSON path of the setting inside the policy or rollout.',
  })
  sourcePath?: string;

  @Field(() => ID, { nullable: true })
  rolloutId?: string;

  @Field(() => String, { nullable: true })
  note?: string;
}
