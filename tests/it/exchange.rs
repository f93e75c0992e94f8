//! Export and import: lossless JSON, Markdown folders, jrnl; a bad file changes nothing and
//! says where it is wrong.

use crate::support::{entry, Journal};
use reprise::exchange::{jrnl, json, markdown, ImportReport, Progress};
use reprise::model::{
    ActionInput, ActionSource, ActionStatus, CpdInput, CpdType, EntryFilter, EntryInput, EntryKind,
    Member, MentoringSessionInput, PersonInput, Prompt, RelationshipInput, RelationshipKind,
    RelationshipStatus, Role, SessionFacts, TemplateInput,
};
use reprise::store::AttachmentOwner;
use reprise::{Error, Store};
use serde_json::Value;
use std::path::{Path, PathBuf};
use uuid::Uuid;

fn quiet() -> impl FnMut(Progress) {
    |_| {}
}

/// The JSON export of a journal, as bytes: the journal's whole content.
fn snapshot(store: &Store, dir: &Path, name: &str) -> Vec<u8> {
    let path = dir.join(name);
    json::export(store, &path, &mut quiet()).unwrap();
    std::fs::read(path).unwrap()
}

fn import_json(store: &Store, path: &Path) -> reprise::Result<ImportReport> {
    json::import(store, path, &mut quiet())
}

/// A journal with one of everything: entries (one trashed, one with session facts), links
/// both ways between entries and between entries and CPD, attachments on an entry and on a
/// CPD activity, a user template, the owner and other people, relationships, a session and
/// actions.
fn rich_journal() -> Journal {
    let j = Journal::new();
    let s = &j.store;
    let me = s
        .set_owner(&PersonInput {
            display_name: "Jo Owner".into(),
            contact: Some("jo@example.org".into()),
            role_words: Some("early-years music leader".into()),
            notes: String::new(),
        })
        .unwrap();
    let kit = s
        .create_person(&PersonInput {
            display_name: "Kit \"the mentor\" Lee".into(),
            role_words: Some("music therapist".into()),
            notes: "Met at the network day.\nLikes *Kodály*.".into(),
            ..Default::default()
        })
        .unwrap();
    let ali = s
        .create_person(&PersonInput {
            display_name: "Ali".into(),
            ..Default::default()
        })
        .unwrap();
    let pair = s
        .create_relationship(&RelationshipInput {
            kind: RelationshipKind::MentoringPair,
            name: "Jo & Kit".into(),
            purpose: "Transitions and endings.".into(),
            started_on: Some("2026-01-05".parse().unwrap()),
            ended_on: None,
            status: RelationshipStatus::Active,
            members: vec![
                Member {
                    person_id: me.id,
                    role: Role::Mentee,
                },
                Member {
                    person_id: kit.id,
                    role: Role::Mentor,
                },
            ],
        })
        .unwrap();
    s.create_relationship(&RelationshipInput {
        kind: RelationshipKind::Group,
        name: "Tuesday peers".into(),
        purpose: String::new(),
        started_on: None,
        ended_on: None,
        status: RelationshipStatus::Paused,
        members: vec![
            Member {
                person_id: ali.id,
                role: Role::Peer,
            },
            Member {
                person_id: me.id,
                role: Role::Peer,
            },
            Member {
                person_id: kit.id,
                role: Role::Peer,
            },
        ],
    })
    .unwrap();
    let session = s
        .create_session(&MentoringSessionInput {
            relationship_id: pair.id,
            held_on: "2026-03-10".parse().unwrap(),
            duration_minutes: Some(50),
            notes: "Talked about goodbye songs.".into(),
            attendees: vec![kit.id, me.id],
        })
        .unwrap();
    let mine = s
        .create_template(&TemplateInput {
            name: "My debrief".into(),
            description: "Three quick questions".into(),
            kind: EntryKind::QuickNote,
            prompts: vec![
                Prompt {
                    heading: "What".into(),
                    guidance: vec!["What happened?".into()],
                },
                Prompt {
                    heading: "Next".into(),
                    guidance: vec![],
                },
            ],
        })
        .unwrap();
    let gibbs = s.get_template("gibbs").unwrap();
    let a = s
        .create_entry(&EntryInput {
            kind: EntryKind::SessionRecord,
            template_id: Some(gibbs.id),
            starred: true,
            occurred_time: Some("09:30:00".parse().unwrap()),
            session: Some(SessionFacts {
                setting: Some("Children's centre".into()),
                group: Some("Tuesday babies".into()),
                age_range: Some("0–2".into()),
                participants: Some(9),
                duration_minutes: Some(45),
                activities: Some("Hello song\nshakers: then a lullaby".into()),
            }),
            linked_relationships: vec![pair.id],
            ..entry(
                "Shakers and silence",
                "## Description\n\nWe began quietly — ünïcödé 🎵.\n",
                "2026-03-04",
                &["early years", "Shakers"],
            )
        })
        .unwrap();
    let b = s
        .create_entry(&EntryInput {
            template_id: Some(mine.id),
            linked_entries: vec![a.id],
            ..entry(
                "Follow-up",
                "---\nnot front matter\n---\n",
                "2026-03-05",
                &["shakers", "follow-up"],
            )
        })
        .unwrap();
    let a = s
        .update_entry(
            a.id,
            &EntryInput {
                linked_entries: vec![b.id],
                ..EntryInput::from(&a)
            },
        )
        .unwrap();
    let cpd = s
        .create_cpd(&CpdInput {
            title: "Babies and music training day".into(),
            activity_type: CpdType::TrainingDay,
            started_on: "2026-02-14".parse().unwrap(),
            ended_on: Some("2026-02-15".parse().unwrap()),
            hours: 6.5,
            participatory_hours: 5.25,
            provider: Some("The network".into()),
            description: "Two days on music with under-twos.".into(),
            outcomes: "Call and response".into(),
            impact: "Quieter openings".into(),
            benefit: "Calmer babies".into(),
            evidence: "Certificate attached".into(),
            standards: vec!["Standard 2".into(), "Standard 5".into()],
            tags: vec!["training".into(), "early years".into()],
            linked_entries: vec![a.id],
        })
        .unwrap();
    let b = s.get_entry(b.id).unwrap();
    s.update_entry(
        b.id,
        &EntryInput {
            linked_cpd: vec![cpd.id],
            ..EntryInput::from(&b)
        },
    )
    .unwrap();
    let gone = s
        .create_entry(&entry("Gone soon", "in the trash", "2026-01-01", &["old"]))
        .unwrap();
    s.trash_entry(gone.id).unwrap();
    let audio: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    s.add_attachment(
        AttachmentOwner::Entry(a.id),
        "session.mp3",
        "audio/mpeg",
        &audio,
    )
    .unwrap();
    s.add_attachment(
        AttachmentOwner::Cpd(cpd.id),
        "certificate.pdf",
        "application/pdf",
        b"%PDF-1.4 not really",
    )
    .unwrap();
    s.create_action(&ActionInput {
        title: "Try a goodbye song".into(),
        detail: "Slow, with a visual cue.".into(),
        owner_id: Some(me.id),
        due_on: Some("2026-04-01".parse().unwrap()),
        status: ActionStatus::InProgress,
        source: ActionSource::MentoringSession,
        source_entry_id: None,
        source_session_id: Some(session.id),
    })
    .unwrap();
    s.create_action(&ActionInput {
        title: "Film a session".into(),
        detail: String::new(),
        owner_id: None,
        due_on: None,
        status: ActionStatus::Open,
        source: ActionSource::Reflection,
        source_entry_id: Some(a.id),
        source_session_id: None,
    })
    .unwrap();
    j
}

