//! The `reprise` command line: the clap definitions, the error a command can end in, and the
//! small parsers (days, kinds, tags) every command group shares.
//!
//! Each command group lives in its own file and does no more than turn arguments into calls on
//! the core and print the result through [`output`]; anything that needs a rule belongs in the
//! core, where the desktop app shares it.

mod admin;
mod cpd;
mod entries;
mod exchange;
mod mentoring;
mod output;
mod search;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use reprise::model::{CpdType, EntryKind, RelationshipKind};
use reprise::Store;
use std::fmt;
use std::path::{Path, PathBuf};

pub use output::Out;
pub use search::mark_exclusions;

/// Reprise: a private, offline journal for reflective practice, mentoring and CPD.
#[derive(Debug, Parser)]
#[command(name = "reprise", version, about, max_term_width = 100)]
pub struct Cli {
    /// The journal file [default: the per-user data folder].
    #[arg(long, global = true, env = "REPRISE_JOURNAL", value_name = "PATH")]
    pub journal: Option<PathBuf>,

    /// Print JSON instead of text (nothing else goes to standard output).
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a new entry (body from --body, standard input, or $VISUAL/$EDITOR).
    New(entries::NewArgs),
    /// List entries, newest first.
    List(entries::ListArgs),
    /// Show one entry.
    Show(entries::ShowArgs),
    /// Change an entry (body in $EDITOR unless --body, standard input or another flag is given).
    Edit(entries::EditArgs),
    /// Move an entry to the trash (or erase one already there).
    Delete(entries::DeleteArgs),
    /// Bring an entry back from the trash.
    Restore(entries::RestoreArgs),
    /// Search entries (and CPD activities) by words, "phrases", prefix*, -exclusions and OR.
    Search(search::SearchArgs),
    /// List tags with how often they are used.
    Tags,
    /// List, show or copy templates.
    Templates(entries::TemplatesArgs),
    /// Log and summarise CPD activities.
    #[command(subcommand)]
    Cpd(cpd::CpdCommand),
    /// List or add people, or set your own profile.
    People(mentoring::PeopleArgs),
    /// Mentoring relationships, their session notes and actions.
    Mentoring(mentoring::MentoringArgs),
    /// Export the journal as lossless JSON or a folder of Markdown files.
    Export(exchange::ExportArgs),
    /// Import a Reprise JSON export or a jrnl JSON export.
    Import(exchange::ImportArgs),
    /// Fill an empty journal with a realistic sample.
    Demo(admin::DemoArgs),
    /// Check the journal's integrity, foreign keys and search index.
    Check,
    /// Counts, dates, hours and the file's size.
    Stats,
}

/// How a command failed.
#[derive(Debug)]
pub enum CliError {
    /// The core refused or failed.
    Core(reprise::Error),
    /// The command line asked for something that cannot be done (exit status 2).
    Usage(String),
    /// Anything else worth one line.
    Failed(String),
    /// Standard output could not be written (e.g. the reader of a pipe went away).
    Stdout(std::io::Error),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Core(e) => write!(f, "{e}"),
            CliError::Usage(m) | CliError::Failed(m) => f.write_str(m),
            CliError::Stdout(e) => write!(f, "cannot write output: {e}"),
        }
    }
}

impl From<reprise::Error> for CliError {
    fn from(e: reprise::Error) -> Self {
        CliError::Core(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Stdout(e)
    }
}

impl CliError {
    /// The process's exit status: 2 for usage, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            _ => 1,
        }
    }

    /// True when output stopped because its reader went away (`reprise list | head`), which
    /// is not worth reporting.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Stdout(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// A command's result.
pub type CliResult<T = ()> = Result<T, CliError>;

/// What every command gets: where the journal is and where to print.
pub struct Ctx {
    journal: PathBuf,
    /// True when `--journal` or `REPRISE_JOURNAL` named the journal, rather than the default
    /// location being used.
    named: bool,
    out: Out,
}

impl Ctx {
    /// Opens an existing journal for reading only, so that it works while the desktop app has
    /// it.
    ///
    /// A read never creates a journal: with none at the path, this fails with one line saying
    /// how to make one.
    fn read(&self) -> CliResult<Store> {
        if !journal_exists(&self.journal)? {
            return Err(self.missing());
        }
        Ok(Store::open_read_only(&self.journal)?)
    }

    /// As [`Ctx::read`], but `None` when the default location has no journal yet, so that a
    /// first `reprise list` shows an empty journal instead of creating one. A journal named
    /// with `--journal` or `REPRISE_JOURNAL` must exist, since a typo there should not look
    /// like an empty journal.
    fn read_if_any(&self) -> CliResult<Option<Store>> {
        if !self.named && !journal_exists(&self.journal)? {
            return Ok(None);
        }
        self.read().map(Some)
    }

    /// Opens the journal for writing (takes its lock), creating it when there is none.
    fn write(&self) -> CliResult<Store> {
        journal_exists(&self.journal)?;
        self.open_for_writing()
    }

