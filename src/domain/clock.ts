// Time comes from one injectable function, so tests can stand at any moment
// (scheduled publishing) without sleeping.
export type Clock = () => number

export const systemClock: Clock = () => Date.now()

export const iso = (ms: number): string => new Date(ms).toISOString()
export const isoOrNull = (ms: number | null): string | null => ms === null ? null : new Date(ms).toISOString()