/// A rich journal and its JSON export, in a folder of their own.
fn exported() -> (Journal, tempfile::TempDir, PathBuf) {
    let j = rich_journal();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.json");
    json::export(&j.store, &path, &mut quiet()).unwrap();
    (j, dir, path)
}

#[test]
fn exporting_importing_and_exporting_again_is_byte_identical() {
    let (_source, dir, path) = exported();
    let first = std::fs::read(&path).unwrap();
    assert!(
        first.ends_with(b"}\n"),
        "pretty-printed with a trailing newline"
    );

    let doc: Value = serde_json::from_slice(&first).unwrap();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys.len(),
        10,
        "nothing else, and no export timestamp: {keys:?}"
    );
    assert_eq!(doc["format"], "reprise-journal");
    assert_eq!(doc["version"], 1);
    for section in [
        "templates",
        "people",
        "relationships",
        "mentoring_sessions",
        "actions",
        "cpd_activities",
        "entries",
        "attachments",
    ] {
        let ids: Vec<&str> = doc[section]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "{section} is sorted by id");
    }
    assert_eq!(doc["entries"].as_array().unwrap().len(), 3);
    assert!(
        doc["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["deleted_at"].is_string()),
        "the trash is exported"
    );
    let owners: Vec<bool> = doc["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["entry_id"].is_string())
        .collect();
    assert!(
        owners.contains(&true) && owners.contains(&false),
        "attachments of an entry and of a CPD activity"
    );
    assert!(
        doc["attachments"][0]["cpd_id"].is_string()
            != doc["attachments"][0]["entry_id"].is_string()
    );

    let target = Journal::new();
    let mut phases = Vec::new();
    let report = json::import(&target.store, &path, &mut |p: Progress| {
        phases.push(p.phase)
    })
    .unwrap();
    for phase in ["validating", "backing up", "applying", "checking"] {
        assert!(
            phases.iter().any(|p| p == phase),
            "{phase} reported in {phases:?}"
        );
    }
    assert_eq!(
        (
            report.entries.added,
            report.entries.updated,
            report.entries.skipped
        ),
        (3, 0, 0)
    );
    assert_eq!(report.templates.added, 1, "the user template");
    assert_eq!(
        report.templates.skipped, 9,
        "the built-ins are already there"
    );
    assert_eq!(report.people.added, 3);
    assert_eq!(report.relationships.added, 2);
    assert_eq!(report.mentoring_sessions.added, 1);
    assert_eq!(report.actions.added, 2);
    assert_eq!(report.cpd_activities.added, 1);
    assert_eq!(report.attachments.added, 2);
    assert_eq!(report.total.added, 15);
    assert!(
        report
            .summary_line()
            .starts_with("added 3 entries, 1 template, 3 people"),
        "{}",
        report.summary_line()
    );
    let backup = report
        .backup
        .clone()
        .expect("a backup was taken before writing");
    assert!(backup.exists());
    let as_json = serde_json::to_value(&report).unwrap();
    assert_eq!(as_json["entries"]["added"], 3);
    assert_eq!(as_json["total"]["skipped"], 9);

    assert_eq!(
        target.store.owner().unwrap().unwrap().display_name,
        "Jo Owner"
    );
    let second = snapshot(&target.store, dir.path(), "again.json");
    assert!(
        first == second,
        "the second export differs from the first:\n{}",
        first_difference(&first, &second)
    );
    assert!(target.store.check().unwrap().is_ok());
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    for (n, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n- {x}\n+ {y}", n + 1);
        }
    }
    format!("lengths {} and {}", a.len(), b.len())
}

