// There is no Docker engine where the tests run, so these tests read the
// deployment files and check that they agree with each other and with the app.
import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { test } from 'tap'
import { parse } from 'yaml'
import { ConfigSchema, loadConfig } from '../src/config.ts'

// With YAML merge keys (`<<: *anchor`), which Compose resolves too: the services share
// their settings through x- extension fields.
const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), { merge: true })
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
// The services of the scale profile: two khabar processes on PostgreSQL and Redis.
const SCALE = ['postgres', 'redis', 'khabar-a', 'khabar-b']
const KHABARS = ['khabar-a', 'khabar-b']

// What Compose makes of a value when the environment and .env leave its variables unset.
const defaults = (value: string): string => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')

test('compose defines the khabar service built from this directory', async (t) => {
  t.same(Object.keys(compose.services).filter(name => compose.services[name].profiles === undefined), ['khabar'],
    'a plain `docker compose up` starts khabar alone')
  for (const name of ['khabar', ...KHABARS]) {
    const { build } = compose.services[name]
    t.equal(typeof build === 'string' ? build : build.context, '.', `${name} is built from this directory`)
    t.equal(compose.services[name].image, service.image, `${name} is the same image`)
    t.equal(compose.services[name].restart, 'unless-stopped')
  }
  t.notOk('depends_on' in service, 'khabar needs nothing from the scale profile')
})

test('the scale profile: two khabar processes on one PostgreSQL and one Redis', async (t) => {
  t.same(Object.keys(compose.services).sort(), ['khabar', ...SCALE].sort())
  for (const name of SCALE) t.same(compose.services[name].profiles, ['scale'], `${name} is only in the scale profile`)
  const raw = readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8')
  t.match(raw, /docker compose --profile scale up -d --build/, 'a comment says how to start it')

  const { postgres, redis } = compose.services
  t.match(postgres.image, /^postgres:15(\.|$)/)
  t.ok(postgres.volumes.includes('khabar-postgres:/var/lib/postgresql/data') && 'khabar-postgres' in compose.volumes,
    'PostgreSQL keeps its data on a named volume')
  t.same(postgres.healthcheck.test.slice(0, 2), ['CMD', 'pg_isready'])
  t.match(redis.image, /^redis:7(\.|$)/)
  t.same(redis.healthcheck.test, ['CMD', 'redis-cli', 'ping'])
  for (const name of ['postgres', 'redis']) t.notOk('ports' in compose.services[name], `${name} is reached on the compose network only`)

  // eslint-disable-next-line no-template-curly-in-string
  t.same(KHABARS.map(name => compose.services[name].ports), [['${KHABAR_BIND:-127.0.0.1}:3001:3000'], ['${KHABAR_BIND:-127.0.0.1}:3002:3000']],
    'each on a host port of its own, on this machine unless told otherwise')
  for (const name of KHABARS) {
    const khabar = compose.services[name]
    t.same(khabar.depends_on, { postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } },
      `${name} starts once PostgreSQL and Redis are healthy`)
    t.same(khabar.healthcheck, service.healthcheck, `${name} has khabar's healthcheck`)

    // The database and the Redis of the profile, in URLs the settings accept.
    const env = khabar.environment
    const database = new URL(defaults(env.DATABASE_URL))
    t.equal(database.protocol, 'postgres:')
    t.equal(database.host, 'postgres:5432', `${name}: DATABASE_URL is the postgres service`)
    t.equal(database.username, postgres.environment.POSTGRES_USER)
    t.equal(/^postgres:\/\/[^:]+:(.*)@postgres:/.exec(env.DATABASE_URL)?.[1], postgres.environment.POSTGRES_PASSWORD, 'with its password')
    t.equal(database.pathname, `/${String(postgres.environment.POSTGRES_DB)}`)
    t.equal(env.REDIS_URL, 'redis://redis:6379', `${name}: REDIS_URL is the redis service`)
    const settings: Record<string, string> = {}
    for (const [key, value] of Object.entries(env)) if (key !== 'KHABAR_ADMIN_KEY') settings[key] = defaults(String(value))
    t.doesNotThrow(() => loadConfig(settings), `${name}: its settings, at their defaults, are valid`)
  }
  t.same(compose.services['khabar-a'].environment, compose.services['khabar-b'].environment, 'both have the same settings')
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
  t.notOk(/KHABAR_ADMIN_KEY/.test(dockerfile), 'no admin key is baked into the image')
  t.equal(runtimeEnv().HOST, '0.0.0.0', 'the server listens outside the container')

  // Every setting but the image's own passes through, with the app's default; in the
  // scale profile, but the database and the Redis, which are the profile's own.
  const imageOwn = ['HOST', 'PORT', 'DATABASE_PATH']
  const passed = Object.keys(ConfigSchema.properties).filter(name => !imageOwn.includes(name) && name !== 'KHABAR_ADMIN_KEY')
  for (const name of ['TRUST_PROXY', 'RATE_LIMIT_READS', 'RATE_LIMIT_WRITES', 'RATE_LIMIT_VIEWS', 'REVISIONS_KEEP', 'MAX_EVENT_LOOP_DELAY',
    'DATABASE_URL', 'REDIS_URL']) {
    t.ok(passed.includes(name), `${name} is a setting`)
  }
  for (const [name, own] of [['khabar', []], ...KHABARS.map(name => [name, ['DATABASE_URL', 'REDIS_URL']])] as Array<[string, string[]]>) {
    const env = compose.services[name].environment
    t.match(env.KHABAR_ADMIN_KEY, /^\$\{KHABAR_ADMIN_KEY:\?[^}]*\}$/, `${name}: compose refuses to start without KHABAR_ADMIN_KEY`)
    for (const setting of passed.filter(setting => !own.includes(setting))) {
      const match = new RegExp(`^\\$\\{${setting}:-([^}]*)\\}$`).exec(String(env[setting]))
      t.ok(match, `${name}: ${setting} passes through from the environment or .env`)
      const schema = ConfigSchema.properties[setting as keyof typeof ConfigSchema.properties] as { default?: unknown }
      t.equal(match?.[1], String(schema.default ?? ''), `${name}: ${setting}: its default is the app's`)
    }
    for (const setting of imageOwn) t.notOk(setting in env, `${name}: ${setting} is the image's, not .env's`)
    t.same(Object.keys(env).sort(), [...passed, 'KHABAR_ADMIN_KEY'].sort(), `${name}: nothing else`)
  }
})

test('the healthcheck asks /health with node', async (t) => {
  for (const name of ['khabar', ...KHABARS]) {
    const check = compose.services[name].healthcheck
    t.equal(check.test[0], 'CMD')
    t.equal(check.test[1], 'node', 'the slim image has no curl')
    t.match(check.test.join(' '), /fetch\('http:\/\/127\.0\.0\.1:3000\/health'\)/, `${name} asks /health`)
    for (const key of ['interval', 'timeout', 'retries', 'start_period']) {
      t.ok(check[key], `${name}: ${key} is set`)
    }
  }
  for (const name of ['postgres', 'redis']) {
    const check = compose.services[name].healthcheck
    t.equal(check.test[0], 'CMD', `${name} has a healthcheck`)
    for (const key of ['interval', 'timeout', 'retries']) t.ok(check[key], `${name}: ${key} is set`)
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
