//! Entries: `new`, `list`, `show`, `edit`, `delete`, `restore`, `tags`, `templates`.

use super::output::{kind_label, kind_marker, short_entry_id, tag_list};
use super::{parse_day, parse_kind, split_tags, CliError, CliResult, Ctx, FilterArgs};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use reprise::model::{EntryFilter, EntryInput, EntryKind, EntrySummary, SessionFacts};
use reprise::Store;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

/// `reprise new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The title (taken from the body's first line when left out).
    #[arg(long)]
    title: Option<String>,
    /// The body, as Markdown.
    #[arg(long, value_name = "TEXT")]
    body: Option<String>,
    /// Start from this template (e.g. gibbs, rolfe, music-session; see `reprise templates`).
    #[arg(long, value_name = "KEY")]
    template: Option<String>,
    /// A tag (repeat, or separate with commas).
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// The day it is about: YYYY-MM-DD, today or yesterday [default: today].
    #[arg(long, value_parser = parse_day, value_name = "DAY")]
    date: Option<NaiveDate>,
    /// reflection, quick-note or session-record [default: the template's, or session-record
    /// when session facts are given, else reflection].
    #[arg(long, value_parser = parse_kind)]
    kind: Option<EntryKind>,
    #[command(flatten)]
    session: SessionArgs,
}

/// The facts of a practice session.
#[derive(Debug, Args)]
#[command(next_help_heading = "Session facts")]
struct SessionArgs {
    /// Where it took place.
    #[arg(long)]
    setting: Option<String>,
    /// The group worked with.
    #[arg(long)]
    group: Option<String>,
    /// The participants' ages, e.g. "0-2" or "Year 8".
    #[arg(long, value_name = "AGES")]
    age_range: Option<String>,
    /// How many took part.
    #[arg(long, value_name = "N")]
    participants: Option<u32>,
    /// How long it lasted, in minutes.
    #[arg(long, value_name = "MINUTES")]
    duration: Option<u32>,
    /// Activities and repertoire.
    #[arg(long, value_name = "TEXT")]
    activities: Option<String>,
}

impl SessionArgs {
    fn facts(&self) -> Option<SessionFacts> {
        let facts = SessionFacts {
            setting: self.setting.clone(),
            group: self.group.clone(),
            age_range: self.age_range.clone(),
            participants: self.participants,
            duration_minutes: self.duration,
            activities: self.activities.clone(),
        };
        (!facts.is_empty()).then_some(facts)
    }
}

/// `reprise list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// At most this many entries.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    limit: u32,
    #[command(flatten)]
    filter: FilterArgs,
    /// Only starred entries.
    #[arg(long)]
    starred: bool,
    /// List the trash instead.
    #[arg(long)]
    trash: bool,
    /// Print only how many entries match.
    #[arg(long)]
    count: bool,
}

/// `reprise show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The entry's id, or enough of its start to be unique.
    id: String,
    /// Print the body as sanitised HTML instead.
    #[arg(long)]
    html: bool,
}

/// `reprise edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The entry's id, or enough of its start to be unique.
    id: String,
    /// The new body.
    #[arg(long, value_name = "TEXT")]
    body: Option<String>,
    /// The new title.
    #[arg(long)]
    title: Option<String>,
    /// Replace the tags with these (repeat, or separate with commas).
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// The day it is about: YYYY-MM-DD, today or yesterday.
    #[arg(long, value_parser = parse_day, value_name = "DAY")]
    date: Option<NaiveDate>,
    /// Make it this kind: reflection, quick-note or session-record.
    #[arg(long, value_parser = parse_kind)]
    kind: Option<EntryKind>,
    /// Mark it as written from this template (key, id or name), which also gives it the
    /// template's kind unless --kind says otherwise; e.g. turn a quick note into a reflection
    /// with --template gibbs.
    #[arg(long, value_name = "KEY")]
    template: Option<String>,
    /// Star it.
    #[arg(long, conflicts_with = "unstarred")]
    starred: bool,
    /// Take its star away.
    #[arg(long)]
    unstarred: bool,
}

/// `reprise delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The entry's id, or enough of its start to be unique.
    id: String,
    /// Erase it for good (only for an entry already in the trash).
    #[arg(long)]
    permanently: bool,
}

/// `reprise restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The entry's id, or enough of its start to be unique.
    id: String,
}

/// `reprise templates`.
#[derive(Debug, Args)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    action: Option<TemplatesCommand>,
}

