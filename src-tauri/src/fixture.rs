//! The sample journal the UI's browser preview and its component tests are fed, as the core
//! wrote, listed, rendered and searched it: `ui/src/ipc/fixture.json`.
//!
//! The preview answers from this file rather than re-implementing the core's rules, so what
//! it shows (excerpts, template names, rendered Markdown, search snippets, error messages) is
//! what the app shows. Ids and timestamps are replaced by stable ones so the file only changes
//! when the core's answers do; `make bindings` rewrites it with the bindings.

use crate::error::IpcError;
use reprise::exchange::{ExportSummary, Format, FormatInfo, ImportReport};
use reprise::model::{
    Entry, EntryFilter, EntryInput, EntryKind, EntrySummary, Page, Person, PersonInput,
    SessionFacts, Template,
};
use reprise::search::{SearchHit, SearchRequest};
use reprise::store::{Draft, TagCount};
use reprise::Store;
use serde::Serialize;
use std::collections::BTreeMap;

/// The day the sample is written on and new entries start on.
const TODAY: &str = "2026-11-20";

/// One listing the preview can answer: the filter (cursor and limit left out) and the core's
/// page and count for it.
#[derive(Serialize)]
struct Listing {
    filter: EntryFilter,
    page: Page<EntrySummary>,
    count: u64,
}

/// One search the preview can answer.
#[derive(Serialize)]
struct Search {
    query: String,
    page: Page<SearchHit>,
}

#[derive(Serialize)]
struct Fixture {
    today: &'static str,
    owner: Person,
    templates: Vec<Template>,
    tags: Vec<TagCount>,
    formats: Vec<FormatInfo>,
    entries: Vec<Entry>,
    html: BTreeMap<String, String>,
    listings: Vec<Listing>,
    searches: Vec<Search>,
    starts: BTreeMap<String, EntryInput>,
    drafts: Vec<Draft>,
    errors: BTreeMap<&'static str, IpcError>,
    export: ExportSummary,
    import: ImportReport,
    limits: reprise::model::Limits,
}

/// The sample's entries: (day, kind, template key, title, body, tags, starred).
type Sample = (
    &'static str,
    EntryKind,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static [&'static str],
    bool,
);

const SAMPLE: &[Sample] = &[
    ("2026-11-20", EntryKind::Reflection, Some("gibbs"), "Rhythm circle with the toddler group",
     "## Description\n\nNine children and their carers; we passed the **shaker eggs** round the circle.\n\n## Feelings\n\nNervous at first, then relieved when the quietest child joined in.\n\n## Action plan\n\n- Start with the hello song again\n- Bring the big drum",
     &["early-years", "percussion"], true),
    ("2026-11-19", EntryKind::SessionRecord, None, "Sunflower Nursery, Thursday",
     "Hello song, shakers, goodbye song. Two new children; one stayed on a carer's lap throughout.",
     &["early-years", "singing"], false),
    ("2026-11-18", EntryKind::Reflection, Some("rolfe"), "Year 8 samba — losing the room",
     "## What?\n\nThe surdo group drifted and the *caixa* players stopped listening.\n\n## So what?\n\nI talked for too long before we played.\n\n## Now what?\n\nCount in and play within the first minute.",
     &["ks3", "behaviour", "percussion"], false),
    ("2026-11-17", EntryKind::QuickNote, Some("schon"), "Quiet child joined in on the drum",
     "## The moment\n\nI stopped the song and handed the drum over; she kept a steady beat for the goodbye song.",
     &["inclusion", "send"], true),
    ("2026-11-14", EntryKind::Reflection, None, "Peer observation debrief",
     "Alex noticed that I look at the carers more than the children. Worth trying: sit at the children's height.\n\nSee the [observation guide](https://example.org/guide).",
     &["mentoring"], false),
    ("2026-11-12", EntryKind::QuickNote, None, "Lullabies with the baby room",
     "Humming worked better than words today. `Twinkle` twice, then silence.",
     &["early-years", "singing"], false),
    ("2026-11-10", EntryKind::Reflection, None, "Improvising with the looked-after children group",
     "We built a piece from one child's clapping pattern. Everyone had a turn leading.",
     &["improvisation", "inclusion"], false),
    ("2026-11-06", EntryKind::Reflection, None, "Working with a new teaching assistant",
     "We agreed she would sit beside the two children who find the circle hard.",
     &["send", "behaviour"], false),
];

fn write_sample(store: &Store) -> Vec<Entry> {
    SAMPLE
        .iter()
        .map(|&(day, kind, template, title, body, tags, starred)| {
            let template_id = template.map(|key| store.get_template(key).expect("template").id);
            store
                .create_entry(&EntryInput {
                    kind,
                    title: title.to_owned(),
                    body: body.to_owned(),
                    occurred_on: Some(day.parse().expect("day")),
                    template_id,
                    starred,
                    tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                    session: (kind == EntryKind::SessionRecord).then(|| SessionFacts {
                        setting: Some("Sunflower Nursery".into()),
                        group: Some("Toddlers".into()),
                        age_range: Some("2–3".into()),
                        participants: Some(9),
                        duration_minutes: Some(40),
                        activities: Some("Hello song, shakers, goodbye song".into()),
                    }),
                    ..EntryInput::default()
                })
                .expect("sample entry")
        })
        .collect()
}

/// An export of `store` to Reprise JSON and its import into an empty journal, with the paths
/// a person's machine would show.
fn exchange(store: &Store) -> (ExportSummary, ImportReport) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("export.json");
    let mut export = Format::RepriseJson
        .export(store, &file, &mut |_| {})
        .expect("export");
    export.path = "/home/sam/Documents/reprise-export.json".into();
    export.summary = export.sentence();
    let other = Store::open(dir.path().join("other.reprise")).expect("journal");
    let mut import = Format::RepriseJson
        .import(&other, &file, &mut |_| {})
        .expect("import");
    import.backup = Some("/home/sam/.local/share/reprise/backups/before-import.reprise".into());
    import.summary = import.sentence();
    (export, import)
}

