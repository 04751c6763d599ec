// There is no Docker engine where the tests run, so these tests read the
// deployment files and check that they agree with each other and with the app.
import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { test } from 'tap'
import { parse } from 'yaml'
import { ConfigSchema } from '../src/config.ts'

const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'))
const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8')
const dockerignore = readFileSync(new URL('../.dockerignore', import.meta.url), 'utf8')

interface Instruction { name: string, args: string }

// Dockerfile instructions with line continuations joined and comments dropped.
const instructions: Instruction[] = dockerfile
  .replace(/\\\r?\n/g, ' ')
  .split(/\r?\n/)
  .map(line => line.trim())
  .filter(line => line !== '' && !line.startsWith('#'))
  .map(line => {
    const [name, ...rest] = line.split(/\s+/)
    return { name: name.toUpperCase(), args: rest.join(' ') }
  })

// The instructions of the last stage: what the running container gets.
const lastFrom = instructions.map(i => i.name).lastIndexOf('FROM')
const runtime = instructions.slice(lastFrom)

function runtimeEnv (): Record<string, string> {
  const env: Record<string, string> = {}
  for (const { args } of runtime.filter(i => i.name === 'ENV')) {
    for (const pair of args.split(/\s+/)) {
      const eq = pair.indexOf('=')
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1)
    }
  }
  return env
}

const service = compose.services.khabar

test('compose defines the khabar service built from this directory', async (t) => {
  t.same(Object.keys(compose.services), ['khabar'])
  const context = typeof service.build === 'string' ? service.build : service.build.context
  t.equal(context, '.')
  t.equal(service.restart, 'unless-stopped')
})

test('the service publishes port 3000 on this machine only, unless told otherwise', async (t) => {
  // Compose's ${...}, not a template string.
  // eslint-disable-next-line no-template-curly-in-string
  t.same(service.ports, ['${KHABAR_BIND:-127.0.0.1}:${KHABAR_PORT:-3000}:3000'], 'host address and port are variables, loopback and 3000 by default')
  const raw = readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8')
  t.match(raw, /KHABAR_BIND=0\.0\.0\.0/, 'a comment says how to expose it')
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  t.match(readme, /KHABAR_BIND=0\.0\.0\.0/, 'and so does the README')
  t.match(runtime.find(i => i.name === 'EXPOSE')?.args, /^3000(\/tcp)?$/)
  t.equal(runtimeEnv().PORT ?? '3000', '3000', 'the image does not move the server off 3000')
})

