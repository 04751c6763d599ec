CREATE TABLE `catalog_epoch` (
	`id` integer PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `import_state` (
	`article_id` integer PRIMARY KEY NOT NULL,
	`line_hash` text NOT NULL,
	`version` integer NOT NULL,
	`epoch` integer NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_state_line_hash_idx` ON `import_state` (`line_hash`);