fn fixture(store: &Store) -> Fixture {
    let owner = store
        .set_owner(&PersonInput {
            display_name: "Sam Taylor".into(),
            role_words: Some("Early-years music leader".into()),
            ..PersonInput::default()
        })
        .expect("owner");
    let written = write_sample(store);
    let trashed = store
        .create_entry(&EntryInput {
            kind: EntryKind::QuickNote,
            title: "A note sent to the trash".into(),
            body: "Written on the wrong day.".into(),
            occurred_on: Some("2026-11-01".parse().expect("day")),
            ..EntryInput::default()
        })
        .expect("entry");
    store.trash_entry(trashed.id).expect("trash");
    let templates = store.list_templates().expect("templates");
    let tags = store.list_tags().expect("tags");

    let mut filters = vec![
        EntryFilter::default(),
        EntryFilter {
            trash: true,
            ..EntryFilter::default()
        },
        EntryFilter {
            starred: true,
            ..EntryFilter::default()
        },
    ];
    for kind in [
        EntryKind::Reflection,
        EntryKind::QuickNote,
        EntryKind::SessionRecord,
    ] {
        filters.push(EntryFilter {
            kind: Some(kind),
            ..EntryFilter::default()
        });
    }
    for tag in &tags {
        filters.push(EntryFilter {
            tags: vec![tag.name.clone()],
            ..EntryFilter::default()
        });
    }
    let listings = filters
        .into_iter()
        .map(|filter| Listing {
            page: store.list_entries(&filter).expect("listing"),
            count: store.count_entries(&filter).expect("count"),
            filter,
        })
        .collect();

    let searches = ["drum", "singing", "children", "song"]
        .into_iter()
        .map(|query| Search {
            query: query.to_owned(),
            page: store
                .search(&SearchRequest {
                    query: query.to_owned(),
                    ..SearchRequest::default()
                })
                .expect("search"),
        })
        .collect();

    let today = TODAY.parse().expect("today");
    let mut starts = BTreeMap::new();
    for kind in [
        EntryKind::Reflection,
        EntryKind::QuickNote,
        EntryKind::SessionRecord,
    ] {
        starts.insert(
            serde_json::to_value(kind)
                .expect("kind")
                .as_str()
                .expect("name")
                .to_owned(),
            EntryInput::starting(kind, None, today),
        );
    }
    for t in &templates {
        starts.insert(
            t.id.to_string(),
            EntryInput::starting(t.kind, Some(t), today),
        );
    }

    let first = &written[0];
    let mut typed = EntryInput::from(first);
    typed
        .body
        .push_str("\n\nA last thought typed just before the app closed.");
    store.save_draft(Some(first.id), "", &typed).expect("draft");
    store
        .save_draft(
            None,
            "preview",
            &EntryInput {
                kind: EntryKind::QuickNote,
                body: "The quiet child hummed along to the *goodbye song*.".into(),
                occurred_on: Some(today),
                ..EntryInput::default()
            },
        )
        .expect("draft");

    let mut errors = BTreeMap::new();
    let refused = |e: reprise::Error| IpcError::from(e);
    errors.insert(
        "empty_name",
        refused(
            store
                .set_owner(&PersonInput::default())
                .expect_err("an empty name is refused"),
        ),
    );
    errors.insert(
        "unfinished_query",
        refused(
            store
                .search(&SearchRequest {
                    query: "\"unfinished".into(),
                    ..SearchRequest::default()
                })
                .expect_err("an unbalanced quote is refused"),
        ),
    );
    errors.insert(
        "too_many_participants",
        refused(
            store
                .create_entry(&EntryInput {
                    kind: EntryKind::SessionRecord,
                    session: Some(SessionFacts {
                        participants: Some(200_000),
                        ..SessionFacts::default()
                    }),
                    ..EntryInput::default()
                })
                .expect_err("too many participants are refused"),
        ),
    );

    // Both drafts are kept in the same instant, so their order is the key's.
    let mut drafts = store.list_drafts().expect("drafts");
    drafts.sort_by_key(|d| d.entry_id.is_none());
    let mut entries: Vec<Entry> = written
        .iter()
        .chain(std::iter::once(&trashed))
        .map(|e| store.get_entry(e.id).expect("entry"))
        .collect();
    entries.sort_by(|a, b| (a.occurred_on, &a.title).cmp(&(b.occurred_on, &b.title)));
    let html = entries
        .iter()
        .map(|e| {
            let html = store.entry_html(&EntryInput::from(e)).expect("html");
            (e.id.to_string(), html)
        })
        .collect();
    let (export, import) = exchange(store);
    Fixture {
        export,
        import,
        limits: reprise::model::Limits::current(),
        today: TODAY,
        owner,
        templates,
        tags,
        formats: Format::ALL.iter().map(|f| f.info()).collect(),
        entries,
        html,
        listings,
        searches,
        starts,
        drafts,
        errors,
    }
}

