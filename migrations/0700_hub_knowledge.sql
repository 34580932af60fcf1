-- Knowledge hub: articles, guides, templates and standard solutions that ELVL keeps for the
-- officials of every municipality (tenant '0000'). Officials read them through use cases that run
-- in ELVL's scope after checking that the reader is an official somewhere; the public reads with
-- no tenant scope at all, and a second, SELECT-only policy lets exactly the published public
-- articles through. See docs/hub.md for the access design.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Estonian full-text search that behaves the same on PostgreSQL 15 (no Estonian snowball
-- stemmer) and 18 (has one): words are lower-cased and stripped of diacritics, not stemmed;
-- queries stem the user's words themselves and match by prefix (see src/modules/hub/search.ts).
CREATE TEXT SEARCH CONFIGURATION hub_et (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION hub_et
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple;

-- array_to_string is only STABLE (element output functions in general may depend on settings);
-- for text[] it is not, and a generated column needs an immutable expression.
CREATE FUNCTION hub_words(a text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_to_string(a, ' '), '') $$;

CREATE TABLE hub_article (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code) CHECK (municipality_code = '0000'),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  kind text NOT NULL CHECK (kind IN ('article', 'guide', 'template', 'standard_solution')),
  visibility text NOT NULL DEFAULT 'officials' CHECK (visibility IN ('officials', 'public')),
  status text NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'archived')),
  topics text[] NOT NULL DEFAULT '{}' CHECK (topics <@ ARRAY['security', 'data', 'services', 'it_management']),
  eits_modules text[] NOT NULL DEFAULT '{}',
  tags text[] NOT NULL DEFAULT '{}',
  title text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
  summary text NOT NULL DEFAULT '',
  body text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  author_id uuid REFERENCES person (id),
  author_municipality text REFERENCES tenant (code),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('hub_et', title), 'A') ||
    setweight(to_tsvector('hub_et', summary), 'B') ||
    setweight(to_tsvector('hub_et', hub_words(tags)), 'B') ||
    setweight(to_tsvector('hub_et', body), 'C')
  ) STORED,
  PRIMARY KEY (municipality_code, id),
  UNIQUE (municipality_code, slug)
);
CREATE INDEX hub_article_search_idx ON hub_article USING gin (search);
CREATE INDEX hub_article_title_trgm_idx ON hub_article USING gin (title gin_trgm_ops);
CREATE INDEX hub_article_topics_idx ON hub_article USING gin (topics);
CREATE INDEX hub_article_eits_idx ON hub_article USING gin (eits_modules);
SELECT kov_protect_tenant_table('hub_article');
-- Policies are permissive (OR-ed): outside ELVL's scope, only published public articles are visible.
CREATE POLICY public_read ON hub_article FOR SELECT USING (visibility = 'public' AND status = 'published');

-- Every saved state of an article (version 1 is the first). Officials only.
CREATE TABLE hub_article_version (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  article_id uuid NOT NULL,
  version integer NOT NULL,
  title text NOT NULL,
  summary text NOT NULL,
  body text NOT NULL,
  kind text NOT NULL,
  visibility text NOT NULL,
  topics text[] NOT NULL,
  eits_modules text[] NOT NULL,
  tags text[] NOT NULL,
  change_note text NOT NULL DEFAULT '',
  edited_by uuid REFERENCES person (id),
  edited_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, article_id, version),
  FOREIGN KEY (municipality_code, article_id) REFERENCES hub_article (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('hub_article_version');

-- Attachments: files in stored_file (tenant '0000', purpose 'hub.attachment').
CREATE TABLE hub_attachment (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  article_id uuid NOT NULL,
  file_id uuid NOT NULL,
  added_by uuid REFERENCES person (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, article_id, file_id),
  FOREIGN KEY (municipality_code, article_id) REFERENCES hub_article (municipality_code, id) ON DELETE CASCADE,
  FOREIGN KEY (municipality_code, file_id) REFERENCES stored_file (municipality_code, id)
);
SELECT kov_protect_tenant_table('hub_attachment');
CREATE POLICY public_read ON hub_attachment FOR SELECT USING (
  EXISTS (SELECT 1 FROM hub_article a WHERE a.municipality_code = hub_attachment.municipality_code AND a.id = hub_attachment.article_id)
);

CREATE TABLE hub_comment (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  article_id uuid NOT NULL,
  author_id uuid NOT NULL REFERENCES person (id),
  author_municipality text REFERENCES tenant (code),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, article_id) REFERENCES hub_article (municipality_code, id) ON DELETE CASCADE
);
CREATE INDEX hub_comment_article_idx ON hub_comment (municipality_code, article_id, created_at);
SELECT kov_protect_tenant_table('hub_comment');

-- "This helped": one mark per official and article.
CREATE TABLE hub_helped (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  article_id uuid NOT NULL,
  person_id uuid NOT NULL REFERENCES person (id),
  marked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, article_id, person_id),
  FOREIGN KEY (municipality_code, article_id) REFERENCES hub_article (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('hub_helped');
