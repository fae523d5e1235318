/** A JSON path as a list of keys and indexes, e.g. `['spec', 'routes', 0, 'weight']`. */
export type JsonPath = ReadonlyArray<string | number>;

/** Renders a path the way API errors show it: `$.spec.routes[0].weight`. */
export function formatJsonPath(path: JsonPath): string {
  let out = '$';
  for (const key of path)
    out +=
      typeof key === 'number'
        ? `[${key}]`
        : /^[A-Za-z_][\w-]*$/.test(key)
          ? `.${key}`
          : `[${JSON.stringify(key)}]`;
  return out;
}

export interface ErrorDetail {
  code: string;
  path: string;
  message: string;
}

/**
 * The one error type that crosses layers. `code` is stable and documented; `status` is the HTTP
 * status a front door should answer with; `path` points at the offending input field.
 */
export class HeliomeshError extends Error {
  readonly code: string;
  readonly status: number;
  readonly path: string;
  readonly details: ErrorDetail[];

  constructor(opts: {
    code: string;
    status: number;
    message: string;
    path?: JsonPath | string;
    details?: ErrorDetail[];
    cause?: unknown;
  }) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HeliomeshError';
    this.code = opts.code;
    this.status = opts.status;
    this.path = typeof opts.path === 'string' ? opts.path : formatJsonPath(opts.path ?? []);
    this.details = opts.details ?? [];
  }

  toJSON(): { code: string; message: string; path: string; details?: ErrorDetail[] } {
    return {
      code: this.code,
      message: this.message,
      path: this.path,
      ...(this.details.length ? { details: this.details } : {}),
    };
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
