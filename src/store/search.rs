//! The full-text queries behind [`crate::search`]: ranking, paging and snippets over the
//! FTS5 indexes that triggers keep in step with entries and CPD activities.

use super::{filter_sql, summary_from_row, Store};
use crate::error::{Error, Result};
use crate::model::{EntryFilter, EntrySummary, Page, EXCERPT_SOURCE_CHARS};
use crate::render::plain_text;
use crate::search::{
    marked_html, marked_text, parse_query, CpdHit, SearchHit, SearchOrder, SearchRequest, MARK_OPEN,
};
use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use std::collections::HashMap;
use uuid::Uuid;

impl Store {
    /// Entries matching a query and filters, best first (or newest first), one page at a time.
    ///
    /// # Errors
    /// [`Error::Query`] for a query that cannot be understood; [`Error::Invalid`] for a bad
    /// filter or cursor.
    pub fn search(&self, req: &SearchRequest) -> Result<Page<SearchHit>> {
        let expr = parse_query(&req.query, req.prefix_last)?;
        let (filter_sql, filter_args) = filter_sql(&req.filter, "e")?;
        let limit = req.filter.page_size();
        let mut args: Vec<Value> = vec![Value::Text(expr.clone())];
        args.extend(filter_args);
        let (score, order) = match req.order {
            SearchOrder::Relevance => (
                "bm25(entries_fts, 10.0, 1.0, 5.0, 3.0)",
                "score ASC, e.seq DESC",
            ),
            SearchOrder::Newest => ("e.occurred_on", "score DESC, e.id DESC"),
        };
        let mut cursor_sql = String::new();
        if let Some(cursor) = &req.filter.cursor {
            let bad = || {
                Error::invalid(
                    "cursor",
                    format!("{cursor:?} is not a cursor from a previous page"),
                )
            };
            let (key, last) = cursor.rsplit_once('|').ok_or_else(bad)?;
            match req.order {
                SearchOrder::Relevance => {
                    let k: f64 = key.parse().map_err(|_| bad())?;
                    let seq: i64 = last.parse().map_err(|_| bad())?;
                    cursor_sql = format!(" AND ({score} > ? OR ({score} = ? AND e.seq < ?))");
                    args.extend([Value::Real(k), Value::Real(k), Value::Integer(seq)]);
                }
                SearchOrder::Newest => {
                    let id = last;
                    Uuid::parse_str(id).map_err(|_| bad())?;
                    cursor_sql =
                        " AND (e.occurred_on < ? OR (e.occurred_on = ? AND e.id < ?))".to_owned();
                    args.extend([
                        Value::Text(key.to_owned()),
                        Value::Text(key.to_owned()),
                        Value::Text(id.to_owned()),
                    ]);
                }
            }
        }
        // Rank first, over ids only: computing snippets for every match would cost far more than
        // the ranking itself on a large journal.
        let entries = live_lookup(&req.filter);
        let sql = format!(
            "SELECT e.seq, e.id, {score} AS score
               FROM entries_fts JOIN {entries} ON e.seq = entries_fts.rowid
              WHERE entries_fts MATCH ? AND {filter_sql}{cursor_sql}
              ORDER BY {order} LIMIT {}",
            limit + 1
        );
        let unfiltered_first_page = req.order == SearchOrder::Relevance
            && req.filter
                == EntryFilter {
                    limit: req.filter.limit,
                    ..EntryFilter::default()
                };
        self.read(|tx| {
            let quick = if unfiltered_first_page {
                rank_first_page_unfiltered(tx, &expr, limit as usize)?
            } else {
                None
            };
            let mut ranked = if let Some(ranked) = quick {
                ranked
            } else {
                let mut stmt = tx.prepare_cached(&sql)?;
                let rows = stmt
                    .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, Value>(2)?,
                        ))
                    })
                    .map_err(query_error)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map_err(query_error)?;
                rows
            };
            let more = ranked.len() > limit as usize;
            ranked.truncate(limit as usize);
            let next = if more {
                ranked.last().map(|(seq, id, score)| match score {
                    Value::Real(f) => format!("{f:?}|{seq}"),
                    Value::Text(t) => format!("{t}|{id}"),
                    other => format!("{other:?}|{id}"),
                })
            } else {
                None
            };
            // Titles and snippets with their matches marked. Asked hit by hit, FTS5 evaluates the
            // expression again for each; that is a quick seek for words, but for a prefix it
            // merges the lists of every word starting with it — for a one-letter prefix, about a
            // quarter of a second a hit on a 50,000-entry journal. So a prefix query gets the
            // whole page in one pass: the rowid range lets FTS5 skip what lies outside the page,
            // and `+rowid IN` (the `+` keeps it from FTS5) is checked by SQLite on the rows FTS5
            // returns, so snippets are made for the page's rows only. (Words keep the seeks: a
            // pass visits every match in the range, which for a common word is most of them.)
            let seqs: Vec<i64> = ranked.iter().map(|(seq, _, _)| *seq).collect();
            let groups: Vec<&[i64]> = if expr.contains('*') {
                vec![&seqs[..]]
            } else {
                seqs.chunks(1).collect()
            };
            let mut marked: HashMap<i64, (String, String, String)> =
                HashMap::with_capacity(seqs.len());
            for group in groups {
                let (Some(&lo), Some(&hi)) = (group.iter().min(), group.iter().max()) else {
                    continue;
                };
                let mut stmt = tx.prepare_cached(&format!(
                    "SELECT rowid, highlight(entries_fts, 0, char(2), char(3)),
                            snippet(entries_fts, 1, char(2), char(3), '…', 24),
                            snippet(entries_fts, 3, char(2), char(3), '…', 24)
                       FROM entries_fts
                      WHERE entries_fts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({})",
                    vec!["?"; group.len()].join(", ")
                ))?;
                let mut params = vec![
                    Value::Text(expr.clone()),
                    Value::Integer(lo),
                    Value::Integer(hi),
                ];
                params.extend(group.iter().map(|seq| Value::Integer(*seq)));
                let mut rows = stmt
                    .query(rusqlite::params_from_iter(params.iter()))
                    .map_err(query_error)?;
                while let Some(r) = rows.next().map_err(query_error)? {
                    marked.insert(r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?));
                }
            }
            let marks = vec!["?"; seqs.len()].join(", ");
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT e.id, e.kind, e.title, e.occurred_on, t.name, e.tag_text,
                        substr(e.body, 1, {EXCERPT_SOURCE_CHARS}), e.starred, e.updated_at, e.deleted_at, e.seq
                   FROM entries e LEFT JOIN templates t ON t.id = e.template_id
                  WHERE e.seq IN ({marks})"
            ))?;
            let mut summaries: HashMap<i64, EntrySummary> = stmt
                .query_map(rusqlite::params_from_iter(seqs.iter()), |r| {
                    Ok((r.get::<_, i64>(10)?, summary_from_row(r)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut items = Vec::with_capacity(ranked.len());
            for seq in &seqs {
                // One read transaction: every ranked row is still there.
                let (Some(entry), Some((title, snippet, facts))) =
                    (summaries.remove(seq), marked.remove(seq))
                else {
                    return Err(Error::Storage(rusqlite::Error::QueryReturnedNoRows));
                };
                // A match only in the session facts shows the facts it matched; one only in
                // the title or tags leaves the body snippet unmarked, so the start of the body
                // is shown then.
                let snippet = if snippet.contains(MARK_OPEN) {
                    snippet
                } else if facts.contains(MARK_OPEN) {
                    facts.split_whitespace().collect::<Vec<_>>().join(" ")
                } else {
                    plain_text(&snippet, 200)
                };
                items.push(SearchHit {
                    entry,
                    title_html: marked_html(&title),
                    snippet_html: marked_html(&snippet),
                    snippet_text: marked_text(&snippet),
                });
            }
            Ok(Page { items, next })
        })
    }

    /// How many entries match a query and filters.
    pub fn search_count(&self, req: &SearchRequest) -> Result<u64> {
        let expr = parse_query(&req.query, req.prefix_last)?;
        let (filter_sql, filter_args) = filter_sql(&req.filter, "e")?;
        let mut args: Vec<Value> = vec![Value::Text(expr)];
        args.extend(filter_args);
        let entries = live_lookup(&req.filter);
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT count(*) FROM entries_fts JOIN {entries} ON e.seq = entries_fts.rowid
                  WHERE entries_fts MATCH ? AND {filter_sql}"
            ))?;
            let n: i64 = stmt
                .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))
                .map_err(query_error)?;
            Ok(n as u64)
        })
    }

    /// CPD activities matching a query, best first.
    pub fn search_cpd(&self, query: &str, limit: u32) -> Result<Vec<CpdHit>> {
        let expr = parse_query(query, false)?;
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT c.id, c.title, c.started_on,
                        snippet(cpd_fts, -1, char(2), char(3), '…', 24)
                   FROM cpd_fts JOIN cpd_activities c ON c.seq = cpd_fts.rowid
                  WHERE cpd_fts MATCH ?1
                  ORDER BY bm25(cpd_fts, 10.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 5.0), c.id LIMIT ?2",
            )?;
            let hits = stmt
                .query_map(rusqlite::params![expr, limit.clamp(1, 500)], |r| {
                    let snippet: String = r.get(3)?;
                    Ok(CpdHit {
                        id: super::row::col_uuid(r, 0)?,
                        title: r.get(1)?,
                        started_on: super::row::col_date(r, 2)?,
                        snippet_html: marked_html(&snippet),
                        snippet_text: marked_text(&snippet),
                    })
                })
                .map_err(query_error)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(query_error)?;
            Ok(hits)
        })
    }
}

