CREATE TABLE `article_views_daily` (
	`article_id` integer NOT NULL,
	`day` integer NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`article_id`, `day`),
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `article_views_daily_day_idx` ON `article_views_daily` (`day`,`article_id`,`views`);--> statement-breakpoint
CREATE INDEX `articles_public_views_idx` ON `articles` (`views`,`id`) WHERE status = 'published' and deleted_at is null;