import { HeliomeshError } from '@heliomesh/util';

/**
 * SQLSTATEs that only unusual input causes (a malformed uuid, an over-long or NUL-carrying
 * string), never a bug that retrying would fix. Both front doors answer them as 4xx.
 */
const INPUT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  '22P02': { status: 400, code: 'INPUT_INVALID', message: 'A value has the wrong format.' },
  '22001': { status: 422, code: 'INPUT_TOO_LONG', message: 'A value is longer than allowed.' },
  '54000': { status: 422, code: 'INPUT_TOO_LARGE', message: 'A value is too large to store.' },
  '22021': {
    status: 400,
    code: 'INPUT_INVALID',
    message: 'A value contains bytes that are not valid UTF-8 (or a NUL character).',
  },
  '22P05': {
    status: 400,
    code: 'INPUT_INVALID',
    message: 'A value contains a character that cannot be stored (such as \\u0000).',
  },
};

/** The client error a Postgres error stands for, or undefined when it is not caused by input. */
export function postgresInputError(err: unknown): HeliomeshError | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  const known = typeof code === 'string' ? INPUT_ERRORS[code] : undefined;
  return known ? new HeliomeshError({ ...known, cause: err }) : undefined;
}
