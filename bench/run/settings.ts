// The knobs of npm run bench (the table in bench/README.md), read from the environment once.
import { envInt } from '../lib.ts'

export const N = envInt('BENCH_ARTICLES', 100_000, 1)
export const DURATION = envInt('BENCH_DURATION', 10, 1)
export const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50, 1)
export const WARMUP = envInt('BENCH_WARMUP', 1, 0)
export const ONLY = (process.env.BENCH_ROUTES ?? '').split(',').map(s => s.trim()).filter(Boolean)
// Extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=bench/.data/prof".
export const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)
// The highest value the server's config accepts (src/config.ts): far above what one
// address can send in a minute here, so the rate limits never answer 429.
export const RATE_LIMIT_VIEWS = '10000000'
export const RATE_LIMIT_READS = RATE_LIMIT_VIEWS
export const RATE_LIMIT_WRITES = RATE_LIMIT_VIEWS
