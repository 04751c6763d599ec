// What the newsroom's rules refuse, in their own words. The domain never names a
// request part or a status: src/http/problems.ts turns each of these into an answer.

// A field at fault, named as the input names it: 'title', 'tags/2', 'media/0/url';
// '' is the input as a whole.
export interface FieldError { field: string, message: string }

export abstract class DomainError extends Error {}

// Nothing by that id or slug (or nothing the caller may see).
export class NotFound extends DomainError {
  constructor (readonly what: string) {
    super(`${what} was not found`)
  }
}

// The change cannot be made in the state things are in; `code` says which rule, and
// `existingId` the resource already holding what the change asked for (a duplicate's
// original), when there is one.
export class Conflict extends DomainError {
  readonly existingId: number | undefined

  constructor (readonly code: string, detail: string, options: { existingId?: number } = {}) {
    super(detail)
    this.existingId = options.existingId
  }
}

// The input breaks a rule; `fields` says where.
export class Invalid extends DomainError {
  readonly fields: FieldError[]
  // Whether the message was written for the whole refusal, or merely lists the fields.
  readonly explained: boolean

  constructor (fields: FieldError[], detail?: string) {
    super(detail ?? fields.map(f => f.field === '' ? f.message : `${f.field}: ${f.message}`).join('; '))
    this.fields = fields
    this.explained = detail !== undefined
  }

  // The same refusal with every field named below `prefix` ('media/0'), for an
  // input nested inside another.
  within (prefix: string): Invalid {
    const fields = this.fields.map(f => ({ field: f.field === '' ? prefix : `${prefix}/${f.field}`, message: f.message }))
    return new Invalid(fields, this.explained ? this.message : undefined)
  }
}

export const invalid = (field: string, message: string): Invalid => new Invalid([{ field, message }])

// An error of a nested input (an import line's media item) as its parent names the
// fields: an Invalid moved below `prefix`, anything else as it is.
export const nestedIn = (err: unknown, prefix: string): unknown => err instanceof Invalid ? err.within(prefix) : err

// The caller changed a version other than the current one.
export class PreconditionFailed extends DomainError {}

// The caller must say who they are (a key) to do this.
export class Unauthorized extends DomainError {}

// A resource asked for by a slug it had before: the answer is where it is now.
export class Moved extends DomainError {
  constructor (readonly from: string, readonly to: string) {
    super(`"${from}" is now "${to}"`)
  }
}
