//! The words the sample is made of, compiled in from `assets/sample/phrases.json`.
//!
//! The file is parsed and checked once, on first use. The check is what keeps the generator
//! free of panics: every table it draws from is non-empty, every weight adds up to something,
//! and every `{slot}` in a pattern is one that [`super::write`] knows how to fill. A unit test
//! runs the same check, so a bad edit of the file fails the tests rather than someone's first
//! run.

use super::write::SLOTS;
use crate::error::{Error, Result};
use crate::model::CpdType;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::LazyLock;

const PATH: &str = "assets/sample/phrases.json";

static PHRASES: LazyLock<std::result::Result<Phrases, String>> =
    LazyLock::new(|| parse(include_str!("../../assets/sample/phrases.json")));

/// The shipped phrases, parsed and checked.
///
/// # Errors
/// [`Error::Invalid`] only if the shipped file is malformed, which a test rules out.
pub(super) fn phrases() -> Result<&'static Phrases> {
    PHRASES
        .as_ref()
        .map_err(|reason| Error::invalid(PATH, reason.clone()))
}

fn parse(text: &str) -> std::result::Result<Phrases, String> {
    let phrases: Phrases = serde_json::from_str(text).map_err(|e| e.to_string())?;
    phrases.check()?;
    Ok(phrases)
}

/// Declares a table of the sample's data file: read as the file writes it, every field
/// required unless it says otherwise, and no other field allowed.
macro_rules! phrase_table {
    ($(#[$meta:meta])* pub(super) struct $name:ident { $($fields:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(super) struct $name { $($fields)* }
    };
}

phrase_table! {
    /// Every table the sample draws from. The order of each list matters: the generator picks by
    /// position, so reordering a list changes the journal a seed gives.
    pub(super) struct Phrases {
        /// The journal's owner, when the journal has none yet.
        pub owner: Profile,
        /// Everyone else: the first is the mentor, the second the peer-pair partner, the next
        /// three the peer group.
        pub people: Vec<Profile>,
        /// The names and purposes of the three relationships.
        pub relationships: Relationships,
        /// Where sessions happen.
        pub places: Vec<Place>,
        /// Who is in a session, one group per band.
        pub participants: Vec<Participants>,
        /// What a session does.
        pub activities: Vec<Activity>,
        /// What a reflection is about.
        pub themes: Vec<Theme>,
        /// For `{feel}`.
        pub feelings: Vec<String>,
        /// For `{idea}`.
        pub ideas: Vec<String>,
        /// For `{change}`, and the actions that come from reflections.
        pub changes: Vec<String>,
        /// Sentence patterns by what a template's prompt asks.
        pub prompts: HashMap<Ask, Bank>,
        /// Title patterns by template.
        pub titles: Titles,
        /// How often each built-in template is used, out of the total of the weights.
        pub template_mix: Vec<Share>,
        /// CPD activities.
        pub cpd: CpdPhrases,
        /// Mentoring session notes and their actions.
        pub mentoring: MentoringPhrases,
    }
}

phrase_table! {
    /// A person in the sample.
    pub(super) struct Profile {
        pub name: String,
        pub contact: Option<String>,
        pub role: String,
        #[serde(default)]
        pub notes: String,
    }
}

phrase_table! {
    pub(super) struct Relationships {
        pub group: Named,
        pub mentoring: Named,
        pub peer_pair: Named,
    }
}

phrase_table! {
    /// A relationship's name and purpose; both may use `{mentor}` and `{peer}`.
    pub(super) struct Named {
        pub name: String,
        pub purpose: String,
    }
}

/// Who a session is for, so that places, participants, activities and themes fit together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Band {
    Baby,
    Early,
    Send,
    Teens,
    Care,
    Ward,
}

/// A set of bands.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(from = "Vec<Band>")]
pub(super) struct Bands(u8);

impl From<Vec<Band>> for Bands {
    fn from(bands: Vec<Band>) -> Self {
        Bands(bands.iter().fold(0, |set, band| set | 1 << *band as u8))
    }
}

impl Bands {
    pub(super) fn suit(self, band: Band) -> bool {
        self.0 & 1 << band as u8 != 0
    }
}

phrase_table! {
    /// Where a session happens and who with.
    pub(super) struct Place {
        pub name: String,
        pub group: String,
        pub ages: String,
        pub band: Band,
        pub tags: Vec<String>,
        /// Fewest and most participants.
        pub size: (u32, u32),
        pub minutes: Vec<u32>,
        /// How many entries out of every hundred are set here.
        pub weight: u32,
    }
}

phrase_table! {
    /// The people in a session of one band.
    pub(super) struct Participants {
        pub band: Band,
        /// The group as a whole, for `{who}`.
        pub who: String,
        /// For `{learner}` and `{learner2}`.
        pub learners: Vec<String>,
        /// For `{adult}`.
        pub adults: Vec<String>,
    }
}

