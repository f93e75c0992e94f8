//! A realistic sample journal, so that the app never opens empty and benchmarks have data.
//!
//! Everything is composed from small phrase banks: a few settings (a children's centre, a
//! nursery, a Year 8 class, a children's home, a hospital ward …), activities, the people in
//! them, and sentence patterns for each kind of prompt a reflection framework asks. The same
//! seed gives the same journal — titles, bodies, tags, dates relative to today, links — apart
//! from ids and timestamps, which the store assigns.
//!
//! The phrases are data, in `assets/sample/phrases.json`, like the built-in templates beside
//! them: the words are what someone improving the sample edits, and they read and diff better
//! as a file of text than as hundreds of lines of Rust tables. The file is compiled in, and
//! checked on first use and by a test (`phrases.rs`); the Rust only decides how the words are
//! drawn: `cast.rs` makes the people and relationships, `cpd.rs`, `mentoring.rs` and
//! `entries.rs` what they do, and `write.rs` fills patterns from a scene drawn at random.
//!
//! Entries go in through [`Store::create_entries`] in batches, one transaction each, so a
//! 50,000-entry benchmark journal takes seconds rather than one commit per entry.

mod cast;
mod cpd;
mod entries;
mod mentoring;
mod phrases;
mod write;

use crate::error::{Error, Result};
use crate::model::EntryFilter;
use crate::store::Store;
use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde::Serialize;

/// How big a sample to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// How many entries to write.
    pub entries: u32,
    /// The seed: the same seed gives the same journal (apart from ids and timestamps).
    pub seed: u64,
    /// Roughly how many words each entry's body has (quick notes are shorter, others longer,
    /// so that the average stays close to this).
    pub words_per_entry: u32,
    /// Add the sample even when the journal already has entries.
    pub force: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            entries: 300,
            seed: 2024,
            words_per_entry: 250,
            force: false,
        }
    }
}

/// What [`fill`] made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    /// The seed used.
    pub seed: u64,
    /// Entries written.
    pub entries: u32,
    /// Of those, starred.
    pub starred: u32,
    /// Links from one entry to another.
    pub entry_links: u32,
    /// People added, not counting the owner.
    pub people: u32,
    /// Relationships: a peer group, a mentoring pair and a peer pair.
    pub relationships: u32,
    /// Mentoring session notes.
    pub mentoring_sessions: u32,
    /// Actions, from sessions and from reflections.
    pub actions: u32,
    /// CPD activities.
    pub cpd_activities: u32,
    /// Distinct tags used.
    pub tags: u32,
    /// The earliest day an entry is about.
    pub first_day: Option<NaiveDate>,
    /// The latest day an entry is about.
    pub last_day: Option<NaiveDate>,
}

/// Most entries a sample may have.
const MAX_ENTRIES: u32 = 1_000_000;
/// Fewest and most words an entry may be asked to have.
const WORDS_RANGE: std::ops::RangeInclusive<u32> = 20..=20_000;
/// The sample covers this many days before today.
const SPAN_DAYS: i64 = 730;

/// Makes `store` the app's sample journal: fills it with the default sample when it has no
/// entries yet, and gives it the person's own profile, so that the sample reads as theirs.
///
/// # Errors
/// Any store error; [`Error::Invalid`] for a bad profile.
pub fn ensure_sample(store: &Store, profile: &crate::model::PersonInput) -> Result<()> {
    let existing = store.count_entries(&EntryFilter::default())?
        + store.count_entries(&EntryFilter {
            trash: true,
            ..EntryFilter::default()
        })?;
    if existing == 0 {
        fill(store, &DemoOptions::default())?;
    }
    if !profile.display_name.trim().is_empty() {
        store.set_owner(profile)?;
    }
    Ok(())
}

