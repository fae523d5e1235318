import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse } from '@nestjs/swagger';
import { errorSchema } from './openapi-schema.util.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request (bad JSON, query or header).',
  401: 'Missing, invalid, expired or revoked token.',
  403: 'The token lacks the role this needs.',
  404: 'No such object in this tenant (objects of other tenants are not found either).',
  409: 'Conflicts with the current state (duplicate name, object in use).',
  412: 'If-Match names a revision that is no longer current.',
  413: 'Body larger than 1 MiB.',
  422: 'Well-formed but invalid input; `path` points at the field.',
  428: 'If-Match is required.',
};

/** Bearer auth, the optional tenant header, and the error responses an endpoint can give. */
export function ApiAuthenticated(...statuses: number[]) {
  return applyDecorators(
    ApiBearerAuth(),
    ApiHeader({
      name: 'X-Heliomesh-Tenant',
      required: false,
      description: 'Platform tokens: the tenant (name) to act for.',
    }),
    ...[400, 401, 403, ...statuses].map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error.', schema: errorSchema }),
    ),
  );
}

export const ChangeReasonHeader = () =>
  ApiHeader({
    name: 'X-Change-Reason',
    required: false,
    description: 'Why this change is made; recorded in the audit log.',
  });
