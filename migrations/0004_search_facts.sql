-- Reprise journal schema, version 4: session facts are searchable.
-- A setting, group, age range or activity typed into an entry's session facts is something
-- people search for ("Sunflower", "toddler room"), so the full-text index gets a fourth
-- column, `facts`, read from a generated column of the entry. The index is rebuilt from the
-- entries once, inside the migration's transaction.

-- Built with || and coalesce rather than concat_ws, so that any SQLite from 3.31 on (the
-- `sqlite3` shell people have, other tools) can still read the table.
ALTER TABLE entries ADD COLUMN facts TEXT
    GENERATED ALWAYS AS (
        coalesce(setting, '') || ' ' || coalesce(group_name, '') || ' ' ||
        coalesce(age_range, '') || ' ' || coalesce(activities, '')
    ) VIRTUAL;

DROP TRIGGER entries_fts_insert;
DROP TRIGGER entries_fts_delete;
DROP TRIGGER entries_fts_update;
DROP TABLE entries_fts;

CREATE VIRTUAL TABLE entries_fts USING fts5 (
    title, body, tag_text, facts,
    content = 'entries', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN
    INSERT INTO entries_fts (rowid, title, body, tag_text, facts)
    VALUES (new.seq, new.title, new.body, new.tag_text, new.facts);
END;
CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, title, body, tag_text, facts)
    VALUES ('delete', old.seq, old.title, old.body, old.tag_text, old.facts);
END;
CREATE TRIGGER entries_fts_update
AFTER UPDATE OF title, body, tag_text, setting, group_name, age_range, activities ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, title, body, tag_text, facts)
    VALUES ('delete', old.seq, old.title, old.body, old.tag_text, old.facts);
    INSERT INTO entries_fts (rowid, title, body, tag_text, facts)
    VALUES (new.seq, new.title, new.body, new.tag_text, new.facts);
END;

INSERT INTO entries_fts (entries_fts) VALUES ('rebuild');
