-- The notice period of a council's sittings (KOKS: set by the council's rules of procedure; 7
-- days unless they say otherwise): the convocation with the agenda and its documents reaches the
-- members at least this many days before the sitting, or the chair is warned that it cannot.
ALTER TABLE council ADD COLUMN notice_days integer NOT NULL DEFAULT 7 CHECK (notice_days BETWEEN 0 AND 60);
