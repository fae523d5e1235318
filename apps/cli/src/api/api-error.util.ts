import { errorMessage, HeliomeshError } from '@heliomesh/util';

/** The body every API error has (apps/policy-api ApiExceptionFilter). */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    path: string;
    details?: Array<{ code: string; path: string; message: string }>;
    requestId?: string;
  };
}

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  const e = (body as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  return (
    typeof e === 'object' && e !== null && typeof e['code'] === 'string' && typeof e['message'] === 'string'
  );
}

export const LOGIN_HINT =
  'Log in with `heliomesh login <server-url> --token <token>` (on `npm start` the demo token is in .heliomesh/demo-operator-token).';

/**
 * An API answer that is not a success, as one error that says what to do. The server's message
 * already does for most codes; authentication and server failures get the CLI's next step added.
 */
export function apiError(status: number, body: unknown, server: string): HeliomeshError {
  if (!isApiErrorBody(body)) {
    return new HeliomeshError({
      code: status >= 500 ? 'SERVER_ERROR' : 'UNEXPECTED_RESPONSE',
      status,
      message: `${server} answered ${status} without a Heliomesh error body; check that the URL is a Heliomesh API (heliomesh context current).`,
    });
  }
  const { code, message, path, details, requestId } = body.error;
  let text = message;
  if (status === 401) text = `${message} ${LOGIN_HINT}`;
  else if (status === 403)
    text = `${message} Use a token with the role this needs (heliomesh context list shows which context is in use).`;
  else if (status >= 500)
    text = `${message}${requestId ? ` (request id ${requestId}: quote it when you report this)` : ''}`;
  return new HeliomeshError({ code, status, message: text, path, details: details ?? [] });
}

/** A request that never got an answer: the platform is down, or the URL is wrong. */
export function networkError(err: unknown, server: string): HeliomeshError {
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  const code = cause?.code ?? (err as { code?: string } | null)?.code;
  const name = (err as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return new HeliomeshError({
      code: 'SERVER_TIMEOUT',
      status: 504,
      message: `${server} did not answer in time; check that the platform is healthy (GET ${server}/readyz) and try again.`,
      cause: err,
    });
  const reason =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'unknown host'
        : (code ?? cause?.message ?? errorMessage(err));
  return new HeliomeshError({
    code: 'SERVER_UNREACHABLE',
    status: 503,
    message: `Cannot reach the Heliomesh API at ${server} (${reason}). Start the platform with \`npm start\`, or point the CLI at a running one with \`heliomesh login <server-url>\`.`,
    cause: err,
  });
}
