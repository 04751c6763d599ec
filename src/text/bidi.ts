// Invisible and bidi control characters (docs/ARABIC.md). They change how text is shown or
// where a word breaks, never what it says, so slugs and search keys drop them.

/**
 * True for U+200B–U+200F (zero-width space/non-joiner/joiner, LRM, RLM), U+202A–U+202E
 * (embeddings and overrides), U+2060 (word joiner), U+2066–U+2069 (isolates), U+061C (ALM),
 * U+FEFF (BOM) and U+00AD (soft hyphen).
 */
export function isInvisibleOrBidi (c: number): boolean {
  return (c >= 0x200B && c <= 0x200F) ||
    (c >= 0x202A && c <= 0x202E) ||
    c === 0x2060 ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0x061C || c === 0xFEFF || c === 0x00AD
}

// Embeddings, overrides and isolates can make a title display differently from what it is
// (the "Trojan Source" trick), so titles holding them are refused. Plain marks (LRM, RLM,
// ALM) only nudge neutral characters and stay allowed.
const OVERRIDE = /[\u202A-\u202E\u2066-\u2069]/

/** True when s holds a bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069). */
export function hasBidiOverride (s: string): boolean {
  return OVERRIDE.test(s)
}
