import { HeliomeshError } from '@heliomesh/util';
import type { JsonObject } from './object.types.js';

/** The `reason` values of metav1.Status the sandbox answers with (apimachinery api/errors). */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Forbidden'
  | 'Expired'
  | 'Gone'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'MethodNotAllowed'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'InternalError'
  | 'Timeout';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** Identifies the object an error is about, the way `details` names it. */
export interface ObjectRef {
  group: string;
  /** Plural resource name for NotFound/AlreadyExists/Conflict, Kind for Invalid. */
  kind: string;
  name: string;
}

/**
 * An API error that reaches a Kubernetes client. It is a HeliomeshError (stable code, HTTP status,
 * message) whose wire form is the metav1.Status body a real kube-apiserver sends.
 */
export class KubeStatusError extends HeliomeshError {
  readonly reason: StatusReason;
  readonly statusDetails: StatusDetails | undefined;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super({
      code: `KUBE_${reason.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
      status: code,
      message,
      path: details?.causes?.[0]?.field ?? '',
    });
    this.reason = reason;
    this.statusDetails = details;
  }

  toStatus(): JsonObject {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.statusDetails ? { details: this.statusDetails as JsonObject } : {}),
      code: this.status,
    };
  }
}

/** `deployments.apps` or `pods`: how messages name a resource. */
export function qualifiedResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

function refDetails(ref: ObjectRef): StatusDetails {
  return { name: ref.name, group: ref.group, kind: ref.kind };
}

export function notFound(ref: ObjectRef): KubeStatusError {
  return new KubeStatusError(
    404,
    'NotFound',
    `${qualifiedResource(ref.group, ref.kind)} "${ref.name}" not found`,
    refDetails(ref),
  );
}

export function unknownPath(): KubeStatusError {
  return new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(ref: ObjectRef): KubeStatusError {
  return new KubeStatusError(
    409,
    'AlreadyExists',
    `${qualifiedResource(ref.group, ref.kind)} "${ref.name}" already exists`,
    refDetails(ref),
  );
}

export function conflict(ref: ObjectRef, why?: string): KubeStatusError {
  const reason =
    why ?? 'the object has been modified; please apply your changes to the latest version and try again';
  return new KubeStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(ref.group, ref.kind)} "${ref.name}": ${reason}`,
    refDetails(ref),
  );
}

/** A field error inside a 422; `detail` is the text after the field path. */
export interface FieldError {
  field: string;
  type:
    | 'FieldValueInvalid'
    | 'FieldValueRequired'
    | 'FieldValueNotSupported'
    | 'FieldValueForbidden'
    | 'FieldValueTooLong'
    | 'FieldValueTooMany'
    | 'FieldValueDuplicate'
    | 'FieldManagerConflict';
  message: string;
}

const typeText: Record<FieldError['type'], string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueRequired: 'Required value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueDuplicate: 'Duplicate value',
  FieldManagerConflict: 'Conflict',
};

/** The text of one field error as field.ErrorList prints it: `spec.replicas: Invalid value: -1: must be ...`. */
export function fieldErrorText(err: FieldError): string {
  return err.message
    ? `${err.field}: ${typeText[err.type]}: ${err.message}`
    : `${err.field}: ${typeText[err.type]}`;
}

export function fieldInvalid(field: string, value: unknown, detail: string): FieldError {
  return { field, type: 'FieldValueInvalid', message: `${formatGoValue(value)}: ${detail}` };
}

export function fieldRequired(field: string, detail = ''): FieldError {
  return { field, type: 'FieldValueRequired', message: detail };
}

/** How Go's `%v`-ish formatting in field errors shows a value: strings quoted, the rest as JSON. */
export function formatGoValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}

/** 422 Invalid: `Deployment.apps "x" is invalid: <field errors>` (causes carry each one). */
export function invalid(group: string, kind: string, name: string, errors: FieldError[]): KubeStatusError {
  const texts = errors.map(fieldErrorText);
  const summary = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  return new KubeStatusError(
    422,
    'Invalid',
    `${qualifiedResource(group, kind)} "${name}" is invalid: ${summary}`,
    {
      name,
      group,
      kind,
      causes: errors.map((e) => ({
        reason: e.type,
        message: e.message ? `${typeText[e.type]}: ${e.message}` : typeText[e.type],
        field: e.field,
      })),
    },
  );
}

export function badRequest(message: string): KubeStatusError {
  return new KubeStatusError(400, 'BadRequest', message);
}

export function forbidden(message: string, details?: StatusDetails): KubeStatusError {
  return new KubeStatusError(403, 'Forbidden', message, details);
}

export function expired(message: string): KubeStatusError {
  return new KubeStatusError(410, 'Expired', message);
}

export function unsupportedMediaType(accepted: string[]): KubeStatusError {
  return new KubeStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

export function notAcceptable(): KubeStatusError {
  return new KubeStatusError(
    406,
    'NotAcceptable',
    'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  );
}

export function methodNotAllowed(method: string, what: string): KubeStatusError {
  return new KubeStatusError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method} ${what})`,
  );
}

export function internalError(message: string): KubeStatusError {
  return new KubeStatusError(500, 'InternalError', `Internal error occurred: ${message}`);
}

/** The Success Status a DELETE answers with for most kinds (store.go finalizeDelete). */
export function deleteSuccess(group: string, resource: string, name: string, uid: string): JsonObject {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, group, kind: resource, uid },
  };
}
