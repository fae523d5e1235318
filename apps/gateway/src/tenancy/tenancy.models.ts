import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../graphql/connection.types.js';
import { DateTimeScalar } from '../graphql/scalars.js';

export enum Role {
  VIEWER = 'viewer',
  OPERATOR = 'operator',
  ADMIN = 'admin',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'viewer reads; operator also writes policies and drives rollouts; admin also manages tokens.',
});

@ObjectType('Tenant')
export class TenantModel {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  displayName!: string;

  @Field(() => DateTimeScalar)
  createdAt!: string;
}
export const TenantConnection = ConnectionType(TenantModel, 'Tenant');

@ObjectType('Viewer', {
  description: 'The token this request authenticated with, and the tenant it acts in.',
})
export class ViewerModel {
  @Field(() => ID)
  tokenId!: string;

  @Field()
  tokenName!: string;

  @Field(() => Role)
  role!: Role;

  @Field({ description: 'How the audit log names this caller.' })
  actor!: string;

  @Field({ description: 'A platform token belongs to no tenant; it names one with X-Heliomesh-Tenant.' })
  platformToken!: boolean;

  /** Resolved by ViewerResolver.tenant. */
  tenantId!: string | null;
}

@ObjectType('Token', { description: 'An API token; its secret is shown once, when it is created.' })
export class TokenModel {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => Role)
  role!: string;

  @Field(() => ID, { nullable: true, description: 'Null for platform tokens.' })
  tenantId!: string | null;

  @Field({ description: 'The first characters of the secret, to recognise it.' })
  prefix!: string;

  @Field(() => DateTimeScalar)
  createdAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  expiresAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastUsedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  revokedAt!: string | null;
}
export const TokenConnection = ConnectionType(TokenModel, 'Token');

@ObjectType('CreatedToken')
export class CreatedTokenModel {
  @Field(() => TokenModel)
  token!: TokenModel;

  @Field({ description: 'The bearer token. Shown only now: only its hash is stored.' })
  secret!: string;
}

@InputType({ description: 'The body of POST /v1/tokens.' })
export class CreateTokenInput {
  @Field()
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => DateTimeScalar, { nullable: true })
  expiresAt?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Platform admins only: a platform token (no tenant) instead of one for the request tenant.',
  })
  platform?: boolean | null;
}
