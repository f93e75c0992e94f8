//! Markdown export: a folder that Obsidian, Joplin or any editor opens as notes.
//!
//! Each entry not in the trash becomes `YYYY-MM-DD-slug-of-title.md`: YAML front matter with
//! its facts, then its Markdown body as written. Attachments go beside them in
//! `attachments/<entry-id>/<file name>`, and the front matter lists their relative paths.
//!
//! Titles, tags and names can hold anything a person types, so every string in the front
//! matter is written as a double-quoted scalar with JSON escapes (which YAML reads the same
//! way); no quote, newline, `---` or colon can end the front matter early. Dates and
//! timestamps, which Reprise itself formats, are written bare so that Obsidian and Joplin
//! recognise them as dates. File names are built from ASCII letters, digits and `-` only, and
//! attachment names are cleaned of path separators and characters Windows refuses, so nothing
//! can be written outside the folder.
//!
//! The folder must be empty or a previous Reprise Markdown export, recognised by the
//! [`MARKER`] file, which lists what that export wrote; those files are replaced, and nothing
//! else in the folder is touched.

use super::{ExportSummary, Progress, Ticker};
use crate::error::{Error, Result};
use crate::model::{format_ts, Entry};
use crate::store::exchange::{self as sx, AttachmentScope};
use crate::Store;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use uuid::Uuid;

/// The file that marks a folder as a Reprise Markdown export.
pub const MARKER: &str = ".reprise-export";

/// The marker's first line; the paths the export wrote follow, one a line.
const MARKER_HEADER: &str = "reprise markdown export 1";

/// The longest slug taken from a title, in characters.
const MAX_SLUG_CHARS: usize = 60;

/// The longest attachment file name written, in bytes (well inside every file system's limit).
const MAX_FILE_NAME_BYTES: usize = 120;

/// Writes every entry not in the trash into `dir` as Markdown with YAML front matter.
///
/// # Errors
/// [`Error::Invalid`] when `dir` is not empty and is not a previous Reprise Markdown export;
/// [`Error::Io`] when a file cannot be written.
pub fn export(
    store: &Store,
    dir: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<ExportSummary> {
    prepare_folder(dir)?;
    let marker = dir.join(MARKER);
    // Written first, so that an interrupted export still leaves a folder recognised as ours.
    std::fs::write(&marker, format!("{MARKER_HEADER}\n")).map_err(|e| Error::io(&marker, e))?;

    let mut written: Vec<String> = Vec::new();
    let mut bytes = 0u64;
    let mut entries = 0u32;
    let mut attachments = 0u32;
    // Creating tens of thousands of small files is bound by the file system, not by reading
    // the journal, so a few threads write while this one reads and renders.
    let (send, receive) = std::sync::mpsc::sync_channel::<(PathBuf, Vec<u8>)>(256);
    let receive = Mutex::new(receive);
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    let writers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4);
    std::thread::scope(|scope| {
        for _ in 0..writers {
            scope.spawn(|| loop {
                let job = lock(&receive).recv();
                let Ok((path, data)) = job else { return };
                if let Err(e) = std::fs::write(&path, &data) {
                    lock(&failure).get_or_insert(Error::io(&path, e));
                }
            });
        }
        let write = |path: PathBuf, data: Vec<u8>| -> Result<()> {
            if let Some(e) = lock(&failure).take() {
                return Err(e);
            }
            send.send((path, data))
                .map_err(|_| Error::invalid("export", "the file writers stopped"))
        };
        let result = store.read(|tx| {
            let counts = sx::counts(tx)?;
            let templates: HashMap<Uuid, String> = sx::templates(tx)?
                .into_iter()
                .map(|t| (t.id, t.name))
                .collect();
            let mut names: HashSet<String> = HashSet::new();
            let mut attachment_paths: HashMap<Uuid, String> = HashMap::new();
            let mut ticker = Ticker::start(progress, "entries", counts.live_entries);
            sx::for_each_entry(tx, true, |e| {
                let mut used: HashSet<String> = HashSet::new();
                let mut paths = Vec::with_capacity(e.attachments.len());
                for a in &e.attachments {
                    let name = unique(&mut used, &safe_file_name(&a.file_name));
                    let rel = format!("attachments/{}/{name}", e.id);
                    attachment_paths.insert(a.id, rel.clone());
                    paths.push(rel);
                }
                let name = unique(
                    &mut names,
                    &format!("{}-{}.md", e.occurred_on, slug(&e.title)),
                );
                let mut text = String::with_capacity(512 + e.body.len());
                render(
                    &mut text,
                    &e,
                    e.template_id
                        .and_then(|t| templates.get(&t))
                        .map(String::as_str),
                    &paths,
                );
                bytes += text.len() as u64;
                write(dir.join(&name), text.into_bytes())?;
                entries += 1;
                written.push(name);
                ticker.tick();
                Ok(())
            })?;
            ticker.finish();
            let mut ticker = Ticker::start(progress, "attachments", attachment_paths.len() as u64);
            let mut folders: HashSet<Uuid> = HashSet::new();
            sx::for_each_attachment(tx, AttachmentScope::LiveEntries, |a| {
                let Some(rel) = attachment_paths.get(&a.meta.id) else {
                    return Ok(());
                };
                if let crate::store::AttachmentOwner::Entry(owner) = a.owner {
                    if folders.insert(owner) {
                        let folder = dir.join("attachments").join(owner.to_string());
                        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
                    }
                }
                bytes += a.data.len() as u64;
                write(dir.join(rel), a.data)?;
                attachments += 1;
                written.push(rel.clone());
                ticker.tick();
                Ok(())
            })?;
            ticker.finish();
            Ok(())
        });
        // Closing the channel lets the writers finish what is queued and stop.
        drop(send);
        result
    })?;
    if let Some(e) = lock(&failure).take() {
        return Err(e);
    }
    let mut list = String::with_capacity(written.len() * 48);
    list.push_str(MARKER_HEADER);
    list.push('\n');
    for w in &written {
        list.push_str(w);
        list.push('\n');
    }
    std::fs::write(&marker, list).map_err(|e| Error::io(&marker, e))?;
    Ok(ExportSummary {
        entries,
        attachments,
        bytes,
        path: dir.to_path_buf(),
        ..ExportSummary::default()
    }
    .finished())
}

