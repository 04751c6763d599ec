// What the public may read: published (or archived), no longer in the future, not in
// the trash. Lists and counts go further and leave archived articles out: the storage
// engines apply the same rule in their queries.
export function isPubliclyReadable (row: { status: string, deletedAt: number | null, publishedAt: number | null }, now: number): boolean {
  return row.deletedAt === null && row.status !== 'draft' && row.publishedAt !== null && row.publishedAt <= now
}
