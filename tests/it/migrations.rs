//! Migrations and versions (RELIABILITY V1): fresh, twice, newer refused, old rows survive.

use crate::support::{entry, Journal};
use reprise::model::EntryFilter;
use reprise::store::schema::{self, CURRENT_VERSION};
use reprise::{Error, Store};
use rusqlite::Connection;
use sha2::Digest;

fn hash(path: &std::path::Path) -> Vec<u8> {
    sha2::Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

#[test]
fn a_fresh_journal_reaches_the_latest_schema() {
    let j = Journal::new();
    let conn = Connection::open(j.path()).unwrap();
    assert_eq!(schema::version(&conn).unwrap(), CURRENT_VERSION);
}

#[test]
fn migrating_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("j")).unwrap();
    assert_eq!(
        schema::migrate(&mut conn).unwrap(),
        CURRENT_VERSION as usize
    );
    let dump = |c: &Connection| -> Vec<String> {
        let mut s = c
            .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let before = dump(&conn);
    assert_eq!(schema::migrate(&mut conn).unwrap(), 0);
    assert_eq!(dump(&conn), before);
}

#[test]
fn a_journal_from_a_newer_version_is_refused_and_left_byte_for_byte_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.reprise");
    {
        let s = Store::open(&path).unwrap();
        s.create_entry(&entry("From the future", "x", "2026-01-01", &[]))
            .unwrap();
    }
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", CURRENT_VERSION + 1)
            .unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = hash(&path);
    match Store::open(&path) {
        Err(Error::SchemaTooNew { found, known }) => {
            assert_eq!((found, known), (CURRENT_VERSION + 1, CURRENT_VERSION));
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    assert!(matches!(
        Store::open_read_only(&path),
        Err(Error::SchemaTooNew { .. })
    ));
    assert!(matches!(
        Store::open_checking_in_background(&path),
        Err(Error::SchemaTooNew { .. })
    ));
    assert_eq!(hash(&path), before);
    assert!(
        !dir.path().join("journal.reprise-wal").exists(),
        "not even a WAL was started"
    );
}

/// Builds a journal at every earlier schema version with rows in it, then opens it with this
/// build: the rows survive, and a verified backup was taken first.
#[test]
fn journals_from_every_earlier_schema_migrate_with_their_rows_intact() {
    for old in 1..CURRENT_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.reprise");
        {
            let mut c = Connection::open(&path).unwrap();
            c.pragma_update(None, "application_id", reprise::store::APPLICATION_ID)
                .unwrap();
            schema::migrate_to(&mut c, old).unwrap();
            // Rows written with the SQL of that version (every version has these tables).
            c.execute(
                "INSERT INTO entries (id, kind, title, body, occurred_on, tag_text, created_at, updated_at)
                 VALUES ('0190a000-0000-7000-8000-000000000001', 'reflection', 'Old words', 'Still here',
                         '2024-05-06', 'kept', '2024-05-06T10:00:00.000Z', '2024-05-06T10:00:00.000Z')",
                [],
            )
            .unwrap();
            c.execute("INSERT INTO tags (id, name, created_at, updated_at) VALUES ('0190a000-0000-7000-8000-0000000000aa', 'kept', '2024-05-06T10:00:00.000Z', '2024-05-06T10:00:00.000Z')", []).unwrap();
            c.execute("INSERT INTO entry_tags (entry_id, tag_id, position) VALUES ('0190a000-0000-7000-8000-000000000001', '0190a000-0000-7000-8000-0000000000aa', 0)", []).unwrap();
        }
        let store = Store::open(&path).unwrap();
        let e = store
            .get_entry("0190a000-0000-7000-8000-000000000001".parse().unwrap())
            .unwrap();
        assert_eq!(
            (e.title.as_str(), e.body.as_str(), e.tags.clone()),
            ("Old words", "Still here", vec!["kept".to_owned()])
        );
        assert_eq!(store.count_entries(&EntryFilter::default()).unwrap(), 1);
        assert!(store.check().unwrap().is_ok());
        let backups: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            backups.len(),
            1,
            "one backup before migrating from v{old}: {backups:?}"
        );
        let b = Connection::open(dir.path().join("backups").join(&backups[0])).unwrap();
        assert_eq!(
            schema::version(&b).unwrap(),
            old,
            "the backup holds the journal as it was"
        );
    }
}

#[test]
fn the_committed_v1_fixture_journal_opens_with_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.reprise");
    std::fs::write(
        &path,
        std::fs::read("tests/fixtures/journals/v1.reprise").unwrap(),
    )
    .unwrap();
    // As the desktop app opens it: a journal that needs migrating is checked first.
    let store = Store::open_checking_in_background(&path).unwrap();
    store.wait_until_checked().unwrap();
    let page = store.list_entries(&EntryFilter::default()).unwrap();
    assert_eq!(page.items.len(), 3);
    assert!(page
        .items
        .iter()
        .any(|s| s.title == "Rain song with the toddlers" && s.tags == ["early-years", "singing"]));
    let hits = store
        .search(&reprise::search::SearchRequest {
            query: "umbrella".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        hits.items.len(),
        1,
        "the full-text index survives migration"
    );
}