/// Locks a mutex, carrying on after a panic elsewhere (the data is a queue or an error slot,
/// never left half-changed).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Creates `dir`, or accepts it when empty, or clears what a previous Reprise export wrote
/// there; refuses any other folder rather than mix notes into someone's files.
fn prepare_folder(dir: &Path) -> Result<()> {
    let mut listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e));
        }
        Err(e) => return Err(Error::io(dir, e)),
    };
    if listing.next().is_none() {
        return Ok(());
    }
    let marker = dir.join(MARKER);
    let previous = match std::fs::read_to_string(&marker) {
        Ok(text) if text.lines().next() == Some(MARKER_HEADER) => text,
        _ => {
            return Err(Error::invalid(
                "folder",
                format!(
                    "{} is not empty and is not a previous Reprise Markdown export; choose an empty folder",
                    dir.display()
                ),
            ))
        }
    };
    for line in previous.lines().skip(1) {
        if is_ours(line) {
            // Already gone is fine: the person may have deleted it.
            let _ = std::fs::remove_file(dir.join(line));
        }
    }
    let attachments = dir.join("attachments");
    if let Ok(folders) = std::fs::read_dir(&attachments) {
        for folder in folders.flatten() {
            // Only empty folders go: anything the person put there stays.
            let _ = std::fs::remove_dir(folder.path());
        }
        let _ = std::fs::remove_dir(&attachments);
    }
    Ok(())
}

/// True for a path this export could have written: `name.md` at the top, or
/// `attachments/<uuid>/<name>` — never anything that climbs out or is absolute.
fn is_ours(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let plain = |p: &str| {
        !p.is_empty()
            && p != "."
            && p != ".."
            && !p.contains(['\\', ':', '\0'])
            && !p.starts_with('.')
    };
    match parts.as_slice() {
        [name] => plain(name) && name.ends_with(".md"),
        ["attachments", id, name] => Uuid::parse_str(id).is_ok() && plain(name),
        _ => false,
    }
}

/// `name`, or `stem-2.ext`, `stem-3.ext`, … when a name that differs only in case is taken
/// (file systems on Windows and macOS ignore case).
fn unique(used: &mut HashSet<String>, name: &str) -> String {
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    let mut candidate = name.to_owned();
    let mut n = 2;
    while !used.insert(candidate.to_lowercase()) {
        candidate = format!("{stem}-{n}{ext}");
        n += 1;
    }
    candidate
}

