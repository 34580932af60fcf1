-- Content in three languages (issue 17): Russian and English texts beside the Estonian ones,
-- { <field>: { ru?, en? } } (src/platform/language/translations.ts). Questions and choices carry
-- theirs inside the ballot.
ALTER TABLE pv_vote ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';
ALTER TABLE pv_idea ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';
ALTER TABLE pv_candidate ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';
