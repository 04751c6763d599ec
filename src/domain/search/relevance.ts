// Relevance is bm25 (a title hit weighs 10 body hits), blended with recency: an
// article published today counts double, one a week old 1.5 times, a year old ~1.02.
// The storage engines compute it with these.
export const TITLE_WEIGHT = 10
export const RECENCY_HALF_MS = 7 * 86_400_000
// How many of the newest matches a search by relevance ranks: scoring every match of
// a common word (tens of thousands on 100k articles) took 40–250 ms; the window takes a few.
export const RELEVANCE_WINDOW = 300
