import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '@heliomesh/observability';
import { classifyError, type ClassifiedError } from './graphql-errors.util.js';

interface Execution {
  data?: unknown;
  errors?: readonly GraphQLError[];
}

interface FormatterContext {
  reply?: { request?: { id?: unknown } };
}

/** Mercurius wraps request errors (syntax, validation, variables) in one error with a list. */
function requestErrorsOf(err: GraphQLError): unknown {
  const wrapper = err.originalError as { code?: unknown; errors?: unknown } | undefined;
  return wrapper?.code === 'MER_ERR_GQL_VALIDATION' ? wrapper.errors : undefined;
}

/**
 * Every error leaves with `extensions: { code, status, path }` (plus `details` and, for our own
 * faults, `requestId`). Request errors answer HTTP 400; an execution answers 200 with whatever
 * data it has, or, when it produced no data at all, with the first error's status.
 */
export function createErrorFormatter(logger: Logger) {
  return (execution: Execution, context: FormatterContext) => {
    const requestId = context.reply?.request?.id === undefined ? undefined : String(context.reply.request.id);
    const formatted: GraphQLFormattedError[] = [];
    let status: number | undefined;
    for (const error of execution.errors ?? []) {
      const nested = requestErrorsOf(error);
      const parts: Array<[GraphQLError | Error, boolean]> = Array.isArray(nested)
        ? nested.map((e: GraphQLError | Error) => [e, true])
        : [[error, false]];
      for (const [part, requestError] of parts) {
        const c = classifyError(part, requestError);
        if (c.internal) logger.error({ err: originalOf(part), requestId }, 'GraphQL operation failed');
        status ??= c.extensions.status;
        formatted.push(formatOne(part, c, requestId));
      }
    }
    // An operation that ran answers 200 even when every field failed (GraphQL over HTTP, JSON
    // responses): the REST status is in each error's extensions. Requests that never ran do not;
    // that includes bad variables, which graphql-jit (compiled queries) reports as a result.
    const executed = 'data' in execution && !(execution.data === null && formatted.every(isRequestError));
    return {
      statusCode: executed ? 200 : (status ?? 400),
      response: { data: (execution.data ?? null) as never, errors: formatted },
    };
  };
}

const REQUEST_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);
const isRequestError = (e: GraphQLFormattedError) => REQUEST_CODES.has(String(e.extensions?.['code']));

function originalOf(err: GraphQLError | Error): unknown {
  return err instanceof GraphQLError ? (err.originalError ?? err) : err;
}

function formatOne(
  err: GraphQLError | Error,
  c: ClassifiedError,
  requestId: string | undefined,
): GraphQLFormattedError {
  const located = err instanceof GraphQLError ? err.toJSON() : undefined;
  // Our own faults (classified here or already by GraphqlErrorFilter) carry the request id to quote.
  const ours = c.extensions.code === 'INTERNAL' && requestId !== undefined;
  const message = ours
    ? `${c.message} The request id ${requestId} lets an operator find it in the logs.`
    : c.message;
  return {
    message,
    ...(located?.locations ? { locations: located.locations } : {}),
    ...(located?.path ? { path: located.path } : {}),
    extensions: { ...c.extensions, ...(ours ? { requestId } : {}) },
  };
}
