import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../graphql/connection.types.js';
import { DateTimeScalar, JsonScalar } from '../graphql/scalars.js';

@ObjectType('AuditEvent', { description: 'One entry of the append-only, hash-chained audit log.' })
export class AuditEventModel {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: "Position in the tenant's chain, from 1." })
  seq!: number;

  @Field(() => DateTimeScalar)
  occurredAt!: string;

  @Field()
  actor!: string;

  @Field({ description: 'e.g. policy.create, token.revoke, reconcile.drift-repaired.' })
  action!: string;

  @Field()
  resourceKind!: string;

  @Field(() => String, { nullable: true })
  resourceId!: string | null;

  @Field(() => String, { nullable: true })
  requestId!: string | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => JsonScalar, { description: 'Before/after and whatever evidence the action rests on.' })
  data!: Record<string, unknown>;

  @Field()
  hash!: string;
}
export const AuditEventConnection = ConnectionType(AuditEventModel, 'AuditEvent');

@InputType()
export class AuditFilter {
  @Field(() => String, { nullable: true, description: 'Exact action, or a prefix ending in * (policy.*).' })
  action?: string | null;

  @Field(() => String, { nullable: true })
  resourceKind?: string | null;

  @Field(() => String, { nullable: true })
  resourceId?: string | null;

  @Field(() => String, { nullable: true })
  actor?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Inclusive.' })
  since?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Exclusive.' })
  until?: string | null;
}

@ObjectType('AuditChainBreak')
export class AuditChainBreakModel {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  seq!: number;

  @Field({ description: 'content-altered, link-broken or sequence-gap.' })
  reason!: string;
}

@ObjectType('AuditChainVerification', { description: "The tenant's hash chain, recomputed row by row." })
export class AuditChainModel {
  @Field(() => ID)
  tenantId!: string;

  @Field()
  valid!: boolean;

  @Field(() => Int)
  checked!: number;

  @Field(() => AuditChainBreakModel, { nullable: true, description: 'The first row that does not verify.' })
  firstBroken?: AuditChainBreakModel;

  @Field(() => String, { nullable: true })
  headHash?: string;
}
