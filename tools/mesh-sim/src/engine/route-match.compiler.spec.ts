import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpMatchSchema, type HttpMatch } from '../config/networking.schema.js';
import type { SimRequest } from './engine.types.js';
import { compileMatch, matchesRequest, queryParam } from './route-match.compiler.js';

function req(
  path: string,
  headers: Record<string, string> = {},
  extra: Partial<SimRequest> = {},
): SimRequest {
  return { method: 'GET', scheme: 'http', authority: 'reviews:9080', path, headers, bytes: 100, ...extra };
}

function test(match: HttpMatch, r: SimRequest): boolean {
  const m = compileMatch(httpMatchSchema.parse(match));
  const q = r.path.indexOf('?');
  return matchesRequest(m, r, q === -1 ? r.path : r.path.slice(0, q), q === -1 ? '' : r.path.slice(q + 1));
}

describe('HTTPMatchRequest (istio-semantics §1.2)', () => {
  it('uri prefix is a plain string prefix and ignores the query', () => {
    expect(test({ uri: { prefix: '/foo' } }, req('/foobar'))).toBe(true);
    expect(test({ uri: { exact: '/foo' } }, req('/foo?x=1'))).toBe(true);
    expect(test({ uri: { exact: '/foo' } }, req('/Foo'))).toBe(false);
    expect(test({ uri: { exact: '/foo' }, ignoreUriCase: true }, req('/FOO'))).toBe(true);
  });

  it('regex is a full RE2 match, case-sensitive unless (?i)', () => {
    expect(test({ uri: { regex: '/api/v[0-9]+' } }, req('/api/v2'))).toBe(true);
    expect(test({ uri: { regex: '/api/v[0-9]+' } }, req('/api/v2/x'))).toBe(false);
    expect(test({ uri: { regex: '/API' } }, req('/api'))).toBe(false);
    expect(test({ uri: { regex: '(?i)/API' } }, req('/api'))).toBe(true);
  });

  it('ignoreUriCase does not affect regex', () => {
    expect(test({ uri: { regex: '/API' }, ignoreUriCase: true }, req('/api'))).toBe(false);
  });

  it('headers need the header present; {} tests presence', () => {
    expect(test({ headers: { 'x-user': { exact: 'beta' } } }, req('/', { 'x-user': 'beta' }))).toBe(true);
    expect(test({ headers: { 'x-user': { exact: 'beta' } } }, req('/', {}))).toBe(false);
    expect(test({ headers: { 'x-user': {} } }, req('/', { 'x-user': '' }))).toBe(true);
    expect(test({ headers: { 'x-user': { regex: '*' } } }, req('/', {}))).toBe(false);
  });

  it('withoutHeaders inverts, with a missing header counting as ""', () => {
    expect(test({ withoutHeaders: { x: { exact: 'a' } } }, req('/', {}))).toBe(true);
    expect(test({ withoutHeaders: { x: { exact: 'a' } } }, req('/', { x: 'a' }))).toBe(false);
    expect(test({ withoutHeaders: { x: {} } }, req('/', {}))).toBe(true);
    expect(test({ withoutHeaders: { x: {} } }, req('/', { x: 'b' }))).toBe(false);
    expect(test({ withoutHeaders: { x: { regex: '.*' } } }, req('/', {}))).toBe(false);
  });

  it('ignores the pseudo-header keys under headers', () => {
    expect(test({ headers: { uri: { exact: '/nope' }, method: { exact: 'POST' } } }, req('/'))).toBe(true);
  });

  it('matches method, scheme, authority and query parameters', () => {
    expect(test({ method: { exact: 'POST' } }, req('/', {}, { method: 'POST' }))).toBe(true);
    expect(test({ scheme: { exact: 'https' } }, req('/'))).toBe(false);
    expect(test({ authority: { prefix: 'reviews' } }, req('/'))).toBe(true);
    expect(test({ queryParams: { v: { exact: '2' } } }, req('/x?v=2&w=3'))).toBe(true);
    expect(test({ queryParams: { v: {} } }, req('/x?w=3'))).toBe(false);
    expect(test({ queryParams: { v: { regex: '[0-9]' } } }, req('/x?v=22'))).toBe(false);
  });

  it('ANDs every field of one match', () => {
    const m = { uri: { prefix: '/a' }, headers: { x: { exact: '1' } } };
    expect(test(m, req('/a', { x: '1' }))).toBe(true);
    expect(test(m, req('/a', { x: '2' }))).toBe(false);
    expect(test(m, req('/b', { x: '1' }))).toBe(false);
  });

  it('exact header match agrees with string equality (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), (want, got) => {
        const r = req('/', got === undefined ? {} : { x: got });
        expect(test({ headers: { x: { exact: want } } }, r)).toBe(got === want);
        expect(test({ withoutHeaders: { x: { exact: want } } }, r)).toBe((got ?? '') !== want);
      }),
    );
  });

  it('prefix uri match agrees with startsWith (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\/[a-z/]{0,6}$/),
        fc.stringMatching(/^\/[a-z/]{0,6}$/),
        (prefix, path) => {
          expect(test({ uri: { prefix } }, req(path))).toBe(path.startsWith(prefix));
        },
      ),
    );
  });
});

describe('queryParam', () => {
  it('decodes and returns the first value', () => {
    expect(queryParam('a=1&b=x%20y&a=2', 'a')).toBe('1');
    expect(queryParam('a=1&b=x%20y', 'b')).toBe('x y');
    expect(queryParam('flag&b=1', 'flag')).toBe('');
    expect(queryParam('', 'a')).toBeUndefined();
  });
});
