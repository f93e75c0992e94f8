//! Durability and damage (RELIABILITY S1, S3): killed writers never cost a committed entry,
//! and a damaged file is reported, never written to.

use crate::support::{entry, Journal};
use reprise::model::EntryFilter;
use reprise::{Error, Store};
use sha2::Digest;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD_ENV: &str = "REPRISE_TEST_WRITER_JOURNAL";
const TAGS_PER_ENTRY: usize = 3;

/// Not a test on its own: when started by `killed_writers_never_lose_a_committed_entry` with
/// the journal path in the environment, this writes entries until it is killed, printing each
/// id once its transaction has committed.
#[test]
fn writer_child_process() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let store = Store::open(path).unwrap();
    let mut out = std::io::stdout().lock();
    for n in 0u64.. {
        let e = store
            .create_entry(&entry(
                &format!("Entry {n}"),
                &"words and more words ".repeat(40),
                "2026-01-01",
                &[&format!("a{n}"), &format!("b{n}"), "shared"],
            ))
            .unwrap();
        writeln!(out, "{}", e.id).unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn killed_writers_never_lose_a_committed_entry_or_leave_half_a_transaction() {
    let iterations: u32 = std::env::var("REPRISE_KILL_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.reprise");
    drop(Store::open(&path).unwrap());
    let exe = std::env::current_exe().unwrap();
    let mut committed: HashSet<String> = HashSet::new();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..iterations {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "durability::writer_child_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // A pseudo-random moment between 5 and 60 ms after start (xorshift, reproducible).
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(5 + seed % 55));
        child.kill().unwrap(); // SIGKILL
        let stdout = child.stdout.take().unwrap();
        child.wait().unwrap();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.len() == 36 {
                committed.insert(line);
            }
        }
        // The kernel releases a killed process's lock as it tears the process down, which can
        // trail `wait` by a moment on a loaded machine: give it a second.
        let mut reopened = Store::open(&path);
        for _ in 0..100 {
            if !matches!(reopened, Err(reprise::Error::Busy { .. })) {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
            reopened = Store::open(&path);
        }
        let store =
            reopened.unwrap_or_else(|e| panic!("iteration {i}: journal did not reopen: {e}"));
        let report = store.check().unwrap();
        assert!(report.is_ok(), "iteration {i}: {report:?}");
        let live = store
            .count_entries(&EntryFilter {
                limit: Some(1),
                ..Default::default()
            })
            .unwrap();
        assert!(
            live as usize >= committed.len(),
            "iteration {i}: {live} entries but {} were reported committed",
            committed.len()
        );
        drop(store);
    }
    let store = Store::open(&path).unwrap();
    for id in &committed {
        let e = store
            .get_entry(id.parse().unwrap())
            .unwrap_or_else(|e| panic!("committed entry {id} is missing: {e}"));
        assert_eq!(
            e.tags.len(),
            TAGS_PER_ENTRY,
            "entry {id} has only part of its tags"
        );
    }
    // Every entry in the journal, reported or not (a kill can land between COMMIT and the
    // print), is whole: all of its tags are there.
    let mut filter = EntryFilter {
        limit: Some(500),
        ..Default::default()
    };
    loop {
        let page = store.list_entries(&filter).unwrap();
        for s in &page.items {
            assert_eq!(s.tags.len(), TAGS_PER_ENTRY, "entry {} is half there", s.id);
        }
        match page.next {
            Some(n) => filter.cursor = Some(n),
            None => break,
        }
    }
    assert!(
        committed.len() > iterations as usize / 4,
        "the writer committed too little to prove anything ({})",
        committed.len()
    );
}

fn fixture_journal(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("journal.reprise");
    let store = Store::open(&path).unwrap();
    for n in 0..200 {
        store
            .create_entry(&entry(
                &format!("Entry {n}"),
                &"a reflection about singing ".repeat(30),
                "2026-01-01",
                &["x"],
            ))
            .unwrap();
    }
    // Leave everything in the main file, as after a clean close.
    store.backup_to(&dir.join("clean.reprise")).unwrap();
    drop(store);
    let _ = std::fs::remove_file(dir.join("journal.reprise-wal"));
    let _ = std::fs::remove_file(dir.join("journal.reprise-shm"));
    std::fs::rename(dir.join("clean.reprise"), &path).unwrap();
    path
}