    /// Opens an existing journal for writing, for commands that change a record that must
    /// already be there.
    fn write_existing(&self) -> CliResult<Store> {
        if !journal_exists(&self.journal)? {
            return Err(self.missing());
        }
        self.open_for_writing()
    }

    /// [`Store::open`], saying plainly when the journal's folder may not be written in (its
    /// lock file, or a new journal, cannot be created there).
    fn open_for_writing(&self) -> CliResult<Store> {
        Store::open(&self.journal).map_err(|e| match e {
            reprise::Error::Io { path, source }
                if source.kind() == std::io::ErrorKind::PermissionDenied =>
            {
                CliError::Failed(format!(
                    "cannot write the journal at {}: permission denied on {}",
                    self.journal.display(),
                    path.display()
                ))
            }
            e => e.into(),
        })
    }

    /// The error for a command that needs a journal when there is none.
    fn missing(&self) -> CliError {
        CliError::Failed(format!(
            "no journal at {} (create one with `reprise new` or `reprise demo`)",
            self.journal.display()
        ))
    }
}

/// Whether there is a journal file at `path`, saying plainly — before SQLite can only call it
/// a "disk I/O error" — when the path names a folder, runs through a file, or cannot be
/// reached or read.
fn journal_exists(path: &Path) -> CliResult<bool> {
    use std::io::ErrorKind;
    let shown = path.display();
    let failed = |m: String| Err(CliError::Failed(m));
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => failed(format!(
            "{shown} is a folder, not a journal file; pass the journal file's path instead \
             (e.g. {})",
            path.join(reprise::store::JOURNAL_FILE_NAME).display()
        )),
        Ok(_) => match std::fs::File::open(path) {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == ErrorKind::PermissionDenied => failed(format!(
                "cannot read the journal at {shown}: permission denied"
            )),
            Err(e) => failed(format!("cannot read the journal at {shown}: {e}")),
        },
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => {
            // The nearest folder above the journal that can be looked at is where the path
            // stops working: a file standing where a folder should be, or a folder that may
            // not be entered.
            let blocker = path.ancestors().skip(1).find_map(|a| {
                let a = if a.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    a
                };
                std::fs::metadata(a).ok().map(|m| (a, m.is_dir()))
            });
            match blocker {
                Some((a, false)) => failed(format!(
                    "{} is a file, not a folder, so there can be no journal at {shown}",
                    a.display()
                )),
                Some((a, true)) if e.kind() == ErrorKind::PermissionDenied => failed(format!(
                    "cannot reach the journal at {shown}: permission denied on the folder {}",
                    a.display()
                )),
                _ => failed(format!("cannot reach the journal at {shown}: {e}")),
            }
        }
    }
}

/// Runs a parsed command line.
///
/// # Errors
/// Whatever the command failed with, to be reported as one line.
pub fn run(cli: Cli) -> CliResult {
    let named = cli.journal.filter(|p| !p.as_os_str().is_empty());
    let mut ctx = Ctx {
        named: named.is_some(),
        journal: match named {
            Some(p) => p,
            None => reprise::store::default_journal_path()?,
        },
        out: Out::new(cli.json),
    };
    match cli.command {
        Command::New(a) => entries::new(&mut ctx, a),
        Command::List(a) => entries::list(&mut ctx, a),
        Command::Show(a) => entries::show(&mut ctx, a),
        Command::Edit(a) => entries::edit(&mut ctx, a),
        Command::Delete(a) => entries::delete(&mut ctx, a),
        Command::Restore(a) => entries::restore(&mut ctx, a),
        Command::Search(a) => search::search(&mut ctx, a),
        Command::Tags => entries::tags(&mut ctx),
        Command::Templates(a) => entries::templates(&mut ctx, a),
        Command::Cpd(c) => cpd::run(&mut ctx, c),
        Command::People(a) => mentoring::people(&mut ctx, a),
        Command::Mentoring(a) => mentoring::run(&mut ctx, a),
        Command::Export(a) => exchange::export(&mut ctx, a),
        Command::Import(a) => exchange::import(&mut ctx, a),
        Command::Demo(a) => admin::demo(&mut ctx, a),
        Command::Check => admin::check(&mut ctx),
        Command::Stats => admin::stats(&mut ctx),
    }
}

/// Turns a clap error into the one line the command line promises, with clap's exit status;
/// help and version text are printed as they are.
pub fn report_parse_error(e: &clap::Error) -> u8 {
    use clap::error::ErrorKind;
    let code = u8::try_from(e.exit_code()).unwrap_or(2);
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return code;
    }
    // clap's message is a paragraph, then a usage block and a hint; the paragraph is the news.
    let rendered = e.render().to_string();
    let paragraph = rendered.split("\n\n").next().unwrap_or_default();
    let line = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = line.strip_prefix("error: ").unwrap_or(&line);
    eprintln!("reprise: {line}");
    code
}

