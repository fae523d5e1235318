import { z } from 'zod';

/** Policies enforced at the service's own proxies: rate limits, access lists and Wasm plugins. */

export const rateLimitSpecSchema = z
  .strictObject({
    requests: z.number().int(),
    unit: z.enum(['second', 'minute']),
    burst: z.number().int().optional(),
  })
  .meta({
    description:
      'Local rate limit: `requests` per `unit`, with a bucket of `burst` tokens (default: `requests`). The limit is per replica: a service with N pods admits N times the limit. Rejected requests get 429.',
  });

const stringList = z.array(z.string().min(1)).min(1);

export const accessControlSpecSchema = z
  .strictObject({
    action: z.enum(['ALLOW', 'DENY']),
    from: z
      .strictObject({
        ipBlocks: stringList.optional(),
        remoteIpBlocks: stringList.optional(),
        namespaces: stringList.optional(),
        principals: stringList.optional(),
      })
      .optional(),
    to: z
      .strictObject({
        methods: stringList.optional(),
        paths: stringList.optional(),
        ports: z.array(z.number().int()).min(1).optional(),
      })
      .optional(),
    headers: z.record(z.string().min(1), stringList).optional(),
  })
  .meta({
    description:
      'A black list (DENY) or white list (ALLOW) of callers. A caller matches if it is on any of the `from` lists; `to` and `headers` narrow which requests the list applies to. Once any ALLOW list covers a service, callers on no ALLOW list are denied.',
  });

const envEntrySchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
    value: z.string().optional(),
    fromHost: z.literal(true).optional(),
  })
  .refine((e) => (e.value === undefined) !== (e.fromHost === undefined), {
    message: 'give a literal "value" or "fromHost: true" (read from the proxy environment), not both',
  });

export const pluginSpecSchema = z
  .strictObject({
    url: z.string().min(1),
    sha256: z.string().optional(),
    phase: z.enum(['AUTHN', 'AUTHZ', 'STATS', 'UNSPECIFIED_PHASE']).optional(),
    priority: z.number().int().optional(),
    mode: z.enum(['SERVER', 'CLIENT', 'CLIENT_AND_SERVER']).optional(),
    pluginName: z.string().min(1).optional(),
    config: z.record(z.string(), z.json()).optional(),
    failStrategy: z.enum(['FAIL_CLOSE', 'FAIL_OPEN']).optional(),
    imagePullSecret: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be the name of a Secret in the namespace')
      .optional(),
    env: z.array(envEntrySchema).optional(),
  })
  .meta({
    description:
      "A Wasm plugin on the service's proxies. Secrets are passed only by reference: `imagePullSecret` names a Secret; `env` entries with `fromHost` read the proxy environment. Literal secrets in `config` or `env` are rejected (HM4104).",
  });

export type RateLimitSpec = z.infer<typeof rateLimitSpecSchema>;
export type AccessControlSpec = z.infer<typeof accessControlSpecSchema>;
export type PluginSpec = z.infer<typeof pluginSpecSchema>;
