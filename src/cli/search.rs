//! `reprise search`: entries first, then CPD activities.

use super::output::short_entry_id;
use super::{CliResult, Ctx, FilterArgs};
use clap::Args;
use reprise::search::{SearchHit, SearchOrder, SearchRequest};
use serde::Serialize;

/// `reprise search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for: words, "a phrase", prefix*, -excluded, this OR that. Put `--` before
    /// a query that starts with `-`.
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    query: Vec<String>,
    /// At most this many entries (and as many CPD activities).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    limit: u32,
    /// Print only how many entries match.
    #[arg(long)]
    count: bool,
    #[command(flatten)]
    filter: FilterArgs,
    /// Newest first instead of best match first.
    #[arg(long)]
    newest: bool,
}

#[derive(Serialize)]
struct Found<'a> {
    entries: &'a [SearchHit],
    cpd: &'a [reprise::search::CpdHit],
}

pub fn search(ctx: &mut Ctx, a: SearchArgs) -> CliResult {
    let store = ctx.read()?;
    let query = a.query.join(" ");
    let mut req = SearchRequest {
        query: query.clone(),
        prefix_last: false,
        order: if a.newest {
            SearchOrder::Newest
        } else {
            SearchOrder::Relevance
        },
        filter: a.filter.to_filter(&store)?,
    };
    if a.count {
        return ctx.out.count(store.search_count(&req)?);
    }
    let mut hits: Vec<SearchHit> = Vec::new();
    loop {
        req.filter.limit = Some((a.limit - hits.len() as u32).min(500));
        let page = store.search(&req)?;
        hits.extend(page.items);
        match page.next {
            Some(cursor) if (hits.len() as u32) < a.limit => req.filter.cursor = Some(cursor),
            _ => break,
        }
    }
    // CPD activities have no tags-kind-template-dates filter of their own, so a filtered
    // search is about entries only.
    let cpd = if a.filter.any() {
        Vec::new()
    } else {
        store.search_cpd(&query, a.limit)?
    };
    ctx.out.either(
        &Found {
            entries: &hits,
            cpd: &cpd,
        },
        |out| {
            if hits.is_empty() && cpd.is_empty() {
                return out.line("Nothing matches.");
            }
            for h in &hits {
                let e = &h.entry;
                out.line(format!(
                    "{}  {}  ({})",
                    e.occurred_on,
                    e.title,
                    short_entry_id(&store, e.id)
                ))?;
                if !h.snippet_text.is_empty() {
                    out.line(format!("    {}", h.snippet_text))?;
                }
            }
            if !cpd.is_empty() {
                if !hits.is_empty() {
                    out.line("")?;
                }
                out.line("CPD activities")?;
                let ids: Vec<_> = cpd.iter().map(|c| c.id).collect();
                for (c, id) in cpd.iter().zip(super::output::short_ids(&ids)) {
                    out.line(format!("{}  {}  ({id})", c.started_on, c.title))?;
                    if !c.snippet_text.is_empty() {
                        out.line(format!("    {}", c.snippet_text))?;
                    }
                }
            }
            Ok(())
        },
    )
}
