//! Writing: a scene drawn at random, and patterns filled from it into sentences, sections,
//! bodies and titles.

use super::phrases::{Ask, Phrases, Place};
use crate::model::Template;
use rand::rngs::StdRng;
use rand::Rng;

/// Every `{slot}` that [`write_sentence`] fills; the phrases are checked against this list.
pub(super) const SLOTS: &[&str] = &[
    "place", "group", "act", "act2", "who", "theme", "peer", "mins", "learner", "learner2",
    "adult", "feel", "idea", "change",
];

/// What one entry is about: the pieces every sentence in it draws on.
pub(super) struct Scene {
    pub phrases: &'static Phrases,
    pub place: &'static Place,
    pub learners: &'static [String],
    pub adults: &'static [String],
    pub who: &'static str,
    pub act: &'static str,
    pub act2: &'static str,
    pub acts: Vec<&'static str>,
    pub theme: &'static str,
    pub theme_tag: Option<&'static str>,
    pub peer: &'static str,
    pub minutes: u32,
}

/// One of `items`, each as likely as the others.
pub(super) fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// [`pick`] for the phrases, which are owned strings.
pub(super) fn pick_text<'a>(rng: &mut StdRng, texts: &'a [String]) -> &'a str {
    &texts[rng.random_range(0..texts.len())]
}

fn weighted_place(rng: &mut StdRng, places: &'static [Place]) -> &'static Place {
    let total: u32 = places.iter().map(|p| p.weight).sum();
    let mut n = rng.random_range(0..total);
    for p in places {
        if n < p.weight {
            return p;
        }
        n -= p.weight;
    }
    &places[0]
}

pub(super) fn scene(rng: &mut StdRng, p: &'static Phrases, peers: &[&'static str]) -> Scene {
    let place = weighted_place(rng, &p.places);
    let people = p.participants_for(place.band);
    let suitable: Vec<&'static str> = p
        .activities
        .iter()
        .filter(|a| a.bands.suit(place.band))
        .map(|a| a.name.as_str())
        .collect();
    let mut acts: Vec<&'static str> = Vec::new();
    let wanted = rng.random_range(2..=4).min(suitable.len());
    while acts.len() < wanted {
        let a = pick(rng, &suitable);
        if !acts.contains(&a) {
            acts.push(a);
        }
    }
    let themes: Vec<_> = p
        .themes
        .iter()
        .filter(|t| t.bands.suit(place.band))
        .collect();
    let theme = themes[rng.random_range(0..themes.len())];
    Scene {
        phrases: p,
        place,
        learners: &people.learners,
        adults: &people.adults,
        who: &people.who,
        act: acts[0],
        act2: acts[1 % acts.len()],
        acts,
        theme: &theme.name,
        theme_tag: theme.tag.as_deref(),
        peer: pick(rng, peers),
        minutes: pick(rng, &place.minutes),
    }
}

/// Writes `pattern` with its `{slots}` filled from the scene, capitalised, into `out`;
/// returns the number of words written.
pub(super) fn write_sentence(
    out: &mut String,
    pattern: &str,
    s: &Scene,
    rng: &mut StdRng,
) -> usize {
    let begin = out.len();
    let mut rest = pattern;
    let mut learner_index = None;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let slot = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let minutes;
        let text: &str = match slot {
            "place" => &s.place.name,
            "group" => &s.place.group,
            "act" => s.act,
            "act2" => s.act2,
            "who" => s.who,
            "theme" => s.theme,
            "peer" => s.peer,
            "mins" => {
                minutes = s.minutes.to_string();
                &minutes
            }
            "learner" | "learner2" => {
                // Two learners in one sentence are two different people.
                let n = s.learners.len();
                let i = match learner_index {
                    Some(first) => {
                        (first + 1 + rng.random_range(0..n.saturating_sub(1).max(1))) % n
                    }
                    None => rng.random_range(0..n),
                };
                learner_index = Some(i);
                &s.learners[i]
            }
            "adult" => pick_text(rng, s.adults),
            "feel" => pick_text(rng, &s.phrases.feelings),
            "idea" => pick_text(rng, &s.phrases.ideas),
            "change" => pick_text(rng, &s.phrases.changes),
            _ => "",
        };
        out.push_str(text);
    }
    out.push_str(rest);
    capitalise_from(out, begin);
    out[begin..].split_whitespace().count()
}

