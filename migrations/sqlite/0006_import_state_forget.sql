-- An article whose version moves on (any edit: PATCH, trash, restore, a media change, a
-- renamed tag) forgets the line it was imported from, so a re-import checks that line in
-- full. The import's fast path then reads import_state alone: reading articles.version sits
-- behind the 3 KB body in the row, and cost more than the rest of the check together.
CREATE TRIGGER `import_state_forget` AFTER UPDATE OF `version` ON `articles` WHEN NEW.`version` <> OLD.`version` BEGIN DELETE FROM `import_state` WHERE `article_id` = NEW.`id`; END;
