//! Full-text search over entries and CPD activities (SQLite FTS5).
//!
//! People type queries; we never hand their text to FTS5 as syntax. [`parse_query`] turns it
//! into a small query language — words, `"phrases"`, `prefix*`, `-excluded`, `OR` — and
//! writes an FTS5 expression in which every term is quoted, so no input can produce an SQL or
//! FTS5 syntax error, and mistakes get a message in plain words.
//!
//! Snippets come back from SQLite with control-character markers around matches; they are
//! escaped here and only then given `<mark>` tags, so a snippet is safe to show as HTML.

use crate::error::{Error, Result};
use crate::model::{EntryFilter, EntrySummary};
use crate::render::escape_html;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub(crate) const MARK_OPEN: char = '\u{2}';
const MARK_CLOSE: char = '\u{3}';
const MAX_QUERY_CHARS: usize = 500;
const MAX_TERMS: usize = 32;

/// How to order search results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SearchOrder {
    /// Best matches first (BM25, titles and tags weigh more than bodies); among equally good
    /// matches, the entry added last first.
    #[default]
    Relevance,
    /// Newest first.
    Newest,
}

/// A search request: the query, the same filters as the timeline, and paging.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct SearchRequest {
    /// What the person typed.
    pub query: String,
    /// Treat the last word as a prefix (for type-ahead).
    pub prefix_last: bool,
    /// How to order results.
    pub order: SearchOrder,
    /// Tag, kind, template, relationship and date filters, cursor and limit.
    pub filter: EntryFilter,
}

/// One entry that matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    /// The entry, as in the timeline.
    pub entry: EntrySummary,
    /// The title with matches in `<mark>`, HTML-escaped.
    pub title_html: String,
    /// A passage of the body with matches in `<mark>`, HTML-escaped.
    pub snippet_html: String,
    /// The same passage as plain text with matches in `**`.
    pub snippet_text: String,
}

/// One CPD activity that matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CpdHit {
    /// The activity's id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// The day it started.
    pub started_on: chrono::NaiveDate,
    /// A passage with matches in `<mark>`, HTML-escaped.
    pub snippet_html: String,
    /// The same passage as plain text with matches in `**`.
    pub snippet_text: String,
}

/// Turns what a person typed into a safe FTS5 expression.
///
/// # Errors
/// [`Error::Query`] for an empty query, an unclosed quote, a query of only exclusions, a
/// dangling `OR`, or one that is too long.
pub fn parse_query(input: &str, prefix_last: bool) -> Result<String> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::Query(format!(
            "is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    #[derive(Debug)]
    enum Tok {
        Term {
            text: String,
            phrase: bool,
            prefix: bool,
            negate: bool,
        },
        Or,
    }
    let mut toks: Vec<Tok> = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let negate = c == '-';
        if negate {
            chars.next();
        }
        let (text, phrase, prefix) = if chars.peek() == Some(&'"') {
            chars.next();
            let mut text = String::new();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == '"' {
                    closed = true;
                    break;
                }
                text.push(c);
            }
            if !closed {
                return Err(Error::Query(format!(
                    "the quote before {:?} is never closed",
                    text.trim()
                )));
            }
            let prefix = chars.peek() == Some(&'*');
            if prefix {
                chars.next();
            }
            (text, true, prefix)
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            if word == "OR" && !negate {
                toks.push(Tok::Or);
                continue;
            }
            let prefix = word.ends_with('*');
            (word.trim_end_matches('*').to_owned(), false, prefix)
        };
        // Punctuation-only words and phrases ("&", "—") match nothing in the index: skip them.
        if words(&text).is_empty() {
            continue;
        }
        toks.push(Tok::Term {
            text,
            phrase,
            prefix,
            negate,
        });
    }
    if prefix_last {
        if let Some(Tok::Term {
            phrase: false,
            prefix,
            negate: false,
            ..
        }) = toks.last_mut()
        {
            *prefix = true;
        }
    }
    let terms = toks
        .iter()
        .filter(|t| matches!(t, Tok::Term { .. }))
        .count();
    if terms == 0 {
        return Err(Error::Query("type a word to search for".into()));
    }
    if terms > MAX_TERMS {
        return Err(Error::Query(format!("has more than {MAX_TERMS} words")));
    }
    // Build "a b OR c NOT d": positive groups joined by AND, alternatives by OR, exclusions last.
    let mut positive: Vec<String> = Vec::new();
    let mut negative: Vec<String> = Vec::new();
    let mut pending_or = false;
    for tok in &toks {
        match tok {
            Tok::Or => {
                if positive.is_empty() || pending_or {
                    return Err(Error::Query("OR needs a word on each side".into()));
                }
                pending_or = true;
            }
            Tok::Term {
                text,
                phrase,
                prefix,
                negate,
            } => {
                let ws = words(text);
                let quoted = if *phrase || ws.len() == 1 {
                    format!("\"{}\"", ws.join(" ").replace('"', "\"\""))
                } else {
                    // A word with inner punctuation ("pre-school") is a phrase of its parts.
                    format!("\"{}\"", ws.join(" "))
                };
                let term = if *prefix {
                    format!("{quoted}*")
                } else {
                    quoted
                };
                if *negate {
                    if pending_or {
                        return Err(Error::Query(
                            "OR cannot be followed by an excluded word".into(),
                        ));
                    }
                    negative.push(term);
                } else if pending_or {
                    if let Some(last) = positive.last_mut() {
                        *last = format!("{last} OR {term}");
                    }
                    pending_or = false;
                } else {
                    positive.push(term);
                }
            }
        }
    }
    if pending_or {
        return Err(Error::Query("OR needs a word on each side".into()));
    }
    if positive.is_empty() {
        return Err(Error::Query(
            "say what to find as well as what to leave out".into(),
        ));
    }
    let mut expr = positive
        .iter()
        .map(|p| format!("({p})"))
        .collect::<Vec<_>>()
        .join(" AND ");
    for n in negative {
        expr = format!("{expr} NOT {n}");
    }
    Ok(expr)
}

