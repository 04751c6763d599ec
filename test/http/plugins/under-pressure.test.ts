import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import { build, json } from '../../helper.ts'
import { RETRY_AFTER_SECONDS, STARTUP_GRACE } from '../../../src/http/plugins/under-pressure.ts'

// Holds the event loop, as a request that computes for too long would.
function block (ms: number): void {
  const end = Date.now() + ms
  while (Date.now() < end) { /* busy */ }
}

test('a saturated event loop answers 503 problem+json with Retry-After; /health still answers', async (t) => {
  const app = await build(t, { MAX_EVENT_LOOP_DELAY: '1' })
  // Building the app held the loop for long; the grace period keeps that from counting.
  t.equal((await app.inject('/v1/articles')).statusCode, 200, 'no 503 right after start')
  await sleep(STARTUP_GRACE)

  let res = await app.inject('/v1/articles')
  for (let tries = 0; res.statusCode !== 503 && tries < 40; tries++) {
    block(300)
    await sleep(100)
    res = await app.inject('/v1/articles')
  }
  t.equal(res.statusCode, 503)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.match(json(res), { type: 'urn:khabar:problem:overloaded', title: 'Service Unavailable', status: 503 })
  t.equal(res.headers['retry-after'], String(RETRY_AFTER_SECONDS))
  t.ok(app.isUnderPressure())
  t.equal((await app.inject('/health')).statusCode, 200, '/health: the process is alive')
  t.equal((await app.inject('/ready')).statusCode, 503, '/ready: take it out of the pool for a while')
})

test('MAX_EVENT_LOOP_DELAY=0 turns it off', async (t) => {
  const app = await build(t, { MAX_EVENT_LOOP_DELAY: '0' })
  block(1200)
  await sleep(1100)
  t.equal(app.memoryUsage().eventLoopDelay > 0, true, 'the loop was held')
  t.equal((await app.inject('/v1/articles')).statusCode, 200)
})

test('the default is 1000 ms', async (t) => {
  const app = await build(t, { MAX_EVENT_LOOP_DELAY: '' })
  t.equal(app.config.MAX_EVENT_LOOP_DELAY, 1000)
})
