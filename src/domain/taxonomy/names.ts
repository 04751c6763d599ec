import { invalid } from '../errors.ts'
import { hasBidiOverride } from '../../text/index.ts'

// A tag's or category's name as stored and compared: NFC, trimmed, inner whitespace
// collapsed, so "دمشق", " دمشق " and its NFD spelling are one name. Nothing more is
// folded (no Arabic search normalisation, no case): "أخبار" and "اخبار" are two names,
// as they are two spellings an editor may mean.
export const cleanName = (name: string): string => name.normalize('NFC').replace(/\s+/gu, ' ').trim()

// The name a client sent, cleaned; refused when blank or carrying bidi overrides.
export function checkName (raw: string): string {
  const name = cleanName(raw)
  if (name === '') throw invalid('name', 'must not be blank')
  if (hasBidiOverride(name)) throw invalid('name', 'must not contain bidi override characters')
  return name
}