#[test]
fn links_work_whatever_order_the_file_lists_records_in() {
    let (_source, dir, path) = exported();
    let original = std::fs::read(&path).unwrap();
    let mut doc: Value = serde_json::from_slice(&original).unwrap();
    for section in [
        "people",
        "relationships",
        "entries",
        "attachments",
        "cpd_activities",
        "actions",
    ] {
        doc[section].as_array_mut().unwrap().reverse();
    }
    let reversed = dir.path().join("reversed.json");
    std::fs::write(&reversed, serde_json::to_vec(&doc).unwrap()).unwrap();
    let target = Journal::new();
    import_json(&target.store, &reversed).unwrap();
    assert!(snapshot(&target.store, dir.path(), "after.json") == original);
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    let (source, dir, path) = exported();
    let target = Journal::new();
    import_json(&target.store, &path).unwrap();
    let before = snapshot(&target.store, dir.path(), "before.json");

    let again = import_json(&target.store, &path).unwrap();
    assert_eq!((again.total.added, again.total.updated), (0, 0));
    assert_eq!(again.total.skipped, 9 + 1 + 3 + 2 + 1 + 2 + 1 + 3 + 2);
    assert_eq!(again.backup, None, "nothing to write, so no backup either");
    assert_eq!(
        again.summary_line(),
        format!("skipped {} unchanged", again.total.skipped)
    );
    assert!(snapshot(&target.store, dir.path(), "after.json") == before);

    let own = import_json(&source.store, &path).unwrap();
    assert_eq!(
        (own.total.added, own.total.updated),
        (0, 0),
        "a journal's own export is already in it"
    );
}

#[test]
fn a_newer_updated_at_wins_and_an_older_one_never_overwrites() {
    let (source, dir, path) = exported();
    let target = Journal::new();
    import_json(&target.store, &path).unwrap();
    let titles = |s: &Store| -> Vec<(Uuid, String)> {
        let mut v: Vec<_> = s
            .list_entries(&EntryFilter::default())
            .unwrap()
            .items
            .into_iter()
            .map(|e| (e.id, e.title))
            .collect();
        v.sort();
        v
    };
    let ids: Vec<Uuid> = titles(&source.store)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let (one, two) = (ids[0], ids[1]);

    std::thread::sleep(std::time::Duration::from_millis(5));
    let e = source.store.get_entry(one).unwrap();
    source
        .store
        .update_entry(
            one,
            &EntryInput {
                title: "Edited in the source".into(),
                ..EntryInput::from(&e)
            },
        )
        .unwrap();
    let e = target.store.get_entry(two).unwrap();
    target
        .store
        .update_entry(
            two,
            &EntryInput {
                title: "Edited in the target".into(),
                ..EntryInput::from(&e)
            },
        )
        .unwrap();

    let newer = dir.path().join("newer.json");
    json::export(&source.store, &newer, &mut quiet()).unwrap();
    let report = import_json(&target.store, &newer).unwrap();
    assert_eq!((report.entries.updated, report.entries.skipped), (1, 2));
    assert_eq!(
        report.summary_line(),
        format!("updated 1; skipped {} unchanged", report.total.skipped)
    );
    assert_eq!(
        target.store.get_entry(one).unwrap().title,
        "Edited in the source",
        "the newer copy wins"
    );
    assert_eq!(
        target.store.get_entry(two).unwrap().title,
        "Edited in the target",
        "an older copy never overwrites"
    );
    assert_eq!(
        target.store.get_entry(one).unwrap().linked_entries,
        vec![two],
        "links of an updated entry are kept"
    );
    assert!(target.store.check().unwrap().is_ok());
}

