import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { postgresInputError } from '@heliomesh/db';
import { HeliomeshError } from '@heliomesh/util';

export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    path: string;
    details?: Array<{ code: string; path: string; message: string }>;
    requestId: string;
  };
}

/** Fastify's own errors for bad requests, mapped to our stable codes. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'BODY_TOO_LARGE',
    message: 'The request body is larger than 1 MiB; split it into smaller requests.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send JSON (Content-Type: application/json), or YAML to /v1/apply.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'JSON_MALFORMED',
    message: 'The body is empty but Content-Type says JSON; send a JSON body.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'JSON_MALFORMED',
    message: 'The body is not valid JSON.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'BODY_MALFORMED',
    message: 'Content-Length does not match the body.',
  },
};

/**
 * Failures of a dependency (database pool exhausted or Postgres unreachable) are 503s the
 * client may retry, not 500s: nothing is wrong with the request.
 */
function dependencyUnavailable(exception: unknown): { code: string; message: string } | undefined {
  const message = exception instanceof Error ? exception.message : '';
  const code = (exception as { code?: unknown } | null)?.code;
  if (/timeout exceeded when trying to connect|Connection terminated/i.test(message))
    return { code: 'SERVICE_BUSY', message: 'The service is busy; retry in a moment.' };
  if (
    code === 'ECONNREFUSED' ||
    code === '57P01' ||
    code === '57P03' ||
    /DataSource is not initialized|Connection terminated/.test(message)
  ) {
    return {
      code: 'DATABASE_UNAVAILABLE',
      message: 'The database is not reachable right now; retry in a moment (GET /readyz shows what is down).',
    };
  }
  return undefined;
}

/**
 * Every error leaves as `{ error: { code, message, path, details?, requestId } }`. Known client
 * mistakes get their 4xx; anything else is logged with its stack and answered with a 500 that
 * carries the request id, so an operator can find it.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body } = this.toResponse(exception, String(request.id));
    if (status >= 500)
      this.logger.error({ err: exception, requestId: request.id, url: request.url }, 'request failed');
    if (status === 503) void reply.header('retry-after', '1');
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  toResponse(exception: unknown, requestId: string): { status: number; body: ApiErrorBody } {
    const make = (
      status: number,
      code: string,
      message: string,
      path = '$',
      details?: ApiErrorBody['error']['details'],
    ) => ({
      status,
      body: { error: { code, message, path, ...(details?.length ? { details } : {}), requestId } },
    });
    if (exception instanceof HeliomeshError)
      return make(exception.status, exception.code, exception.message, exception.path, exception.details);
    const code = (exception as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && FASTIFY_ERRORS[code]) {
      const known = FASTIFY_ERRORS[code];
      return make(known.status, known.code, known.message);
    }
    const inputError = postgresInputError(exception);
    if (inputError) return make(inputError.status, inputError.code, inputError.message);
    if (exception instanceof SyntaxError && /JSON/.test(exception.message))
      return make(400, 'JSON_MALFORMED', `The body is not valid JSON: ${exception.message}`);
    const unavailable = dependencyUnavailable(exception);
    if (unavailable) return make(503, unavailable.code, unavailable.message);
    // Fastify's parser errors reach us wrapped by Nest, with only a status and Fastify's message.
    const status =
      exception instanceof HttpException
        ? exception.getStatus()
        : (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = exception instanceof Error ? exception.message : '';
      if (status === 404) return make(404, 'ROUTE_NOT_FOUND', 'No such endpoint; see /docs for the API.');
      if (status === 413)
        return make(413, 'BODY_TOO_LARGE', FASTIFY_ERRORS['FST_ERR_CTP_BODY_TOO_LARGE']!.message);
      if (status === 415)
        return make(415, 'UNSUPPORTED_MEDIA_TYPE', FASTIFY_ERRORS['FST_ERR_CTP_INVALID_MEDIA_TYPE']!.message);
      if (status === 400 && /JSON/.test(message))
        return make(400, 'JSON_MALFORMED', `The body is not valid JSON. ${message}.`);
      return make(status, `HTTP_${status}`, message || 'Bad request.');
    }
    return make(
      500,
      'INTERNAL',
      `Something went wrong on our side; the request id ${requestId} lets an operator find it in the logs.`,
    );
  }
}
