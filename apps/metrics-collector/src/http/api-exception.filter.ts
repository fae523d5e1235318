import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CollectorErrorBody } from '@heliomesh/metrics';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { HeliomeshError } from '@heliomesh/util';

interface Known {
  status: number;
  code: string;
  message: string;
}

/** What Fastify rejects before a handler runs, in the API's own words. */
const FASTIFY_ERRORS: Record<string, Known> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'BODY_TOO_LARGE',
    message: 'The request body is larger than 1 MiB; send a smaller query.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send JSON with Content-Type: application/json.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'BODY_INVALID',
    message: 'The body is empty but Content-Type says JSON; send a JSON query.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'BODY_INVALID',
    message: 'The body is not valid JSON.',
  },
};

function byStatus(status: number, message: string): Known {
  switch (status) {
    case 404:
      return {
        status,
        code: 'ROUTE_NOT_FOUND',
        message: 'No such endpoint; see the collector README for the API.',
      };
    case 413:
      return FASTIFY_ERRORS['FST_ERR_CTP_BODY_TOO_LARGE']!;
    case 415:
      return FASTIFY_ERRORS['FST_ERR_CTP_INVALID_MEDIA_TYPE']!;
    default:
      return /JSON/.test(message)
        ? { status: 400, code: 'BODY_INVALID', message: `The body is not valid JSON. ${message}.` }
        : { status, code: `HTTP_${status}`, message: message || 'Bad request.' };
  }
}

/**
 * Every error leaves as `{ error: { code, message, path, requestId } }`. Client mistakes keep
 * their 4xx; anything else is logged with its stack and answered 500 with the request id.
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
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  toResponse(exception: unknown, requestId: string): { status: number; body: CollectorErrorBody } {
    const make = (k: Known, path = '$') => ({
      status: k.status,
      body: { error: { code: k.code, message: k.message, path, requestId } },
    });
    if (exception instanceof HeliomeshError) {
      return {
        status: exception.status,
        body: { error: { ...exception.toJSON(), requestId } },
      };
    }
    const code = (exception as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && FASTIFY_ERRORS[code]) return make(FASTIFY_ERRORS[code]);
    if (exception instanceof SyntaxError && /JSON/.test(exception.message)) {
      return make({
        status: 400,
        code: 'BODY_INVALID',
        message: `The body is not valid JSON: ${exception.message}`,
      });
    }
    const status =
      exception instanceof HttpException
        ? exception.getStatus()
        : (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return make(byStatus(status, exception instanceof Error ? exception.message : ''));
    }
    return make({
      status: 500,
      code: 'INTERNAL',
      message: `Something went wrong on our side; the request id ${requestId} lets an operator find it in the logs.`,
    });
  }
}