#[test]
fn an_imported_owner_becomes_an_ordinary_person_when_the_journal_has_its_own() {
    let (_source, _dir, path) = exported();
    let target = Journal::new();
    let me = target
        .store
        .set_owner(&PersonInput {
            display_name: "Sam".into(),
            ..Default::default()
        })
        .unwrap();
    import_json(&target.store, &path).unwrap();
    let people = target.store.list_people().unwrap();
    assert_eq!(people.iter().filter(|p| p.is_owner).count(), 1);
    assert_eq!(target.store.owner().unwrap().unwrap().id, me.id);
    assert!(people
        .iter()
        .any(|p| p.display_name == "Jo Owner" && !p.is_owner));
}

#[test]
fn a_user_template_whose_key_is_taken_gets_a_suffixed_key() {
    let (_source, _dir, path) = exported();
    let target = Journal::new();
    let theirs = target
        .store
        .create_template(&TemplateInput {
            name: "My debrief".into(),
            description: String::new(),
            kind: EntryKind::Reflection,
            prompts: vec![Prompt {
                heading: "Only".into(),
                guidance: vec![],
            }],
        })
        .unwrap();
    import_json(&target.store, &path).unwrap();
    let keys: Vec<String> = target
        .store
        .list_templates()
        .unwrap()
        .into_iter()
        .filter(|t| !t.builtin)
        .map(|t| t.key)
        .collect();
    assert_eq!(keys.len(), 2);
    assert!(
        keys.contains(&"my-debrief".to_owned()) && keys.contains(&"my-debrief-2".to_owned()),
        "{keys:?}"
    );
    assert_eq!(
        target.store.get_template("my-debrief").unwrap().id,
        theirs.id,
        "the journal's own keeps its key"
    );
}