#[test]
fn damaged_copies_are_reported_without_panic_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let original = fixture_journal(dir.path());
    let bytes = std::fs::read(&original).unwrap();
    let len = bytes.len();
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated to half", bytes[..len / 2].to_vec()),
        ("truncated mid-header", bytes[..60].to_vec()),
        ("zeroed pages in the middle", {
            let mut b = bytes.clone();
            b[len / 3..len / 3 + 8192].fill(0);
            b
        }),
        ("header magic flipped", {
            let mut b = bytes.clone();
            b[0] ^= 0xff;
            b
        }),
    ];
    for offset in [100usize, 4096 + 10, len / 2, len - 100] {
        let mut b = bytes.clone();
        for x in &mut b[offset..offset + 16] {
            *x ^= 0x5a;
        }
        cases.push(("bytes flipped", b));
    }
    // Page 2 is a b-tree page; an impossible page type there is damage quick_check must see.
    let mut structural = bytes.clone();
    structural[4096] = 0x77;
    cases.push(("b-tree page type destroyed", structural));
    for (what, damaged) in cases {
        let case_dir = tempfile::tempdir().unwrap();
        let path = case_dir.path().join("journal.reprise");
        std::fs::write(&path, &damaged).unwrap();
        let before = sha2::Sha256::digest(&damaged);
        let opened = std::panic::catch_unwind(|| match Store::open(&path) {
            Ok(store) => {
                // Damage SQLite cannot see at open (a flipped letter in a body is just other
                // text) still must not panic anything that reads the journal.
                let _ = store.check();
                let _ = store.list_entries(&EntryFilter::default());
                true
            }
            Err(Error::Damaged { .. } | Error::NotAJournal { .. }) => false,
            Err(other) => panic!("{what}: unexpected error {other:?}"),
        });
        let opened = opened.unwrap_or_else(|_| panic!("{what}: panicked"));
        if !opened {
            let after = sha2::Sha256::digest(std::fs::read(&path).unwrap());
            assert!(after == before, "{what}: a damaged file was written to");
            assert!(
                !case_dir.path().join("journal.reprise-wal").exists(),
                "{what}: a WAL was started"
            );
        }
        if what == "b-tree page type destroyed"
            || what.starts_with("truncated")
            || what == "header magic flipped"
        {
            assert!(!opened, "{what}: damage was not reported");
        }
    }
}

/// The fixture with its header saying "write-ahead log", as a journal in daily use is: the
/// kind of file the desktop app checks in the background.
fn in_wal_mode(mut bytes: Vec<u8>) -> Vec<u8> {
    bytes[18] = 2;
    bytes[19] = 2;
    bytes
}

#[test]
fn a_journal_checked_in_the_background_refuses_writes_when_damaged_and_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = in_wal_mode(std::fs::read(fixture_journal(dir.path())).unwrap());
    let len = bytes.len();
    let page = |n: usize| {
        // A b-tree page's first byte is its type; 0x77 is none.
        let mut b = bytes.clone();
        b[n * 4096] = 0x77;
        b
    };
    let cases = [
        ("a page in the middle destroyed", page(len / 4096 / 2)),
        ("the last page destroyed", page(len / 4096 - 1)),
        ("truncated to half", bytes[..len / 2].to_vec()),
    ];
    let mut found_in_background = 0;
    for (what, damaged) in cases {
        let case_dir = tempfile::tempdir().unwrap();
        let path = case_dir.path().join("journal.reprise");
        std::fs::write(&path, &damaged).unwrap();
        let store = match Store::open_checking_in_background(&path) {
            Ok(store) => store,
            // Damage the cheap checks at open can already see is fine too.
            Err(Error::Damaged { .. }) => continue,
            Err(other) => panic!("{what}: unexpected error {other:?}"),
        };
        assert!(
            matches!(store.wait_until_checked(), Err(Error::Damaged { .. })),
            "{what}: the background check did not report the damage"
        );
        found_in_background += 1;
        let write = store.create_entry(&entry("New", "text", "2026-01-02", &[]));
        assert!(
            matches!(write, Err(Error::Damaged { .. })),
            "{what}: a write to a damaged journal was not refused: {write:?}"
        );
        drop(store);
        assert!(
            std::fs::read(&path).unwrap() == damaged,
            "{what}: a damaged file was written to"
        );
    }
    assert!(
        found_in_background > 0,
        "no case reached the background check"
    );
}

