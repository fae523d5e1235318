/**
 * GraphQL sends an omitted nullable argument as absent but an explicit `null` as null; the use
 * cases' strict schemas (like REST bodies) treat a field as either present or absent, so nulls
 * are dropped before the input reaches them.
 */
export function withoutNulls<T extends object>(input: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}
