//! Mentoring and peer session notes, and the actions agreed in them or planned in reflections.

use super::cast::Cast;
use super::entries::Written;
use super::phrases::Phrases;
use super::write::{capitalised, fill_words, pick, pick_text, scene, write_sentence};
use crate::error::Result;
use crate::model::{ActionInput, ActionSource, ActionStatus, MentoringSessionInput};
use crate::store::Store;
use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::Rng;
use uuid::Uuid;

/// Long overdue actions are mostly done; recent ones are still open or under way.
fn action_status(rng: &mut StdRng, due: NaiveDate, today: NaiveDate) -> ActionStatus {
    let overdue = (today - due).num_days();
    if overdue > 30 {
        if rng.random_bool(0.8) {
            ActionStatus::Done
        } else {
            ActionStatus::Dropped
        }
    } else if overdue > 0 {
        pick(
            rng,
            &[
                ActionStatus::Done,
                ActionStatus::InProgress,
                ActionStatus::Open,
            ],
        )
    } else {
        pick(
            rng,
            &[
                ActionStatus::Open,
                ActionStatus::Open,
                ActionStatus::InProgress,
            ],
        )
    }
}

/// Twelve session notes (six mentoring, four group, two peer pair) with agreed actions;
/// returns (sessions, actions).
pub(super) fn make_mentoring(
    store: &Store,
    rng: &mut StdRng,
    p: &'static Phrases,
    cast: &Cast,
    today: NaiveDate,
) -> Result<(u32, u32)> {
    let group_ids: Vec<Uuid> = cast.group_peers.iter().map(|g| g.0).collect();
    let plan: Vec<(Uuid, i64, Vec<Uuid>, &'static str)> = (0..6)
        .map(|k| {
            (
                cast.mentoring,
                20 + k * 60,
                vec![cast.mentor.0, cast.owner],
                cast.mentor.1,
            )
        })
        .chain((0..4).map(|k| {
            let mut who = vec![cast.owner];
            who.extend(group_ids.iter().copied());
            (
                cast.group,
                35 + k * 90,
                who,
                cast.group_peers[k as usize % cast.group_peers.len()].1,
            )
        }))
        .chain((0..2).map(|k| {
            (
                cast.peer_pair,
                50 + k * 120,
                vec![cast.owner, cast.pair_peer.0],
                cast.pair_peer.1,
            )
        }))
        .collect();
    let peers = cast.peer_names();
    let (mut sessions, mut actions) = (0, 0);
    for (relationship, days_ago, mut attendees, speaker) in plan {
        let held_on = today - Duration::days(days_ago + rng.random_range(0..10));
        // Someone usually misses a group meeting.
        if attendees.len() > 2 && rng.random_bool(0.5) {
            let gone = rng.random_range(1..attendees.len());
            attendees.remove(gone);
        }
        let mut s = scene(rng, p, &peers);
        s.peer = speaker;
        let mut notes = String::new();
        let mut used = Vec::new();
        for _ in 0..rng.random_range(2..=4) {
            let pattern = pick_text(rng, &p.mentoring.session_notes);
            if used.contains(&pattern) {
                continue;
            }
            used.push(pattern);
            if !notes.is_empty() {
                notes.push(' ');
            }
            write_sentence(&mut notes, pattern, &s, rng);
        }
        let titles: Vec<String> = (0..rng.random_range(1..=2))
            .map(|_| fill_words(pick_text(rng, &p.mentoring.action_titles), &s, rng, &[]))
            .collect();
        notes.push_str("\n\n**Agreed:**\n\n");
        for t in &titles {
            notes.push_str("- ");
            notes.push_str(t);
            notes.push('\n');
        }
        let session = store.create_session(&MentoringSessionInput {
            relationship_id: relationship,
            held_on,
            duration_minutes: Some(pick(rng, &[45, 60, 60, 75, 90])),
            notes,
            attendees: attendees.clone(),
        })?;
        sessions += 1;
        for t in titles {
            let due = held_on + Duration::days(rng.random_range(14..=42));
            let owner = if rng.random_bool(0.75) {
                cast.owner
            } else {
                pick(rng, &attendees)
            };
            store.create_action(&ActionInput {
                title: t,
                detail: String::new(),
                owner_id: Some(owner),
                due_on: Some(due),
                status: action_status(rng, due, today),
                source: ActionSource::MentoringSession,
                source_entry_id: None,
                source_session_id: Some(session.id),
            })?;
            actions += 1;
        }
    }
    Ok((sessions, actions))
}

/// An action for each reflection whose action plan was marked to follow up.
pub(super) fn make_reflection_actions(
    store: &Store,
    rng: &mut StdRng,
    p: &'static Phrases,
    cast: &Cast,
    written: &Written,
    today: NaiveDate,
) -> Result<u32> {
    let peers = cast.peer_names();
    let mut n = 0;
    for (entry, day) in &written.with_plans {
        let s = scene(rng, p, &peers);
        let due = *day + Duration::days(rng.random_range(7..=28));
        store.create_action(&ActionInput {
            title: capitalised(pick_text(rng, &p.changes)),
            detail: fill_words(&p.mentoring.reflection_action_detail, &s, rng, &[]),
            owner_id: Some(cast.owner),
            due_on: Some(due),
            status: action_status(rng, due, today),
            source: ActionSource::Reflection,
            source_entry_id: Some(*entry),
            source_session_id: None,
        })?;
        n += 1;
    }
    Ok(n)
}