/// The index's view of a text's words (letters and digits; everything else separates).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A snippet of Markdown source made readable as one line: heading marks dropped (a heading
/// gets a colon), lines joined.
fn readable(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for line in raw.lines() {
        let trimmed = line.trim();
        let heading = trimmed.starts_with('#');
        let text = trimmed.trim_start_matches('#').trim_start();
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(text);
        if heading && text.ends_with(|c: char| c.is_alphanumeric() || c == MARK_CLOSE) {
            out.push(':');
        }
    }
    out
}

/// Escapes a marked snippet and puts matches in `<mark>`.
pub(crate) fn marked_html(raw: &str) -> String {
    escape_html(&readable(raw))
        .replace(MARK_OPEN, "<mark>")
        .replace(MARK_CLOSE, "</mark>")
}

/// A marked snippet as plain text with matches in `**`, on one line.
pub(crate) fn marked_text(raw: &str) -> String {
    let line = readable(raw);
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    line.replace([MARK_OPEN, MARK_CLOSE], "**")
}

#[cfg(test)]
mod tests {
    use super::parse_query;

    #[test]
    fn every_term_is_quoted_so_fts_syntax_in_input_is_inert() {
        assert_eq!(
            parse_query("NEAR(a b) col:x ^start", false).unwrap(),
            r#"("NEAR a") AND ("b") AND ("col x") AND ("start")"#
        );
    }

    #[test]
    fn phrases_prefixes_or_and_exclusions_translate() {
        assert_eq!(
            parse_query(r#""call and response" drum*"#, false).unwrap(),
            r#"("call and response") AND ("drum"*)"#
        );
        assert_eq!(
            parse_query("songs OR rhymes -lullaby", false).unwrap(),
            r#"("songs" OR "rhymes") NOT "lullaby""#
        );
        assert_eq!(
            parse_query("toddlers sing", true).unwrap(),
            r#"("toddlers") AND ("sing"*)"#
        );
    }

    #[test]
    fn malformed_queries_get_plain_messages() {
        for (q, needle) in [
            ("\"unclosed", "never closed"),
            ("-only", "as well as"),
            ("OR alone", "each side"),
            ("a OR", "each side"),
            ("   ", "type a word"),
        ] {
            let err = parse_query(q, false).unwrap_err().to_string();
            assert!(err.contains(needle), "{q:?} gave {err:?}");
        }
    }
}
