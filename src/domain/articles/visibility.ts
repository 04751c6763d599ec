// What the public may see: published, no longer in the future, not in the trash.
// One definition, used by every list, count and lookup. It binds @now, in ms.
// (Archived articles stay readable at their URL but leave lists and counts: see README.)
export const PUBLIC_VISIBLE_SQL = "a.status = 'published' AND a.deleted_at IS NULL AND a.published_at <= @now"

export function isPubliclyReadable (row: { status: string, deletedAt: number | null, publishedAt: number | null }, now: number): boolean {
  return row.deletedAt === null && row.status !== 'draft' && row.publishedAt !== null && row.publishedAt <= now
}
