//! The entries: dated over the span, written from a weighted mix of the built-in templates,
//! and stored in batches.

use super::cast::Cast;
use super::phrases::Phrases;
use super::write::{body, capitalised, pick, scene, title, Scene};
use super::{DemoOptions, SPAN_DAYS};
use crate::error::Result;
use crate::model::{EntryInput, EntryKind, SessionFacts, Template};
use crate::store::Store;
use chrono::{Duration, NaiveDate, NaiveTime};
use rand::rngs::StdRng;
use rand::Rng;
use uuid::Uuid;

/// What writing the entries produced, for the summary and for linking actions.
pub(super) struct Written {
    pub starred: u32,
    pub links: u32,
    pub tags: Vec<String>,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    /// A few reflections with an action plan, for actions that come from them.
    pub with_plans: Vec<(Uuid, NaiveDate)>,
}

pub(super) fn make_entries(
    store: &Store,
    rng: &mut StdRng,
    p: &'static Phrases,
    options: &DemoOptions,
    cast: &Cast,
    cpd: &[(Uuid, NaiveDate)],
    start: NaiveDate,
) -> Result<Written> {
    let templates = p
        .template_mix
        .iter()
        .map(|share| Ok((store.get_template(&share.template)?, share.weight)))
        .collect::<Result<Vec<(Template, u32)>>>()?;
    let total_weight: u32 = templates.iter().map(|t| t.1).sum();
    let peers = cast.peer_names();
    let n = options.entries as usize;
    // Days in ascending order, so that a link always points back in time.
    let mut days: Vec<i64> = (0..n).map(|_| rng.random_range(0..=SPAN_DAYS)).collect();
    days.sort_unstable();
    let batch = (n / 4).clamp(25, 1000);
    let words = options.words_per_entry as usize;

    let mut written = Written {
        starred: 0,
        links: 0,
        tags: Vec::new(),
        first_day: None,
        last_day: None,
        with_plans: Vec::new(),
    };
    let mut earlier: Vec<Uuid> = Vec::new();
    let mut inputs: Vec<EntryInput> = Vec::with_capacity(batch);
    let mut plans_in_batch: Vec<(usize, NaiveDate)> = Vec::new();
    for (i, offset) in days.iter().enumerate() {
        let day = start + Duration::days(*offset);
        let mut w = rng.random_range(0..total_weight);
        let mut chosen = &templates[0].0;
        for (t, weight) in &templates {
            if w < *weight {
                chosen = t;
                break;
            }
            w -= weight;
        }
        let s = scene(rng, p, &peers);
        let length = match chosen.kind {
            EntryKind::QuickNote => words * 2 / 5,
            _ => words * 11 / 10,
        };
        let tags = entry_tags(&s);
        for t in &tags {
            if !written.tags.contains(t) {
                written.tags.push(t.clone());
            }
        }
        let session = (chosen.kind == EntryKind::SessionRecord).then(|| SessionFacts {
            setting: Some(s.place.name.clone()),
            group: Some(capitalised(
                s.place
                    .group
                    .trim_start_matches("my ")
                    .trim_start_matches("the "),
            )),
            age_range: Some(s.place.ages.clone()),
            participants: Some(rng.random_range(s.place.size.0..=s.place.size.1)),
            duration_minutes: Some(s.minutes),
            activities: Some(capitalised(&s.acts.join(", "))),
        });
        let mut relationships = Vec::new();
        if chosen.key == "peer-observation" {
            relationships.push(if s.peer == cast.pair_peer.1 {
                cast.peer_pair
            } else {
                cast.group
            });
        } else if rng.random_bool(0.08) {
            relationships.push(cast.mentoring);
        } else if rng.random_bool(0.05) {
            relationships.push(cast.group);
        }
        let mut linked_cpd = Vec::new();
        if chosen.kind == EntryKind::Reflection && rng.random_bool(0.1) {
            // The most recent CPD activity before this day, if it was within three months.
            if let Some((id, _)) = cpd
                .iter()
                .filter(|(_, d)| *d <= day && (day - *d).num_days() <= 90)
                .max_by_key(|(_, d)| *d)
            {
                linked_cpd.push(*id);
            }
        }
        let mut linked_entries = Vec::new();
        if !earlier.is_empty() && rng.random_bool(0.04) {
            let recent = earlier.len().saturating_sub(batch);
            linked_entries.push(earlier[rng.random_range(recent..earlier.len())]);
            written.links += 1;
        }
        let starred = rng.random_bool(0.07);
        written.starred += u32::from(starred);
        written.first_day = Some(written.first_day.map_or(day, |d| d.min(day)));
        written.last_day = Some(written.last_day.map_or(day, |d| d.max(day)));
        if chosen.key == "gibbs"
            && written.with_plans.len() + plans_in_batch.len() < 6
            && rng.random_bool(0.3)
        {
            plans_in_batch.push((inputs.len(), day));
        }
        inputs.push(EntryInput {
            kind: chosen.kind,
            title: title(&chosen.key, &s, rng),
            body: body(chosen, length, &s, rng),
            occurred_on: Some(day),
            occurred_time: session.as_ref().and_then(|_| {
                NaiveTime::from_hms_opt(rng.random_range(9..=17), pick(rng, &[0, 15, 30, 45]), 0)
            }),
            template_id: Some(chosen.id),
            starred,
            tags,
            session,
            linked_entries,
            linked_cpd,
            linked_relationships: relationships,
        });
        if inputs.len() == batch || i + 1 == n {
            let ids = store.create_entries(&inputs)?;
            for (index, day) in plans_in_batch.drain(..) {
                if let Some(id) = ids.get(index) {
                    written.with_plans.push((*id, day));
                }
            }
            earlier.extend(ids);
            inputs.clear();
        }
    }
    Ok(written)
}

/// The place's tags, then the first tag of each of the first two activities, then the
/// theme's; without repeats, at most five.
fn entry_tags(s: &Scene) -> Vec<String> {
    let mut tags: Vec<String> = s.place.tags.clone();
    for act in s.acts.iter().take(2) {
        if let Some(activity) = s.phrases.activities.iter().find(|a| a.name == *act) {
            if let Some(tag) = activity.tags.first() {
                tags.push(tag.clone());
            }
        }
    }
    if let Some(tag) = s.theme_tag {
        tags.push(tag.to_owned());
    }
    let mut unique: Vec<String> = Vec::with_capacity(tags.len());
    for t in tags {
        if !unique.contains(&t) {
            unique.push(t);
        }
    }
    unique.truncate(5);
    unique
}
