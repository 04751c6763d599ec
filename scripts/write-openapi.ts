import { writeFileSync } from 'node:fs'
import { generateOpenApi } from '../src/openapi.ts'

// npm run openapi: rewrites the committed document from the route schemas.
const target = new URL('../openapi/openapi.json', import.meta.url)
writeFileSync(target, await generateOpenApi())
console.log(`wrote ${target.pathname}`)
