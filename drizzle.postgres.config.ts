import { defineConfig } from 'drizzle-kit'

// The PostgreSQL schema's migrations (the SQLite ones: drizzle.config.ts). Generated files
// are edited once, before they land, to drop drizzle-kit's "public". qualifiers: khabar
// migrates whatever schema is first on search_path.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/storage/postgres/schema.ts',
  out: './migrations/postgres'
})