#[test]
fn a_healthy_journal_checked_in_the_background_reads_at_once_and_writes_after_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.reprise");
    std::fs::write(
        &path,
        in_wal_mode(std::fs::read(fixture_journal(dir.path())).unwrap()),
    )
    .unwrap();
    let store = Store::open_checking_in_background(&path).unwrap();
    assert_eq!(store.count_entries(&EntryFilter::default()).unwrap(), 200);
    let id = store
        .create_entry(&entry("After the check", "text", "2026-01-02", &[]))
        .unwrap()
        .id;
    store.wait_until_checked().unwrap();
    drop(store);
    let again = Store::open(&path).unwrap();
    assert_eq!(again.get_entry(id).unwrap().title, "After the check");
    assert!(again.check().unwrap().is_ok());
}

#[test]
fn a_journal_not_in_daily_use_is_checked_before_opening_returns() {
    // The fixture is in rollback-journal mode, as a restored backup is: opening switches it to
    // write-ahead logging, a write, so it must be checked first.
    let dir = tempfile::tempdir().unwrap();
    let mut damaged = std::fs::read(fixture_journal(dir.path())).unwrap();
    damaged[4096] = 0x77;
    let case_dir = tempfile::tempdir().unwrap();
    let path = case_dir.path().join("journal.reprise");
    std::fs::write(&path, &damaged).unwrap();
    assert!(matches!(
        Store::open_checking_in_background(&path),
        Err(Error::Damaged { .. })
    ));
    assert!(std::fs::read(&path).unwrap() == damaged);
    assert!(!case_dir.path().join("journal.reprise-wal").exists());
}

#[test]
fn a_swapped_or_deleted_wal_never_corrupts_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.reprise");
    let b = dir.path().join("b.reprise");
    // Keep both stores open so their WALs hold committed but uncheckpointed pages.
    let sa = Store::open(&a).unwrap();
    let sb = Store::open(&b).unwrap();
    for n in 0..20 {
        sa.create_entry(&entry(&format!("A{n}"), "alpha", "2026-01-01", &[]))
            .unwrap();
        sb.create_entry(&entry(&format!("B{n}"), "beta", "2026-01-01", &[]))
            .unwrap();
    }
    let copy = |from: &std::path::Path, to: &std::path::Path| {
        std::fs::write(to, std::fs::read(from).unwrap()).unwrap()
    };
    let case = tempfile::tempdir().unwrap();
    let target = case.path().join("j.reprise");
    copy(&a, &target);
    copy(
        &dir.path().join("b.reprise-wal"),
        &case.path().join("j.reprise-wal"),
    );
    let r = std::panic::catch_unwind(|| Store::open(&target).map(|s| s.check().map(|c| c.is_ok())));
    assert!(
        r.is_ok(),
        "swapping in another journal's WAL must not panic"
    );
    let deleted = tempfile::tempdir().unwrap();
    let target = deleted.path().join("j.reprise");
    copy(&a, &target);
    let s = Store::open(&target).unwrap();
    assert!(
        s.check().unwrap().is_ok(),
        "without its WAL the journal is older but whole"
    );
    drop((sa, sb));
}

#[test]
fn a_backup_is_a_complete_checked_copy() {
    let j = Journal::new();
    for n in 0..10 {
        j.store
            .create_entry(&entry(&format!("E{n}"), "body", "2026-01-01", &["t"]))
            .unwrap();
    }
    let path = j.store.backup("manual").unwrap();
    let copy = Store::open(&path).unwrap();
    assert_eq!(copy.count_entries(&EntryFilter::default()).unwrap(), 10);
    assert!(copy.check().unwrap().is_ok());
}
