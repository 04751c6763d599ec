// What the public may see, as SQL on `a` (articles): published, no longer in the
// future, not in the trash. Binds @now, in ms. The same rule in code:
// isPubliclyReadable (src/domain/articles/visibility.ts); archived articles stay
// readable at their URL but leave lists and counts.
export const PUBLIC_VISIBLE_SQL = "a.status = 'published' AND a.deleted_at IS NULL AND a.published_at <= @now"

// Recomputes articles.has_video from the media attached.
export const HAS_VIDEO_SQL = `UPDATE articles SET has_video = EXISTS (
  SELECT 1 FROM article_media am JOIN media m ON m.id = am.media_id WHERE am.article_id = articles.id AND m.kind = 'video')`
