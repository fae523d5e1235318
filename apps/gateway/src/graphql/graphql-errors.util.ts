import { GraphQLError } from 'graphql';
import { type ErrorDetail, HeliomeshError } from '@heliomesh/util';
import { postgresInputError } from '@heliomesh/db';

/** What every error carries in `extensions`: the REST API's stable code, status and JSON path. */
export interface ErrorExtensions {
  code: string;
  status: number;
  /** JSON path of the offending input (an argument, a header, a connection parameter), `$` if none. */
  path: string;
  details?: ErrorDetail[];
  requestId?: string;
}

/**
 * The use cases name inputs the way REST sends them (`$.query.limit`, `$.headers.if-match`);
 * over GraphQL the same inputs are arguments, so the path points at the argument instead.
 */
const REST_INPUTS: ReadonlyArray<[prefix: string, argument: string]> = [
  ['$.query.limit', '$.first'],
  ['$.query.cursor', '$.after'],
  ['$.query.kind', '$.filter.kind'],
  ['$.query.serviceId', '$.filter.serviceId'],
  ['$.headers.if-match', '$.expectedRevision'],
];

const HEADER_PREFIX = '$.headers.';

export function graphqlPath(restPath: string, bodyArgument?: string): string {
  for (const [prefix, argument] of REST_INPUTS)
    if (restPath === prefix || restPath.startsWith(`${prefix}.`) || restPath.startsWith(`${prefix}[`))
      return argument + restPath.slice(prefix.length);
  if (bodyArgument && !restPath.startsWith(HEADER_PREFIX)) return `$.${bodyArgument}${restPath.slice(1)}`;
  return restPath;
}

/** The same error with its paths in this operation's terms; `bodyArgument` holds what REST takes as the body. */
export function atArgument(err: HeliomeshError, bodyArgument?: string): HeliomeshError {
  return new HeliomeshError({
    code: err.code,
    status: err.status,
    message: err.message,
    path: graphqlPath(err.path, bodyArgument),
    details: err.details.map((d) => ({ ...d, path: graphqlPath(d.path, bodyArgument) })),
    cause: err,
  });
}

/** Runs a use case whose body comes from `bodyArgument`, so its validation errors point into that argument. */
export async function inArgument<T>(bodyArgument: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw err instanceof HeliomeshError ? atArgument(err, bodyArgument) : err;
  }
}

export function extensionsOf(err: HeliomeshError): ErrorExtensions {
  return {
    code: err.code,
    status: err.status,
    path: graphqlPath(err.path),
    ...(err.details.length ? { details: err.details } : {}),
  };
}

/** A use-case error as a GraphQL error whose extensions carry the stable code, status and path. */
export function toGraphQLError(err: HeliomeshError): GraphQLError {
  return new GraphQLError(err.message, { originalError: err, extensions: { ...extensionsOf(err) } });
}

/** Fastify and Mercurius errors raised before a query runs, all caused by the request. */
const TRANSPORT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'JSON_MALFORMED',
    message: 'The body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'JSON_MALFORMED',
    message: 'The body is empty but Content-Type says JSON; send {"query": "..."}.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'BODY_TOO_LARGE',
    message: 'The request body is larger than 1 MiB; send a smaller query.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send JSON (Content-Type: application/json) or application/graphql.',
  },
  MER_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
    message: 'Mutations must be sent with POST, not GET.',
  },
  MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND: {
    status: 400,
    code: 'QUERY_MISSING',
    message: 'The request has no query: send {"query": "..."}.',
  },
};

export interface ClassifiedError {
  message: string;
  extensions: ErrorExtensions;
  /** A fault on our side: logged with its stack, answered with a message that hides it. */
  internal: boolean;
}

const codeOf = (e: unknown): unknown => (e as { code?: unknown } | null | undefined)?.code;

/**
 * Names the kind of any error that reaches the GraphQL layer. `requestError` marks errors raised
 * while reading the request (syntax, validation, variables), which are always the caller's.
 */
export function classifyError(error: GraphQLError | Error, requestError: boolean): ClassifiedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? undefined) : error;
  if (original instanceof HeliomeshError)
    return { message: original.message, extensions: extensionsOf(original), internal: false };
  const given = error instanceof GraphQLError ? error.extensions : undefined;
  if (typeof given?.['code'] === 'string' && typeof given['status'] === 'number')
    return { message: error.message, extensions: given as unknown as ErrorExtensions, internal: false };
  const inputError = postgresInputError(original);
  if (inputError)
    return { message: inputError.message, extensions: extensionsOf(inputError), internal: false };
  const code = codeOf(original);
  if (typeof code === 'string' && TRANSPORT_ERRORS[code]) {
    const { message, ...ext } = TRANSPORT_ERRORS[code];
    return { message, extensions: { ...ext, path: '$' }, internal: false };
  }
  if (Array.isArray((original as { validation?: unknown } | undefined)?.validation))
    return {
      message: `The body must be JSON such as {"query": "...", "variables": {}}: ${error.message}.`,
      extensions: { code: 'BODY_INVALID', status: 400, path: '$' },
      internal: false,
    };
  if (original === undefined || requestError) return requestErrorOf(error, requestError);
  return {
    message: 'Something went wrong on our side.',
    extensions: { code: 'INTERNAL', status: 500, path: '$' },
    internal: true,
  };
}

function requestErrorOf(error: Error, requestError: boolean): ClassifiedError {
  const message = error.message;
  const caller = (code: string, path = '$'): ClassifiedError => ({
    message,
    extensions: { code, status: 400, path },
    internal: false,
  });
  if (message.startsWith('Syntax Error')) return caller('GRAPHQL_PARSE_FAILED');
  const variable = /^Variable "\$([A-Za-z_]\w*)"/.exec(message);
  if (variable) return caller('BAD_USER_INPUT', `$.variables.${variable[1]}`);
  if (requestError) return caller('GRAPHQL_VALIDATION_FAILED');
  // graphql-js raised it while executing (a non-null field resolved to null): a bug of ours.
  return {
    message: 'Something went wrong on our side.',
    extensions: { code: 'INTERNAL', status: 500, path: '$' },
    internal: true,
  };
}
