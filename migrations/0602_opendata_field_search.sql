-- CKAN's field queries on text fields (package_search `title:…`, `notes:…`): a word vector of
-- the titles and one of the descriptions, kept by PostgreSQL itself beside the catch-all `search`
-- vector, with GIN indexes; and an index for ranges on metadata_created (metadata_modified has one).
ALTER TABLE opendata_published
  ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', title_et || ' ' || title_en)) STORED,
  ADD COLUMN notes_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', coalesce(snapshot #>> '{description,et}', '') || ' ' || coalesce(snapshot #>> '{description,en}', ''))
  ) STORED;
CREATE INDEX opendata_published_title_vector_idx ON opendata_published USING gin (title_vector);
CREATE INDEX opendata_published_notes_vector_idx ON opendata_published USING gin (notes_vector);
CREATE INDEX opendata_published_created_idx ON opendata_published (metadata_created);
-- resource_show finds the dataset of a resource (distribution) by its id.
CREATE INDEX opendata_published_distributions_idx ON opendata_published USING gin ((snapshot -> 'distributions') jsonb_path_ops);
