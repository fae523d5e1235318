/**
 * A jsonb object column. Its members are `any` rather than `unknown` only because TypeORM's
 * insert/update typings (QueryDeepPartialEntity) reject `unknown` members; readers should
 * still narrow what they take out.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;
