//! `reprise cpd`: log CPD activities, list them, and sum their hours.

use super::output::{cpd_type_label, hours, with_short_ids};
use super::{parse_cpd_type, parse_day, split_tags, CliError, CliResult, Ctx};
use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand};
use reprise::model::{CpdInput, CpdType};

/// `reprise cpd …`.
// Parsed once per process, so the size of the largest variant costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum CpdCommand {
    /// Log a CPD activity.
    Add(AddArgs),
    /// List CPD activities, newest first.
    List {
        /// Only activities that started on or after this day.
        #[arg(long, value_parser = parse_day, value_name = "DAY")]
        since: Option<NaiveDate>,
        /// Only activities that started on or before this day.
        #[arg(long, value_parser = parse_day, value_name = "DAY")]
        until: Option<NaiveDate>,
    },
    /// Hours by type, participatory hours and totals [default: this calendar year].
    Summary {
        /// From this day.
        #[arg(long, value_parser = parse_day, value_name = "DAY")]
        since: Option<NaiveDate>,
        /// To this day.
        #[arg(long, value_parser = parse_day, value_name = "DAY")]
        until: Option<NaiveDate>,
        /// A whole calendar year.
        #[arg(long, value_name = "YYYY", conflicts_with_all = ["since", "until"],
              value_parser = clap::value_parser!(i32).range(1..=9999))]
        year: Option<i32>,
    },
}

/// `reprise cpd add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// What it was called.
    #[arg(long)]
    title: String,
    /// course, training-day, conference, webinar, reading, peer-observation, mentoring,
    /// supervision, self-directed or other.
    #[arg(long = "type", value_parser = parse_cpd_type, value_name = "TYPE")]
    activity_type: CpdType,
    /// The day it started: YYYY-MM-DD, today or yesterday [default: today].
    #[arg(long, value_parser = parse_day, value_name = "DAY")]
    date: Option<NaiveDate>,
    /// The day it ended, when it spanned several.
    #[arg(long, value_parser = parse_day, value_name = "DAY")]
    end_date: Option<NaiveDate>,
    /// Hours of CPD.
    #[arg(long)]
    hours: f64,
    /// Of those, hours spent actively taking part with others.
    #[arg(long, default_value_t = 0.0)]
    participatory_hours: f64,
    /// Who provided it.
    #[arg(long)]
    provider: Option<String>,
    /// What it was.
    #[arg(long, default_value = "")]
    description: String,
    /// What you learnt.
    #[arg(long, default_value = "")]
    outcomes: String,
    /// How it changed your practice.
    #[arg(long, default_value = "")]
    impact: String,
    /// How children or service users benefit.
    #[arg(long, default_value = "")]
    benefit: String,
    /// Notes on the evidence kept.
    #[arg(long, default_value = "")]
    evidence: String,
    /// A tag (repeat, or separate with commas).
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// A professional standard it addresses (repeat for several).
    #[arg(long = "standard", value_name = "TEXT")]
    standards: Vec<String>,
}

pub fn run(ctx: &mut Ctx, command: CpdCommand) -> CliResult {
    match command {
        CpdCommand::Add(a) => add(ctx, a),
        CpdCommand::List { since, until } => list(ctx, since, until),
        CpdCommand::Summary { since, until, year } => summary(ctx, since, until, year),
    }
}

fn add(ctx: &mut Ctx, a: AddArgs) -> CliResult {
    let input = CpdInput {
        title: a.title,
        activity_type: a.activity_type,
        started_on: a.date.unwrap_or_else(|| chrono::Local::now().date_naive()),
        ended_on: a.end_date,
        // Adding zero stores `--hours=-0` as 0, not as -0.0.
        hours: a.hours + 0.0,
        participatory_hours: a.participatory_hours + 0.0,
        provider: a.provider,
        description: a.description,
        outcomes: a.outcomes,
        impact: a.impact,
        benefit: a.benefit,
        evidence: a.evidence,
        standards: a.standards,
        tags: split_tags(&a.tags),
        linked_entries: Vec::new(),
    };
    let activity = ctx.write()?.create_cpd(&input)?;
    ctx.out.written(&activity, activity.id)
}

fn list(ctx: &mut Ctx, since: Option<NaiveDate>, until: Option<NaiveDate>) -> CliResult {
    if let (Some(s), Some(u)) = (since, until) {
        if u < s {
            return Err(CliError::Core(reprise::Error::invalid(
                "until",
                format!("{u} is before since ({s})"),
            )));
        }
    }
    let activities = ctx.read()?.list_cpd(since, until)?;
    ctx.out.either(&activities, |out| {
        for (a, id) in with_short_ids(&activities, |a| a.id) {
            let provider = a
                .provider
                .as_deref()
                .map(|p| format!("  ({p})"))
                .unwrap_or_default();
            out.line(format!(
                "{id}  {}  {:<16} {:>5} h ({} participatory)  {}{provider}",
                a.started_on,
                cpd_type_label(a.activity_type),
                hours(a.hours),
                hours(a.participatory_hours),
                a.title
            ))?;
        }
        Ok(())
    })
}

fn summary(
    ctx: &mut Ctx,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
    year: Option<i32>,
) -> CliResult {
    let today = chrono::Local::now().date_naive();
    // A period left open at one end runs from the start of the year it ends in, or to the end
    // of this (or the given) year.
    let year = year.unwrap_or(today.year());
    let first = NaiveDate::from_ymd_opt(until.map_or(year, |u| u.year()), 1, 1);
    let last = NaiveDate::from_ymd_opt(year, 12, 31);
    let (Some(since), Some(until)) = (since.or(first), until.or(last)) else {
        return Err(CliError::Usage(format!(
            "{year} is not a year this calendar knows"
        )));
    };
    let s = ctx.read()?.cpd_summary(since, until)?;
    ctx.out.either(&s, |out| {
        out.line(format!("CPD from {} to {}", s.since, s.until))?;
        out.line(format!(
            "{:<18} {:>10} {:>8} {:>14}",
            "Type", "Activities", "Hours", "Participatory"
        ))?;
        for t in &s.by_type {
            out.line(format!(
                "{:<18} {:>10} {:>8} {:>14}",
                cpd_type_label(t.activity_type),
                t.activities,
                hours(t.hours),
                hours(t.participatory_hours)
            ))?;
        }
        out.line(format!(
            "{:<18} {:>10} {:>8} {:>14}",
            "Total",
            s.activities,
            hours(s.hours),
            hours(s.participatory_hours)
        ))
    })
}