/// The fixture as JSON, with every id the journal made and every timestamp replaced by a
/// stable one, in the order they first appear (built-in templates keep their fixed ids).
fn stable_json(fixture: &Fixture, builtin: &[uuid::Uuid]) -> String {
    struct Stable<'b> {
        builtin: &'b [uuid::Uuid],
        ids: Vec<uuid::Uuid>,
    }
    impl Stable<'_> {
        fn text(&mut self, s: &str) -> String {
            if let Ok(id) = uuid::Uuid::parse_str(s) {
                if s.len() == 36 && !self.builtin.contains(&id) {
                    let n = match self.ids.iter().position(|x| *x == id) {
                        Some(n) => n,
                        None => {
                            self.ids.push(id);
                            self.ids.len() - 1
                        }
                    };
                    return format!("019a0000-0000-7000-8000-{:012x}", n + 1);
                }
            }
            if s.contains('T') && chrono::DateTime::parse_from_rfc3339(s).is_ok() {
                return "2026-11-20T09:00:00Z".to_owned();
            }
            s.to_owned()
        }
        fn value(&mut self, v: serde_json::Value) -> serde_json::Value {
            use serde_json::Value;
            match v {
                Value::String(s) => Value::String(self.text(&s)),
                Value::Array(a) => Value::Array(a.into_iter().map(|x| self.value(x)).collect()),
                Value::Object(o) => Value::Object(
                    o.into_iter()
                        .map(|(k, x)| (self.text(&k), self.value(x)))
                        .collect(),
                ),
                other => other,
            }
        }
    }
    let value = serde_json::to_value(fixture).expect("fixture");
    let stable = Stable {
        builtin,
        ids: Vec::new(),
    }
    .value(value);
    let mut text = serde_json::to_string_pretty(&stable).expect("fixture");
    text.push('\n');
    text
}

#[test]
fn the_ui_fixture_is_what_the_core_answers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("fixture.reprise")).expect("journal");
    let builtin: Vec<uuid::Uuid> = reprise::store::builtin_templates()
        .expect("templates")
        .iter()
        .map(|t| t.id)
        .collect();
    let generated = stable_json(&fixture(&store), &builtin);
    crate::check_generated("src/ipc/fixture.json", &generated);
}