phrase_table! {
    pub(super) struct Activity {
        pub name: String,
        /// The first is the entry's tag for it.
        pub tags: Vec<String>,
        pub bands: Bands,
    }
}

phrase_table! {
    pub(super) struct Theme {
        pub name: String,
        pub tag: Option<String>,
        pub bands: Bands,
    }
}

/// What a template's prompt asks for, so that its section gets fitting sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Ask {
    Describe,
    Feel,
    Evaluate,
    Analyse,
    Conclude,
    Plan,
    Alternatives,
    ChildView,
    ColleagueView,
    Theory,
    Observe,
    Develop,
    Respond,
    Notice,
}

impl Ask {
    const ALL: [Ask; 14] = [
        Ask::Describe,
        Ask::Feel,
        Ask::Evaluate,
        Ask::Analyse,
        Ask::Conclude,
        Ask::Plan,
        Ask::Alternatives,
        Ask::ChildView,
        Ask::ColleagueView,
        Ask::Theory,
        Ask::Observe,
        Ask::Develop,
        Ask::Respond,
        Ask::Notice,
    ];
}

phrase_table! {
    /// The sentences for one kind of prompt, and the headings (lower case) that ask for it.
    pub(super) struct Bank {
        pub headings: Vec<String>,
        pub sentences: Vec<String>,
    }
}

phrase_table! {
    pub(super) struct Titles {
        pub for_template: HashMap<String, Vec<String>>,
        /// For every other template.
        pub otherwise: Vec<String>,
    }
}

phrase_table! {
    pub(super) struct Share {
        pub template: String,
        pub weight: u32,
    }
}

phrase_table! {
    pub(super) struct CpdPhrases {
        pub kinds: Vec<CpdKind>,
        pub descriptions: Vec<String>,
        /// Descriptions for CPD done alone (reading, self-directed learning).
        pub solo_descriptions: Vec<String>,
        pub outcomes: Vec<String>,
        pub impacts: Vec<String>,
        pub benefits: Vec<String>,
        pub evidence: Vec<String>,
        pub standards: Vec<String>,
        pub tags: Vec<String>,
    }
}

phrase_table! {
    /// One type of CPD activity.
    pub(super) struct CpdKind {
        #[serde(rename = "type")]
        pub kind: CpdType,
        /// May use `{n}` and `{mentor}` besides the scene's slots.
        pub titles: Vec<String>,
        /// May be empty: reading has no provider.
        pub providers: Vec<String>,
        /// Fewest and most hours.
        pub hours: (f64, f64),
        /// The share of the hours that is participatory, at least and at most.
        pub participatory: (f64, f64),
        /// Every type appears twice in the sample; this many more for the common ones.
        pub extra: usize,
    }
}

phrase_table! {
    pub(super) struct MentoringPhrases {
        pub session_notes: Vec<String>,
        pub action_titles: Vec<String>,
        /// The detail of an action that comes from a reflection's action plan.
        pub reflection_action_detail: String,
    }
}

impl Phrases {
    /// The ask for a prompt's heading, matched without regard to case.
    pub(super) fn ask_for(&self, heading: &str, position: usize, of: usize) -> Ask {
        let wanted = heading.trim().to_lowercase();
        let known = Ask::ALL.into_iter().find(|ask| {
            self.prompts
                .get(ask)
                .is_some_and(|bank| bank.headings.contains(&wanted))
        });
        match known {
            Some(ask) => ask,
            // A template of the user's own: describe first, plan last, think in between.
            None if position == 0 => Ask::Describe,
            None if position + 1 == of => Ask::Plan,
            None => Ask::Analyse,
        }
    }

    /// The sentence patterns for an ask; never empty once checked.
    pub(super) fn sentences(&self, ask: Ask) -> &[String] {
        self.prompts.get(&ask).map_or(&[], |bank| &bank.sentences)
    }

    /// The title patterns for a template.
    pub(super) fn titles_for(&self, template_key: &str) -> &[String] {
        self.titles
            .for_template
            .get(template_key)
            .unwrap_or(&self.titles.otherwise)
    }

    /// The people of a band; the first group when no group has that band, which the check
    /// rules out for every place.
    pub(super) fn participants_for(&self, band: Band) -> &Participants {
        self.participants
            .iter()
            .find(|p| p.band == band)
            .unwrap_or(&self.participants[0])
    }