// --- Parsers shared by the command groups ---------------------------------------------------

/// A day: `YYYY-MM-DD`, `today` or `yesterday` (local time).
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let today = chrono::Local::now().date_naive();
    match text.trim().to_ascii_lowercase().as_str() {
        "today" => Ok(today),
        "yesterday" => Ok(today - chrono::Duration::days(1)),
        t => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| format!("{text:?} is not a date; use YYYY-MM-DD, today or yesterday")),
    }
}

/// The command-line spelling of a stored enum name: `quick_note` → `quick-note`.
fn spelled(name: &str) -> String {
    name.replace('_', "-")
}

/// Parses one of a model enum's values by its command-line spelling (or the stored one).
fn parse_choice<T: Copy>(
    text: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    what: &str,
) -> Result<T, String> {
    let wanted = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
    all.iter()
        .copied()
        .find(|v| spelled(name(*v)) == wanted)
        .ok_or_else(|| {
            let known: Vec<String> = all.iter().map(|v| spelled(name(*v))).collect();
            format!("unknown {what} {text:?}; use one of {}", known.join(", "))
        })
}

/// An entry kind: `reflection`, `quick-note` or `session-record`.
pub fn parse_kind(text: &str) -> Result<EntryKind, String> {
    parse_choice(text, EntryKind::ALL, EntryKind::as_str, "kind")
}

/// A CPD type, e.g. `training-day`.
pub fn parse_cpd_type(text: &str) -> Result<CpdType, String> {
    parse_choice(text, CpdType::ALL, CpdType::as_str, "CPD type")
}

/// A relationship kind: `mentoring-pair`, `peer-pair` or `group`.
pub fn parse_relationship_kind(text: &str) -> Result<RelationshipKind, String> {
    parse_choice(
        text,
        RelationshipKind::ALL,
        RelationshipKind::as_str,
        "relationship kind",
    )
}

/// Tags from repeated `--tag` flags, each of which may hold several separated by commas.
pub fn split_tags(raw: &[String]) -> Vec<String> {
    raw.iter()
        .flat_map(|t| t.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Flags shared by `list` and `search`: which entries to consider.
#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// Only entries with this tag (repeat, or separate with commas, for all of several).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only entries of this kind: reflection, quick-note or session-record.
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<EntryKind>,
    /// Only entries written from this template (key or id).
    #[arg(long, value_name = "KEY")]
    pub template: Option<String>,
    /// Only entries on or after this day (YYYY-MM-DD, today, yesterday).
    #[arg(long, value_parser = parse_day, value_name = "DAY")]
    pub since: Option<NaiveDate>,
    /// Only entries on or before this day.
    #[arg(long, value_parser = parse_day, value_name = "DAY")]
    pub until: Option<NaiveDate>,
    /// Only entries whose session facts name this setting (whatever its case).
    #[arg(long, value_name = "SETTING")]
    pub setting: Option<String>,
    /// Only entries whose session facts name this group (whatever its case).
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
}

impl FilterArgs {
    /// True when any flag narrows the entries.
    fn any(&self) -> bool {
        !self.tags.is_empty()
            || self.kind.is_some()
            || self.template.is_some()
            || self.since.is_some()
            || self.until.is_some()
            || self.setting.is_some()
            || self.group.is_some()
    }

    /// The core filter, checking that a named template exists so a typo is not an empty list.
    fn to_filter(&self, store: &Store) -> CliResult<reprise::model::EntryFilter> {
        let template = match &self.template {
            Some(key) => Some(store.get_template(key)?.id.to_string()),
            None => None,
        };
        Ok(reprise::model::EntryFilter {
            tags: split_tags(&self.tags),
            kind: self.kind,
            template,
            since: self.since,
            until: self.until,
            setting: self.setting.clone(),
            group: self.group.clone(),
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_dates_today_or_yesterday() {
        assert_eq!(parse_day("2026-03-02").unwrap().to_string(), "2026-03-02");
        assert!(parse_day("today").is_ok() && parse_day("Yesterday").is_ok());
        let err = parse_day("2026-13-01").unwrap_err();
        assert!(err.contains("not a date"), "{err}");
    }

    #[test]
    fn kinds_are_spelled_with_hyphens() {
        assert_eq!(parse_kind("quick-note").unwrap(), EntryKind::QuickNote);
        assert_eq!(
            parse_kind("session_record").unwrap(),
            EntryKind::SessionRecord
        );
        let err = parse_kind("diary").unwrap_err();
        assert!(
            err.contains("reflection, quick-note, session-record"),
            "{err}"
        );
        assert_eq!(
            parse_cpd_type("training-day").unwrap(),
            CpdType::TrainingDay
        );
    }

    #[test]
    fn tags_split_on_commas() {
        assert_eq!(
            split_tags(&["a, b".into(), "c".into(), " ,".into()]),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
