-- Full-text search over the normalised text of articles (ARABIC.md). The application
-- writes the normalised tokens itself (FTS5's tokenizers neither strip harakat nor fold
-- letters nor split attached prefixes), so the table is contentless: snippets are cut
-- from the original text, never from the index. rowid is the article id.
CREATE VIRTUAL TABLE `articles_fts` USING fts5(
  title, body,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 0',
  prefix = '2 3'
);
--> statement-breakpoint
-- Which articles the index holds, and at which version: lets the app index what is
-- missing or stale at start (after a restore or an old database) without a full rebuild.
CREATE TABLE `search_indexed` (
  `article_id` integer PRIMARY KEY NOT NULL,
  `version` integer NOT NULL,
  FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
