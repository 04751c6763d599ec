ALTER TABLE `media` ADD `canonical_url` text;--> statement-breakpoint
CREATE UNIQUE INDEX `media_canonical_url_unique` ON `media` (`canonical_url`);