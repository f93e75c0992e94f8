//! The store: entries, validation, tags, trash, the timeline, and the connection settings.

use crate::support::{entry, Journal};
use reprise::model::{
    ActionInput, ActionSource, ActionStatus, CpdInput, CpdType, EntryFilter, EntryInput, EntryKind,
    Member, MentoringSessionInput, PersonInput, Prompt, RelationshipInput, RelationshipKind,
    RelationshipStatus, Role, SessionFacts, TemplateInput,
};
use reprise::store::{AttachmentOwner, MAX_ATTACHMENT_BYTES};
use reprise::{Error, Store};

#[test]
fn every_connection_setting_from_s1_is_applied_through_the_production_open_path() {
    let j = Journal::new();
    let settings: std::collections::HashMap<_, _> =
        j.store.settings().unwrap().into_iter().collect();
    assert_eq!(settings["journal_mode"], "wal");
    assert_eq!(settings["synchronous"], "2", "synchronous=FULL");
    assert_eq!(settings["foreign_keys"], "1");
    assert_eq!(settings["busy_timeout"], "5000");
    assert_eq!(settings["trusted_schema"], "0");
    assert_eq!(settings["cell_size_check"], "1");
    assert_eq!(settings["mmap_size"], "0");
    assert_eq!(settings["temp_store"], "2", "temp_store=MEMORY");
    assert_eq!(settings["secure_delete"], "1");
    assert_eq!(
        settings["application_id"],
        reprise::store::APPLICATION_ID.to_string()
    );
    assert_eq!(
        settings["user_version"],
        reprise::store::schema::CURRENT_VERSION.to_string()
    );
}

#[test]
fn a_created_entry_reads_back_with_everything_it_was_given() {
    let j = Journal::new();
    let gibbs = j.store.get_template("gibbs").unwrap();
    let input = EntryInput {
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
            activities: Some("Hello song; shakers; lullaby".into()),
        }),
        ..entry(
            "Shakers and silence",
            "## Description\n\nWe began quietly.",
            "2026-03-04",
            &["#early years", "Shakers"],
        )
    };
    let created = j.store.create_entry(&input).unwrap();
    let read = j.store.get_entry(created.id).unwrap();
    assert_eq!(read, created);
    assert_eq!(read.tags, vec!["early-years", "Shakers"]);
    assert_eq!(read.session.unwrap().participants, Some(9));
    assert_eq!(read.template_id, Some(gibbs.id));
    assert_eq!(read.occurred_on.to_string(), "2026-03-04");
    assert_eq!(created.id.get_version_num(), 7);
}