    /// Everything the generator relies on, so that drawing from the tables cannot fail.
    fn check(&self) -> std::result::Result<(), String> {
        if self.people.len() < 5 {
            return Err("people: the sample needs a mentor, a peer partner and three peers".into());
        }
        for (i, p) in self.people.iter().chain([&self.owner]).enumerate() {
            let texts = [&p.name, &p.role, &p.notes].into_iter().chain(&p.contact);
            plain(&format!("people[{i}]"), texts)?;
        }
        let r = &self.relationships;
        for (name, named) in [
            ("group", &r.group),
            ("mentoring", &r.mentoring),
            ("peer_pair", &r.peer_pair),
        ] {
            let texts = [&named.name, &named.purpose];
            patterns(
                &format!("relationships.{name}"),
                texts,
                &["mentor", "peer"],
                &[],
            )?;
        }
        self.check_places()?;
        for (table, list) in [
            ("feelings", &self.feelings),
            ("ideas", &self.ideas),
            ("changes", &self.changes),
        ] {
            non_empty(table, list)?;
            plain(table, list)?;
        }
        self.check_prompts()?;
        for (key, list) in &self.titles.for_template {
            patterns(&format!("titles.for_template.{key}"), list, SLOTS, &[])?;
        }
        patterns("titles.otherwise", &self.titles.otherwise, SLOTS, &[])?;
        weights("template_mix", self.template_mix.iter().map(|s| s.weight))?;
        self.check_cpd()?;
        let m = &self.mentoring;
        patterns("mentoring.session_notes", &m.session_notes, SLOTS, &[])?;
        patterns("mentoring.action_titles", &m.action_titles, SLOTS, &[])?;
        let detail = [&m.reflection_action_detail];
        patterns("mentoring.reflection_action_detail", detail, SLOTS, &[])
    }

    fn check_places(&self) -> std::result::Result<(), String> {
        weights("places", self.places.iter().map(|p| p.weight))?;
        for (i, p) in self.places.iter().enumerate() {
            let at = format!("places[{i}]");
            plain(&at, [&p.name, &p.group, &p.ages].into_iter().chain(&p.tags))?;
            if p.minutes.is_empty() || p.size.0 > p.size.1 {
                return Err(format!(
                    "{at}: no minutes, or a size whose least is the larger"
                ));
            }
            if !self.participants.iter().any(|g| g.band == p.band) {
                return Err(format!("{at}: no participants for its band"));
            }
            if self
                .activities
                .iter()
                .filter(|a| a.bands.suit(p.band))
                .count()
                < 2
            {
                return Err(format!("{at}: fewer than two activities suit its band"));
            }
            if !self.themes.iter().any(|t| t.bands.suit(p.band)) {
                return Err(format!("{at}: no theme suits its band"));
            }
        }
        for (i, g) in self.participants.iter().enumerate() {
            let at = format!("participants[{i}]");
            non_empty(&format!("{at}.learners"), &g.learners)?;
            non_empty(&format!("{at}.adults"), &g.adults)?;
            plain(
                &at,
                [&g.who].into_iter().chain(&g.learners).chain(&g.adults),
            )?;
        }
        for (i, a) in self.activities.iter().enumerate() {
            non_empty(&format!("activities[{i}].tags"), &a.tags)?;
            plain(
                &format!("activities[{i}]"),
                [&a.name].into_iter().chain(&a.tags),
            )?;
        }
        for (i, t) in self.themes.iter().enumerate() {
            plain(&format!("themes[{i}]"), [&t.name].into_iter().chain(&t.tag))?;
        }
        Ok(())
    }

    fn check_prompts(&self) -> std::result::Result<(), String> {
        let mut headings: Vec<&str> = Vec::new();
        for ask in Ask::ALL {
            let at = format!("prompts.{ask:?}");
            let bank = self.prompts.get(&ask).ok_or(format!("{at} is missing"))?;
            patterns(&format!("{at}.sentences"), &bank.sentences, SLOTS, &[])?;
            for h in &bank.headings {
                if *h != h.trim().to_lowercase() || headings.contains(&h.as_str()) {
                    return Err(format!("{at}: {h:?} is not lower case, or asks twice"));
                }
                headings.push(h);
            }
        }
        Ok(())
    }

    fn check_cpd(&self) -> std::result::Result<(), String> {
        let cpd = &self.cpd;
        let filled = [
            ("descriptions", &cpd.descriptions),
            ("solo_descriptions", &cpd.solo_descriptions),
            ("outcomes", &cpd.outcomes),
            ("impacts", &cpd.impacts),
            ("benefits", &cpd.benefits),
        ];
        for (table, list) in filled {
            patterns(&format!("cpd.{table}"), list, SLOTS, CPD_SLOTS)?;
        }
        for (table, list) in [
            ("evidence", &cpd.evidence),
            ("standards", &cpd.standards),
            ("tags", &cpd.tags),
        ] {
            non_empty(&format!("cpd.{table}"), list)?;
            plain(&format!("cpd.{table}"), list)?;
        }
        let planned = 2 * cpd.kinds.len() + cpd.kinds.iter().map(|k| k.extra).sum::<usize>();
        if planned < super::cpd::COUNT {
            return Err(format!(
                "cpd.kinds: {planned} activities planned, fewer than the {} the sample has",
                super::cpd::COUNT
            ));
        }
        for (i, k) in cpd.kinds.iter().enumerate() {
            let at = format!("cpd.kinds[{i}]");
            patterns(&format!("{at}.titles"), &k.titles, SLOTS, CPD_SLOTS)?;
            plain(&format!("{at}.providers"), &k.providers)?;
            let (lo, hi) = k.hours;
            let (least, most) = k.participatory;
            if !(0.0 < lo && lo <= hi && 0.0 <= least && least <= most && most <= 1.0) {
                return Err(format!("{at}: hours or participatory share out of order"));
            }
        }
        Ok(())
    }
}

