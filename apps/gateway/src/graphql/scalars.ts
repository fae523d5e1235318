import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';

/**
 * Arbitrary JSON: policy specs and targets (validated by @heliomesh/policy, never here), explain
 * details, status reasons. Mirrors what the REST API takes and returns byte for byte.
 */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value. Policy specs are validated by the policy library, as in the REST API.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

function isoString(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (typeof value === 'string' && value.length <= 64 && !Number.isNaN(Date.parse(value))) return value;
  throw new GraphQLError('DateTime must be an RFC 3339 date-time string such as 2026-01-31T12:00:00Z.');
}

/**
 * RFC 3339 date-times. Our views already carry ISO strings; @nestjs/graphql's built-in scalar
 * serializes only Date objects, so strings would come out null.
 */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An RFC 3339 date-time string, e.g. 2026-01-31T12:00:00.000Z.',
  serialize: isoString,
  parseValue: isoString,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError('DateTime must be a string such as 2026-01-31T12:00:00Z.');
    return isoString(ast.value);
  },
});