/// Writes an entry's front matter and body.
fn render(out: &mut String, e: &Entry, template: Option<&str>, attachments: &[String]) {
    // Writing to a String cannot fail.
    let _ = write_entry(out, e, template, attachments);
}

fn write_entry(
    out: &mut String,
    e: &Entry,
    template: Option<&str>,
    attachments: &[String],
) -> std::fmt::Result {
    out.push_str("---\n");
    writeln!(out, "id: {}", quote(&e.id.to_string()))?;
    writeln!(out, "title: {}", quote(&e.title))?;
    writeln!(out, "date: {}", e.occurred_on)?;
    if let Some(t) = e.occurred_time {
        let text = if chrono::Timelike::second(&t) == 0 {
            t.format("%H:%M")
        } else {
            t.format("%H:%M:%S")
        };
        writeln!(out, "time: {}", quote(&text.to_string()))?;
    }
    writeln!(out, "kind: {}", quote(e.kind.as_str()))?;
    if let Some(name) = template {
        writeln!(out, "template: {}", quote(name))?;
    }
    list(out, "tags", &e.tags)?;
    writeln!(out, "starred: {}", e.starred)?;
    if let Some(s) = &e.session {
        out.push_str("session:\n");
        for (key, value) in [
            ("setting", &s.setting),
            ("group", &s.group),
            ("age_range", &s.age_range),
        ] {
            if let Some(v) = value {
                writeln!(out, "  {key}: {}", quote(v))?;
            }
        }
        if let Some(n) = s.participants {
            writeln!(out, "  participants: {n}")?;
        }
        if let Some(n) = s.duration_minutes {
            writeln!(out, "  duration_minutes: {n}")?;
        }
        if let Some(a) = &s.activities {
            writeln!(out, "  activities: {}", quote(a))?;
        }
    }
    writeln!(out, "created: {}", format_ts(&e.created_at))?;
    writeln!(out, "updated: {}", format_ts(&e.updated_at))?;
    if !attachments.is_empty() {
        list(out, "attachments", attachments)?;
    }
    out.push_str("---\n\n");
    out.push_str(&e.body);
    if !e.body.ends_with('\n') {
        out.push('\n');
    }
    Ok(())
}

fn list(out: &mut String, key: &str, items: &[String]) -> std::fmt::Result {
    if items.is_empty() {
        return writeln!(out, "{key}: []");
    }
    writeln!(out, "{key}:")?;
    for item in items {
        writeln!(out, "  - {}", quote(item))?;
    }
    Ok(())
}

/// A double-quoted scalar that is both a JSON string and the same string in YAML.
///
/// JSON's escapes cover quotes, backslashes and control characters; on top of those, the
/// characters YAML treats as line breaks (NEL, U+2028, U+2029) or refuses (DEL, C1 controls,
/// U+FFFE, U+FFFF) are escaped too, so a YAML reader gives back exactly the text.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A file-name slug of a title: lowercase ASCII letters and digits joined by `-`, common
/// accented Latin letters folded to their base letter, at most [`MAX_SLUG_CHARS`].
pub(crate) fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        let folded = fold(c);
        if folded.is_empty() {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(folded);
        }
        if out.len() >= MAX_SLUG_CHARS {
            break;
        }
    }
    out.truncate(MAX_SLUG_CHARS);
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "entry".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The ASCII a character contributes to a slug: itself lowercased if a letter or digit, a
/// base letter for common accented Latin letters, or nothing (a word break).
fn fold(c: char) -> &'static str {
    const ASCII: [&str; 36] = [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f", "g", "h",
        "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
    ];
    match c {
        '0'..='9' => ASCII[(c as u8 - b'0') as usize],
        'a'..='z' => ASCII[10 + (c as u8 - b'a') as usize],
        'A'..='Z' => ASCII[10 + (c as u8 - b'A') as usize],
        'à'..='å' | 'À'..='Å' | 'ā' | 'Ā' | 'ă' | 'Ă' | 'ą' | 'Ą' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' | 'ć' | 'Ć' | 'č' | 'Č' => "c",
        'ď' | 'Ď' | 'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'è'..='ë' | 'È'..='Ë' | 'ē' | 'Ē' | 'ę' | 'Ę' | 'ě' | 'Ě' => "e",
        'ì'..='ï' | 'Ì'..='Ï' | 'ī' | 'Ī' | 'ı' => "i",
        'ł' | 'Ł' => "l",
        'ñ' | 'Ñ' | 'ń' | 'Ń' | 'ň' | 'Ň' => "n",
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' | 'ō' | 'Ō' | 'ő' | 'Ő' => "o",
        'œ' | 'Œ' => "oe",
        'ř' | 'Ř' => "r",
        'ś' | 'Ś' | 'š' | 'Š' | 'ş' | 'Ş' => "s",
        'ß' => "ss",
        'ť' | 'Ť' | 'ţ' | 'Ţ' => "t",
        'þ' | 'Þ' => "th",
        'ù'..='ü' | 'Ù'..='Ü' | 'ū' | 'Ū' | 'ů' | 'Ů' | 'ű' | 'Ű' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ź' | 'Ź' | 'ż' | 'Ż' | 'ž' | 'Ž' => "z",
        _ => "",
    }
}

