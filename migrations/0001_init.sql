-- Reprise journal schema, version 1.
-- Append-only: never edit this file once released; add 0002_….sql instead.
-- Ids are UUID v7 text; timestamps are UTC RFC 3339 text with milliseconds, so that text
-- order is time order and a newer `updated_at` compares greater.

CREATE TABLE templates (
    id          TEXT PRIMARY KEY NOT NULL,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL CHECK (kind IN ('reflection', 'quick_note', 'session_record')),
    builtin     INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    prompts     TEXT NOT NULL CHECK (json_valid(prompts)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- `seq` is a stable integer key for the full-text index; `id` is the record's identity.
CREATE TABLE entries (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL CHECK (kind IN ('reflection', 'quick_note', 'session_record')),
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    occurred_on      TEXT NOT NULL,
    occurred_time    TEXT,
    template_id      TEXT REFERENCES templates (id) ON DELETE SET NULL,
    starred          INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
    setting          TEXT,
    group_name       TEXT,
    age_range        TEXT,
    participants     INTEGER,
    duration_minutes INTEGER,
    activities       TEXT,
    -- Tag names joined by spaces, kept in step with entry_tags so the index can read them.
    tag_text         TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    deleted_at       TEXT
) STRICT;

CREATE INDEX entries_timeline ON entries (occurred_on DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX entries_trash ON entries (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX entries_template ON entries (template_id) WHERE template_id IS NOT NULL;

CREATE TABLE tags (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE entry_tags (
    entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    tag_id   TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (entry_id, tag_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX entry_tags_by_tag ON entry_tags (tag_id, entry_id);

CREATE TABLE entry_links (
    from_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    to_id   TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (from_id, to_id),
    CHECK (from_id <> to_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX entry_links_to ON entry_links (to_id);

CREATE TABLE people (
    id           TEXT PRIMARY KEY NOT NULL,
    display_name TEXT NOT NULL,
    contact      TEXT,
    role_words   TEXT,
    is_owner     INTEGER NOT NULL DEFAULT 0 CHECK (is_owner IN (0, 1)),
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX people_one_owner ON people (is_owner) WHERE is_owner = 1;

CREATE TABLE relationships (
    id         TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('mentoring_pair', 'peer_pair', 'group')),
    name       TEXT NOT NULL,
    purpose    TEXT NOT NULL DEFAULT '',
    started_on TEXT,
    ended_on   TEXT,
    status     TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE relationship_members (
    relationship_id TEXT NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
    person_id       TEXT NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    role            TEXT NOT NULL CHECK (role IN ('mentor', 'mentee', 'peer')),
    position        INTEGER NOT NULL,
    PRIMARY KEY (relationship_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX relationship_members_person ON relationship_members (person_id);

CREATE TABLE entry_relationships (
    entry_id        TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    relationship_id TEXT NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    PRIMARY KEY (entry_id, relationship_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX entry_relationships_rel ON entry_relationships (relationship_id, entry_id);

CREATE TABLE mentoring_sessions (
    id               TEXT PRIMARY KEY NOT NULL,
    relationship_id  TEXT NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
    held_on          TEXT NOT NULL,
    duration_minutes INTEGER,
    notes            TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX mentoring_sessions_rel ON mentoring_sessions (relationship_id, held_on);

CREATE TABLE session_attendees (
    session_id TEXT NOT NULL REFERENCES mentoring_sessions (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    position   INTEGER NOT NULL,
    PRIMARY KEY (session_id, person_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE actions (
    id                TEXT PRIMARY KEY NOT NULL,
    title             TEXT NOT NULL,
    detail            TEXT NOT NULL DEFAULT '',
    owner_id          TEXT REFERENCES people (id) ON DELETE SET NULL,
    due_on            TEXT,
    status            TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'dropped')),
    source            TEXT NOT NULL CHECK (source IN ('reflection', 'mentoring_session', 'self_assessment', 'other')),
    source_entry_id   TEXT REFERENCES entries (id) ON DELETE SET NULL,
    source_session_id TEXT REFERENCES mentoring_sessions (id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX actions_status ON actions (status, due_on);

CREATE TABLE cpd_activities (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    activity_type       TEXT NOT NULL CHECK (activity_type IN ('course', 'training_day', 'conference', 'webinar', 'reading', 'peer_observation', 'mentoring', 'supervision', 'self_directed', 'other')),
    started_on          TEXT NOT NULL,
    ended_on            TEXT,
    hours               REAL NOT NULL CHECK (hours >= 0),
    participatory_hours REAL NOT NULL CHECK (participatory_hours >= 0 AND participatory_hours <= hours),
    provider            TEXT,
    description         TEXT NOT NULL DEFAULT '',
    outcomes            TEXT NOT NULL DEFAULT '',
    impact              TEXT NOT NULL DEFAULT '',
    benefit             TEXT NOT NULL DEFAULT '',
    evidence            TEXT NOT NULL DEFAULT '',
    standards           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(standards)),
    tag_text            TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;
CREATE INDEX cpd_started ON cpd_activities (started_on);

CREATE TABLE cpd_tags (
    cpd_id   TEXT NOT NULL REFERENCES cpd_activities (id) ON DELETE CASCADE,
    tag_id   TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (cpd_id, tag_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE entry_cpd (
    entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    cpd_id   TEXT NOT NULL REFERENCES cpd_activities (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (entry_id, cpd_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX entry_cpd_cpd ON entry_cpd (cpd_id);

-- Files live inside the journal so that one file is the whole journal.
CREATE TABLE attachments (
    id         TEXT PRIMARY KEY NOT NULL,
    entry_id   TEXT REFERENCES entries (id) ON DELETE CASCADE,
    cpd_id     TEXT REFERENCES cpd_activities (id) ON DELETE CASCADE,
    file_name  TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size >= 0),
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    data       BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((entry_id IS NULL) <> (cpd_id IS NULL))
) STRICT;
CREATE INDEX attachments_entry ON attachments (entry_id) WHERE entry_id IS NOT NULL;
CREATE INDEX attachments_cpd ON attachments (cpd_id) WHERE cpd_id IS NOT NULL;

-- Full-text search. External-content tables keep only the inverted index; the text is read
-- back from the owning table for snippets. Triggers keep them in step inside the same
-- transaction as the write.
CREATE VIRTUAL TABLE entries_fts USING fts5 (
    title, body, tag_text,
    content = 'entries', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN
    INSERT INTO entries_fts (rowid, title, body, tag_text)
    VALUES (new.seq, new.title, new.body, new.tag_text);
END;
CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, title, body, tag_text)
    VALUES ('delete', old.seq, old.title, old.body, old.tag_text);
END;
CREATE TRIGGER entries_fts_update AFTER UPDATE OF title, body, tag_text ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, title, body, tag_text)
    VALUES ('delete', old.seq, old.title, old.body, old.tag_text);
    INSERT INTO entries_fts (rowid, title, body, tag_text)
    VALUES (new.seq, new.title, new.body, new.tag_text);
END;

CREATE VIRTUAL TABLE cpd_fts USING fts5 (
    title, provider, description, outcomes, impact, benefit, evidence, tag_text,
    content = 'cpd_activities', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER cpd_fts_insert AFTER INSERT ON cpd_activities BEGIN
    INSERT INTO cpd_fts (rowid, title, provider, description, outcomes, impact, benefit, evidence, tag_text)
    VALUES (new.seq, new.title, new.provider, new.description, new.outcomes, new.impact, new.benefit, new.evidence, new.tag_text);
END;
CREATE TRIGGER cpd_fts_delete AFTER DELETE ON cpd_activities BEGIN
    INSERT INTO cpd_fts (cpd_fts, rowid, title, provider, description, outcomes, impact, benefit, evidence, tag_text)
    VALUES ('delete', old.seq, old.title, old.provider, old.description, old.outcomes, old.impact, old.benefit, old.evidence, old.tag_text);
END;
CREATE TRIGGER cpd_fts_update AFTER UPDATE ON cpd_activities BEGIN
    INSERT INTO cpd_fts (cpd_fts, rowid, title, provider, description, outcomes, impact, benefit, evidence, tag_text)
    VALUES ('delete', old.seq, old.title, old.provider, old.description, old.outcomes, old.impact, old.benefit, old.evidence, old.tag_text);
    INSERT INTO cpd_fts (rowid, title, provider, description, outcomes, impact, benefit, evidence, tag_text)
    VALUES (new.seq, new.title, new.provider, new.description, new.outcomes, new.impact, new.benefit, new.evidence, new.tag_text);
END;