#[derive(Debug, Subcommand)]
enum TemplatesCommand {
    /// List every template (the default).
    List,
    /// Show a template's prompts and guidance.
    Show {
        /// The template's key (e.g. gibbs) or id.
        key: String,
    },
    /// Copy a template into one of your own, to change it.
    Copy {
        /// The template's key or id.
        key: String,
        /// The copy's name [default: "<name> (my copy)"].
        #[arg(long)]
        name: Option<String>,
    },
}

pub fn new(ctx: &mut Ctx, a: NewArgs) -> CliResult {
    // The journal's lock is taken before anything is typed, so that a journal open for writing
    // elsewhere is reported before the text is written rather than after.
    let store = ctx.write()?;
    let template = match &a.template {
        Some(key) => Some(store.get_template(key)?),
        None => None,
    };
    let session = a.session.facts();
    let kind = a
        .kind
        .or(template.as_ref().map(|t| t.kind))
        .unwrap_or(if session.is_some() {
            EntryKind::SessionRecord
        } else {
            EntryKind::Reflection
        });
    let mut input = EntryInput {
        kind,
        title: a.title.unwrap_or_default(),
        body: String::new(),
        occurred_on: a.date,
        template_id: template.as_ref().map(|t| t.id),
        tags: split_tags(&a.tags),
        session,
        ..EntryInput::default()
    };
    let mut draft = None;
    input.body = match a.body {
        Some(b) => b,
        None => match piped_stdin()? {
            Some(text) if !text.trim().is_empty() => text,
            // Nothing on standard input (such as /dev/null), as with `edit`, means the editor
            // when there is one to write in and no title was given.
            Some(text) if !input.title.trim().is_empty() || configured_editor().is_none() => text,
            _ => {
                // A mistake in the flags is worth hearing about before the typing, not after.
                input.validated()?;
                let scaffold = template.as_ref().map(|t| t.scaffold()).unwrap_or_default();
                let edited = edit_text(&scaffold)?;
                if edited.text.trim().is_empty() || edited.text.trim() == scaffold.trim() {
                    return Err(CliError::Failed(
                        "nothing written; no entry was saved".into(),
                    ));
                }
                draft = Some(edited.draft);
                edited.text
            }
        },
    };
    if input.body.trim().is_empty() && input.title.trim().is_empty() {
        return Err(CliError::Failed(
            "nothing written; no entry was saved".into(),
        ));
    }
    let entry = store
        .create_entry(&input)
        .map_err(|e| Draft::keep_on_failure(draft, e.into()))?;
    ctx.out.written(&entry, entry.id)
}

/// Up to `limit` entries matching `filter`, following pages as needed.
pub fn collect_entries(
    store: &Store,
    mut filter: EntryFilter,
    limit: u32,
) -> CliResult<Vec<EntrySummary>> {
    let mut out: Vec<EntrySummary> = Vec::new();
    loop {
        let left = limit.saturating_sub(out.len() as u32);
        filter.limit = Some(left.min(500));
        let page = store.list_entries(&filter)?;
        out.extend(page.items);
        match page.next {
            Some(cursor) if (out.len() as u32) < limit => filter.cursor = Some(cursor),
            _ => return Ok(out),
        }
    }
}

pub fn list(ctx: &mut Ctx, a: ListArgs) -> CliResult {
    let Some(store) = ctx.read_if_any()? else {
        // The default location has no journal yet: show it empty, without creating it.
        if a.count {
            return ctx.out.count(0);
        }
        return ctx
            .out
            .either(&[] as &[EntrySummary], |out| out.line("No entries yet."));
    };
    let filter = EntryFilter {
        starred: a.starred,
        trash: a.trash,
        ..a.filter.to_filter(&store)?
    };
    if a.count {
        return ctx.out.count(store.count_entries(&filter)?);
    }
    let entries = collect_entries(&store, filter, a.limit)?;
    ctx.out.either(&entries, |out| {
        let ids: Vec<String> = entries
            .iter()
            .map(|e| short_entry_id(&store, e.id))
            .collect();
        let width = ids.iter().map(String::len).max().unwrap_or(13);
        for (e, id) in entries.iter().zip(&ids) {
            out.line(format!("{id:<width$}  {}", summary_line(e)))?;
        }
        Ok(())
    })
}