test('the database lives on the named volume', async (t) => {
  const databasePath = runtimeEnv().DATABASE_PATH
  t.ok(databasePath, 'the Dockerfile sets DATABASE_PATH')
  t.ok(posix.isAbsolute(databasePath), 'DATABASE_PATH is absolute')
  const dataDir = posix.dirname(databasePath)

  t.ok(compose.volumes && 'khabar-data' in compose.volumes, 'khabar-data is declared')
  t.ok(service.volumes.includes(`khabar-data:${dataDir}`), `khabar-data is mounted at ${dataDir}`)

  t.ok(runtime.some(i => i.name === 'VOLUME' && i.args.replace(/[[\]"]/g, '').split(/[\s,]+/).includes(dataDir)),
    'the image declares the data directory as a volume')
  t.ok(runtime.some(i => i.name === 'RUN' && i.args.includes(`chown node:node ${dataDir}`)),
    'the data directory belongs to the node user')
})

test('configuration comes from the environment', async (t) => {
  const env = service.environment
  t.match(env.KHABAR_ADMIN_KEY, /^\$\{KHABAR_ADMIN_KEY:\?[^}]*\}$/, 'compose refuses to start without KHABAR_ADMIN_KEY')
  t.notOk(/KHABAR_ADMIN_KEY/.test(dockerfile), 'no admin key is baked into the image')
  t.equal(runtimeEnv().HOST, '0.0.0.0', 'the server listens outside the container')

  // Every setting but the image's own passes through, with the app's default.
  const imageOwn = ['HOST', 'PORT', 'DATABASE_PATH']
  const passed = Object.keys(ConfigSchema.properties).filter(name => !imageOwn.includes(name) && name !== 'KHABAR_ADMIN_KEY')
  for (const name of ['TRUST_PROXY', 'RATE_LIMIT_READS', 'RATE_LIMIT_WRITES', 'RATE_LIMIT_VIEWS', 'REVISIONS_KEEP', 'MAX_EVENT_LOOP_DELAY']) {
    t.ok(passed.includes(name), `${name} is a setting`)
  }
  for (const name of passed) {
    const match = new RegExp(`^\\$\\{${name}:-([^}]*)\\}$`).exec(String(env[name]))
    t.ok(match, `${name} passes through from the environment or .env`)
    const schema = ConfigSchema.properties[name as keyof typeof ConfigSchema.properties] as { default?: unknown }
    t.equal(match?.[1], String(schema.default ?? ''), `${name}: its default is the app's`)
  }
  for (const name of imageOwn) t.notOk(name in env, `${name} is the image's, not .env's`)
  t.same(Object.keys(env).sort(), [...passed, 'KHABAR_ADMIN_KEY'].sort(), 'nothing else')
})

test('the healthcheck asks /health with node', async (t) => {
  const check = service.healthcheck
  t.equal(check.test[0], 'CMD')
  t.equal(check.test[1], 'node', 'the slim image has no curl')
  t.match(check.test.join(' '), /fetch\('http:\/\/127\.0\.0\.1:3000\/health'\)/)
  for (const key of ['interval', 'timeout', 'retries', 'start_period']) {
    t.ok(check[key], `${key} is set`)
  }
})

test('the Dockerfile builds and runs the server safely', async (t) => {
  const froms = instructions.filter(i => i.name === 'FROM').map(i => i.args.split(' ')[0])
  t.ok(froms.length >= 2, 'multi-stage build')
  t.ok(froms.every(image => image === 'node:20-bookworm-slim'), 'every stage uses node:20-bookworm-slim')

  t.notOk(/--ignore-scripts|ignore-scripts\s*=\s*true/.test(dockerfile), 'install scripts run: better-sqlite3 builds its addon')
  t.match(dockerfile, /apt-get install[^\n]*python3 make g\+\+/, 'the build stage has a C++ toolchain')
  t.match(dockerfile, /RUN npm ci\n/)
  t.match(dockerfile, /RUN npm run build\n/)
  t.match(dockerfile, /--omit=dev/, 'production dependencies only')

  const copied = runtime.filter(i => i.name === 'COPY').map(i => i.args.split(/\s+/).pop())
  for (const path of ['./package.json', './node_modules', './dist', './migrations', './bin']) {
    t.ok(copied.includes(path), `the runtime stage has ${path}`)
  }

  t.equal(runtime.filter(i => i.name === 'USER').pop()?.args, 'node', 'runs as the non-root node user')
  t.equal(runtime.filter(i => i.name === 'CMD').pop()?.args, '["node", "dist/server.js"]')
})

test('the khabar command works in the container', async (t) => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  t.equal(pkg.bin.khabar, 'bin/khabar.js', 'npx khabar runs bin/khabar.js')
  t.equal(pkg.type, 'module', 'which is a module (package.json is copied)')
  const bin = readFileSync(new URL('../bin/khabar.js', import.meta.url), 'utf8')
  // Whatever bin/khabar.js loads from the project must be in the runtime stage.
  const loaded = [...bin.matchAll(/new URL\('\.\.\/([^']+)'/g)].map(m => m[1])
  t.same(loaded, ['dist/cli/main.js'])
  const copied = runtime.filter(i => i.name === 'COPY').map(i => i.args.split(/\s+/).pop()?.replace(/^\.\//, ''))
  for (const path of loaded) t.ok(copied.some(dir => dir !== undefined && path.startsWith(dir + '/')), `${path} is in the image`)
  const imports = [...bin.matchAll(/from '([^']+)'/g)].map(m => m[1])
  t.ok(imports.every(name => name.startsWith('node:')), 'and it imports only Node itself')
})

test('.dockerignore keeps local state out of the build context', async (t) => {
  const patterns = dockerignore.split(/\r?\n/).map(l => l.trim()).filter(l => l !== '' && !l.startsWith('#'))
  for (const pattern of ['node_modules', 'dist', 'data', 'coverage', '.tap', '.git', '*.db*']) {
    t.ok(patterns.includes(pattern), pattern)
  }
  for (const needed of ['package.json', 'package-lock.json', 'src', 'migrations', 'tsconfig.json', 'bin']) {
    t.notOk(patterns.includes(needed), `${needed} reaches the build`)
  }
})
