import { Injectable } from '@nestjs/common';
import { TokenService } from '@heliomesh/auth';
import { type RequestContext, TenantsService } from '@heliomesh/core';
import { HeliomeshError } from '@heliomesh/util';

/** What identifies a caller: the REST API's headers, sent as HTTP headers or as connection parameters. */
export interface Credentials {
  authorization?: string;
  /** X-Heliomesh-Tenant: the tenant a platform token acts for. */
  tenant?: string;
  /** X-Change-Reason: recorded in the audit log with each change. */
  reason?: string;
  requestId: string;
}

const MAX_REASON = 500;

/**
 * The REST API's authentication (RequestContextGuard), for GraphQL requests and subscription
 * connections: the same bearer tokens, the same tenant scoping, the same errors. Roles are
 * checked by the use cases, so the two front doors cannot drift apart.
 */
@Injectable()
export class GatewayAuth {
  constructor(
    private readonly tokens: TokenService,
    private readonly tenants: TenantsService,
  ) {}

  async resolve(creds: Credentials): Promise<RequestContext> {
    const auth = await this.tokens.authenticate(creds.authorization);
    const tenantId = await this.tenants.resolveScope({ auth }, creds.tenant);
    if (creds.reason !== undefined && creds.reason.length > MAX_REASON)
      throw new HeliomeshError({
        code: 'REASON_TOO_LONG',
        status: 400,
        message: `X-Change-Reason is limited to ${MAX_REASON} characters.`,
        path: ['headers', 'x-change-reason'],
      });
    return {
      auth,
      tenantId,
      requestId: creds.requestId,
      ...(creds.reason ? { reason: creds.reason } : {}),
    };
  }

  /**
   * For a subscription connection: the same checks, with errors pointing at the connection
   * parameters (`connection_init` payload) rather than at headers the socket never had.
   */
  async resolveConnection(creds: Credentials): Promise<RequestContext> {
    try {
      return await this.resolve(creds);
    } catch (err) {
      if (!(err instanceof HeliomeshError) || !err.path.startsWith('$.headers.')) throw err;
      throw new HeliomeshError({
        code: err.code,
        status: err.status,
        message: err.message,
        path: `$.connectionParams.${err.path.slice('$.headers.'.length)}`,
        cause: err,
      });
    }
  }
}

const oneOf = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : Array.isArray(value) && typeof value[0] === 'string'
      ? value[0]
      : undefined;

/** Credentials from HTTP headers (names are lower-case in Node). */
export function credentialsFromHeaders(headers: Record<string, unknown>, requestId: string): Credentials {
  return withoutUndefined({
    authorization: oneOf(headers['authorization']),
    tenant: oneOf(headers['x-heliomesh-tenant']),
    reason: oneOf(headers['x-change-reason']),
    requestId,
  });
}

/**
 * Credentials from a `connection_init` payload. Clients put them at the top level
 * (`{ authorization: 'Bearer ...' }`, as graphql-ws's connectionParams) or under `headers`
 * (Mercurius's convention); header names are matched without regard to case.
 */
export function credentialsFromConnectionParams(payload: unknown, requestId: string): Credentials {
  const record = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const nested = record['headers'];
  const source = typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>) : record;
  const lower = Object.fromEntries(Object.entries(source).map(([k, v]) => [k.toLowerCase(), v]));
  return credentialsFromHeaders(lower, requestId);
}

function withoutUndefined(c: {
  authorization: string | undefined;
  tenant: string | undefined;
  reason: string | undefined;
  requestId: string;
}): Credentials {
  return {
    requestId: c.requestId,
    ...(c.authorization !== undefined ? { authorization: c.authorization } : {}),
    ...(c.tenant !== undefined ? { tenant: c.tenant } : {}),
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
  };
}
