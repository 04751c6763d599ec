-- The catalogue epoch (see import_state in src/db/schema.ts): any change or deletion of a
-- category, tag or media item can change what an import line means, so it moves the epoch
-- and every remembered line is checked in full again.
INSERT INTO `catalog_epoch` (`id`, `value`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_categories_update` AFTER UPDATE ON `categories` BEGIN UPDATE `catalog_epoch` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_categories_delete` AFTER DELETE ON `categories` BEGIN UPDATE `catalog_epoch` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_tags_update` AFTER UPDATE ON `tags` BEGIN UPDATE `catalog_epoch` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_tags_delete` AFTER DELETE ON `tags` BEGIN UPDATE `catalog_epoch` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_media_update` AFTER UPDATE ON `media` BEGIN UPDATE `catalog_epoch` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_epoch_media_delete` AFTER DELETE ON `media` BEGIN UPDATE `catalog_epoch` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
-- The search index, split in two (bench/RESULTS.md, "Search indexing"). The prefix indexes of
-- 0002 doubled the index and halved the speed of every write, for the sake of typeahead
-- over titles alone: the full-text table drops them, and typeahead gets a small table of
-- titles with prefix indexes of its own. The articles are indexed again at the next start
-- (search_indexed is emptied).
DROP TABLE `articles_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `articles_fts` USING fts5(
  title, body,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 0'
);
--> statement-breakpoint
-- FTS5 buffers a transaction's new terms in memory and writes a segment each time the
-- buffer fills (1 MB by default): an import batch of 100 articles of 3 KB filled it several
-- times, and every extra segment is merged again later. 16 MB holds a batch in one segment.
INSERT INTO `articles_fts` (`articles_fts`, `rank`) VALUES ('hashsize', 16777216);
--> statement-breakpoint
CREATE VIRTUAL TABLE `article_titles_fts` USING fts5(
  title,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 0',
  prefix = '1 2 3'
);
--> statement-breakpoint
DELETE FROM `search_indexed`;
