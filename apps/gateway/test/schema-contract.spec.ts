import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateSchemaSdl } from '../src/graphql/schema-sdl.util.js';

const SDL_FILE = fileURLToPath(new URL('../schema.graphql', import.meta.url));

describe('the checked-in GraphQL SDL', () => {
  it('matches the schema the resolvers declare', async () => {
    const generated = await generateSchemaSdl();
    const checkedIn = readFileSync(SDL_FILE, 'utf8');
    expect(
      generated === checkedIn,
      'apps/gateway/schema.graphql is out of date: run `npm run graphql:schema` and commit the file',
    ).toBe(true);
  });
});
