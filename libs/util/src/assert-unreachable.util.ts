/** Closes an exhaustive `switch` on a string union: adding a member without a case fails to compile. */
export function assertUnreachable(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
