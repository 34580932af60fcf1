-- A reporter's name is public only by their explicit choice (issue 17). Until now a report was
-- public with the name unless the reporter ticked "do not show my name" (`anonymous`), and a
-- logged-in reporter's name came from the session even with the name field left empty. Now the
-- name is shown only where `show_name` is true, which is off by default — also for every report
-- filed before this migration, since none of them was asked the question this way.
ALTER TABLE report ADD COLUMN show_name boolean NOT NULL DEFAULT false;
ALTER TABLE report DROP COLUMN anonymous;
