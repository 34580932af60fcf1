-- Uploaded files (photos of reports and ideas, sitting documents, dataset files, attachments),
-- kept in PostgreSQL so that app nodes stay stateless and backups hold everything.
CREATE TABLE stored_file (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  filename text NOT NULL,
  media_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes >= 0),
  sha256 text NOT NULL,
  content bytea NOT NULL,
  -- Which module owns the file and for what ('reports.photo', 'council.document', …).
  purpose text NOT NULL,
  uploaded_by uuid REFERENCES person (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id)
);
CREATE UNIQUE INDEX stored_file_id_idx ON stored_file (id);
SELECT kov_protect_tenant_table('stored_file');
