//! Full-text search: ranking, snippets, prefixes, phrases, filters, paging, and errors.

use crate::support::{entry, Journal};
use reprise::model::{CpdInput, CpdType, EntryFilter, EntryInput, EntryKind};
use reprise::search::{SearchOrder, SearchRequest};
use reprise::Error;

fn req(q: &str) -> SearchRequest {
    SearchRequest {
        query: q.into(),
        ..Default::default()
    }
}

fn titles(j: &Journal, r: &SearchRequest) -> Vec<String> {
    j.store
        .search(r)
        .unwrap()
        .items
        .into_iter()
        .map(|h| h.entry.title)
        .collect()
}

fn journal() -> Journal {
    let j = Journal::new();
    j.store
        .create_entry(&entry(
            "Lullabies at bedtime",
            "The babies settled when we hummed a lullaby together.",
            "2026-01-05",
            &["early-years"],
        ))
        .unwrap();
    j.store
        .create_entry(&entry(
            "Drumming circle",
            "Year 8 kept a steady pulse; call and response worked well.",
            "2026-01-12",
            &["ks3", "percussion"],
        ))
        .unwrap();
    j.store
        .create_entry(&entry(
            "Transitions",
            "Moving between activities was hard. Next time a goodbye song, not a lullaby.",
            "2026-02-01",
            &["early-years", "transitions"],
        ))
        .unwrap();
    j.store
        .create_entry(&EntryInput {
            kind: EntryKind::QuickNote,
            ..entry(
                "Quick thought",
                "Call and response again: the quiet ones joined in.",
                "2026-02-03",
                &["ks3"],
            )
        })
        .unwrap();
    j
}

