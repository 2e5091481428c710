import { defineConfig } from 'drizzle-kit';

// Generation needs no database; `npm run db:generate -- --name <what-changed>` writes db/migrations.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
});