/// `pattern` written from the scene, after replacing the `extra` (slot, text) pairs that only
/// some patterns use.
pub(super) fn fill_words(
    pattern: &str,
    s: &Scene,
    rng: &mut StdRng,
    extra: &[(&str, &str)],
) -> String {
    let mut p = pattern.to_owned();
    for (slot, text) in extra {
        p = p.replace(slot, text);
    }
    let mut out = String::new();
    write_sentence(&mut out, &p, s, rng);
    out
}

/// Upper-cases the first letter at or after byte `from`.
fn capitalise_from(text: &mut String, from: usize) {
    if let Some((i, c)) = text[from..].char_indices().next() {
        if c.is_lowercase() {
            let upper: String = c.to_uppercase().collect();
            text.replace_range(from + i..from + i + c.len_utf8(), &upper);
        }
    }
}

pub(super) fn capitalised(text: &str) -> String {
    let mut s = text.to_owned();
    capitalise_from(&mut s, 0);
    s
}

/// A section of about `words` words answering a prompt of the given kind.
fn write_section(out: &mut String, ask: Ask, words: usize, s: &Scene, rng: &mut StdRng) {
    let bank = s.phrases.sentences(ask);
    if bank.is_empty() {
        return;
    }
    let mut order: Vec<usize> = (0..bank.len()).collect();
    let mut next = order.len();
    let mut written = 0;
    let mut in_paragraph = 0;
    while written < words {
        if next == order.len() {
            rand::seq::SliceRandom::shuffle(order.as_mut_slice(), rng);
            next = 0;
        }
        if in_paragraph > 0 {
            out.push_str(if in_paragraph >= rng.random_range(3..6) {
                "\n\n"
            } else {
                " "
            });
            if out.ends_with("\n\n") {
                in_paragraph = 0;
            }
        }
        written += write_sentence(out, &bank[order[next]], s, rng);
        next += 1;
        in_paragraph += 1;
    }
    // Action plans often end in a short list.
    if ask == Ask::Plan && rng.random_bool(0.5) {
        out.push_str("\n\n");
        let mut used = Vec::new();
        for _ in 0..rng.random_range(2..=3) {
            let c = pick_text(rng, &s.phrases.changes);
            if !used.contains(&c) {
                used.push(c);
                out.push_str("- ");
                out.push_str(&capitalised(c));
                out.push('\n');
            }
        }
        while out.ends_with('\n') {
            out.pop();
        }
    }
}

/// An entry's Markdown: one section per prompt of the template, about `words` words in all.
pub(super) fn body(template: &Template, words: usize, s: &Scene, rng: &mut StdRng) -> String {
    let n = template.prompts.len().max(1);
    let per_section = (words / n).max(8);
    let mut out = String::with_capacity(words * 7);
    for (i, prompt) in template.prompts.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str("## ");
        out.push_str(&prompt.heading);
        out.push_str("\n\n");
        let ask = s.phrases.ask_for(&prompt.heading, i, n);
        write_section(&mut out, ask, per_section, s, rng);
    }
    out.push('\n');
    out
}

pub(super) fn title(key: &str, s: &Scene, rng: &mut StdRng) -> String {
    let mut t = String::new();
    write_sentence(&mut t, pick_text(rng, s.phrases.titles_for(key)), s, rng);
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn every_known_slot_is_filled() {
        let p = super::super::phrases::phrases().unwrap();
        let mut rng = StdRng::seed_from_u64(1);
        let s = scene(&mut rng, p, &["a peer"]);
        for slot in SLOTS {
            let mut out = String::new();
            assert!(
                write_sentence(&mut out, &format!("{{{slot}}}"), &s, &mut rng) > 0,
                "{slot}"
            );
        }
    }
}
