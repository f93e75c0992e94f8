//! CPD activities of every type, spread over the span, with this year never empty.

use super::cast::Cast;
use super::phrases::Phrases;
use super::write::{fill_words, pick_text, scene};
use super::SPAN_DAYS;
use crate::error::Result;
use crate::model::{CpdInput, CpdType};
use crate::store::Store;
use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::Rng;
use uuid::Uuid;

/// How many CPD activities the sample has.
pub(super) const COUNT: usize = 25;

fn half_hours(rng: &mut StdRng, (lo, hi): (f64, f64)) -> f64 {
    let h = if hi > lo {
        rng.random_range(lo..=hi)
    } else {
        lo
    };
    (h * 2.0).round() / 2.0
}

pub(super) fn make_cpd(
    store: &Store,
    rng: &mut StdRng,
    p: &'static Phrases,
    cast: &Cast,
    start: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<(Uuid, NaiveDate)>> {
    let bank = &p.cpd;
    // Every type twice, then a few more of the common ones.
    let mut types: Vec<usize> = (0..bank.kinds.len()).chain(0..bank.kinds.len()).collect();
    for (i, kind) in bank.kinds.iter().enumerate() {
        types.extend(std::iter::repeat_n(i, kind.extra));
    }
    rand::seq::SliceRandom::shuffle(types.as_mut_slice(), rng);
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(start);
    let peers = cast.peer_names();
    let mut out = Vec::with_capacity(COUNT);
    for (i, t) in types.iter().enumerate().take(COUNT) {
        let kind = &bank.kinds[*t];
        // Spread over the two years, the last three always in the current year so that this
        // year's summary is never empty.
        let day = if i + 3 >= COUNT {
            let span = (today - year_start).num_days().max(0);
            year_start + Duration::days(rng.random_range(0..=span))
        } else {
            let step = SPAN_DAYS / COUNT as i64;
            (start + Duration::days(i as i64 * step + rng.random_range(0..step))).min(today)
        };
        let s = scene(rng, p, &peers);
        let n = (i % 4 + 1).to_string();
        let extra = [("{n}", n.as_str()), ("{mentor}", cast.mentor.1)];
        let hours = half_hours(rng, kind.hours).max(0.5);
        let (least, most) = kind.participatory;
        let fraction = if most > least {
            rng.random_range(least..=most)
        } else {
            least
        };
        let participatory_hours = ((hours * fraction * 2.0).round() / 2.0).min(hours);
        let ended_on = match kind.kind {
            CpdType::Course => Some((day + Duration::days(rng.random_range(28..=90))).min(today)),
            CpdType::Conference if rng.random_bool(0.5) => {
                Some((day + Duration::days(1)).min(today))
            }
            _ => None,
        };
        let mut tags: Vec<String> = Vec::new();
        for _ in 0..rng.random_range(1..=3) {
            let tag = pick_text(rng, &bank.tags).to_owned();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let mut standards: Vec<String> = vec![pick_text(rng, &bank.standards).to_owned()];
        let second = pick_text(rng, &bank.standards).to_owned();
        if !standards.contains(&second) {
            standards.push(second);
        }
        let descriptions = match kind.kind {
            CpdType::Reading | CpdType::SelfDirected => &bank.solo_descriptions,
            _ => &bank.descriptions,
        };
        let activity = store.create_cpd(&CpdInput {
            title: fill_words(pick_text(rng, &kind.titles), &s, rng, &extra),
            activity_type: kind.kind,
            started_on: day,
            ended_on,
            hours,
            participatory_hours,
            provider: (!kind.providers.is_empty())
                .then(|| pick_text(rng, &kind.providers).to_owned()),
            description: fill_words(pick_text(rng, descriptions), &s, rng, &extra),
            outcomes: format!(
                "{} {}",
                fill_words(pick_text(rng, &bank.outcomes), &s, rng, &extra),
                fill_words(pick_text(rng, &bank.outcomes), &s, rng, &extra)
            ),
            impact: fill_words(pick_text(rng, &bank.impacts), &s, rng, &extra),
            benefit: fill_words(pick_text(rng, &bank.benefits), &s, rng, &extra),
            evidence: pick_text(rng, &bank.evidence).to_owned(),
            standards,
            tags,
            linked_entries: Vec::new(),
        })?;
        out.push((activity.id, day));
    }
    Ok(out)
}
