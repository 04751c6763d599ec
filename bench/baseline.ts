// The baseline: a bare Fastify 5 server answering GET / with {hello:'world'}.
// PORT (required) and HOST (default 127.0.0.1) come from the environment.
import Fastify from 'fastify'

const port = Number(process.env.PORT)
if (!Number.isInteger(port) || port <= 0) {
  console.error('baseline: set PORT')
  process.exit(1)
}

const app = Fastify({ logger: false })
app.get('/', async () => ({ hello: 'world' }))

const stop = (): void => {
  app.close().then(() => process.exit(0), () => process.exit(1))
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)

await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' })
