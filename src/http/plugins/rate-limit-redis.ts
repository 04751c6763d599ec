import { once } from 'node:events'
import { Redis } from 'ioredis'
import type { FastifyInstance } from 'fastify'
import type { RateLimitPluginOptions } from '@fastify/rate-limit'

// Loaded by rate-limit.ts only when REDIS_URL is set, so a process without it never loads
// ioredis.

// Every key khabar writes starts with this, so a Redis shared with other applications is
// safe, and `redis-cli --scan --pattern 'khabar-rl:*'` finds them all.
export const KEY_PREFIX = 'khabar-rl:'
// A limiter sits in front of every request: a Redis that does not answer must cost a
// request little. 2 s to connect (the start waits at most twice that), half a second for a
// reply (a healthy Redis answers in well under a millisecond).
const CONNECT_TIMEOUT = 2000
const COMMAND_TIMEOUT = 500

export type SharedStore = Pick<RateLimitPluginOptions, 'redis' | 'nameSpace' | 'skipOnError'>

// The @fastify/rate-limit options that count in Redis at url, under KEY_PREFIX and then
// namespace (tests give each run its own, so runs sharing one Redis do not share counts).
//
// When Redis cannot be reached, at start or later, requests pass uncounted (they carry
// X-RateLimit-Remaining equal to the limit) and a warning is logged once per outage:
// khabar stays available while Redis is not, rather than refusing every request or
// answering 500, and the overload guard (under-pressure) still sheds load meanwhile. (A
// fallback to per-process counts would still slow a flood, at the cost of a second store
// whose counts disagree with the other processes'.) ioredis keeps reconnecting in the
// background, and counting resumes when Redis answers.
export async function redisStore (app: FastifyInstance, url: string, namespace = ''): Promise<SharedStore> {
  const redis = new Redis(url, {
    connectTimeout: CONNECT_TIMEOUT,
    commandTimeout: COMMAND_TIMEOUT,
    // A connection that has commands waiting and stays silent this long is dropped and
    // made again, which logs the outage instead of timing out request after request.
    socketTimeout: CONNECT_TIMEOUT,
    // No offline queue: while disconnected a command fails at once (the request passes
    // uncounted) instead of waiting for a reconnection that may never come; a count
    // made a minute late would be worthless anyway.
    enableOfflineQueue: false,
    // A command caught by a dropped connection is tried once more, then fails.
    maxRetriesPerRequest: 1,
    // Connect now (the start waits for it below), not on the first request.
    lazyConnect: false,
    connectionName: 'khabar-rate-limit'
  })

  let down = false
  const unreachable = (err: Error): void => {
    if (down) return
    down = true
    app.log.warn({ err }, 'Redis is unreachable: requests pass without counting against the rate limits until it answers')
  }
  // Also keeps ioredis from printing every failed reconnection as an unhandled error.
  redis.on('error', unreachable)
  redis.on('ready', () => {
    if (!down) return
    down = false
    app.log.info('Redis answers again: the rate limits count')
  })
  // quit() waits for the replies under way; it fails at once (no offline queue) when
  // Redis is down, and then disconnect() stops the reconnecting.
  app.addHook('onClose', async () => { await redis.quit().catch(() => { redis.disconnect() }) })

  // Before listening, so the first requests are counted: the wait ends when Redis is
  // ready, fails or the time is up (once() rejects on an 'error' event).
  try {
    await once(redis, 'ready', { signal: AbortSignal.timeout(2 * CONNECT_TIMEOUT) })
  } catch (err) {
    unreachable(err as Error)
  }
  return { redis, nameSpace: KEY_PREFIX + namespace, skipOnError: true }
}
