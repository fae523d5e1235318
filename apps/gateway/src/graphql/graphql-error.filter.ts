import { type ArgumentsHost, Catch, Inject } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlContextType, GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { classifyError } from './graphql-errors.util.js';

/**
 * Errors of root resolvers (queries, mutations, and subscriptions before their first event)
 * become GraphQL errors carrying the stable code, status and JSON path in `extensions`, which
 * also reach subscription clients (Mercurius sends those errors unformatted). Our own faults are
 * logged with their stack and answered with a message that hides them. HTTP routes (health,
 * metrics) keep Nest's default handling.
 */
@Catch()
export class GraphqlErrorFilter extends BaseExceptionFilter implements GqlExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() !== 'graphql') return super.catch(exception, host);
    if (exception instanceof GraphQLError && typeof exception.extensions['code'] === 'string')
      return exception;
    const error = exception instanceof Error ? exception : new Error(String(exception));
    const c = classifyError(error, false);
    if (c.internal) this.logger.error({ err: error }, 'GraphQL resolver failed');
    return new GraphQLError(c.message, { originalError: error, extensions: { ...c.extensions } });
  }
}