/// The first page of a search with no filters: `limit + 1` rows of `(seq, id, score)`, as the
/// general ranking query orders them (score, then the entry added last).
///
/// The general query joins every match to `entries_live` before ranking, to leave out trashed
/// entries: for a word in 48,000 entries, 48,000 index lookups, about a third of its time.
/// Here the full-text index ranks on its own, in the same order (its rowid is `seq`), and keeps
/// the best `limit + 1 + (entries in the trash)`, enough live ones even if every trashed entry
/// matched; only those are looked up. `None` if they held fewer live entries than that, which
/// only a full-text index out of step with its entries can cause: the general query answers.
fn rank_first_page_unfiltered(
    tx: &rusqlite::Transaction<'_>,
    expr: &str,
    limit: usize,
) -> Result<Option<Vec<(i64, String, Value)>>> {
    let trashed: i64 = tx
        .prepare_cached(
            "SELECT count(*) FROM entries INDEXED BY entries_trash WHERE deleted_at IS NOT NULL",
        )?
        .query_row([], |r| r.get(0))?;
    let mut ranked = tx.prepare_cached(
        "SELECT rowid, bm25(entries_fts, 10.0, 1.0, 5.0, 3.0) AS score
           FROM entries_fts WHERE entries_fts MATCH ? ORDER BY score ASC, rowid DESC LIMIT ?",
    )?;
    let mut live = tx.prepare_cached(
        "SELECT id FROM entries INDEXED BY entries_live WHERE seq = ? AND deleted_at IS NULL",
    )?;
    let keep = limit as i64 + 1 + trashed;
    let mut rows = ranked
        .query(rusqlite::params![expr, keep])
        .map_err(query_error)?;
    let (mut out, mut read) = (Vec::with_capacity(limit + 1), 0);
    while out.len() <= limit {
        let Some(row) = rows.next().map_err(query_error)? else {
            break;
        };
        read += 1;
        let (seq, score): (i64, f64) = (row.get(0)?, row.get(1)?);
        if let Some(id) = live
            .query_row([seq], |r| r.get::<_, String>(0))
            .optional()?
        {
            out.push((seq, id, Value::Real(score)));
        }
    }
    Ok((out.len() > limit || read < keep).then_some(out))
}

/// How the ranking and counting queries join matches to `entries` (aliased `e`).
///
/// The index hands back each match's `seq`. Looked up by rowid, every match reads its whole
/// entry row (title and body, about a page), which made ranking a common word on a 50,000-entry
/// journal read ~200 MB; the partial index `entries_live` (migration 3) holds `seq`,
/// `occurred_on` and `id` of live entries, a few megabytes. SQLite's planner prefers the rowid
/// lookup on its own, hence `INDEXED BY`. Trashed entries are not in that index, so a search
/// of the trash keeps the plain join; the filter's `deleted_at IS NULL` is what lets SQLite use
/// a partial index at all.
fn live_lookup(filter: &EntryFilter) -> &'static str {
    if filter.trash {
        "entries e"
    } else {
        "entries e INDEXED BY entries_live"
    }
}

/// FTS5 reports problems with the expression as generic SQLite errors; say it in plain words.
fn query_error(e: rusqlite::Error) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) if msg.contains("fts5") => {
            Error::Query("could not be understood; try plain words, \"a phrase\" or prefix*".into())
        }
        _ => Error::Storage(e),
    }
}