#[test]
fn a_newer_format_version_is_refused_and_the_journal_is_unchanged() {
    let (_source, dir, path) = exported();
    let target = Journal::new();
    target
        .store
        .create_entry(&entry("Mine", "x", "2026-01-01", &[]))
        .unwrap();
    let before = snapshot(&target.store, dir.path(), "before.json");
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    doc["version"] = 2.into();
    doc["entries"][0]["mood"] = "a field version 1 does not know".into();
    let newer = dir.path().join("newer.json");
    std::fs::write(&newer, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();

    match import_json(&target.store, &newer) {
        Err(Error::Import { location, reason }) => {
            assert_eq!(location, "newer.json");
            assert!(
                reason.contains("written by a newer Reprise (format 2")
                    && reason.contains("update Reprise"),
                "{reason}"
            );
        }
        other => panic!("expected an import error, got {other:?}"),
    }
    assert!(snapshot(&target.store, dir.path(), "after.json") == before);
    assert!(
        !reprise::store::backups_dir(&target.path()).exists(),
        "no backup for a refused file"
    );
}

#[test]
fn invalid_files_are_refused_with_the_place_named_and_the_journal_unchanged() {
    let (_source, dir, path) = exported();
    let text = std::fs::read_to_string(&path).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let target = Journal::new();
    target
        .store
        .create_entry(&entry("Already here", "x", "2026-01-01", &["mine"]))
        .unwrap();
    let before = snapshot(&target.store, dir.path(), "before.json");

    let edit = |f: &dyn Fn(&mut Value)| {
        let mut d = doc.clone();
        f(&mut d);
        serde_json::to_string_pretty(&d).unwrap()
    };
    let entry_id = |i: usize| doc["entries"][i]["id"].as_str().unwrap().to_owned();
    let attachment_id = doc["attachments"][0]["id"].as_str().unwrap().to_owned();
    let stranger = Uuid::now_v7().to_string();
    let cases: Vec<(&str, String, Vec<String>)> = vec![
        (
            "bad JSON",
            r#"{"format": "reprise-journal", "version": 1, "entries": [{"id": }]}"#.into(),
            vec!["case.json: entries[0]".into()],
        ),
        (
            "truncated",
            text[..text.len() / 2].to_owned(),
            vec!["case.json".into()],
        ),
        ("empty", String::new(), vec!["case.json".into()]),
        (
            "wrong format name",
            edit(&|d| d["format"] = "day-one".into()),
            vec!["case.json".into(), "not a Reprise journal export".into()],
        ),
        (
            "not an object",
            "[1, 2, 3]".into(),
            vec!["case.json".into()],
        ),
        (
            "bad uuid",
            edit(&|d| d["entries"][1]["id"] = "not-a-uuid".into()),
            vec!["case.json: entries[1]: id".into()],
        ),
        (
            "bad timestamp",
            edit(&|d| d["entries"][1]["updated_at"] = "yesterday".into()),
            vec![format!(
                "case.json: entries[1] ({}): updated_at",
                entry_id(1)
            )],
        ),
        (
            "bad date",
            edit(&|d| d["entries"][0]["occurred_on"] = "2026-02-30".into()),
            vec![format!(
                "case.json: entries[0] ({}): occurred_on",
                entry_id(0)
            )],
        ),
        (
            "duplicate ids",
            edit(&|d| {
                let copy = d["entries"][0].clone();
                d["entries"].as_array_mut().unwrap().push(copy);
            }),
            vec![
                format!("case.json: entries[3] ({}): id", entry_id(0)),
                "entries[0]".into(),
            ],
        ),
        (
            "dangling reference",
            edit(&|d| {
                d["entries"][2]["linked_entries"] = vec![Value::from(stranger.clone())].into()
            }),
            vec![
                format!("case.json: entries[2] ({}): linked_entries", entry_id(2)),
                stranger.clone(),
            ],
        ),
        (
            "dangling member",
            edit(&|d| d["relationships"][0]["members"][1]["person_id"] = stranger.clone().into()),
            vec![
                "case.json: relationships[0] (".into(),
                "members[1].person_id".into(),
            ],
        ),
        (
            "attachment hash mismatch",
            edit(&|d| d["attachments"][0]["sha256"] = "0".repeat(64).into()),
            vec![format!(
                "case.json: attachments[0] ({attachment_id}): sha256"
            )],
        ),
        (
            "size mismatch",
            edit(&|d| {
                d["attachments"][0]["size"] =
                    (d["attachments"][0]["size"].as_u64().unwrap() + 1).into()
            }),
            vec![format!("case.json: attachments[0] ({attachment_id}): size")],
        ),
        (
            "bad base64",
            edit(&|d| d["attachments"][0]["data"] = "!!! not base64 !!!".into()),
            vec![format!("case.json: attachments[0] ({attachment_id}): data")],
        ),
        (
            "attachment over the size limit",
            edit(&|d| d["attachments"][0]["size"] = (200u64 * 1024 * 1024).into()),
            vec![format!("case.json: attachments[0] ({attachment_id}): size")],
        ),
        (
            "unknown enum value",
            edit(&|d| d["entries"][0]["kind"] = "poem".into()),
            vec![
                format!("case.json: entries[0] ({}): kind", entry_id(0)),
                "poem".into(),
            ],
        ),
        (
            "unknown field",
            edit(&|d| d["entries"][1]["mood"] = "sunny".into()),
            vec!["case.json: entries[1]".into(), "mood".into()],
        ),
        (
            "invalid field",
            edit(&|d| d["entries"][0]["title"] = "x".repeat(400).into()),
            vec![format!("case.json: entries[0] ({}): title", entry_id(0))],
        ),
        (
            "two owners",
            edit(&|d| {
                for p in d["people"].as_array_mut().unwrap() {
                    p["is_owner"] = true.into();
                }
            }),
            vec!["case.json: people[1] (".into(), "is_owner".into()],
        ),
        (
            "a record too large to hold",
            format!(
                r#"{{"format": "reprise-journal", "version": 1, "entries": [{{"id": "{}", "title": "{}"}}]}}"#,
                entry_id(0),
                "x".repeat(40 * 1024 * 1024)
            ),
            vec![
                "case.json: entries[0]".into(),
                "larger than the import limit".into(),
            ],
        ),
        (
            "deeply nested JSON",
            "[".repeat(100_000),
            vec!["case.json".into()],
        ),
        (
            "deeply nested in a record",
            format!(
                r#"{{"format": "reprise-journal", "version": 1, "entries": [{}"#,
                "[".repeat(100_000)
            ),
            vec!["case.json: entries[0]".into()],
        ),
    ];
    let case = dir.path().join("case.json");
    for (name, contents, expected) in cases {
        std::fs::write(&case, contents).unwrap();
        let started = std::time::Instant::now();
        match import_json(&target.store, &case) {
            Err(Error::Import { location, reason }) => {
                let message = format!("{location}: {reason}");
                for part in &expected {
                    assert!(
                        message.contains(part.as_str()),
                        "{name}: {message:?} does not name {part:?}"
                    );
                }
            }
            other => panic!("{name}: expected an import error, got {other:?}"),
        }
        assert!(
            started.elapsed().as_secs() < 5,
            "{name} took {:?}",
            started.elapsed()
        );
        assert!(
            snapshot(&target.store, dir.path(), "after.json") == before,
            "{name} changed the journal"
        );
    }
    assert!(
        !reprise::store::backups_dir(&target.path()).exists(),
        "no backup for a refused file"
    );
}

/// Splits a Markdown file into its front-matter lines and body, checking that every value is
/// a JSON value (strings, numbers, booleans, `[]`) or a date or timestamp Reprise wrote.
fn front_matter(text: &str) -> (Vec<(String, Value)>, String) {
    let rest = text.strip_prefix("---\n").expect("front matter first");
    let end = rest.find("\n---\n").expect("front matter closed");
    let (head, body) = (&rest[..end], &rest[end + 5..]);
    let mut fields = Vec::new();
    let mut parent = String::new();
    for line in head.lines() {
        let (key, value) = if let Some(item) = line.strip_prefix("  - ") {
            (format!("{parent}[]"), item)
        } else if let Some(inner) = line.strip_prefix("  ") {
            let (k, v) = inner
                .split_once(": ")
                .unwrap_or_else(|| panic!("bad line {line:?}"));
            (format!("{parent}.{k}"), v)
        } else {
            let (k, v) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("bad line {line:?}"));
            parent = k.to_owned();
            (k.to_owned(), v.trim_start())
        };
        assert!(!key.contains([' ', '"']), "a key is a plain word: {line:?}");
        if value.is_empty() {
            continue;
        }
        let parsed = match key.as_str() {
            "date" => {
                assert!(value.parse::<chrono::NaiveDate>().is_ok(), "{line:?}");
                Value::from(value)
            }
            "created" | "updated" => {
                assert!(
                    chrono::DateTime::parse_from_rfc3339(value).is_ok(),
                    "{line:?}"
                );
                Value::from(value)
            }
            _ => serde_json::from_str(value)
                .unwrap_or_else(|e| panic!("{line:?} is not a JSON value: {e}")),
        };
        fields.push((key, parsed));
    }
    (fields, body.strip_prefix('\n').unwrap_or(body).to_owned())
}