#[test]
fn invalid_fields_are_refused_with_the_field_named_and_nothing_written() {
    let j = Journal::new();
    let cases = [
        (
            EntryInput {
                title: "x".repeat(400),
                ..EntryInput::default()
            },
            "title",
        ),
        (
            EntryInput {
                tags: vec!["  #  ".into()],
                ..EntryInput::default()
            },
            "tag",
        ),
        (
            EntryInput {
                body: "a\0b".into(),
                ..EntryInput::default()
            },
            "body",
        ),
        (
            EntryInput {
                session: Some(SessionFacts {
                    duration_minutes: Some(5000),
                    ..Default::default()
                }),
                ..EntryInput::default()
            },
            "session.duration_minutes",
        ),
    ];
    for (input, field) in cases {
        match j.store.create_entry(&input) {
            Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
    assert_eq!(j.store.count_entries(&EntryFilter::default()).unwrap(), 0);
}

#[test]
fn an_untitled_entry_takes_its_title_from_the_first_line() {
    let j = Journal::new();
    let e = j
        .store
        .create_entry(&EntryInput {
            body: "## What happened\nA lot.".into(),
            ..EntryInput::default()
        })
        .unwrap();
    assert_eq!(e.title, "What happened");
}

#[test]
fn updating_keeps_id_and_creation_time_and_moves_updated_at_forward() {
    let j = Journal::new();
    let e = j
        .store
        .create_entry(&entry("First", "one", "2026-01-01", &["a"]))
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let u = j
        .store
        .update_entry(e.id, &entry("Second", "two", "2026-01-02", &["b"]))
        .unwrap();
    assert_eq!(u.id, e.id);
    assert_eq!(u.created_at, e.created_at);
    assert!(u.updated_at > e.updated_at);
    assert_eq!(u.tags, vec!["b"]);
    let tags: Vec<_> = j
        .store
        .list_tags()
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(tags, vec!["b"], "a tag nothing carries is dropped");
}

#[test]
fn trash_hides_an_entry_restore_brings_it_back_and_purge_erases_it() {
    let j = Journal::new();
    let e = j
        .store
        .create_entry(&entry("Gone soon", "text", "2026-01-01", &[]))
        .unwrap();
    j.store.trash_entry(e.id).unwrap();
    assert_eq!(j.store.count_entries(&EntryFilter::default()).unwrap(), 0);
    let trash = j
        .store
        .list_entries(&EntryFilter {
            trash: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(trash.items.len(), 1);
    assert!(trash.items[0].deleted_at.is_some());
    j.store.restore_entry(e.id).unwrap();
    assert_eq!(j.store.count_entries(&EntryFilter::default()).unwrap(), 1);
    assert!(
        matches!(j.store.purge_entry(e.id), Err(Error::Invalid { .. })),
        "only trashed entries can be purged"
    );
    j.store.trash_entry(e.id).unwrap();
    j.store.purge_entry(e.id).unwrap();
    assert!(matches!(
        j.store.get_entry(e.id),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn the_timeline_pages_newest_first_without_gaps_or_repeats() {
    let j = Journal::new();
    for day in 1..=28 {
        for n in 0..3 {
            j.store
                .create_entry(&entry(
                    &format!("Day {day} #{n}"),
                    "b",
                    &format!("2026-02-{day:02}"),
                    &[],
                ))
                .unwrap();
        }
    }
    let mut seen = Vec::new();
    let mut filter = EntryFilter {
        limit: Some(10),
        ..Default::default()
    };
    loop {
        let page = j.store.list_entries(&filter).unwrap();
        seen.extend(page.items.iter().map(|s| (s.occurred_on, s.id)));
        match page.next {
            Some(next) => filter.cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 84);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted);
    sorted.dedup();
    assert_eq!(sorted.len(), 84);
}

#[test]
fn filters_by_tag_kind_template_relationship_and_dates_combine() {
    let j = Journal::new();
    let rolfe = j.store.get_template("rolfe").unwrap();
    let a = j
        .store
        .create_entry(&EntryInput {
            template_id: Some(rolfe.id),
            ..entry("A", "x", "2026-01-10", &["songs", "babies"])
        })
        .unwrap();
    j.store
        .create_entry(&entry("B", "x", "2026-01-20", &["songs"]))
        .unwrap();
    j.store
        .create_entry(&EntryInput {
            kind: EntryKind::QuickNote,
            ..entry("C", "x", "2026-02-01", &["Babies"])
        })
        .unwrap();
    let titles = |f: EntryFilter| -> Vec<String> {
        j.store
            .list_entries(&f)
            .unwrap()
            .items
            .into_iter()
            .map(|s| s.title)
            .collect()
    };
    assert_eq!(
        titles(EntryFilter {
            tags: vec!["songs".into()],
            ..Default::default()
        }),
        ["B", "A"]
    );
    assert_eq!(
        titles(EntryFilter {
            tags: vec!["songs".into(), "BABIES".into()],
            ..Default::default()
        }),
        ["A"]
    );
    assert_eq!(
        titles(EntryFilter {
            kind: Some(EntryKind::QuickNote),
            ..Default::default()
        }),
        ["C"]
    );
    assert_eq!(
        titles(EntryFilter {
            template: Some("rolfe".into()),
            ..Default::default()
        }),
        ["A"]
    );
    assert_eq!(
        titles(EntryFilter {
            since: Some("2026-01-15".parse().unwrap()),
            until: Some("2026-01-31".parse().unwrap()),
            ..Default::default()
        }),
        ["B"]
    );
    let p1 = j
        .store
        .create_person(&PersonInput {
            display_name: "Sam".into(),
            ..Default::default()
        })
        .unwrap();
    let p2 = j
        .store
        .create_person(&PersonInput {
            display_name: "Ali".into(),
            ..Default::default()
        })
        .unwrap();
    let rel = j
        .store
        .create_relationship(&RelationshipInput {
            kind: RelationshipKind::PeerPair,
            name: "Sam & Ali".into(),
            purpose: String::new(),
            started_on: None,
            ended_on: None,
            status: RelationshipStatus::Active,
            members: vec![
                Member {
                    person_id: p1.id,
                    role: Role::Peer,
                },
                Member {
                    person_id: p2.id,
                    role: Role::Peer,
                },
            ],
        })
        .unwrap();
    j.store
        .update_entry(
            a.id,
            &EntryInput {
                linked_relationships: vec![rel.id],
                ..EntryInput::from(&a)
            },
        )
        .unwrap();
    assert_eq!(
        titles(EntryFilter {
            relationship: Some(rel.id),
            ..Default::default()
        }),
        ["A"]
    );
    assert!(matches!(
        j.store.list_entries(&EntryFilter {
            since: Some("2026-02-01".parse().unwrap()),
            until: Some("2026-01-01".parse().unwrap()),
            ..Default::default()
        }),
        Err(Error::Invalid { .. })
    ));
}

#[test]
fn links_to_missing_records_are_refused() {
    let j = Journal::new();
    let missing = uuid::Uuid::now_v7();
    for input in [
        EntryInput {
            linked_entries: vec![missing],
            ..EntryInput::default()
        },
        EntryInput {
            linked_cpd: vec![missing],
            ..EntryInput::default()
        },
        EntryInput {
            template_id: Some(missing),
            ..EntryInput::default()
        },
    ] {
        assert!(matches!(
            j.store.create_entry(&input),
            Err(Error::NotFound { .. })
        ));
    }
    assert_eq!(j.store.count_entries(&EntryFilter::default()).unwrap(), 0);
}

#[test]
fn built_in_templates_are_installed_and_user_templates_can_be_copied_and_edited() {
    let j = Journal::new();
    let all = j.store.list_templates().unwrap();
    let keys: Vec<_> = all
        .iter()
        .filter(|t| t.builtin)
        .map(|t| t.key.as_str())
        .collect();
    for k in [
        "gibbs",
        "rolfe",
        "driscoll",
        "kolb",
        "johns",
        "brookfield",
        "schon",
        "music-session",
        "peer-observation",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    for t in all.iter().filter(|t| t.builtin) {
        assert!(
            !t.prompts.is_empty() && t.prompts.iter().all(|p| !p.guidance.is_empty()),
            "{} has a prompt without guidance",
            t.key
        );
    }
    let copy = j.store.copy_template("gibbs", Some("My Gibbs")).unwrap();
    assert!(!copy.builtin);
    assert_eq!(copy.key, "my-gibbs");
    let edited = j
        .store
        .update_template(
            copy.id,
            &TemplateInput {
                name: "My Gibbs".into(),
                description: String::new(),
                kind: EntryKind::Reflection,
                prompts: vec![Prompt {
                    heading: "What happened".into(),
                    guidance: vec![],
                }],
            },
        )
        .unwrap();
    assert_eq!(edited.prompts.len(), 1);
    let gibbs = j.store.get_template("gibbs").unwrap();
    assert!(matches!(
        j.store.update_template(
            gibbs.id,
            &TemplateInput {
                name: "x".into(),
                description: String::new(),
                kind: EntryKind::Reflection,
                prompts: gibbs.prompts.clone()
            }
        ),
        Err(Error::Invalid { .. })
    ));
    assert!(gibbs.scaffold().starts_with("## Description\n"));
}

#[test]
fn mentoring_relationships_check_their_roles_and_keep_sessions_and_actions() {
    let j = Journal::new();
    let me = j
        .store
        .set_owner(&PersonInput {
            display_name: "Jo".into(),
            ..Default::default()
        })
        .unwrap();
    let mentor = j
        .store
        .create_person(&PersonInput {
            display_name: "Kit".into(),
            ..Default::default()
        })
        .unwrap();
    let bad = RelationshipInput {
        kind: RelationshipKind::MentoringPair,
        name: "Pair".into(),
        purpose: String::new(),
        started_on: None,
        ended_on: None,
        status: RelationshipStatus::Active,
        members: vec![
            Member {
                person_id: me.id,
                role: Role::Peer,
            },
            Member {
                person_id: mentor.id,
                role: Role::Peer,
            },
        ],
    };
    assert!(matches!(
        j.store.create_relationship(&bad),
        Err(Error::Invalid { .. })
    ));
    let rel = j
        .store
        .create_relationship(&RelationshipInput {
            members: vec![
                Member {
                    person_id: me.id,
                    role: Role::Mentee,
                },
                Member {
                    person_id: mentor.id,
                    role: Role::Mentor,
                },
            ],
            ..bad
        })
        .unwrap();
    let session = j
        .store
        .create_session(&MentoringSessionInput {
            relationship_id: rel.id,
            held_on: "2026-05-01".parse().unwrap(),
            duration_minutes: Some(60),
            notes: "Talked about transitions.".into(),
            attendees: vec![me.id, mentor.id],
        })
        .unwrap();
    let action = j
        .store
        .create_action(&ActionInput {
            title: "Try a goodbye song".into(),
            detail: String::new(),
            owner_id: Some(me.id),
            due_on: Some("2026-05-15".parse().unwrap()),
            status: ActionStatus::Open,
            source: ActionSource::MentoringSession,
            source_entry_id: None,
            source_session_id: Some(session.id),
        })
        .unwrap();
    assert_eq!(j.store.list_sessions(Some(rel.id)).unwrap(), vec![session]);
    assert_eq!(j.store.list_actions().unwrap(), vec![action]);
    assert_eq!(j.store.owner().unwrap().unwrap().id, me.id);
    assert_eq!(
        j.store.list_people().unwrap()[0].id,
        me.id,
        "the owner is listed first"
    );
}

#[test]
fn cpd_summary_adds_hours_by_type_within_the_period() {
    let j = Journal::new();
    let cpd = |title: &str, t: CpdType, on: &str, hours: f64, part: f64| CpdInput {
        title: title.into(),
        activity_type: t,
        started_on: on.parse().unwrap(),
        ended_on: None,
        hours,
        participatory_hours: part,
        provider: None,
        description: String::new(),
        outcomes: String::new(),
        impact: String::new(),
        benefit: String::new(),
        evidence: String::new(),
        standards: vec![],
        tags: vec![],
        linked_entries: vec![],
    };
    j.store
        .create_cpd(&cpd("Day", CpdType::TrainingDay, "2026-01-10", 6.0, 5.0))
        .unwrap();
    j.store
        .create_cpd(&cpd("Webinar", CpdType::Webinar, "2026-02-10", 1.5, 0.0))
        .unwrap();
    j.store
        .create_cpd(&cpd("Day 2", CpdType::TrainingDay, "2026-03-10", 6.0, 6.0))
        .unwrap();
    j.store
        .create_cpd(&cpd("Old", CpdType::Reading, "2025-03-10", 2.0, 0.0))
        .unwrap();
    let s = j
        .store
        .cpd_summary("2026-01-01".parse().unwrap(), "2026-12-31".parse().unwrap())
        .unwrap();
    assert_eq!(s.activities, 3);
    assert_eq!(s.hours, 13.5);
    assert_eq!(s.participatory_hours, 11.0);
    assert_eq!(s.by_type[0].activity_type, CpdType::TrainingDay);
    assert_eq!(s.by_type[0].hours, 12.0);
    assert!(
        matches!(j.store.create_cpd(&cpd("Bad", CpdType::Other, "2026-01-01", 1.0, 2.0)), Err(Error::Invalid { field, .. }) if field == "participatory_hours")
    );
}

#[test]
fn attachments_are_stored_inside_the_journal_with_their_hash_and_a_size_limit() {
    let j = Journal::new();
    let e = j
        .store
        .create_entry(&entry("With audio", "x", "2026-01-01", &[]))
        .unwrap();
    let meta = j
        .store
        .add_attachment(
            AttachmentOwner::Entry(e.id),
            "../../etc/session.mp3",
            "audio/mpeg",
            b"ID3 fake audio",
        )
        .unwrap();
    assert_eq!(meta.file_name, "session.mp3", "a name is never a path");
    assert_eq!(meta.sha256, reprise::store::sha256_hex(b"ID3 fake audio"));
    let (m, data) = j.store.attachment_data(meta.id).unwrap();
    assert_eq!((m.size, data.as_slice()), (14, &b"ID3 fake audio"[..]));
    assert_eq!(j.store.get_entry(e.id).unwrap().attachments, vec![meta]);
    let big = vec![0u8; (MAX_ATTACHMENT_BYTES + 1) as usize];
    assert!(matches!(
        j.store
            .add_attachment(AttachmentOwner::Entry(e.id), "big.wav", "audio/wav", &big),
        Err(Error::TooLarge { .. })
    ));
    assert!(matches!(
        j.store
            .add_attachment(AttachmentOwner::Entry(e.id), "x", "not a type", b"x"),
        Err(Error::Invalid { .. })
    ));
}

#[test]
fn a_second_writer_works_beside_the_first_but_a_whole_journal_change_waits_for_it_to_go() {
    let j = Journal::new();
    j.store
        .create_entry(&entry("Hello", "x", "2026-01-01", &[]))
        .unwrap();
    // The command line beside the open app: both write, each sees the other's entries.
    let second = Store::open(j.path()).unwrap();
    second
        .create_entry(&entry("From the side", "y", "2026-01-02", &[]))
        .unwrap();
    assert_eq!(j.store.count_entries(&EntryFilter::default()).unwrap(), 2);
    let reader = Store::open_read_only(j.path()).unwrap();
    assert_eq!(reader.count_entries(&EntryFilter::default()).unwrap(), 2);
    // Something that needs the journal alone is refused while another writer has it open,
    // and runs once it has gone.
    assert!(matches!(second.alone(|| Ok(())), Err(Error::Busy { .. })));
    drop(second);
    j.store.alone(|| Ok(())).unwrap();
    // And afterwards it is shared again.
    Store::open(j.path()).unwrap();
}

#[test]
fn a_foreign_sqlite_file_or_a_non_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute("CREATE TABLE t (x)", []).unwrap();
    }
    let before = std::fs::read(&foreign).unwrap();
    assert!(matches!(
        Store::open(&foreign),
        Err(Error::NotAJournal { .. })
    ));
    assert_eq!(std::fs::read(&foreign).unwrap(), before);
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "x".repeat(5000)).unwrap();
    let err = Store::open(&text).unwrap_err();
    assert!(matches!(err, Error::NotAJournal { .. }), "{err:?}");
    assert_eq!(std::fs::read(&text).unwrap(), "x".repeat(5000).as_bytes());
}

#[test]
fn trashing_twice_or_restoring_a_live_entry_says_so_instead_of_pretending() {
    let j = Journal::new();
    let e = j
        .store
        .create_entry(&entry("Once", "x", "2026-01-01", &[]))
        .unwrap();
    assert!(matches!(
        j.store.restore_entry(e.id),
        Err(Error::Invalid { .. })
    ));
    j.store.trash_entry(e.id).unwrap();
    assert!(matches!(
        j.store.trash_entry(e.id),
        Err(Error::Invalid { .. })
    ));
}

#[test]
fn emptying_the_trash_erases_only_entries_trashed_long_enough_ago() {
    let j = Journal::new();
    let old = j
        .store
        .create_entry(&entry("Old", "x", "2026-01-01", &["gone"]))
        .unwrap();
    let keep = j
        .store
        .create_entry(&entry("Keep", "x", "2026-01-01", &[]))
        .unwrap();
    j.store.trash_entry(old.id).unwrap();
    let counts = j.store.list_tags().unwrap();
    assert_eq!(
        (counts[0].name.as_str(), counts[0].entries),
        ("gone", 0),
        "trashed entries are not counted"
    );
    assert_eq!(
        j.store.empty_trash(30).unwrap(),
        0,
        "trashed just now: kept for 30 days"
    );
    assert_eq!(j.store.empty_trash(0).unwrap(), 1);
    assert!(matches!(
        j.store.get_entry(old.id),
        Err(Error::NotFound { .. })
    ));
    assert!(j.store.get_entry(keep.id).is_ok());
    assert!(
        j.store.list_tags().unwrap().is_empty(),
        "its tag went with it"
    );
}

#[test]
fn a_local_edit_is_always_newer_than_the_copy_it_replaces_even_if_the_clock_went_back() {
    let j = Journal::new();
    let e = j
        .store
        .create_entry(&entry("Clock", "x", "2026-01-01", &[]))
        .unwrap();
    // Pretend the entry came from a machine whose clock ran an hour ahead.
    let ahead = e.updated_at + chrono::Duration::hours(1);
    {
        let c = rusqlite::Connection::open(j.path()).unwrap();
        c.execute(
            "UPDATE entries SET updated_at = ?1",
            [reprise::model::format_ts(&ahead)],
        )
        .unwrap();
    }
    let u = j
        .store
        .update_entry(e.id, &entry("Clock", "edited", "2026-01-01", &[]))
        .unwrap();
    assert!(u.updated_at > ahead);
}

#[test]
fn control_characters_and_five_digit_years_are_refused() {
    let j = Journal::new();
    for body in ["\u{1b}]52;c;aGk=\u{7}", "a\u{2}b", "nul\0"] {
        assert!(
            matches!(j.store.create_entry(&EntryInput { body: body.into(), ..EntryInput::default() }), Err(Error::Invalid { field, .. }) if field == "body")
        );
    }
    assert!(j
        .store
        .create_entry(&EntryInput {
            body: "tabs\tand\r\nlines".into(),
            ..EntryInput::default()
        })
        .is_ok());
    let far = chrono::NaiveDate::from_ymd_opt(10000, 1, 1).unwrap();
    assert!(
        matches!(j.store.create_entry(&EntryInput { occurred_on: Some(far), ..EntryInput::default() }), Err(Error::Invalid { field, .. }) if field == "occurred_on")
    );
}

#[test]
fn drafts_are_kept_listed_and_forgotten_once_saved_into_their_entry() {
    let j = Journal::new();
    let e = j
        .store
        .create_entry(&entry("Draft me", "saved text", "2026-01-01", &[]))
        .unwrap();
    let typing = entry("Draft me", "saved text and more typing", "2026-01-01", &[]);
    j.store.save_draft(Some(e.id), "", &typing).unwrap();
    j.store
        .save_draft(
            None,
            "new-1",
            &entry("Brand new", "not created yet", "2026-01-02", &[]),
        )
        .unwrap();
    let drafts = j.store.list_drafts().unwrap();
    assert_eq!(drafts.len(), 2);
    let mine = drafts.iter().find(|d| d.entry_id == Some(e.id)).unwrap();
    assert!(mine.newer_than_entry);
    assert_eq!(mine.content.body, "saved text and more typing");
    assert!(drafts
        .iter()
        .any(|d| d.entry_id.is_none() && d.key == "new-1" && d.newer_than_entry));
    // Saving what the editor read after the draft was kept makes the draft redundant.
    j.store
        .save_from_editor(e.id, &typing, reprise::model::now(), None)
        .unwrap();
    assert!(j.store.draft_for(e.id).unwrap().is_none());
    j.store.discard_draft(None, "new-1").unwrap();
    assert!(j.store.list_drafts().unwrap().is_empty());
}

#[test]
fn a_draft_kept_after_the_editor_read_its_content_survives_the_save() {
    let j = Journal::new();
    let e = j
        .store
        .create_entry(&entry("Race", "a", "2026-01-01", &[]))
        .unwrap();
    let read_at = reprise::model::now() - chrono::Duration::seconds(5);
    j.store
        .save_draft(Some(e.id), "", &entry("Race", "a b c", "2026-01-01", &[]))
        .unwrap();
    j.store
        .save_from_editor(
            e.id,
            &entry("Race", "a b", "2026-01-01", &[]),
            read_at,
            None,
        )
        .unwrap();
    assert_eq!(
        j.store.draft_for(e.id).unwrap().unwrap().content.body,
        "a b c"
    );
}

#[test]
fn backups_are_pruned_to_the_newest_seven_and_never_another_journals() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("j.reprise")).unwrap();
    let other = dir
        .path()
        .join("backups")
        .join("j-old-20200101T000000.000Z-manual.reprise");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    std::fs::write(&other, b"another journal's backup").unwrap();
    for _ in 0..9 {
        store.backup("manual").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let names: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(other.exists(), "j-old's backup was pruned: {names:?}");
    assert_eq!(names.len(), 8, "{names:?}");
}

#[test]
fn people_sessions_relationships_and_actions_can_be_changed_and_deleted_safely() {
    let j = Journal::new();
    let me = j
        .store
        .set_owner(&PersonInput {
            display_name: "Jo".into(),
            ..Default::default()
        })
        .unwrap();
    let peer = j
        .store
        .create_person(&PersonInput {
            display_name: "Ash".into(),
            ..Default::default()
        })
        .unwrap();
    let loner = j
        .store
        .create_person(&PersonInput {
            display_name: "Lee".into(),
            ..Default::default()
        })
        .unwrap();
    let rel = j
        .store
        .create_relationship(&RelationshipInput {
            kind: RelationshipKind::PeerPair,
            name: "Jo & Ash".into(),
            purpose: String::new(),
            started_on: None,
            ended_on: None,
            status: RelationshipStatus::Active,
            members: vec![
                Member {
                    person_id: me.id,
                    role: Role::Peer,
                },
                Member {
                    person_id: peer.id,
                    role: Role::Peer,
                },
            ],
        })
        .unwrap();
    let session = j
        .store
        .create_session(&MentoringSessionInput {
            relationship_id: rel.id,
            held_on: "2026-04-01".parse().unwrap(),
            duration_minutes: None,
            notes: "first".into(),
            attendees: vec![me.id, peer.id],
        })
        .unwrap();
    let action = j
        .store
        .create_action(&ActionInput {
            title: "Share a song".into(),
            detail: String::new(),
            owner_id: Some(peer.id),
            due_on: None,
            status: ActionStatus::Open,
            source: ActionSource::MentoringSession,
            source_entry_id: None,
            source_session_id: Some(session.id),
        })
        .unwrap();
    let changed = j
        .store
        .update_session(
            session.id,
            &MentoringSessionInput {
                relationship_id: rel.id,
                held_on: "2026-04-02".parse().unwrap(),
                duration_minutes: Some(30),
                notes: "moved a day".into(),
                attendees: vec![me.id],
            },
        )
        .unwrap();
    assert_eq!(
        (changed.notes.as_str(), changed.attendees.len()),
        ("moved a day", 1)
    );
    assert!(
        matches!(j.store.delete_person(me.id), Err(Error::Invalid { .. })),
        "the owner stays"
    );
    assert!(
        matches!(j.store.delete_person(peer.id), Err(Error::Invalid { .. })),
        "still a member"
    );
    j.store.delete_person(loner.id).unwrap();
    j.store.delete_relationship(rel.id).unwrap();
    assert!(
        j.store.list_sessions(None).unwrap().is_empty(),
        "its sessions went with it"
    );
    let kept = &j.store.list_actions().unwrap()[0];
    assert_eq!(
        (kept.id, kept.source_session_id),
        (action.id, None),
        "the action keeps its text"
    );
    j.store.delete_person(peer.id).unwrap();
    assert_eq!(j.store.list_actions().unwrap()[0].owner_id, None);
    j.store.delete_action(action.id).unwrap();
    assert!(j.store.list_actions().unwrap().is_empty());
}

#[test]
fn a_new_entry_from_a_template_starts_with_one_heading_per_prompt_and_its_kind() {
    let j = Journal::new();
    let gibbs = j.store.get_template("gibbs").unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let input = EntryInput::starting(EntryKind::QuickNote, Some(&gibbs), day);
    assert_eq!(input.kind, gibbs.kind, "the template's kind wins");
    assert_eq!(input.template_id, Some(gibbs.id));
    assert_eq!(input.occurred_on, Some(day));
    let expected: String = gibbs
        .prompts
        .iter()
        .map(|p| format!("## {}\n\n\n", p.heading))
        .collect();
    assert_eq!(input.body, expected);
    assert!(!gibbs.prompts.is_empty());
}

#[test]
fn a_blank_session_record_starts_with_empty_session_facts_and_others_without() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let record = EntryInput::starting(EntryKind::SessionRecord, None, day);
    assert_eq!(record.session, Some(SessionFacts::default()));
    assert_eq!(record.body, "");
    let note = EntryInput::starting(EntryKind::QuickNote, None, day);
    assert_eq!(note.session, None);
    assert_eq!(note.template_id, None);
}

#[test]
fn a_saved_entry_s_row_has_the_excerpt_the_next_listing_shows() {
    let j = Journal::new();
    let body = format!(
        "## What?\n\nWe **sang** the [hello song](https://x.test).\n\n- one\n- two\n\n{}",
        "long words ".repeat(200)
    );
    let e = j
        .store
        .create_entry(&entry("Songs", &body, "2026-11-22", &[]))
        .unwrap();
    let saved = j.store.summarise(&e).unwrap();
    assert!(
        saved
            .excerpt
            .starts_with("What? We sang the hello song. one two"),
        "{}",
        saved.excerpt
    );
    assert!(!saved.excerpt.contains("**") && !saved.excerpt.contains("https"));
    let listed = j.store.list_entries(&EntryFilter::default()).unwrap();
    assert_eq!(listed.items[0], saved);
}

#[test]
fn two_templates_may_not_share_a_name_and_copies_are_numbered() {
    let j = Journal::new();
    let input = TemplateInput {
        name: "Circle time".into(),
        description: String::new(),
        kind: EntryKind::Reflection,
        prompts: vec![Prompt {
            heading: "What happened?".into(),
            guidance: vec![],
        }],
    };
    let first = j.store.create_template(&input).unwrap();
    let again = j.store.create_template(&TemplateInput {
        name: "circle TIME".into(),
        ..input.clone()
    });
    assert!(
        matches!(&again, Err(Error::Invalid { field, reason }) if field == "name" && reason.contains("already a template called")),
        "{again:?}"
    );
    let other = j
        .store
        .create_template(&TemplateInput {
            name: "Other".into(),
            ..input.clone()
        })
        .unwrap();
    assert!(j
        .store
        .update_template(
            other.id,
            &TemplateInput {
                name: "Circle time".into(),
                ..input.clone()
            }
        )
        .is_err());
    // Renaming a template to its own name is fine.
    j.store.update_template(first.id, &input).unwrap();
    let a = j.store.copy_template("gibbs", None).unwrap();
    let b = j.store.copy_template("gibbs", None).unwrap();
    assert_ne!(a.name, b.name);
    assert!(b.name.ends_with("(my copy 2)"), "{}", b.name);
}

#[test]
fn an_empty_file_is_not_attached_and_says_why() {
    let j = Journal::new();
    let e = j
        .store
        .create_entry(&entry("Rounds", "", "2026-11-22", &[]))
        .unwrap();
    let r = j
        .store
        .add_attachment(AttachmentOwner::Entry(e.id), "blank.wav", "audio/wav", &[]);
    assert!(
        matches!(&r, Err(Error::Invalid { reason, .. }) if reason.contains("blank.wav is empty (0 bytes)")),
        "{r:?}"
    );
    assert!(j.store.get_entry(e.id).unwrap().attachments.is_empty());
}

#[test]
fn tags_keep_emoji_and_any_script_and_are_one_tag_whatever_their_case() {
    let j = Journal::new();
    let e = j
        .store
        .create_entry(&entry(
            "Tags",
            "",
            "2026-11-22",
            &[
                "music therapy 🎵",
                "🎵",
                "Singing",
                "singing",
                "música",
                "音楽",
            ],
        ))
        .unwrap();
    assert_eq!(
        e.tags,
        ["music-therapy-🎵", "🎵", "Singing", "música", "音楽"]
    );
    let listed: Vec<String> = j
        .store
        .list_tags()
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert!(
        listed.contains(&"🎵".to_owned()) && !listed.contains(&"singing".to_owned()),
        "{listed:?}"
    );
}

#[test]
fn another_writer_s_commits_are_noticed_and_one_s_own_are_not() {
    let j = Journal::new();
    let before = j.store.outside_changes().unwrap();
    j.store
        .create_entry(&entry("Mine", "x", "2026-01-01", &[]))
        .unwrap();
    assert_eq!(
        j.store.outside_changes().unwrap(),
        before,
        "own writes do not count"
    );
    let other = Store::open(j.path()).unwrap();
    other
        .create_entry(&entry("Theirs", "y", "2026-01-02", &[]))
        .unwrap();
    assert_ne!(j.store.outside_changes().unwrap(), before);
}

#[test]
fn facts_with_nothing_filled_in_are_not_stored() {
    let j = Journal::new();
    let mut input = entry("Rounds", "", "2026-11-22", &[]);
    input.session = Some(SessionFacts {
        setting: Some("  ".into()),
        ..SessionFacts::default()
    });
    let e = j.store.create_entry(&input).unwrap();
    assert_eq!(j.store.get_entry(e.id).unwrap().session, None);
}

#[test]
fn an_editor_save_based_on_an_older_version_is_refused_and_writes_nothing() {
    let j = Journal::new();
    let e = j
        .store
        .create_entry(&entry("Mine", "first", "2026-01-01", &[]))
        .unwrap();
    // Someone else saves the entry after the editor loaded it.
    let other = j
        .store
        .update_entry(e.id, &entry("Theirs", "changed outside", "2026-01-01", &[]))
        .unwrap();
    let refused = j.store.save_from_editor(
        e.id,
        &entry("Mine", "typed here", "2026-01-01", &[]),
        reprise::model::now(),
        Some(e.updated_at),
    );
    assert!(matches!(refused, Err(Error::Changed { .. })), "{refused:?}");
    assert_eq!(j.store.get_entry(e.id).unwrap().title, "Theirs");
    // Based on what is there now, it saves.
    j.store
        .save_from_editor(
            e.id,
            &entry("Mine", "typed here", "2026-01-01", &[]),
            reprise::model::now(),
            Some(other.updated_at),
        )
        .unwrap();
    assert_eq!(j.store.get_entry(e.id).unwrap().title, "Mine");
}
