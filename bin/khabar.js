#!/usr/bin/env node
// The `khabar` command, from the compiled code (npm run build, or npm start, makes dist/).
// During development, `npm run khabar -- <command>` runs the TypeScript directly.
import { existsSync } from 'node:fs'

const main = new URL('../dist/cli/main.js', import.meta.url)
if (!existsSync(main)) {
  console.error('khabar: dist/ is missing; run `npm run build` first (or use `npm run khabar -- <command>`)')
  process.exit(1)
}
await import(main.href)
