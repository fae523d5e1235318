import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { HeliomeshError } from '@heliomesh/util';
import { atArgument, classifyError, graphqlPath, inArgument, toGraphQLError } from './graphql-errors.util.js';

const keyArb = fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/);

describe('graphqlPath', () => {
  it('names the argument that replaced a REST query parameter or header', () => {
    expect(graphqlPath('$.query.limit')).toBe('$.first');
    expect(graphqlPath('$.query.cursor')).toBe('$.after');
    expect(graphqlPath('$.headers.if-match')).toBe('$.expectedRevision');
    expect(graphqlPath('$.query.kind')).toBe('$.filter.kind');
  });

  it('keeps other headers, and puts body paths under the argument that carries the body', () => {
    expect(graphqlPath('$.headers.x-heliomesh-tenant', 'input')).toBe('$.headers.x-heliomesh-tenant');
    expect(graphqlPath('$.spec.weights[0].weight', 'input')).toBe('$.input.spec.weights[0].weight');
    expect(graphqlPath('$', 'input')).toBe('$.input');
  });

  it('never changes what follows the part it rewrites', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(keyArb, fc.nat({ max: 50 })), { maxLength: 5 }), (rest) => {
        const suffix = rest.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
        expect(graphqlPath(`$.body${suffix}`, 'input')).toBe(`$.input.body${suffix}`);
        expect(graphqlPath(`$.query.limit${suffix}`)).toBe(`$.first${suffix}`);
      }),
    );
  });

  it('does not mistake a longer name for a REST input', () => {
    expect(graphqlPath('$.query.limits')).toBe('$.query.limits');
  });
});

describe('errors', () => {
  const invalid = new HeliomeshError({
    code: 'POLICY_INVALID',
    status: 422,
    message: 'bad',
    path: ['spec', 'timeout'],
    details: [{ code: 'HM0001', path: '$.spec.timeout', message: 'bad' }],
  });

  it('moves every path of a use-case error under the body argument', async () => {
    const err = atArgument(invalid, 'input');
    expect(err).toMatchObject({ code: 'POLICY_INVALID', status: 422, path: '$.input.spec.timeout' });
    expect(err.details[0]!.path).toBe('$.input.spec.timeout');
    await expect(inArgument('input', () => Promise.reject(invalid))).rejects.toMatchObject({
      path: '$.input.spec.timeout',
    });
  });

  it('carries code, status and JSON path in extensions', () => {
    expect(toGraphQLError(invalid).extensions).toEqual({
      code: 'POLICY_INVALID',
      status: 422,
      path: '$.spec.timeout',
      details: invalid.details,
    });
  });

  it('classifies what graphql-js, Postgres and our code raise', () => {
    const located = new GraphQLError('x', { originalError: invalid });
    expect(classifyError(located, false)).toMatchObject({
      internal: false,
      extensions: { code: 'POLICY_INVALID' },
    });
    expect(classifyError(new GraphQLError('Syntax Error: Unexpected "}".'), true).extensions.code).toBe(
      'GRAPHQL_PARSE_FAILED',
    );
    expect(
      classifyError(new GraphQLError('Variable "$first" got invalid value "x"; Int cannot represent'), true)
        .extensions,
    ).toEqual({ code: 'BAD_USER_INPUT', status: 400, path: '$.variables.first' });
    expect(
      classifyError(new GraphQLError('Cannot query field "x" on type "Query".'), true).extensions.code,
    ).toBe('GRAPHQL_VALIDATION_FAILED');
    const pg = Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' });
    expect(classifyError(new GraphQLError('x', { originalError: pg }), false).extensions.code).toBe(
      'INPUT_INVALID',
    );
    const bug = classifyError(
      new GraphQLError('x', { originalError: new TypeError('undefined is not a function') }),
      false,
    );
    expect(bug).toMatchObject({ internal: true, extensions: { code: 'INTERNAL', status: 500 } });
    expect(bug.message).not.toContain('undefined');
    expect(
      classifyError(new GraphQLError('Cannot return null for non-nullable field Query.me.'), false).internal,
    ).toBe(true);
  });
});
