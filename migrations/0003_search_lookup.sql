-- Reprise journal schema, version 3: a narrow index of live entries for search.
-- Full-text matches come back as `entries.seq`. Looking each one up in `entries` itself reads
-- the whole row — title and body, about a page each — so ranking a common word on a
-- 50,000-entry journal read ~200 MB. This index holds only what ranking, the newest-first
-- order and the counts need; search.rs names it with INDEXED BY (docs/PERFORMANCE.md).

CREATE INDEX entries_live ON entries (seq, occurred_on, id) WHERE deleted_at IS NULL;
