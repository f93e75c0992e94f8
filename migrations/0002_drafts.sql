-- Reprise journal schema, version 2: drafts.
-- The editor saves into the entry itself about a second after typing stops; a draft holds
-- typing that has not reached the entry yet (or a new entry not yet created), so that after a
-- crash it can be offered back (RELIABILITY D1).

CREATE TABLE drafts (
    key       TEXT PRIMARY KEY NOT NULL,
    entry_id  TEXT REFERENCES entries (id) ON DELETE CASCADE,
    content   TEXT NOT NULL CHECK (json_valid(content)),
    saved_at  TEXT NOT NULL
) STRICT;
