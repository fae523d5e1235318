import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/** A zod schema as an OpenAPI 3.0 schema object for @nestjs/swagger decorators. */
export function openApi(schema: z.ZodType): SchemaObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest as SchemaObject;
}

export const errorSchema: SchemaObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'path', 'requestId'],
      properties: {
        code: { type: 'string', description: 'Stable error code, e.g. POLICY_REJECTED.' },
        message: { type: 'string', description: 'What went wrong and what to do.' },
        path: {
          type: 'string',
          description: 'JSON path of the offending input, e.g. $.spec.routes[0].weight.',
        },
        details: {
          type: 'array',
          items: {
            type: 'object',
            properties: { code: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' } },
          },
        },
        requestId: { type: 'string' },
      },
    },
  },
};

export const pageOf = (item: SchemaObject): SchemaObject => ({
  type: 'object',
  required: ['items'],
  properties: {
    items: { type: 'array', items: item },
    nextCursor: {
      type: 'string',
      description: 'Pass as `cursor` for the next page; absent on the last page.',
    },
  },
});
