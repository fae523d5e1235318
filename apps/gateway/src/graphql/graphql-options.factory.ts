import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { GqlOptionsFactory } from '@nestjs/graphql';
import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyRequest } from 'fastify';
import { type DocumentNode, type GraphQLSchema, Kind, type OperationDefinitionNode } from 'graphql';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { HeliomeshError } from '@heliomesh/util';
import {
  type Credentials,
  credentialsFromConnectionParams,
  credentialsFromHeaders,
  GatewayAuth,
} from '../auth/gateway-auth.service.js';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';
import { LoaderFactory } from '../loaders/request-loaders.js';
import { createErrorFormatter } from './error-formatter.util.js';
import { toGraphQLError } from './graphql-errors.util.js';
import { checkQueryLimits, measureQuery, type QueryLimits } from './query-limits.util.js';
import { type GatewayContext, RequestScope } from './request-scope.js';

/** Mercurius options: authentication per request and per connection, error format, query limits. */
@Injectable()
export class GraphqlOptionsFactory implements GqlOptionsFactory<MercuriusDriverConfig> {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly auth: GatewayAuth,
    private readonly loaders: LoaderFactory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  createGqlOptions(): MercuriusDriverConfig {
    const limits: QueryLimits = {
      maxDepth: this.config.GRAPHQL_MAX_DEPTH,
      maxCost: this.config.GRAPHQL_MAX_COST,
    };
    const withinLimits: PassedDocuments = new WeakMap();
    return {
      path: '/graphql',
      autoSchemaFile: true,
      sortSchema: true,
      graphiql: this.config.GRAPHIQL,
      allowBatchedQueries: false,
      jit: 1,
      context: (request: FastifyRequest): GatewayContext => ({
        heliomesh: this.scope(credentialsFromHeaders(request.headers, String(request.id)), false),
      }),
      subscription: {
        // The token is checked once the client sends connection_init; a connection with a bad
        // token is kept, and each operation on it fails with that error's code and message
        // (closing it would leave graphql-ws clients with a bare protocol error instead).
        onConnect: async ({ payload }: { payload?: unknown }) => ({
          heliomesh: await this.connection(payload),
        }),
        keepAlive: 30_000,
      },
      errorFormatter: createErrorFormatter(this.logger) as MercuriusDriverConfig['errorFormatter'],
      hooks: {
        preValidation: async (_schema: GraphQLSchema, document: DocumentNode) => onlyGraphqlText(document),
        preExecution: async (
          schema: GraphQLSchema,
          document: DocumentNode,
          _ctx: unknown,
          variables: unknown,
        ) => {
          enforceLimits(schema, document, (variables ?? {}) as Record<string, unknown>, limits, withinLimits);
        },
        preSubscriptionExecution: async (schema: GraphQLSchema, document: DocumentNode) => {
          enforceLimits(schema, document, {}, limits, withinLimits);
        },
      },
    } as MercuriusDriverConfig;
  }

  private scope(creds: Credentials, longLived: boolean): RequestScope {
    const resolve = longLived ? () => this.auth.resolveConnection(creds) : () => this.auth.resolve(creds);
    return new RequestScope(resolve, (s) => this.loaders.create(s), longLived);
  }

  private async connection(payload: unknown): Promise<RequestScope> {
    const creds = credentialsFromConnectionParams(payload, `ws-${randomUUID()}`);
    try {
      await this.auth.resolveConnection(creds);
      return this.scope(creds, true);
    } catch (err) {
      const failed = Promise.reject(err);
      failed.catch(() => undefined);
      return new RequestScope(
        () => failed,
        (s) => this.loaders.create(s),
        true,
      );
    }
  }
}

/**
 * Mercurius reads a query that is not GraphQL text as a JSON syntax tree; we take only GraphQL
 * text (a parsed document carries its source location), so no hand-made tree reaches validation.
 */
function onlyGraphqlText(document: DocumentNode | undefined): void {
  if (document?.kind === Kind.DOCUMENT && document.loc) return;
  throw toGraphQLError(
    new HeliomeshError({
      code: 'GRAPHQL_PARSE_FAILED',
      status: 400,
      message: 'The query is not a GraphQL document; send its text, e.g. {"query": "{ me { actor } }"}.',
      path: ['query'],
    }),
  );
}

/**
 * Documents (per schema) known to be within the limits whatever their variables: those that
 * declare no variables. Mercurius keeps parsed documents in an LRU by query text, so a repeated
 * query arrives as the same DocumentNode object and is measured once; a document it parses anew
 * (not cached yet, or evicted) is a new object and is measured again. Only passes are kept.
 */
type PassedDocuments = WeakMap<GraphQLSchema, WeakSet<DocumentNode>>;

/** Every operation of the document is measured: the hooks are not told which one will run. */
function enforceLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  limits: QueryLimits,
  passed: PassedDocuments,
): void {
  if (passed.get(schema)?.has(document)) return;
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const names = operations.map((d) => d.name?.value);
  try {
    for (const name of names.length > 1 ? names : [undefined])
      checkQueryLimits(measureQuery(schema, document, name, variables), limits);
  } catch (err) {
    // Thrown as a GraphQL error so subscription clients, too, receive the code and path.
    throw err instanceof HeliomeshError ? toGraphQLError(err) : err;
  }
  // Page sizes may come from variables; a document without any measures the same every time.
  if (operations.every((o) => !o.variableDefinitions?.length)) {
    let documents = passed.get(schema);
    if (!documents) passed.set(schema, (documents = new WeakSet()));
    documents.add(document);
  }
}
