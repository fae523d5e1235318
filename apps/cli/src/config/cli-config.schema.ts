import { z } from 'zod';

const httpUrl = z.string().refine((v) => /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v), {
  message: 'must be an http:// or https:// URL, such as http://127.0.0.1:3000',
});

export const contextSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, ".", "_" or "-"'),
  server: httpUrl,
  token: z.string().min(1).optional(),
  /** The GraphQL gateway, for live health in `describe service`. */
  gateway: httpUrl.optional(),
  /** For platform admin tokens: the tenant to act in. */
  tenant: z.string().min(1).optional(),
});

/** `~/.config/heliomesh/config.yaml`, kubectl-like. */
export const cliConfigSchema = z.strictObject({
  'current-context': z.string().optional(),
  contexts: z.array(contextSchema).default([]),
});

export type CliContext = z.infer<typeof contextSchema>;
export type CliConfig = z.infer<typeof cliConfigSchema>;
