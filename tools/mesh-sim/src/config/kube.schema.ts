import { z } from 'zod';

/** The few Service and Pod fields the simulator needs. */

export const serviceSpecSchema = z.looseObject({
  selector: z.record(z.string(), z.string()).nullish(),
  clusterIP: z.string().nullish(),
  ports: z
    .array(
      z.looseObject({
        name: z.string().nullish(),
        port: z.number().int(),
        targetPort: z.union([z.number().int(), z.string()]).nullish(),
        protocol: z.string().nullish(),
        appProtocol: z.string().nullish(),
      }),
    )
    .nullish(),
});
export type ServiceSpec = z.output<typeof serviceSpecSchema>;

export const podSpecSchema = z.looseObject({
  serviceAccountName: z.string().nullish(),
  serviceAccount: z.string().nullish(),
});
export const podStatusSchema = z.looseObject({
  phase: z.string().nullish(),
  podIP: z.string().nullish(),
  conditions: z.array(z.looseObject({ type: z.string(), status: z.string() })).nullish(),
});