/// Fills `store` with a sample journal: an owner profile, people, a peer group, a mentoring
/// pair and a peer pair with session notes and actions, CPD activities of every type, and
/// `options.entries` entries over the two years before today.
///
/// # Errors
/// [`Error::Invalid`] when the journal already has entries and `options.force` is not set, or
/// when an option is out of range; any store error.
pub fn fill(store: &Store, options: &DemoOptions) -> Result<DemoSummary> {
    if options.entries > MAX_ENTRIES {
        return Err(Error::invalid(
            "entries",
            format!("{} is more than {MAX_ENTRIES}", options.entries),
        ));
    }
    if !WORDS_RANGE.contains(&options.words_per_entry) {
        return Err(Error::invalid(
            "words_per_entry",
            format!(
                "{} is not between {} and {}",
                options.words_per_entry,
                WORDS_RANGE.start(),
                WORDS_RANGE.end()
            ),
        ));
    }
    let existing = store.count_entries(&EntryFilter::default())?
        + store.count_entries(&EntryFilter {
            trash: true,
            ..EntryFilter::default()
        })?;
    if existing > 0 && !options.force {
        return Err(Error::invalid(
            "journal",
            format!("it already has {existing} entries, and the demo only fills an empty journal"),
        ));
    }

    let p = phrases::phrases()?;
    let mut rng = StdRng::seed_from_u64(options.seed);
    let today = chrono::Local::now().date_naive();
    let start = today - Duration::days(SPAN_DAYS);
    let cast = cast::make_people(store, p)?;
    let cpd = cpd::make_cpd(store, &mut rng, p, &cast, start, today)?;
    let (sessions, session_actions) = mentoring::make_mentoring(store, &mut rng, p, &cast, today)?;
    let written = entries::make_entries(store, &mut rng, p, options, &cast, &cpd, start)?;
    let reflection_actions =
        mentoring::make_reflection_actions(store, &mut rng, p, &cast, &written, today)?;

    Ok(DemoSummary {
        seed: options.seed,
        entries: options.entries,
        starred: written.starred,
        entry_links: written.links,
        people: cast.others.len() as u32,
        relationships: 3,
        mentoring_sessions: sessions,
        actions: session_actions + reflection_actions,
        cpd_activities: cpd.len() as u32,
        tags: written.tags.len() as u32,
        first_day: written.first_day,
        last_day: written.last_day,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("j.reprise")).unwrap();
        (dir, store)
    }

    fn small(seed: u64) -> DemoOptions {
        DemoOptions {
            entries: 30,
            seed,
            words_per_entry: 120,
            force: false,
        }
    }

    fn texts(store: &Store) -> Vec<(String, String, Vec<String>, NaiveDate)> {
        let page = store
            .list_entries(&EntryFilter {
                limit: Some(500),
                ..EntryFilter::default()
            })
            .unwrap();
        let mut out: Vec<_> = page
            .items
            .iter()
            .map(|s| {
                let e = store.get_entry(s.id).unwrap();
                (e.title, e.body, e.tags, e.occurred_on)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn the_same_seed_gives_the_same_journal() {
        let (_a, first) = journal();
        let (_b, second) = journal();
        fill(&first, &small(7)).unwrap();
        fill(&second, &small(7)).unwrap();
        assert_eq!(texts(&first), texts(&second));
        let (_c, third) = journal();
        fill(&third, &small(8)).unwrap();
        assert_ne!(texts(&first), texts(&third));
    }

    #[test]
    fn a_journal_with_entries_is_refused_unless_forced() {
        let (_dir, store) = journal();
        fill(&store, &small(1)).unwrap();
        let err = fill(&store, &small(1)).unwrap_err().to_string();
        assert!(err.contains("already has 30 entries"), "{err}");
        fill(
            &store,
            &DemoOptions {
                force: true,
                ..small(1)
            },
        )
        .unwrap();
        assert_eq!(store.count_entries(&EntryFilter::default()).unwrap(), 60);
    }

    #[test]
    fn bodies_follow_the_template_prompts_and_the_word_count() {
        let (_dir, store) = journal();
        let summary = fill(
            &store,
            &DemoOptions {
                entries: 40,
                seed: 3,
                words_per_entry: 300,
                force: false,
            },
        )
        .unwrap();
        assert_eq!(summary.cpd_activities, 25);
        assert_eq!(summary.mentoring_sessions, 12);
        let page = store
            .list_entries(&EntryFilter {
                limit: Some(100),
                ..EntryFilter::default()
            })
            .unwrap();
        let mut words = 0;
        for s in &page.items {
            let e = store.get_entry(s.id).unwrap();
            let template = store
                .get_template(&e.template_id.unwrap().to_string())
                .unwrap();
            for p in &template.prompts {
                assert!(
                    e.body.contains(&format!("## {}\n", p.heading)),
                    "{} lacks {}",
                    e.title,
                    p.heading
                );
            }
            assert!(!e.body.contains('{'), "unfilled slot in {:?}", e.body);
            words += e.body.split_whitespace().count();
        }
        let average = words / page.items.len();
        assert!((240..=380).contains(&average), "average {average} words");
    }
}
