//! `reprise demo`, `reprise check` and `reprise stats`.

use super::output::{hours, kind_label};
use super::{journal_exists, CliError, CliResult, Ctx};
use chrono::{Datelike, NaiveDate};
use clap::Args;
use reprise::demo::DemoOptions;
use reprise::model::{ActionStatus, CpdSummary, EntryFilter, EntryKind};
use reprise::store::{opening_writes, CheckReport, OpeningWrites};
use reprise::Store;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `reprise demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many entries to write.
    #[arg(long, default_value_t = DemoOptions::default().entries)]
    entries: u32,
    /// The same seed gives the same journal.
    #[arg(long, default_value_t = DemoOptions::default().seed)]
    seed: u64,
    /// About how many words each entry has.
    #[arg(long, default_value_t = DemoOptions::default().words_per_entry)]
    words: u32,
    /// Add the sample even though the journal already has entries.
    #[arg(long)]
    force: bool,
}

pub fn demo(ctx: &mut Ctx, a: DemoArgs) -> CliResult {
    let store = ctx.write()?;
    let options = DemoOptions {
        entries: a.entries,
        seed: a.seed,
        words_per_entry: a.words,
        force: a.force,
    };
    let s = reprise::demo::fill(&store, &options).map_err(|e| match e {
        reprise::Error::Invalid { ref field, .. } if field == "journal" => {
            CliError::Failed(format!("{e}; pass --force to add the sample anyway"))
        }
        e => e.into(),
    })?;
    let path = store.path().display().to_string();
    ctx.out.either(&s, |out| {
        out.line(format!(
            "Filled {path} with a sample journal (seed {}):",
            s.seed
        ))?;
        let span = match (s.first_day, s.last_day) {
            (Some(a), Some(b)) => format!(", {a} to {b}"),
            _ => String::new(),
        };
        out.line(format!(
            "  {} entries ({} starred, {} linked to earlier ones){span}",
            s.entries, s.starred, s.entry_links
        ))?;
        out.line(format!(
            "  {} people, {} relationships, {} mentoring sessions, {} actions",
            s.people, s.relationships, s.mentoring_sessions, s.actions
        ))?;
        out.line(format!(
            "  {} CPD activities, {} tags",
            s.cpd_activities, s.tags
        ))
    })
}

#[derive(Serialize)]
struct CheckOutput<'a> {
    ok: bool,
    #[serde(flatten)]
    report: &'a CheckReport,
    search_index_checked: bool,
}

pub fn check(ctx: &mut Ctx) -> CliResult {
    if !journal_exists(&ctx.journal)? {
        return Err(ctx.missing());
    }
    // Opening a journal migrates it, or fills in a new one, so a journal that needs either is
    // reported instead: a check looks and never changes.
    let looked = opening_writes(&ctx.journal);
    let shown = ctx.journal.display();
    match looked {
        Some(OpeningWrites::Empty) => {
            return Err(CliError::Failed(format!(
                "{shown} is empty, not a journal yet; there is nothing to check"
            )))
        }
        Some(OpeningWrites::Migration { found }) => {
            return Err(CliError::Failed(format!(
            "the journal at {shown} needs migrating (schema {found}; this build uses {}), which \
                 check does not do; any other command (e.g. `reprise list`) or the desktop app \
                 migrates it after making a backup",
            reprise::store::schema::CURRENT_VERSION
        )))
        }
        _ => {}
    }
    // The search index can only be checked over a writable connection (FTS5's integrity check
    // is an INSERT), so take the lock when it is free — nothing is written — and otherwise
    // check the rest without disturbing the process that holds it. Opening for writing also
    // refreshes stale built-in templates, so then the index is left unchecked too.
    let (store, skipped) = if matches!(looked, Some(OpeningWrites::StaleTemplates)) {
        (
            ctx.read()?,
            Some("a newer Reprise's built-in templates are not installed yet"),
        )
    } else {
        match Store::open(&ctx.journal) {
            Ok(store) => (store, None),
            Err(reprise::Error::Busy { .. }) => (
                ctx.read()?,
                Some("the journal is open for writing in another process"),
            ),
            Err(e) => return Err(e.into()),
        }
    };
    let full = skipped.is_none();
    let report = store.check()?;
    let problems = report.integrity.len() + report.foreign_keys.len() + report.search_index.len();
    ctx.out.either(
        &CheckOutput {
            ok: report.is_ok(),
            report: &report,
            search_index_checked: full,
        },
        |out| {
            let sections = [
                ("integrity", &report.integrity, true),
                ("foreign keys", &report.foreign_keys, true),
                ("search index", &report.search_index, full),
            ];
            for (name, lines, checked) in sections {
                if !checked {
                    out.line(format!(
                        "{name}: not checked ({})",
                        skipped.unwrap_or_default()
                    ))?;
                } else if lines.is_empty() {
                    out.line(format!("{name}: ok"))?;
                } else {
                    out.line(format!("{name}: {} problem(s)", lines.len()))?;
                    for l in lines {
                        out.line(format!("    {l}"))?;
                    }
                }
            }
            Ok(())
        },
    )?;
    if problems > 0 {
        return Err(CliError::Failed(format!(
            "the journal at {} has {problems} problem(s); see above",
            store.path().display()
        )));
    }
    Ok(())
}

#[derive(Serialize)]
struct TemplateUse {
    key: String,
    name: String,
    entries: u64,
}

#[derive(Serialize)]
struct Stats {
    journal: PathBuf,
    file_bytes: u64,
    entries: u64,
    by_kind: BTreeMap<&'static str, u64>,
    starred: u64,
    trashed: u64,
    first_day: Option<NaiveDate>,
    last_day: Option<NaiveDate>,
    tags: usize,
    templates_used: Vec<TemplateUse>,
    cpd_this_year: CpdSummary,
    people: usize,
    relationships: usize,
    mentoring_sessions: usize,
    open_actions: usize,
}

pub fn stats(ctx: &mut Ctx) -> CliResult {
    let year = chrono::Local::now().date_naive().year();
    let (Some(jan), Some(dec)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(CliError::Failed(format!(
            "{year} is not a year this calendar knows"
        )));
    };
    let stats = match ctx.read_if_any()? {
        Some(store) => gather(&store, jan, dec)?,
        // The default location has no journal yet: all is nought, and nothing is created.
        None => Stats {
            journal: ctx.journal.clone(),
            file_bytes: 0,
            entries: 0,
            by_kind: EntryKind::ALL.iter().map(|k| (k.as_str(), 0)).collect(),
            starred: 0,
            trashed: 0,
            first_day: None,
            last_day: None,
            tags: 0,
            templates_used: Vec::new(),
            cpd_this_year: CpdSummary {
                since: jan,
                until: dec,
                by_type: Vec::new(),
                activities: 0,
                hours: 0.0,
                participatory_hours: 0.0,
            },
            people: 0,
            relationships: 0,
            mentoring_sessions: 0,
            open_actions: 0,
        },
    };
    let exists = stats.journal.is_file();
    ctx.out.either(&stats, |out| {
        let s = &stats;
        let size = if exists {
            size(s.file_bytes)
        } else {
            "not created yet".to_owned()
        };
        out.line(format!("Journal         {} ({size})", s.journal.display()))?;
        let kinds: Vec<String> = EntryKind::ALL
            .iter()
            .map(|k| {
                let n = s.by_kind.get(k.as_str()).copied().unwrap_or_default();
                format!("{n} {}", plural(kind_label(*k), n))
            })
            .collect();
        out.line(format!(
            "Entries         {} ({}); {} starred, {} in the trash",
            s.entries,
            kinds.join(", "),
            s.starred,
            s.trashed
        ))?;
        if let (Some(a), Some(b)) = (s.first_day, s.last_day) {
            out.line(format!("Dates           {a} to {b}"))?;
        }
        out.line(format!("Tags            {}", s.tags))?;
        let used: Vec<String> = s
            .templates_used
            .iter()
            .map(|t| format!("{} {}", t.key, t.entries))
            .collect();
        out.line(format!(
            "Templates used  {}",
            if used.is_empty() {
                "none".to_owned()
            } else {
                used.join(", ")
            }
        ))?;
        let c = &s.cpd_this_year;
        out.line(format!(
            "CPD in {year}     {} hours ({} participatory) over {} {}",
            hours(c.hours),
            hours(c.participatory_hours),
            c.activities,
            if c.activities == 1 {
                "activity"
            } else {
                "activities"
            }
        ))?;
        out.line(format!("People          {}", s.people))?;
        out.line(format!(
            "Relationships   {} ({} session notes, {} open actions)",
            s.relationships, s.mentoring_sessions, s.open_actions
        ))
    })
}

/// The figures `stats` prints, for the calendar year from `jan` to `dec`.
fn gather(store: &Store, jan: NaiveDate, dec: NaiveDate) -> CliResult<Stats> {
    let live = EntryFilter::default();
    let count = |f: &EntryFilter| store.count_entries(f);
    let mut by_kind = BTreeMap::new();
    for kind in EntryKind::ALL {
        by_kind.insert(
            kind.as_str(),
            count(&EntryFilter {
                kind: Some(*kind),
                ..EntryFilter::default()
            })?,
        );
    }
    let mut templates_used = Vec::new();
    for t in store.list_templates()? {
        let n = count(&EntryFilter {
            template: Some(t.id.to_string()),
            ..EntryFilter::default()
        })?;
        if n > 0 {
            templates_used.push(TemplateUse {
                key: t.key,
                name: t.name,
                entries: n,
            });
        }
    }
    templates_used.sort_by(|a, b| b.entries.cmp(&a.entries).then_with(|| a.key.cmp(&b.key)));
    let last_day = store
        .list_entries(&EntryFilter {
            limit: Some(1),
            ..EntryFilter::default()
        })?
        .items
        .first()
        .map(|e| e.occurred_on);
    Ok(Stats {
        journal: store.path().to_path_buf(),
        file_bytes: file_bytes(store.path()),
        entries: count(&live)?,
        by_kind,
        starred: count(&EntryFilter {
            starred: true,
            ..EntryFilter::default()
        })?,
        trashed: count(&EntryFilter {
            trash: true,
            ..EntryFilter::default()
        })?,
        first_day: match last_day {
            Some(last) => Some(first_day(store, last)?),
            None => None,
        },
        last_day,
        tags: store
            .list_tags()?
            .iter()
            .filter(|t| t.entries + t.cpd > 0)
            .count(),
        templates_used,
        cpd_this_year: store.cpd_summary(jan, dec)?,
        people: store.list_people()?.len(),
        relationships: store.list_relationships()?.len(),
        mentoring_sessions: store.list_sessions(None)?.len(),
        open_actions: store
            .list_actions()?
            .iter()
            .filter(|a| matches!(a.status, ActionStatus::Open | ActionStatus::InProgress))
            .count(),
    })
}

/// The earliest day an entry is about.
///
/// The store lists newest first only; counting entries up to a day is an index range scan, so
/// a binary search over days finds the first in about twenty cheap counts.
fn first_day(store: &Store, last: NaiveDate) -> CliResult<NaiveDate> {
    let (mut lo, mut hi) = (NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(last), last);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let any = store.count_entries(&EntryFilter {
            until: Some(mid),
            ..EntryFilter::default()
        })? > 0;
        if any {
            hi = mid;
        } else {
            lo = mid.succ_opt().unwrap_or(hi);
        }
    }
    Ok(lo)
}

/// The journal's size on disk, with its write-ahead log.
fn file_bytes(path: &Path) -> u64 {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    [path.to_path_buf(), PathBuf::from(wal)]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

use reprise::model::human_size as size;

fn plural(label: &str, n: u64) -> String {
    if n == 1 {
        label.to_owned()
    } else {
        format!("{label}s")
    }
}
