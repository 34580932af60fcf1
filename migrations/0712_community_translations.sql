-- Community events in three languages (issue 17): the Russian and English title and description
-- beside the Estonian ones, { <field>: { ru?, en? } } (src/platform/language/translations.ts),
-- as votes got them in 0175.
ALTER TABLE community_event ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';