/// `date  K* title  #tags`: an entry in a listing, after its short id.
pub fn summary_line(e: &EntrySummary) -> String {
    let star = if e.starred { '*' } else { ' ' };
    let tags = if e.tags.is_empty() {
        String::new()
    } else {
        format!("  {}", tag_list(&e.tags))
    };
    format!(
        "{}  {}{star} {}{tags}",
        e.occurred_on,
        kind_marker(e.kind),
        e.title
    )
}

pub fn show(ctx: &mut Ctx, a: ShowArgs) -> CliResult {
    let store = ctx.read()?;
    let entry = store.get_entry(store.resolve_entry_id(&a.id)?)?;
    if a.html {
        return ctx.out.either(&entry, |out| {
            out.line(reprise::render::markdown_to_html(&entry.body).trim_end())
        });
    }
    let template = entry
        .template_id
        .and_then(|t| store.get_template(&t.to_string()).ok());
    ctx.out.either(&entry, |out| {
        out.line(&entry.title)?;
        let mut about = format!(
            "{}  {}  {}",
            entry.id,
            entry.occurred_on,
            kind_label(entry.kind)
        );
        if let Some(t) = &template {
            about.push_str(&format!(" ({})", t.name));
        }
        if entry.starred {
            about.push_str("  starred");
        }
        out.line(about)?;
        if let Some(when) = entry.deleted_at {
            out.line(format!(
                "In the trash since {}",
                when.format("%Y-%m-%d %H:%M")
            ))?;
        }
        if !entry.tags.is_empty() {
            out.line(format!("Tags: {}", tag_list(&entry.tags)))?;
        }
        if let Some(s) = &entry.session {
            let mut facts: Vec<String> = [&s.setting, &s.group, &s.age_range]
                .into_iter()
                .filter_map(|f| f.clone())
                .collect();
            if let Some(n) = s.participants {
                facts.push(format!("{n} taking part"));
            }
            if let Some(m) = s.duration_minutes {
                facts.push(format!("{m} minutes"));
            }
            if !facts.is_empty() {
                out.line(format!("Session: {}", facts.join(", ")))?;
            }
            if let Some(acts) = &s.activities {
                out.line(format!(
                    "Activities: {}",
                    acts.split_whitespace().collect::<Vec<_>>().join(" ")
                ))?;
            }
        }
        let links = [
            (entry.linked_entries.len(), "linked entry", "linked entries"),
            (entry.linked_cpd.len(), "CPD activity", "CPD activities"),
            (
                entry.linked_relationships.len(),
                "relationship",
                "relationships",
            ),
            (entry.attachments.len(), "attachment", "attachments"),
        ];
        let links: Vec<String> = links
            .iter()
            .filter(|(n, ..)| *n > 0)
            .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
            .collect();
        if !links.is_empty() {
            out.line(format!("Links: {}", links.join(", ")))?;
        }
        out.line("")?;
        out.line(entry.body.trim_end())
    })
}

pub fn edit(ctx: &mut Ctx, a: EditArgs) -> CliResult {
    // The journal's lock is taken before the editor opens, so that a journal open for writing
    // elsewhere is reported before anything is typed.
    let store = ctx.write_existing()?;
    let id = store.resolve_entry_id(&a.id)?;
    let current = store.get_entry(id)?;
    let template = match &a.template {
        Some(key) => Some(store.get_template(key)?),
        None => None,
    };
    let starred = match (a.starred, a.unstarred) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let other_changes = a.title.is_some()
        || !a.tags.is_empty()
        || a.date.is_some()
        || a.kind.is_some()
        || template.is_some()
        || starred.is_some();
    let change = |input: &mut EntryInput| {
        if let Some(t) = &a.title {
            input.title.clone_from(t);
        }
        if !a.tags.is_empty() {
            input.tags = split_tags(&a.tags);
        }
        if let Some(d) = a.date {
            input.occurred_on = Some(d);
        }
        if let Some(t) = &template {
            input.template_id = Some(t.id);
            input.kind = t.kind;
        }
        if let Some(k) = a.kind {
            input.kind = k;
        }
        if let Some(s) = starred {
            input.starred = s;
        }
    };
    let mut draft = None;
    let body = match a.body {
        Some(b) => Some(b),
        None => match piped_stdin()?.filter(|t| !t.trim().is_empty()) {
            Some(text) => Some(text),
            None if other_changes => None,
            None => {
                let mut input = EntryInput::from(&current);
                change(&mut input);
                // A mistake in the flags is worth hearing about before the typing, not after.
                input.validated()?;
                let edited = edit_text(&current.body)?;
                if edited.text.trim().is_empty() {
                    return Err(CliError::Failed(
                        "nothing written; the entry was not changed".into(),
                    ));
                }
                draft = Some(edited.draft);
                Some(edited.text)
            }
        },
    };
    let saved = (|| -> CliResult<_> {
        // Read again before writing, and refuse to replace a change made since the entry was
        // read (by a writer that does not take the journal's lock).
        let latest = store.get_entry(id)?;
        if latest.updated_at != current.updated_at {
            return Err(CliError::Failed(format!(
                "entry {} was changed elsewhere while you were editing it; nothing was saved",
                short_entry_id(&store, id)
            )));
        }
        let mut input = EntryInput::from(&latest);
        if let Some(b) = body {
            input.body = b;
        }
        change(&mut input);
        if input == EntryInput::from(&latest) {
            return Ok(latest);
        }
        Ok(store.update_entry(id, &input)?)
    })();
    let entry = saved.map_err(|e| Draft::keep_on_failure(draft, e))?;
    let line = format!("saved {}", short_entry_id(&store, entry.id));
    ctx.out.either(&entry, |out| out.line(line))
}

