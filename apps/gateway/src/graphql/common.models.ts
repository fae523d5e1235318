import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum Severity {
  ERROR = 'error',
  WARNING = 'warning',
  INFO = 'info',
}
registerEnumType(Severity, { name: 'Severity' });

@ObjectType({ description: 'A problem the compiler found; codes are listed in the validation catalogue.' })
export class Finding {
  @Field()
  code!: string;

  @Field(() => Severity)
  severity!: `${Severity}`;

  @Field()
  message!: string;

  @Field({
    description: 'JSON path into the policy named first in policyIds (or the rollout, or the object).',
  })
  path!: string;

  @Field(() => String, { nullable: true })
  host?: string;

  @Field(() => [ID], { nullable: true })
  policyIds?: string[];

  @Field(() => ID, { nullable: true })
  rolloutId?: string;

  @Field(() => String, {
    nullable: true,
    description: '`Kind namespace/name` of the object the path points into.',
  })
  object?: string;
}

@ObjectType({ description: 'What a change would do, without storing anything.' })
export class DryRunResult {
  @Field({
    description: 'The generated Istio objects of every service the change touches, as they would be.',
  })
  yaml!: string;

  @Field({ description: 'Unified diff against what is applied now, per object.' })
  diff!: string;

  @Field(() => [Finding])
  findings!: Finding[];
}

@ObjectType({ description: 'Why live traffic figures are missing: the collector could not be asked.' })
export class TelemetryError {
  @Field({
    description:
      'PROVIDER_UNREACHABLE, PROVIDER_TIMEOUT, PROVIDER_BAD_RESPONSE, QUERY_REJECTED or UNSUPPORTED.',
  })
  code!: string;

  @Field()
  message!: string;

  @Field()
  provider!: string;
}