#[test]
fn a_word_in_the_body_is_found_with_it_highlighted_in_the_snippet() {
    let j = journal();
    let page = j.store.search(&req("pulse")).unwrap();
    assert_eq!(page.items.len(), 1);
    let hit = &page.items[0];
    assert_eq!(hit.entry.title, "Drumming circle");
    assert!(
        hit.snippet_html.contains("<mark>pulse</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(hit.snippet_text.contains("**pulse**"));
}

#[test]
fn a_title_match_ranks_above_a_body_match() {
    let j = journal();
    assert_eq!(
        titles(&j, &req("lullaby OR lullabies")),
        ["Lullabies at bedtime", "Transitions"]
    );
    let hit = &j.store.search(&req("lullabies")).unwrap().items[0];
    assert_eq!(hit.title_html, "<mark>Lullabies</mark> at bedtime");
}

#[test]
fn prefixes_phrases_exclusions_and_type_ahead_work() {
    let j = journal();
    assert_eq!(titles(&j, &req("drum*")), ["Drumming circle"]);
    assert_eq!(
        titles(
            &j,
            &SearchRequest {
                prefix_last: true,
                ..req("drumm")
            }
        ),
        ["Drumming circle"]
    );
    let mut phrase = titles(&j, &req("\"call and response\""));
    phrase.sort();
    assert_eq!(phrase, ["Drumming circle", "Quick thought"]);
    assert_eq!(
        titles(&j, &req("\"call and response\" -quiet")),
        ["Drumming circle"]
    );
    assert!(titles(&j, &req("\"response and call\"")).is_empty());
}

#[test]
fn tags_are_searchable_and_filters_narrow_results() {
    let j = journal();
    let mut by_tag = titles(&j, &req("transitions"));
    by_tag.sort();
    assert_eq!(by_tag, ["Transitions"]);
    let filtered = SearchRequest {
        filter: EntryFilter {
            tags: vec!["ks3".into()],
            kind: Some(EntryKind::QuickNote),
            ..Default::default()
        },
        ..req("response")
    };
    assert_eq!(titles(&j, &filtered), ["Quick thought"]);
    let dated = SearchRequest {
        filter: EntryFilter {
            until: Some("2026-01-31".parse().unwrap()),
            ..Default::default()
        },
        ..req("lullaby OR lullabies")
    };
    assert_eq!(titles(&j, &dated), ["Lullabies at bedtime"]);
    assert_eq!(j.store.search_count(&req("call")).unwrap(), 2);
}

#[test]
fn trashed_entries_are_not_found_until_restored_and_edits_are_found_at_once() {
    let j = journal();
    let hit = j.store.search(&req("pulse")).unwrap().items[0].entry.id;
    j.store.trash_entry(hit).unwrap();
    assert!(titles(&j, &req("pulse")).is_empty());
    j.store.restore_entry(hit).unwrap();
    let e = j.store.get_entry(hit).unwrap();
    j.store
        .update_entry(
            hit,
            &EntryInput {
                body: "Now about glockenspiels.".into(),
                ..EntryInput::from(&e)
            },
        )
        .unwrap();
    assert!(
        titles(&j, &req("pulse")).is_empty(),
        "the old words left the index"
    );
    assert_eq!(titles(&j, &req("glockenspiels")), ["Drumming circle"]);
}

#[test]
fn pages_of_results_cover_every_match_once_in_both_orders() {
    let j = Journal::new();
    for n in 0..45 {
        let body = format!("singing {}", "warm up ".repeat(n % 7 + 1));
        j.store
            .create_entry(&entry(
                &format!("E{n}"),
                &body,
                &format!("2026-01-{:02}", n % 28 + 1),
                &[],
            ))
            .unwrap();
    }
    for order in [SearchOrder::Relevance, SearchOrder::Newest] {
        let mut r = SearchRequest {
            order,
            filter: EntryFilter {
                limit: Some(10),
                ..Default::default()
            },
            ..req("singing")
        };
        let mut seen = Vec::new();
        loop {
            let page = j.store.search(&r).unwrap();
            seen.extend(page.items.iter().map(|h| h.entry.id));
            match page.next {
                Some(n) => r.filter.cursor = Some(n),
                None => break,
            }
        }
        let total = seen.len();
        seen.sort();
        seen.dedup();
        assert_eq!((total, seen.len()), (45, 45), "{order:?}");
    }
}

#[test]
fn an_unfiltered_first_page_is_ranked_exactly_as_a_filtered_one() {
    // The first page of a search without filters is ranked in the full-text index alone; a
    // filter that keeps every entry takes the general query. Here ten entries tie in each of
    // three scores, so ties straddle every page's end, and some of the best are in the trash.
    // Among equal matches the entry added last comes first.
    let j = Journal::new();
    let mut all = Vec::new();
    for n in 0..30 {
        let body = format!("choir {}", "breath ".repeat(n % 3 + 1));
        let e = j
            .store
            .create_entry(&entry(&format!("E{n}"), &body, "2026-01-01", &[]))
            .unwrap();
        all.push(e.id);
    }
    let trashed: Vec<_> = all.iter().copied().step_by(4).collect();
    for id in &trashed {
        j.store.trash_entry(*id).unwrap();
    }
    for limit in [1, 4, 7, 10, 12, 22, 30] {
        let plain = SearchRequest {
            filter: EntryFilter {
                limit: Some(limit),
                ..Default::default()
            },
            ..req("choir")
        };
        let everything = SearchRequest {
            filter: EntryFilter {
                since: chrono::NaiveDate::from_ymd_opt(1900, 1, 1),
                ..plain.filter.clone()
            },
            ..plain.clone()
        };
        let (a, b) = (
            j.store.search(&plain).unwrap(),
            j.store.search(&everything).unwrap(),
        );
        let ids = |p: &reprise::model::Page<reprise::search::SearchHit>| {
            p.items.iter().map(|h| h.entry.id).collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b), "limit {limit}");
        assert_eq!(a.next, b.next, "limit {limit}");
        assert_eq!(
            a.items.len(),
            (limit as usize).min(all.len() - trashed.len())
        );
        assert!(
            ids(&a).iter().all(|id| !trashed.contains(id)),
            "limit {limit}"
        );
    }
    let first = j.store.search(&req("choir")).unwrap().items;
    let (_, short_and_newest) = (all.iter().enumerate().rev())
        .find(|(n, id)| n % 3 == 0 && !trashed.contains(id))
        .unwrap();
    assert_eq!(
        first[0].entry.id, *short_and_newest,
        "the shortest bodies match best; of those, the newest first"
    );
}

#[test]
fn hostile_text_in_snippets_is_escaped() {
    let j = Journal::new();
    j.store
        .create_entry(&entry(
            "<img src=x onerror=alert(1)>",
            "before <script>alert('x')</script> marker after",
            "2026-01-01",
            &[],
        ))
        .unwrap();
    let hit = &j.store.search(&req("marker")).unwrap().items[0];
    assert!(
        !hit.snippet_html.contains("<script"),
        "{}",
        hit.snippet_html
    );
    assert!(hit.snippet_html.contains("&lt;script&gt;"));
    let by_title = &j.store.search(&req("onerror")).unwrap().items[0];
    assert!(
        by_title.title_html.starts_with("&lt;img"),
        "{}",
        by_title.title_html
    );
}

#[test]
fn malformed_queries_give_a_plain_error_not_an_sql_message() {
    let j = journal();
    for q in ["\"unclosed", "-only", "OR", "", "a OR"] {
        match j.store.search(&req(q)) {
            Err(Error::Query(msg)) => assert!(
                !msg.to_lowercase().contains("sql") && !msg.contains("fts5"),
                "{msg}"
            ),
            other => panic!("{q:?}: expected a query error, got {other:?}"),
        }
    }
    // FTS5 operators typed as text are just words.
    assert!(j
        .store
        .search(&req("NEAR(call response) AND col:x"))
        .is_ok());
    assert!(j.store.search(&req("* ^ : ( )")).is_err());
}

#[test]
fn cpd_text_is_searchable() {
    let j = Journal::new();
    j.store
        .create_cpd(&CpdInput {
            title: "Makaton signing course".into(),
            activity_type: CpdType::Course,
            started_on: "2026-03-01".parse().unwrap(),
            ended_on: None,
            hours: 6.0,
            participatory_hours: 4.0,
            provider: Some("Local hub".into()),
            description: String::new(),
            outcomes: "Signing alongside songs for non-verbal children".into(),
            impact: String::new(),
            benefit: String::new(),
            evidence: String::new(),
            standards: vec![],
            tags: vec![],
            linked_entries: vec![],
        })
        .unwrap();
    let hits = j.store.search_cpd("verbal", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(
        hits[0].snippet_html.contains("<mark>verbal</mark>"),
        "{}",
        hits[0].snippet_html
    );
}

#[test]
fn session_facts_are_searched_and_follow_edits() {
    let j = Journal::new();
    let mut input = entry("Circle time", "We sang the hello song.", "2026-02-02", &[]);
    input.session = Some(reprise::model::SessionFacts {
        setting: Some("Sunflower Nursery".into()),
        group: Some("Toddler room".into()),
        activities: Some("Shaker eggs, goodbye song".into()),
        ..Default::default()
    });
    let e = j.store.create_entry(&input).unwrap();
    assert_eq!(titles(&j, &req("sunflower")), ["Circle time"]);
    assert_eq!(titles(&j, &req("toddler room")), ["Circle time"]);
    assert_eq!(titles(&j, &req("shaker")), ["Circle time"]);
    // A hit in the facts alone shows the facts it matched, marked.
    let hit = &j.store.search(&req("toddler")).unwrap().items[0];
    assert!(
        hit.snippet_html.contains("<mark>Toddler</mark>"),
        "{}",
        hit.snippet_html
    );
    // A changed setting is found by its new name and no longer by the old one.
    input.session.as_mut().unwrap().setting = Some("Bluebell Children's Centre".into());
    j.store.update_entry(e.id, &input).unwrap();
    assert_eq!(titles(&j, &req("bluebell")), ["Circle time"]);
    assert!(titles(&j, &req("sunflower")).is_empty());
    assert!(j.store.check().unwrap().is_ok());
}

#[test]
fn facts_written_before_they_were_indexed_are_found_after_the_upgrade() {
    use reprise::store::schema;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.reprise");
    {
        let mut c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "application_id", reprise::store::APPLICATION_ID)
            .unwrap();
        schema::migrate_to(&mut c, 3).unwrap();
        c.execute(
            "INSERT INTO entries (id, kind, title, body, occurred_on, setting, group_name,
                                  tag_text, created_at, updated_at)
             VALUES ('0190a000-0000-7000-8000-000000000001', 'session_record', 'Thursday',
                     'Nine came.', '2024-05-06', 'Sunflower Nursery', 'Toddlers', '',
                     '2024-05-06T10:00:00.000Z', '2024-05-06T10:00:00.000Z')",
            [],
        )
        .unwrap();
    }
    let store = reprise::Store::open(&path).unwrap();
    let hits = store.search(&req("sunflower")).unwrap().items;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].entry.title, "Thursday");
    assert!(store.check().unwrap().is_ok());
}