/// What CPD patterns may use besides the scene's slots: the module number and the mentor.
const CPD_SLOTS: &[&str] = &["n", "mentor"];

fn non_empty(table: &str, list: &[String]) -> std::result::Result<(), String> {
    if list.is_empty() {
        return Err(format!("{table} is empty"));
    }
    Ok(())
}

fn weights(table: &str, weights: impl Iterator<Item = u32>) -> std::result::Result<(), String> {
    let mut total: u32 = 0;
    for w in weights {
        if w == 0 {
            return Err(format!("{table}: a weight of 0 never chooses its row"));
        }
        total = total
            .checked_add(w)
            .ok_or(format!("{table}: the weights overflow"))?;
    }
    if total == 0 {
        return Err(format!("{table} is empty"));
    }
    Ok(())
}

/// Text used as it is: it must not look like a pattern, since nothing would fill its slots.
fn plain<'a>(
    table: &str,
    texts: impl IntoIterator<Item = &'a String>,
) -> std::result::Result<(), String> {
    match texts.into_iter().find(|t| t.contains(['{', '}'])) {
        Some(t) => Err(format!(
            "{table}: {t:?} has a brace, but is never filled in"
        )),
        None => Ok(()),
    }
}

/// A non-empty list of patterns whose every `{slot}` is in `known` or `more`.
fn patterns<'a>(
    table: &str,
    list: impl IntoIterator<Item = &'a String>,
    known: &[&str],
    more: &[&str],
) -> std::result::Result<(), String> {
    let mut count = 0;
    for pattern in list {
        count += 1;
        let mut rest = pattern.as_str();
        while let Some(open) = rest.find(['{', '}']) {
            let slot = rest[open..]
                .strip_prefix('{')
                .and_then(|s| s.split_once('}'))
                .filter(|(slot, _)| !slot.contains('{'));
            let Some((slot, after)) = slot else {
                return Err(format!("{table}: {pattern:?} has an unmatched brace"));
            };
            if !known.contains(&slot) && !more.contains(&slot) {
                return Err(format!(
                    "{table}: {pattern:?} uses {{{slot}}}, which nothing fills"
                ));
            }
            rest = after;
        }
    }
    if count == 0 {
        return Err(format!("{table} is empty"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_phrases_parse_and_pass_their_check() {
        if let Err(e) = phrases() {
            panic!("{e}");
        }
    }

    #[test]
    fn every_built_in_heading_asks_for_a_bank_and_every_key_names_a_template() {
        let p = phrases().unwrap();
        let templates = crate::store::builtin_templates().unwrap();
        for t in &templates {
            for prompt in &t.prompts {
                let wanted = prompt.heading.to_lowercase();
                assert!(
                    p.prompts.values().any(|b| b.headings.contains(&wanted)),
                    "{}: {:?} has no bank",
                    t.key,
                    prompt.heading
                );
            }
        }
        let keys: Vec<&str> = templates.iter().map(|t| t.key.as_str()).collect();
        for key in p.titles.for_template.keys() {
            assert!(keys.contains(&key.as_str()), "titles for unknown {key}");
        }
        for share in &p.template_mix {
            assert!(
                keys.contains(&share.template.as_str()),
                "{}",
                share.template
            );
        }
    }

    #[test]
    fn a_bad_edit_is_refused_with_where_it_is() {
        let good = include_str!("../../assets/sample/phrases.json");
        for (from, to, says) in [
            ("{act2}", "{act3}", "{act3}"),
            ("\"weight\": 18", "\"weight\": 0", "places"),
            (
                "\"feelings\": [",
                "\"feelings\": [\"a {brace\",",
                "feelings",
            ),
            (
                "Quick note on {theme}",
                "Quick note on {theme",
                "unmatched brace",
            ),
            ("\"extra\": 0", "\"extra\": -1", "invalid value"),
        ] {
            assert!(good.contains(from), "{from}");
            let err = parse(&good.replacen(from, to, 1)).unwrap_err();
            assert!(err.contains(says), "{from} -> {to}: {err}");
        }
    }
}