fn field<'a>(fields: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

#[test]
fn markdown_export_writes_one_file_per_entry_with_front_matter_and_attachments_beside() {
    let j = rich_journal();
    let hostile = [
        "He said \"no\": then --- left",
        "---",
        "../../etc/passwd",
        "key: value # not a comment",
        "C:\\Windows\\System32 | & * ? < > '",
        "CON",
        "Ünïcödé ünd çafé 🎵 — 音楽",
        "[a, b] {c: d} !tag &anchor *alias %directive @at `tick`",
    ];
    for t in hostile {
        j.store
            .create_entry(&EntryInput {
                session: Some(SessionFacts {
                    activities: Some("line one\n---\nkey: value\n\u{2028}next".into()),
                    ..Default::default()
                }),
                ..entry(
                    t,
                    "---\ntitle: fake\n---\nBody.",
                    "2026-05-01",
                    &["#odd: tag", "quote\"s"],
                )
            })
            .unwrap();
    }
    let odd = j
        .store
        .create_entry(&entry("With odd attachments", "x", "2026-05-02", &[]))
        .unwrap();
    j.store
        .add_attachment(
            AttachmentOwner::Entry(odd.id),
            "a:b*?.mp3",
            "audio/mpeg",
            b"one",
        )
        .unwrap();
    j.store
        .add_attachment(
            AttachmentOwner::Entry(odd.id),
            "A:B*?.mp3",
            "audio/mpeg",
            b"two",
        )
        .unwrap();
    j.store
        .add_attachment(
            AttachmentOwner::Entry(odd.id),
            "nul.txt",
            "text/plain",
            b"three",
        )
        .unwrap();

    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("notes");
    let summary = markdown::export(&j.store, &out, &mut quiet()).unwrap();
    let live = j.store.count_entries(&EntryFilter::default()).unwrap();
    assert_eq!(
        u64::from(summary.entries),
        live,
        "every entry not in the trash"
    );
    assert_eq!(summary.attachments, 4);
    let outside: Vec<_> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        outside,
        vec![std::ffi::OsString::from("notes")],
        "nothing written outside the folder"
    );

    let mut md = Vec::new();
    for item in std::fs::read_dir(&out).unwrap() {
        let name = item.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".md") {
            let ok = name.len() > 14
                && name[..10].parse::<chrono::NaiveDate>().is_ok()
                && name[10..name.len() - 3]
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && name.len() <= 10 + 1 + 60 + 8;
            assert!(ok, "{name:?} is not a safe YYYY-MM-DD-slug.md name");
            md.push(name);
        } else {
            assert!(
                name == markdown::MARKER || name == "attachments",
                "unexpected {name:?}"
            );
        }
    }
    assert_eq!(md.len() as u64, live);

    let mut titles = Vec::new();
    for name in &md {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        let (fields, body) = front_matter(&text);
        let id: Uuid = field(&fields, "id")
            .unwrap()
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let e = j.store.get_entry(id).unwrap();
        assert_eq!(
            field(&fields, "title").unwrap(),
            &Value::from(e.title.clone())
        );
        assert_eq!(
            field(&fields, "date").unwrap(),
            &Value::from(e.occurred_on.to_string())
        );
        assert_eq!(field(&fields, "kind").unwrap(), e.kind.as_str());
        assert_eq!(field(&fields, "starred").unwrap(), &Value::from(e.starred));
        let tags: Vec<&Value> = fields
            .iter()
            .filter(|(k, _)| k == "tags[]")
            .map(|(_, v)| v)
            .collect();
        assert_eq!(
            tags,
            e.tags
                .iter()
                .map(|t| Value::from(t.as_str()))
                .collect::<Vec<_>>()
                .iter()
                .collect::<Vec<_>>()
        );
        assert_eq!(
            body,
            e.body.clone() + if e.body.ends_with('\n') { "" } else { "\n" },
            "the body follows as-is"
        );
        if let Some(s) = &e.session {
            if let Some(a) = &s.activities {
                assert_eq!(
                    field(&fields, "session.activities").unwrap(),
                    &Value::from(a.as_str())
                );
            }
        }
        for (key, value) in &fields {
            if key == "attachments[]" {
                let rel = value.as_str().unwrap();
                assert!(rel.starts_with(&format!("attachments/{id}/")), "{rel}");
                assert!(out.join(rel).is_file(), "{rel} is beside the notes");
            }
        }
        titles.push(e.title);
    }
    for t in hostile {
        assert!(
            titles.iter().any(|x| x == t),
            "{t:?} survived the round trip through YAML"
        );
    }

    let shakers = md
        .iter()
        .find(|n| n.starts_with("2026-03-04-shakers-and-silence"))
        .expect("named by date and title");
    let (fields, _) = front_matter(&std::fs::read_to_string(out.join(shakers)).unwrap());
    assert_eq!(
        field(&fields, "template").unwrap(),
        "Gibbs' reflective cycle"
    );
    assert_eq!(field(&fields, "time").unwrap(), "09:30");
    assert_eq!(field(&fields, "session.participants").unwrap(), 9);
    assert_eq!(
        field(&fields, "session.setting").unwrap(),
        "Children's centre"
    );
    let audio = field(&fields, "attachments[]").unwrap().as_str().unwrap();
    assert!(audio.ends_with("/session.mp3"));
    assert_eq!(std::fs::read(out.join(audio)).unwrap().len(), 3000);

    let odd_dir = out.join("attachments").join(odd.id.to_string());
    let mut odd_names: Vec<String> = std::fs::read_dir(&odd_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    odd_names.sort();
    assert_eq!(odd_names, vec!["A_B__-2.mp3", "_nul.txt", "a_b__.mp3"]);
}

