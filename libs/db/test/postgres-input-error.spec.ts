import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresInputError } from '../src/index.js';
import { databaseUrl } from './fresh-database.js';

// The errors come from a real server: what the mapping keys on is what Postgres really sends.
let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  await client.query('CREATE TEMP TABLE short_text (v varchar(3))');
});
afterAll(() => client.end());

async function errorOf(sql: string, params: unknown[]): Promise<unknown> {
  return client.query(sql, params).then(
    () => expect.unreachable(`${sql} should fail`),
    (err: unknown) => err,
  );
}

describe('postgresInputError', () => {
  it.each([
    ['a malformed uuid', 'SELECT $1::uuid', ['not-a-uuid'], 400, 'INPUT_INVALID'],
    [
      'a string too long for its column',
      'INSERT INTO short_text VALUES ($1)',
      ['abcd'],
      422,
      'INPUT_TOO_LONG',
    ],
    ['a NUL in jsonb text', 'SELECT $1::jsonb', ['"a\\u0000b"'], 400, 'INPUT_INVALID'],
  ])('maps %s to a 4xx with a stable code', async (_name, sql, params, status, code) => {
    const err = await errorOf(sql, params);
    expect(postgresInputError(err)).toMatchObject({ status, code, path: '$' });
  });

  it('leaves errors that input does not cause alone', async () => {
    expect(postgresInputError(await errorOf('SELECT * FROM no_such_table', []))).toBeUndefined();
    expect(postgresInputError(new Error('boom'))).toBeUndefined();
    expect(postgresInputError(null)).toBeUndefined();
    expect(postgresInputError({ code: 42 })).toBeUndefined();
  });
});
