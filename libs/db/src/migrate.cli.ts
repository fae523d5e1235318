import { loadConfigOrExit, commonServiceEnv } from '@heliomesh/config';
import { z } from 'zod';
import { createDataSource } from './data-source.factory.js';
import { ensureDatabase, migrateWithLock, redactUrl } from './database-lifecycle.util.js';

/** `npm run migrate`: create the database if missing and apply pending migrations. */
const { DATABASE_URL } = loadConfigOrExit(z.object({ DATABASE_URL: commonServiceEnv.DATABASE_URL }));
const created = await ensureDatabase(DATABASE_URL);
const ds = createDataSource({ url: DATABASE_URL, applicationName: 'heliomesh-migrate' });
await ds.initialize();
try {
  const applied = await migrateWithLock(ds);
  process.stdout.write(
    `${redactUrl(DATABASE_URL)}: database ${created}; ${applied.length ? `applied ${applied.join(', ')}` : 'no pending migrations'}\n`,
  );
} finally {
  await ds.destroy();
}