#[test]
fn markdown_export_refuses_a_folder_that_is_not_a_previous_export_and_replaces_a_previous_one() {
    let j = Journal::new();
    let e = j
        .store
        .create_entry(&entry("First title", "x", "2026-01-01", &[]))
        .unwrap();
    let root = tempfile::tempdir().unwrap();

    let foreign = root.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    match markdown::export(&j.store, &foreign, &mut quiet()) {
        Err(Error::Invalid { field, reason }) => {
            assert_eq!(field, "folder");
            assert!(
                reason.contains("not empty")
                    && reason.contains("not a previous Reprise Markdown export"),
                "{reason}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let left: Vec<_> = std::fs::read_dir(&foreign)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("notes.txt")],
        "nothing written into someone's folder"
    );

    let out = root.path().join("out");
    markdown::export(&j.store, &out, &mut quiet()).unwrap();
    assert!(out.join("2026-01-01-first-title.md").is_file());
    std::fs::write(out.join("my-own-note.md"), "kept").unwrap();
    j.store
        .update_entry(e.id, &entry("Second title", "x", "2026-01-01", &[]))
        .unwrap();
    markdown::export(&j.store, &out, &mut quiet()).unwrap();
    assert!(
        !out.join("2026-01-01-first-title.md").exists(),
        "the previous export's file is replaced"
    );
    assert!(out.join("2026-01-01-second-title.md").is_file());
    assert_eq!(
        std::fs::read_to_string(out.join("my-own-note.md")).unwrap(),
        "kept",
        "files the export did not write stay"
    );
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/jrnl")
        .join(name)
}

#[test]
fn a_jrnl_export_imports_as_reflections_and_importing_it_twice_adds_nothing() {
    let j = Journal::new();
    let first = jrnl::import(&j.store, &fixture("sample.json"), &mut quiet()).unwrap();
    assert_eq!((first.entries.added, first.entries.skipped), (4, 0));
    assert_eq!(first.summary_line(), "added 4 entries");
    assert!(first.backup.is_some());

    let all = j.store.list_entries(&EntryFilter::default()).unwrap().items;
    assert_eq!(all.len(), 4);
    let morning = j
        .store
        .get_entry(
            all.iter()
                .find(|e| e.title.starts_with("Morning"))
                .unwrap()
                .id,
        )
        .unwrap();
    assert_eq!(morning.kind, EntryKind::Reflection);
    assert_eq!(morning.title, "Morning session with the babies.");
    assert!(morning.body.starts_with("We sang the hello song"));
    assert_eq!(morning.occurred_on.to_string(), "2024-01-31");
    assert_eq!(morning.occurred_time.unwrap().to_string(), "09:12:00");
    assert_eq!(morning.tags, vec!["babies", "music"], "the @ is stripped");
    assert!(morning.starred);
    assert_eq!(
        morning.id.get_version_num(),
        7,
        "shaped like every other id"
    );
    let unicode = all.iter().find(|e| e.title.starts_with("Café")).unwrap();
    assert_eq!(unicode.title, "Café reflexión — ünïcödé 🎵.");
    let old = all
        .iter()
        .find(|e| e.title.starts_with("An entry from an old jrnl"))
        .unwrap();
    assert!(old.tags.is_empty() && !old.starred);

    let before = snapshot(&j.store, j.dir.path(), "before.json");
    let second = jrnl::import(&j.store, &fixture("sample.json"), &mut quiet()).unwrap();
    assert_eq!((second.entries.added, second.entries.skipped), (0, 4));
    assert_eq!(second.backup, None);
    assert_eq!(second.summary_line(), "skipped 4 unchanged");
    assert!(
        snapshot(&j.store, j.dir.path(), "after.json") == before,
        "importing twice adds nothing"
    );
    assert_eq!(
        jrnl::entry_id("2024-01-31", "09:12", "a", "b"),
        jrnl::entry_id("2024-01-31", "09:12", "a", "b")
    );
    assert_ne!(
        jrnl::entry_id("2024-01-31", "09:12", "a", "b"),
        jrnl::entry_id("2024-01-31", "09:12", "a", "c")
    );
}

#[test]
fn a_jrnl_file_with_a_bad_date_names_the_entry_and_field_and_changes_nothing() {
    let j = Journal::new();
    j.store
        .create_entry(&entry("Mine", "x", "2026-01-01", &[]))
        .unwrap();
    let before = snapshot(&j.store, j.dir.path(), "before.json");
    let mut doc: Value =
        serde_json::from_slice(&std::fs::read(fixture("sample.json")).unwrap()).unwrap();
    doc["entries"][2]["date"] = "2024-02-30".into();
    let bad = j.dir.path().join("bad-jrnl.json");
    std::fs::write(&bad, serde_json::to_vec(&doc).unwrap()).unwrap();
    match jrnl::import(&j.store, &bad, &mut quiet()) {
        Err(Error::Import { location, reason }) => {
            assert_eq!(location, "bad-jrnl.json: entries[2]: date");
            assert!(reason.contains("2024-02-30"), "{reason}");
        }
        other => panic!("expected an import error, got {other:?}"),
    }
    assert!(snapshot(&j.store, j.dir.path(), "after.json") == before);
    assert_eq!(j.store.count_entries(&EntryFilter::default()).unwrap(), 1);
}

#[test]
fn a_file_cannot_forge_a_built_in_template_or_stamp_a_record_in_the_future() {
    let j = Journal::new();
    let dir = tempfile::tempdir().unwrap();
    let mut progress = |_: reprise::exchange::Progress| {};
    let path = dir.path().join("export.json");
    j.store
        .create_entry(&crate::support::entry("Mine", "x", "2026-01-01", &[]))
        .unwrap();
    reprise::exchange::json::export(&j.store, &path, &mut progress).unwrap();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();

    // A built-in's wording changed and stamped newer, and a user template marked built-in.
    let mut forged = doc.clone();
    let templates = forged["templates"].as_array_mut().unwrap();
    let gibbs = templates.iter_mut().find(|t| t["key"] == "gibbs").unwrap();
    gibbs["name"] = "Hijacked".into();
    gibbs["updated_at"] = "2026-11-01T00:00:00.000Z".into();
    let mut own = templates[0].clone();
    own["id"] = "0190ffff-0000-7000-8000-000000000099".into();
    own["key"] = "sticky".into();
    own["builtin"] = true.into();
    templates.push(own);
    std::fs::write(&path, serde_json::to_string(&forged).unwrap()).unwrap();
    reprise::exchange::json::import(&j.store, &path, &mut progress).unwrap();
    assert_eq!(
        j.store.get_template("gibbs").unwrap().name,
        "Gibbs' reflective cycle"
    );
    let sticky = j.store.get_template("sticky").unwrap();
    assert!(!sticky.builtin);
    j.store.delete_template(sticky.id).unwrap();

    let mut future = doc;
    future["entries"][0]["updated_at"] = "2099-01-01T00:00:00.000Z".into();
    std::fs::write(&path, serde_json::to_string(&future).unwrap()).unwrap();
    let err = reprise::exchange::json::import(&j.store, &path, &mut progress)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("updated_at") && err.contains("future"),
        "{err}"
    );
}