/// An attachment's name made safe to write on Windows, macOS and Linux: only its last path
/// component, without characters Windows refuses or control characters, not hidden, not a
/// reserved device name, and not too long (the extension is kept).
pub(crate) fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if cleaned.is_empty() {
        return "attachment".to_owned();
    }
    let (stem, ext) = match cleaned.rfind('.') {
        Some(i) if i > 0 && cleaned.len() - i <= 16 => (&cleaned[..i], &cleaned[i..]),
        _ => (cleaned, ""),
    };
    let reserved = {
        let upper = stem.to_ascii_uppercase();
        matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
            || ((upper.starts_with("COM") || upper.starts_with("LPT"))
                && upper.len() == 4
                && upper.as_bytes()[3].is_ascii_digit())
    };
    let mut stem = if reserved {
        format!("_{stem}")
    } else {
        stem.to_owned()
    };
    let room = MAX_FILE_NAME_BYTES.saturating_sub(ext.len());
    if stem.len() > room {
        let mut cut = room;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
    }
    let stem = stem.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    let stem = if stem.is_empty() { "attachment" } else { stem };
    format!("{stem}{ext}")
}

#[cfg(test)]
mod tests {
    use super::{is_ours, quote, safe_file_name, slug};

    #[test]
    fn slugs_are_short_lowercase_ascii_words() {
        for (title, slugged) in [
            ("Shakers and silence", "shakers-and-silence"),
            ("Café: Ünïcödé — ça va?", "cafe-unicode-ca-va"),
            ("../../etc/passwd", "etc-passwd"),
            ("---", "entry"),
            ("音楽", "entry"),
        ] {
            assert_eq!(slug(title), slugged);
        }
        assert!(slug(&"long words ".repeat(20)).len() <= 60);
    }

    #[test]
    fn attachment_names_are_never_paths_or_reserved() {
        for (name, safe) in [
            ("../../x.mp3", "x.mp3"),
            ("C:\\tmp\\a:b*?.wav", "a_b__.wav"),
            ("..", "attachment"),
            (".hidden", "hidden"),
            ("COM1.txt", "_COM1.txt"),
            ("trailing. ", "trailing"),
        ] {
            assert_eq!(safe_file_name(name), safe);
        }
        let long = safe_file_name(&format!("{}.pdf", "é".repeat(200)));
        assert!(long.len() <= 120 && long.ends_with(".pdf"));
    }

    #[test]
    fn quoted_values_are_json_strings_with_yaml_line_breaks_escaped() {
        let text = "a \"b\": c\n---\u{85}\u{2028}\u{7f}";
        let q = quote(text);
        assert!(!q.contains('\n') && !q.contains('\u{85}') && !q.contains('\u{2028}'));
        assert_eq!(serde_json::from_str::<String>(&q).unwrap(), text);
    }

    #[test]
    fn only_paths_an_export_writes_are_cleared_from_a_previous_one() {
        assert!(is_ours("2026-01-01-a.md"));
        assert!(is_ours(
            "attachments/0190a8c2-0000-7000-8000-000000000000/a.mp3"
        ));
        for bad in [
            "../x.md",
            "/etc/x.md",
            "a/b.md",
            "notes.txt",
            "attachments/x/a.mp3",
            ".x.md",
            "C:x.md",
        ] {
            assert!(!is_ours(bad), "{bad}");
        }
    }
}