pub fn delete(ctx: &mut Ctx, a: DeleteArgs) -> CliResult {
    let store = ctx.write_existing()?;
    let id = store.resolve_entry_id(&a.id)?;
    if a.permanently {
        let title = store.get_entry(id)?.title;
        store.purge_entry(id)?;
        return ctx
            .out
            .either(&serde_json::json!({ "id": id, "deleted": true }), |out| {
                out.line(format!("deleted permanently: {title}"))
            });
    }
    store.trash_entry(id)?;
    let entry = store.get_entry(id)?;
    let line = format!(
        "moved to the trash: {} ({})",
        entry.title,
        short_entry_id(&store, id)
    );
    ctx.out.either(&entry, |out| out.line(line))
}

pub fn restore(ctx: &mut Ctx, a: RestoreArgs) -> CliResult {
    let store = ctx.write_existing()?;
    let id = store.resolve_entry_id(&a.id)?;
    store.restore_entry(id)?;
    let entry = store.get_entry(id)?;
    let line = format!("restored: {} ({})", entry.title, short_entry_id(&store, id));
    ctx.out.either(&entry, |out| out.line(line))
}

pub fn tags(ctx: &mut Ctx) -> CliResult {
    let tags = ctx.read()?.list_tags()?;
    ctx.out.either(&tags, |out| {
        let width = tags
            .iter()
            .map(|t| t.name.chars().count())
            .max()
            .unwrap_or(0);
        for t in &tags {
            let cpd = if t.cpd > 0 {
                format!("  {} CPD", t.cpd)
            } else {
                String::new()
            };
            out.line(format!("{:<width$}  {:>5} entries{cpd}", t.name, t.entries))?;
        }
        Ok(())
    })
}

pub fn templates(ctx: &mut Ctx, a: TemplatesArgs) -> CliResult {
    match a.action.unwrap_or(TemplatesCommand::List) {
        TemplatesCommand::List => {
            let templates = match ctx.read_if_any()? {
                Some(store) => store.list_templates()?,
                // No journal yet at the default location: the built-ins are all there is.
                None => reprise::store::builtin_templates()?,
            };
            ctx.out.either(&templates, |out| {
                let width = templates.iter().map(|t| t.key.len()).max().unwrap_or(0);
                for t in &templates {
                    let own = if t.builtin { "" } else { ", your own" };
                    out.line(format!(
                        "{:<width$}  {}  ({}{own})",
                        t.key,
                        t.name,
                        kind_label(t.kind)
                    ))?;
                }
                Ok(())
            })
        }
        TemplatesCommand::Show { key } => {
            let t = match ctx.read_if_any()? {
                Some(store) => store.get_template(&key)?,
                None => builtin_template(&key)?,
            };
            ctx.out.either(&t, |out| {
                let origin = if t.builtin { "built in" } else { "your own" };
                out.line(format!(
                    "{} ({}, {}, {origin})",
                    t.name,
                    t.key,
                    kind_label(t.kind)
                ))?;
                if !t.description.is_empty() {
                    out.line(&t.description)?;
                }
                for p in &t.prompts {
                    out.line("")?;
                    out.line(format!("## {}", p.heading))?;
                    for g in &p.guidance {
                        out.line(format!("  - {g}"))?;
                    }
                }
                Ok(())
            })
        }
        TemplatesCommand::Copy { key, name } => {
            let t = ctx.write()?.copy_template(&key, name.as_deref())?;
            let line = format!("copied to {}: {}", t.key, t.name);
            ctx.out.either(&t, |out| out.line(line))
        }
    }
}

