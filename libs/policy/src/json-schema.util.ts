import { z } from 'zod';
import { targetSchema } from './schemas/common.schema.js';
import {
  POLICY_KINDS,
  policyBodySchema,
  policyDocumentSchema,
  policySpecSchemas,
  storedPolicySchema,
  type PolicyKind,
} from './schemas/policy.schema.js';

export type JsonSchemaTarget = 'draft-2020-12' | 'draft-07' | 'openapi-3.0';

export interface PolicyJsonSchemas {
  body: Record<string, unknown>;
  stored: Record<string, unknown>;
  document: Record<string, unknown>;
  target: Record<string, unknown>;
  specs: Record<PolicyKind, Record<string, unknown>>;
  /** One full document schema per kind (envelope + `spec.target` + the kind's fields), for the CLI. */
  documents: Record<PolicyKind, Record<string, unknown>>;
}

/**
 * JSON Schemas generated from the zod schemas, for the OpenAPI document and the CLI. Input
 * schemas: optional fields are optional, unknown fields are rejected (`additionalProperties: false`).
 */
export function policyJsonSchemas(target: JsonSchemaTarget = 'draft-2020-12'): PolicyJsonSchemas {
  const toSchema = (schema: z.ZodType) =>
    z.toJSONSchema(schema, { target, io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const specs = {} as Record<PolicyKind, Record<string, unknown>>;
  const documents = {} as Record<PolicyKind, Record<string, unknown>>;
  const documentTarget = toSchema(targetSchema.partial({ namespace: true }));
  const envelope = toSchema(policyDocumentSchema);
  for (const kind of POLICY_KINDS) {
    specs[kind] = toSchema(policySpecSchemas[kind]);
    documents[kind] = documentSchemaOf(kind, envelope, specs[kind], documentTarget);
  }
  return {
    body: toSchema(policyBodySchema),
    stored: toSchema(storedPolicySchema),
    document: envelope,
    target: toSchema(targetSchema),
    specs,
    documents,
  };
}

type JsonObject = Record<string, unknown>;

/** Refined zod objects cannot be extended, so the per-kind document schema is assembled here. */
function documentSchemaOf(
  kind: PolicyKind,
  envelope: JsonObject,
  spec: JsonObject,
  target: JsonObject,
): JsonObject {
  const { $schema: _s, ...specBody } = spec;
  const { $schema: _t, ...targetBody } = target;
  const envelopeProps = envelope['properties'] as JsonObject;
  return {
    ...envelope,
    title: `${kind}Document`,
    properties: {
      ...envelopeProps,
      kind: { type: 'string', const: kind },
      spec: {
        ...specBody,
        properties: { target: targetBody, ...(specBody['properties'] as JsonObject) },
        required: ['target', ...((specBody['required'] as string[] | undefined) ?? [])],
      },
    },
  };
}
