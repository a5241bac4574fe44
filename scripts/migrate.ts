// npm run db:migrate — apply pending migrations to DATABASE_URL (or the embedded database) and exit.
import { closeDatabase, DatabaseError, getDatabase } from '../db/client';
import { env, EnvError } from '../lib/env';

try {
  const config = env();
  const handle = await getDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir });
  process.stdout.write(`migrations applied to ${handle.description}\n`);
  await closeDatabase();
} catch (error) {
  if (error instanceof EnvError || error instanceof DatabaseError) {
    process.stderr.write(`wekf: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
