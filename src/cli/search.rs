//! `reprise search`: entries first, then CPD activities.

use super::output::{short_entry_id, with_short_ids};
use super::{CliResult, Ctx, FilterArgs};
use clap::Args;
use reprise::search::{SearchHit, SearchOrder, SearchRequest};
use serde::Serialize;

/// `reprise search`.
#[derive(Debug, Args)]
#[command(
    after_help = "`reprise search -recorder songs --limit 5` finds entries about songs that do \
                  not mention recorders. A word starting with `-` that is one of search's own \
                  flags (`-h`) is the flag; put it after `--` to search for it."
)]
pub struct SearchArgs {
    /// What to look for: words, "a phrase", prefix*, -excluded, this OR that.
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
    let Some(store) = ctx.read_if_any()? else {
        // The default location has no journal yet: nothing can match, and nothing is created.
        if a.count {
            return ctx.out.count(0);
        }
        let none = Found {
            entries: &[],
            cpd: &[],
        };
        return ctx.out.either(&none, |out| out.line("No entries yet."));
    };
    let query = a
        .query
        .iter()
        .map(|w| unmark_exclusion(w))
        .collect::<Vec<_>>()
        .join(" ");
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
                for (c, id) in with_short_ids(&cpd, |c| c.id) {
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

/// Stands in for the `-` of an excluded word (`-recorder`) while clap parses the arguments,
/// which would otherwise read it as a cluster of short flags. A private-use character: it is
/// never typed, and the query parser never sees it.
const EXCLUDE_MARK: char = '\u{E000}';

/// Marks `search`'s words that start with `-` but are none of its flags, so that flags may
/// come anywhere (`reprise search songs --count`) and exclusions need no `--`.
pub fn mark_exclusions(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use clap::CommandFactory;
    let Some(at) = args.iter().position(|a| a == "search") else {
        return args;
    };
    let cli = super::Cli::command();
    let Some(search) = cli.find_subcommand("search") else {
        return args;
    };
    let shorts: Vec<char> = search
        .get_arguments()
        .chain(cli.get_arguments())
        .filter_map(|a| a.get_short())
        .chain(['h'])
        .collect();
    let mut out = args[..=at].to_vec();
    let mut rest = args[at + 1..].iter();
    for arg in rest.by_ref() {
        if arg == "--" {
            out.push(arg.clone());
            break;
        }
        match arg.to_str() {
            Some(text)
                if text.len() > 1
                    && text.starts_with('-')
                    && !text.starts_with("--")
                    && !(text.len() == 2 && text[1..].chars().all(|c| shorts.contains(&c))) =>
            {
                out.push(format!("{EXCLUDE_MARK}{}", &text[1..]).into());
            }
            _ => out.push(arg.clone()),
        }
    }
    out.extend(rest.cloned());
    out
}

fn unmark_exclusion(word: &str) -> String {
    match word.strip_prefix(EXCLUDE_MARK) {
        Some(rest) => format!("-{rest}"),
        None => word.to_owned(),
    }
}