/// Standard input's text when it is a pipe or file rather than a terminal.
fn piped_stdin() -> CliResult<Option<String>> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut text = String::new();
    stdin
        .lock()
        .read_to_string(&mut text)
        .map_err(|e| CliError::Failed(format!("cannot read standard input: {e}")))?;
    Ok(Some(text))
}

/// A built-in template by id, key or name, for when there is no journal yet.
fn builtin_template(key: &str) -> CliResult<reprise::model::Template> {
    let wanted = key.trim();
    reprise::store::builtin_templates()?
        .into_iter()
        .find(|t| {
            t.id.to_string() == wanted
                || t.key.eq_ignore_ascii_case(wanted)
                || t.name.to_lowercase() == wanted.to_lowercase()
        })
        .ok_or_else(|| {
            CliError::Core(reprise::Error::NotFound {
                entity: "template",
                id: wanted.to_owned(),
            })
        })
}

/// A private temporary file holding a draft of an entry. It is removed when dropped, since it
/// holds private writing, unless it is kept because what it holds could not be saved.
struct Draft {
    path: PathBuf,
    kept: bool,
}

impl Drop for Draft {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl Draft {
    fn create(text: &str) -> CliResult<Draft> {
        use std::io::Write;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let path = std::env::temp_dir().join(format!("reprise-{}-{stamp}.md", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let io = |e: std::io::Error, path: &Path| CliError::Core(reprise::Error::io(path, e));
        let mut file = options.open(&path).map_err(|e| io(e, &path))?;
        let draft = Draft { path, kept: false };
        file.write_all(text.as_bytes())
            .map_err(|e| io(e, &draft.path))?;
        Ok(draft)
    }

    /// Keeps the file, and adds where it is to the one line that reports `e`.
    fn keep(mut self, e: CliError) -> CliError {
        self.kept = true;
        let line = format!("{e}; your text is kept in {}", self.path.display());
        match e {
            CliError::Usage(_) => CliError::Usage(line),
            _ => CliError::Failed(line),
        }
    }

    /// `e`, having kept `draft` (when there is one) because its text was not saved.
    fn keep_on_failure(draft: Option<Draft>, e: CliError) -> CliError {
        match draft {
            Some(d) => d.keep(e),
            None => e,
        }
    }
}

/// What was written in the editor, and the file it is still in (removed when dropped).
struct Edited {
    text: String,
    draft: Draft,
}

/// `$VISUAL`, or else `$EDITOR`, when either is set.
fn configured_editor() -> Option<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
}

/// Opens `$VISUAL` (or `$EDITOR`) on `initial` and returns what was saved.
fn edit_text(initial: &str) -> CliResult<Edited> {
    let editor = configured_editor().ok_or_else(|| {
        CliError::Failed(
            "no editor to write in: set $VISUAL or $EDITOR, pass --body, or pipe the text in"
                .into(),
        )
    })?;
    let draft = Draft::create(initial)?;
    // The setting may carry arguments and quoting ("code --wait"), so on Unix the shell reads
    // it, as git does; elsewhere it is split on spaces.
    #[cfg(unix)]
    let mut command = {
        let mut c = std::process::Command::new("sh");
        c.arg("-c").arg(format!("{editor} \"$@\"")).arg(&editor);
        c
    };
    #[cfg(not(unix))]
    let mut command = {
        let mut words = editor.split_whitespace();
        let mut c = std::process::Command::new(words.next().unwrap_or_default());
        c.args(words);
        c
    };
    let status = command
        .arg(&draft.path)
        .status()
        .map_err(|e| CliError::Failed(format!("cannot start the editor {editor:?}: {e}")))?;
    let text = std::fs::read_to_string(&draft.path)
        .map_err(|e| CliError::Core(reprise::Error::io(&draft.path, e)));
    if !status.success() {
        let failed = CliError::Failed(format!(
            "the editor {editor:?} failed ({status}); nothing was saved"
        ));
        // An editor told to give up (vim's :cq) leaves the text as it was; anything else
        // written before it failed is kept.
        return Err(match text {
            Ok(t) if !t.trim().is_empty() && t != initial => draft.keep(failed),
            _ => failed,
        });
    }
    Ok(Edited { text: text?, draft })
}
