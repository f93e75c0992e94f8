//! A realistic sample journal, so that the app never opens empty and benchmarks have data.
//!
//! Everything is composed here from small phrase banks: a few settings (a children's centre,
//! a nursery, a Year 8 class, a children's home, a hospital ward …), activities, the people in
//! them, and sentence patterns for each kind of prompt a reflection framework asks. The same
//! seed gives the same journal — titles, bodies, tags, dates relative to today, links — apart
//! from ids and timestamps, which the store assigns.
//!
//! Entries go in through [`Store::create_entries`] in batches, one transaction each, so a
//! 50,000-entry benchmark journal takes seconds rather than one commit per entry.

use crate::error::{Error, Result};
use crate::model::{
    ActionInput, ActionSource, ActionStatus, CpdInput, CpdType, EntryFilter, EntryInput, EntryKind,
    Member, MentoringSessionInput, PersonInput, RelationshipInput, RelationshipKind,
    RelationshipStatus, Role, SessionFacts, Template,
};
use crate::store::Store;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use uuid::Uuid;

/// How big a sample to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// How many entries to write.
    pub entries: u32,
    /// The seed: the same seed gives the same journal (apart from ids and timestamps).
    pub seed: u64,
    /// Roughly how many words each entry's body has (quick notes are shorter, others longer,
    /// so that the average stays close to this).
    pub words_per_entry: u32,
    /// Add the sample even when the journal already has entries.
    pub force: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            entries: 300,
            seed: 2024,
            words_per_entry: 250,
            force: false,
        }
    }
}

/// What [`fill`] made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    /// The seed used.
    pub seed: u64,
    /// Entries written.
    pub entries: u32,
    /// Of those, starred.
    pub starred: u32,
    /// Links from one entry to another.
    pub entry_links: u32,
    /// People added, not counting the owner.
    pub people: u32,
    /// Relationships: a peer group, a mentoring pair and a peer pair.
    pub relationships: u32,
    /// Mentoring session notes.
    pub mentoring_sessions: u32,
    /// Actions, from sessions and from reflections.
    pub actions: u32,
    /// CPD activities.
    pub cpd_activities: u32,
    /// Distinct tags used.
    pub tags: u32,
    /// The earliest day an entry is about.
    pub first_day: Option<NaiveDate>,
    /// The latest day an entry is about.
    pub last_day: Option<NaiveDate>,
}

/// Most entries a sample may have.
const MAX_ENTRIES: u32 = 1_000_000;
/// Fewest and most words an entry may be asked to have.
const WORDS_RANGE: std::ops::RangeInclusive<u32> = 20..=20_000;
/// The sample covers this many days before today.
const SPAN_DAYS: i64 = 730;

/// Makes `store` the app's sample journal: fills it with the default sample when it has no
/// entries yet, and gives it the person's own profile, so that the sample reads as theirs.
///
/// # Errors
/// Any store error; [`Error::Invalid`] for a bad profile.
pub fn ensure_sample(store: &Store, profile: &crate::model::PersonInput) -> Result<()> {
    let existing = store.count_entries(&EntryFilter::default())?
        + store.count_entries(&EntryFilter {
            trash: true,
            ..EntryFilter::default()
        })?;
    if existing == 0 {
        fill(store, &DemoOptions::default())?;
    }
    if !profile.display_name.trim().is_empty() {
        store.set_owner(profile)?;
    }
    Ok(())
}

/// Fills `store` with a sample journal: an owner profile, people, a peer group, a mentoring
/// pair and a peer pair with session notes and actions, CPD activities of every type, and
/// `options.entries` entries over the two years before today.
///
/// # Errors
/// [`Error::Invalid`] when the journal already has entries and `options.force` is not set, or
/// when an option is out of range; any store error.
pub fn fill(store: &Store, options: &DemoOptions) -> Result<DemoSummary> {
    if options.entries > MAX_ENTRIES {
        return Err(Error::invalid(
            "entries",
            format!("{} is more than {MAX_ENTRIES}", options.entries),
        ));
    }
    if !WORDS_RANGE.contains(&options.words_per_entry) {
        return Err(Error::invalid(
            "words_per_entry",
            format!(
                "{} is not between {} and {}",
                options.words_per_entry,
                WORDS_RANGE.start(),
                WORDS_RANGE.end()
            ),
        ));
    }
    let existing = store.count_entries(&EntryFilter::default())?
        + store.count_entries(&EntryFilter {
            trash: true,
            ..EntryFilter::default()
        })?;
    if existing > 0 && !options.force {
        return Err(Error::invalid(
            "journal",
            format!("it already has {existing} entries, and the demo only fills an empty journal"),
        ));
    }

    let mut rng = StdRng::seed_from_u64(options.seed);
    let today = chrono::Local::now().date_naive();
    let start = today - Duration::days(SPAN_DAYS);
    let cast = make_people(store)?;
    let cpd = make_cpd(store, &mut rng, &cast, start, today)?;
    let (sessions, session_actions) = make_mentoring(store, &mut rng, &cast, today)?;
    let written = make_entries(store, &mut rng, options, &cast, &cpd, start)?;
    let reflection_actions = make_reflection_actions(store, &mut rng, &cast, &written, today)?;

    Ok(DemoSummary {
        seed: options.seed,
        entries: options.entries,
        starred: written.starred,
        entry_links: written.links,
        people: cast.others.len() as u32,
        relationships: 3,
        mentoring_sessions: sessions,
        actions: session_actions + reflection_actions,
        cpd_activities: cpd.len() as u32,
        tags: written.tags.len() as u32,
        first_day: written.first_day,
        last_day: written.last_day,
    })
}

// --- People and relationships ---------------------------------------------------------------

/// Who is in the sample: the owner, everyone else, and the three relationships.
struct Cast {
    owner: Uuid,
    others: Vec<(Uuid, &'static str)>,
    mentor: (Uuid, &'static str),
    pair_peer: (Uuid, &'static str),
    group_peers: Vec<(Uuid, &'static str)>,
    group: Uuid,
    mentoring: Uuid,
    peer_pair: Uuid,
}

impl Cast {
    fn peer_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self.group_peers.iter().map(|p| p.1).collect();
        names.push(self.pair_peer.1);
        names
    }
}

/// (name, contact, role words); the first is the mentor, the second the peer-pair partner,
/// the next three the peer group.
const PEOPLE: &[(&str, Option<&str>, &str)] = &[
    (
        "Priya Natarajan",
        Some("priya@example.org"),
        "music therapist and mentor",
    ),
    (
        "Tom Haddad",
        Some("tom.haddad@example.org"),
        "Key Stage 3 music teacher",
    ),
    ("Gráinne Walsh", None, "early-years music leader"),
    (
        "Kofi Mensah",
        Some("kofi@example.org"),
        "community musician",
    ),
    (
        "Hannah Price",
        None,
        "residential care worker who sings with the young people",
    ),
    (
        "Dev Patel",
        Some("dev@example.org"),
        "music hub co-ordinator",
    ),
    ("Lena Kowalski", None, "nursery manager"),
    ("Marcus Bell", None, "hospital play specialist"),
];

fn make_people(store: &Store) -> Result<Cast> {
    // A forced demo keeps the owner a journal already has.
    let owner = match store.owner()? {
        Some(p) => p.id,
        None => store
            .set_owner(&PersonInput {
                display_name: "Alex Morgan".into(),
                contact: Some("alex@example.org".into()),
                role_words: Some("early-years and community music leader".into()),
                notes:
                    "Works across a children's centre, a secondary school and a children's home."
                        .into(),
            })?
            .id,
    };
    let mut others = Vec::with_capacity(PEOPLE.len());
    for (name, contact, role) in PEOPLE {
        let p = store.create_person(&PersonInput {
            display_name: (*name).into(),
            contact: contact.map(Into::into),
            role_words: Some((*role).into()),
            notes: String::new(),
        })?;
        others.push((p.id, *name));
    }
    let mentor = others[0];
    let pair_peer = others[1];
    let group_peers = others[2..5].to_vec();
    let today = chrono::Local::now().date_naive();

    let mut members = vec![Member {
        person_id: owner,
        role: Role::Peer,
    }];
    members.extend(group_peers.iter().map(|p| Member {
        person_id: p.0,
        role: Role::Peer,
    }));
    let group = store.create_relationship(&RelationshipInput {
        kind: RelationshipKind::Group,
        name: "Early-years music peer circle".into(),
        purpose:
            "Meet every half term to share recordings, swap songs and talk through what is hard. \
                  Nobody is in charge; whoever brings a question leads that part."
                .into(),
        started_on: Some(today - Duration::days(600)),
        ended_on: None,
        status: RelationshipStatus::Active,
        members,
    })?;
    let mentoring = store.create_relationship(&RelationshipInput {
        kind: RelationshipKind::MentoringPair,
        name: format!("Mentoring with {}", mentor.1),
        purpose: "Grow confidence in therapeutic approaches with looked-after children, and plan \
                  how to evaluate the children's home sessions."
            .into(),
        started_on: Some(today - Duration::days(430)),
        ended_on: None,
        status: RelationshipStatus::Active,
        members: vec![
            Member {
                person_id: mentor.0,
                role: Role::Mentor,
            },
            Member {
                person_id: owner,
                role: Role::Mentee,
            },
        ],
    })?;
    let peer_pair = store.create_relationship(&RelationshipInput {
        kind: RelationshipKind::PeerPair,
        name: format!("Observation swap with {}", pair_peer.1),
        purpose: "Observe each other once a term: early years one way, Key Stage 3 the other."
            .into(),
        started_on: Some(today - Duration::days(300)),
        ended_on: None,
        status: RelationshipStatus::Active,
        members: vec![
            Member {
                person_id: owner,
                role: Role::Peer,
            },
            Member {
                person_id: pair_peer.0,
                role: Role::Peer,
            },
        ],
    })?;
    Ok(Cast {
        owner,
        others,
        mentor,
        pair_peer,
        group_peers,
        group: group.id,
        mentoring: mentoring.id,
        peer_pair: peer_pair.id,
    })
}

// --- Settings, activities and the words that describe them ---------------------------------

const BABY: u8 = 1;
const EARLY: u8 = 2;
const SEND: u8 = 4;
const TEENS: u8 = 8;
const CARE: u8 = 16;
const WARD: u8 = 32;
const ALL_BANDS: u8 = BABY | EARLY | SEND | TEENS | CARE | WARD;

/// Where a session happens and who with.
struct Place {
    name: &'static str,
    group: &'static str,
    ages: &'static str,
    band: u8,
    tags: &'static [&'static str],
    size: (u32, u32),
    minutes: &'static [u32],
    /// How many entries out of every hundred are set here.
    weight: u32,
}

const PLACES: &[Place] = &[
    Place {
        name: "Maple Lane children's centre",
        group: "the Tuesday stay-and-play",
        ages: "0–4 with their grown-ups",
        band: EARLY,
        tags: &["early-years", "parents"],
        size: (8, 18),
        minutes: &[30, 40, 45],
        weight: 18,
    },
    Place {
        name: "Little Wrens nursery",
        group: "the pre-school room",
        ages: "3–4",
        band: EARLY,
        tags: &["early-years"],
        size: (10, 20),
        minutes: &[20, 25, 30],
        weight: 14,
    },
    Place {
        name: "Harbour Road family hub",
        group: "the baby music group",
        ages: "0–18 months with parents",
        band: BABY,
        tags: &["early-years", "parents"],
        size: (6, 14),
        minutes: &[30, 40],
        weight: 10,
    },
    Place {
        name: "Hillcrest Academy",
        group: "my Year 8 class",
        ages: "Year 8 (12–13)",
        band: TEENS,
        tags: &["ks3"],
        size: (24, 31),
        minutes: &[50, 60],
        weight: 18,
    },
    Place {
        name: "Hillcrest Academy",
        group: "the Year 7 nurture group",
        ages: "Year 7 (11–12)",
        band: SEND,
        tags: &["ks3", "send"],
        size: (6, 10),
        minutes: &[45, 50],
        weight: 8,
    },
    Place {
        name: "Birchwood children's home",
        group: "the evening music group",
        ages: "11–16",
        band: CARE,
        tags: &["looked-after-children", "safeguarding-aware"],
        size: (2, 5),
        minutes: &[45, 60],
        weight: 14,
    },
    Place {
        name: "the children's ward at St Columba's",
        group: "bedside sessions",
        ages: "2–12",
        band: WARD,
        tags: &["hospital", "wellbeing"],
        size: (3, 8),
        minutes: &[20, 30, 40],
        weight: 9,
    },
    Place {
        name: "Oakfield special school",
        group: "Class 4",
        ages: "7–11",
        band: SEND,
        tags: &["send"],
        size: (5, 9),
        minutes: &[30, 40],
        weight: 9,
    },
];

/// The people in a session, by band: (band, learners, adults, the group as a whole).
const LEARNERS: &[(u8, &[&str], &[&str], &str)] = &[
    (
        BABY,
        &[
            "a baby on her dad's lap",
            "one of the youngest babies",
            "a baby who had just learned to sit",
            "a crawling baby",
            "the twins",
            "a sleepy baby",
            "a baby who had not come for a few weeks",
        ],
        &[
            "the parents and carers",
            "one dad",
            "the family worker",
            "a grandmother who comes every week",
        ],
        "the babies",
    ),
    (
        EARLY,
        &[
            "one toddler",
            "a boy who usually hovers by the door",
            "a girl new to the group",
            "two of the older children",
            "a child who rarely speaks at group time",
            "the youngest toddler",
            "a child who is new to English",
            "a little girl with a toy drum of her own",
        ],
        &[
            "the nursery practitioners",
            "the room leader",
            "the parents and carers",
            "a childminder",
        ],
        "the children",
    ),
    (
        SEND,
        &[
            "a pupil who uses a communication aid",
            "a boy who finds noise hard",
            "a girl who loves the big drum",
            "one pupil who needs movement breaks",
            "a pupil who signs",
            "a child who usually stays on the edge",
            "a pupil who had a difficult morning",
        ],
        &[
            "the teaching assistants",
            "the class teacher",
            "the speech and language therapist",
            "a one-to-one support worker",
        ],
        "the pupils",
    ),
    (
        TEENS,
        &[
            "a student at the back",
            "two boys by the window",
            "a girl who rarely volunteers",
            "a student who had been out of lessons all week",
            "the keyboard group",
            "a couple of confident singers",
            "a new student",
            "a drummer who never sits still",
        ],
        &[
            "the teaching assistant",
            "the head of year",
            "a trainee teacher",
            "the SENCo",
        ],
        "the students",
    ),
    (
        CARE,
        &[
            "one young person",
            "the youngest resident",
            "a young person who had arrived that week",
            "a teenager who usually stays in his room",
            "two of the residents",
            "a young person who had a hard contact visit that day",
        ],
        &[
            "the care staff",
            "the key worker on shift",
            "the home manager",
            "a support worker",
        ],
        "the young people",
    ),
    (
        WARD,
        &[
            "a child in isolation",
            "a four-year-old attached to a drip",
            "a visiting brother",
            "an older child who was bored of the ward",
            "a very tired toddler",
            "a girl waiting for surgery",
        ],
        &[
            "the play specialist",
            "a nurse",
            "the parents at the bedside",
            "the ward teacher",
        ],
        "the children",
    ),
];

/// (activity, tags, bands it suits).
const ACTIVITIES: &[(&str, &[&str], u8)] = &[
    ("a hello song", &["singing"], BABY | EARLY | SEND | WARD),
    ("a goodbye song", &["singing"], BABY | EARLY | SEND | WARD),
    ("bouncing rhymes", &["singing", "movement"], BABY | EARLY),
    ("a parachute song", &["movement"], EARLY | SEND),
    (
        "egg shakers and a steady beat",
        &["percussion"],
        BABY | EARLY | SEND | WARD,
    ),
    ("a lullaby", &["singing", "wellbeing"], BABY | EARLY | WARD),
    ("a scarf dance", &["movement"], BABY | EARLY | SEND),
    ("call-and-response singing", &["singing"], ALL_BANDS),
    (
        "musical storytelling",
        &["improvisation"],
        EARLY | SEND | WARD,
    ),
    (
        "a drum circle",
        &["percussion"],
        EARLY | SEND | TEENS | CARE,
    ),
    (
        "body percussion",
        &["percussion"],
        EARLY | SEND | TEENS | CARE,
    ),
    ("vocal warm-ups", &["singing"], TEENS | CARE),
    ("ukulele chords", &["ukulele"], TEENS | CARE | SEND),
    (
        "looping on an iPad",
        &["music-technology", "improvisation"],
        TEENS | CARE | WARD | SEND,
    ),
    (
        "a song-writing game",
        &["composition"],
        TEENS | CARE | SEND | WARD,
    ),
    ("graphic scores", &["composition"], SEND | TEENS | EARLY),
    (
        "free improvisation on tuned percussion",
        &["improvisation"],
        SEND | EARLY | TEENS | CARE,
    ),
    ("a rhythm grid", &["composition", "percussion"], TEENS),
    (
        "a listening game",
        &["listening"],
        EARLY | SEND | TEENS | WARD,
    ),
    ("a cover of a chart song", &["singing"], TEENS | CARE),
    (
        "a soundscape",
        &["improvisation", "composition"],
        WARD | SEND | TEENS,
    ),
];

/// (theme, tag, bands it suits).
const THEMES: &[(&str, Option<&str>, u8)] = &[
    (
        "transitions between activities",
        Some("transitions"),
        ALL_BANDS,
    ),
    (
        "behaviour at the start of the session",
        Some("behaviour"),
        EARLY | SEND | TEENS | CARE,
    ),
    (
        "whether everyone felt included",
        Some("inclusion"),
        ALL_BANDS,
    ),
    ("parents joining in", Some("parents"), BABY | EARLY),
    ("keeping attention", None, ALL_BANDS),
    (
        "a safeguarding worry",
        Some("safeguarding-aware"),
        EARLY | SEND | TEENS | CARE | WARD,
    ),
    ("pace and timing", None, ALL_BANDS),
    ("giving real choices", None, ALL_BANDS),
    ("handing over the lead", None, EARLY | SEND | TEENS | CARE),
    (
        "noise and sensory overload",
        Some("send"),
        EARLY | SEND | WARD,
    ),
    ("my own confidence", None, ALL_BANDS),
    ("working with the staff in the room", None, ALL_BANDS),
];

const FEELINGS: &[&str] = &[
    "nervous",
    "rushed",
    "flat",
    "energised",
    "unsure of myself",
    "quietly pleased",
    "frustrated",
    "relieved",
    "tired but hopeful",
    "curious",
    "on edge",
];

const IDEAS: &[&str] = &[
    "attunement",
    "co-regulation",
    "scaffolding",
    "child-led play",
    "the idea of flow",
    "trauma-informed practice",
    "communicative musicality",
    "universal design for learning",
    "the zone of proximal development",
    "reflection-in-action",
    "repetition and predictability",
    "musical identity",
];

const CHANGES: &[&str] = &[
    "start with a quieter hello song",
    "put a visual timetable up before we begin",
    "keep the instrument share shorter",
    "offer two choices rather than an open question",
    "warn the group a minute before each change",
    "sit on the floor rather than stand",
    "let the young people choose the backing track",
    "use everyone's name in the opening song",
    "leave more silence after each phrase",
    "plan a calmer ending",
    "bring fewer instruments out at once",
    "ask the staff to join in rather than watch",
    "split the group for the looping task",
    "build in a movement break halfway",
    "send the song words home to parents",
    "record the last ten minutes to listen back to",
];

// --- Sentence patterns, by the kind of prompt they answer ----------------------------------

/// What a template's prompt asks for, so that its section gets fitting sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
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

fn role_for(heading: &str, position: usize, of: usize) -> Ask {
    match heading.trim().to_lowercase().as_str() {
        "description" | "what?" | "experience" | "what we did" | "what i did" => Ask::Describe,
        "feelings" | "my own view" => Ask::Feel,
        "evaluation" | "reflection" | "what worked well" => Ask::Evaluate,
        "analysis" | "so what?" | "making sense" | "influencing factors" => Ask::Analyse,
        "conclusion" | "learning" | "what i'll take away" => Ask::Conclude,
        "action plan" | "now what?" | "trying it out" | "next session" | "come back to" => {
            Ask::Plan
        }
        "alternatives" | "what i'd change" => Ask::Alternatives,
        "participants' view" => Ask::ChildView,
        "colleagues' view" => Ask::ColleagueView,
        "theory and research" => Ask::Theory,
        "what i saw" => Ask::Observe,
        "what could be developed" => Ask::Develop,
        "how the group responded" => Ask::Respond,
        "moments that stood out" | "what i noticed" => Ask::Notice,
        // A template of the user's own: describe first, plan last, think in between.
        _ if position == 0 => Ask::Describe,
        _ if position + 1 == of => Ask::Plan,
        _ => Ask::Analyse,
    }
}

fn sentences(role: Ask) -> &'static [&'static str] {
    match role {
        Ask::Describe => &[
            "We began with {act} and moved on to {act2} once everyone had settled.",
            "The session with {group} at {place} ran for about {mins} minutes.",
            "{adult} helped set out the space before {who} arrived.",
            "I had planned {act}, but the mood in the room made me switch to {act2} early.",
            "{learner} joined in straight away, which set the tone for the rest of the group.",
            "Halfway through, {learner} left the circle and {adult} went with them.",
            "We repeated {act} three times, changing the tempo each time.",
            "The room was busier than usual, with {adult} coming in and out.",
            "I introduced {act2} for the first time, modelling it slowly before inviting {who} to try.",
            "I led from the keyboard for most of it, then moved into the circle for {act2}.",
            "We ended with a short chat about what {who} had enjoyed most.",
            "{learner} asked to lead {act}, so I handed over the beat for a few rounds.",
            "There were more of {who} than I expected, so I cut the instrument share.",
        ],
        Ask::Feel => &[
            "Before we started I felt {feel}, mostly because of {theme}.",
            "By the middle of the session I was {feel}, and I think it showed in my voice.",
            "When {learner} walked away I felt {feel} and had to decide quickly what to do.",
            "I noticed I was talking too much, which usually means I am {feel}.",
            "Afterwards I felt {feel} rather than pleased, and I want to understand why.",
            "I suspect {who} picked up on my energy more than I realised.",
            "Watching {learner} during {act} moved me more than I expected.",
            "There was a moment of real calm during {act2}, and I felt the tension go out of my shoulders.",
            "I felt {feel} when {adult} stepped in without asking.",
            "Part of me wanted to stick to the plan even when it clearly was not working.",
            "I imagine {learner} felt unsure, given how new the group still is to them.",
        ],
        Ask::Evaluate => &[
            "{act} worked well: almost everyone joined in by the second verse.",
            "{act2} was harder; it went on too long and attention drifted.",
            "The strongest part was the way {learner} and {learner2} started copying each other's rhythms.",
            "I don't think {theme} was handled as well as it could have been.",
            "{adult} joining in made a visible difference to how confident {who} were.",
            "The pace was about right until the instrument share, which dragged.",
            "Nobody was left out of {act}, which has not always been true with this group.",
            "I lost {learner} for most of the second half and never really won them back.",
            "The ending felt rushed, and I think that unsettled some of {who}.",
            "It was noisier than I would like, but it was purposeful noise.",
            "Using names during {act} helped the quieter ones feel seen.",
        ],
        Ask::Analyse => &[
            "I think the difficulty came from {theme}, more than from the activity itself.",
            "Thinking about {idea} helps me see why {act} landed the way it did.",
            "{who} are more settled when they know what is coming next, and today I did not signal the changes clearly.",
            "Part of it was the room: the acoustics make everything louder than it needs to be.",
            "{learner} may have been reacting to something that happened before the session rather than to anything I did.",
            "I was leading from the front when the group needed me at their level.",
            "The activities that worked best were the ones with a clear, repeated structure.",
            "{adult} know the group far better than I do, and I could use that more.",
            "The time of day matters; straight after lunch is always harder.",
            "I have seen the same pattern elsewhere: energy rises whenever there is a clear beat to hold on to.",
            "What I know of {idea} suggests I should have slowed down rather than pushed on.",
        ],
        Ask::Conclude => &[
            "What I am taking from this is that {theme} needs planning, not improvising.",
            "Next time I would spend less time explaining and more time doing.",
            "I have learnt that {learner} responds better to an invitation than an instruction.",
            "It confirmed that {act} is worth keeping as an anchor each week.",
            "I need to share what I noticed about {learner} with {adult}.",
            "The session was better than it felt at the time.",
            "Small changes to the start of a session seem to make the biggest difference.",
            "I could have paused the music and reset, rather than trying to carry on.",
            "I want to keep asking {who} what they would like to play.",
        ],
        Ask::Plan => &[
            "Next week I will {change}.",
            "I will {change} and see whether it helps with {theme}.",
            "Before the next session I'll talk to {adult} about {learner}.",
            "I plan to bring {act2} back, but shorter and with clearer signals.",
            "I'll look at {idea} again before I plan the next block.",
            "I want to ask {peer} how they handle {theme}.",
            "I will check with {adult} whether there is anything I need to record or pass on.",
            "In a month I'll read this again and see whether the changes held.",
        ],
        Ask::Alternatives => &[
            "I could have tried to {change}.",
            "Another option would have been to drop {act2} altogether.",
            "If I had asked {adult} to lead {act}, I could have stayed with {learner}.",
            "A smaller group for {act2} might have kept everyone involved.",
            "I might have let {who} choose the order of activities.",
            "Shortening {act} by a couple of minutes would have left time for a proper ending.",
            "Next time I would like to {change}.",
            "Less talking, more modelling.",
        ],
        Ask::ChildView => &[
            "From where {who} were sitting, {act} was probably the best part.",
            "{learner} told me afterwards that the loud part was too much.",
            "When I asked what they liked, most of {who} picked {act}.",
            "{learner} seemed to enjoy leading more than following.",
            "The quieter ones joined in more when the attention was off them.",
            "I suspect the change of activity felt abrupt to {who}, even if it felt smooth to me.",
            "Their faces during {act2} said more than any feedback form could.",
            "{learner2} kept coming back to the instruments after we had finished, which I take as a good sign.",
        ],
        Ask::ColleagueView => &[
            "{adult} said {who} talked about the session for the rest of the day.",
            "When I described it to {peer}, they asked whether I had given enough warning before changes.",
            "{adult} thought {learner} had been more settled than usual.",
            "{peer} pointed out that I tend to fill silences rather than let them sit.",
            "My mentor suggested writing down exactly what I say at each change of activity.",
            "The peer group recognised the pattern straight away; several of them have met it too.",
            "{adult} offered to take photographs of the setup so I can plan the space better.",
            "{peer} suggested trying {act2} with a drone underneath.",
        ],
        Ask::Theory => &[
            "Reading about {idea} reminded me that predictability is a kind of safety.",
            "The ideas around {idea} fit what I saw with {learner}.",
            "Thinking about {idea}, I should follow the lead of {who} more often.",
            "I keep coming back to {idea} when I think about {theme}.",
            "What I know about {idea} makes me question how much of the session I controlled.",
            "The training on {idea} gave me words for what was happening.",
            "Writing on early musical interaction puts timing and turn-taking ahead of correct notes.",
            "I want to read more about {idea} and how it applies to groups.",
        ],
        Ask::Observe => &[
            "I watched {peer} lead {group} at {place} for about {mins} minutes.",
            "{peer} opened with {act}, using a gentle pulse to gather everyone in.",
            "They used very little talk; almost every instruction was sung or gestured.",
            "When {learner} became upset, {peer} changed the dynamic without stopping the music.",
            "The room was arranged in a horseshoe so that everyone could see the instruments.",
            "{adult} joined in throughout, which seemed to give {who} permission to do the same.",
            "{peer} handed the lead in {act2} to one of the group halfway through.",
            "Changes of activity were marked with the same short musical signal each time.",
        ],
        Ask::Develop => &[
            "The middle section felt long, and a few of {who} drifted off.",
            "There might be room for more choice in {act2}.",
            "{peer} could involve {adult} earlier, rather than at the end.",
            "The instruments were all given out at once, which made the room very loud.",
            "A clearer ending might help {who} leave calmly.",
            "It would be worth trying {act} in smaller groups.",
            "Some of the language was quite grown-up for the age group.",
        ],
        Ask::Respond => &[
            "{who} were engaged from the first note of {act}.",
            "{learner} watched for a long time and then joined in on the last verse.",
            "The energy dropped during {act2} and picked up again when we stood up.",
            "{learner} and {learner2} started a call-and-response between themselves.",
            "A few of {who} needed support to stay with the group.",
            "There was laughter during {act}, and it felt shared rather than silly.",
            "{learner} covered their ears during the loud part, so I brought the volume down.",
            "By the end, most of {who} were singing without me leading.",
            "{adult} commented that {learner} had joined in more than usual.",
        ],
        Ask::Notice => &[
            "{learner} reached for the drum and played my rhythm back exactly.",
            "A long silence after {act} that nobody wanted to break.",
            "{learner} sang the first line of the song on their own.",
            "{learner} flinched when the door banged; worth remembering.",
            "{adult} and {learner} sharing a shaker, eyes locked.",
            "{learner} said something during {act} that I need to pass on to {adult}.",
            "The group kept the beat going for a whole minute after I stopped.",
            "{learner} asked if we could do {act} again next week.",
            "I changed key in the middle of the song and nobody minded.",
        ],
    }
}

/// What one entry is about: the pieces every sentence in it draws on.
struct Scene {
    place: &'static Place,
    learners: &'static [&'static str],
    adults: &'static [&'static str],
    who: &'static str,
    act: &'static str,
    act2: &'static str,
    acts: Vec<&'static str>,
    theme: &'static str,
    theme_tag: Option<&'static str>,
    peer: &'static str,
    minutes: u32,
}

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

fn weighted_place(rng: &mut StdRng) -> &'static Place {
    let total: u32 = PLACES.iter().map(|p| p.weight).sum();
    let mut n = rng.random_range(0..total);
    for p in PLACES {
        if n < p.weight {
            return p;
        }
        n -= p.weight;
    }
    &PLACES[0]
}

fn scene(rng: &mut StdRng, peers: &[&'static str]) -> Scene {
    let place = weighted_place(rng);
    let (learners, adults, who) = LEARNERS
        .iter()
        .find(|l| l.0 == place.band)
        .map_or((LEARNERS[0].1, LEARNERS[0].2, LEARNERS[0].3), |l| {
            (l.1, l.2, l.3)
        });
    let suitable: Vec<&'static str> = ACTIVITIES
        .iter()
        .filter(|a| a.2 & place.band != 0)
        .map(|a| a.0)
        .collect();
    let mut acts: Vec<&'static str> = Vec::new();
    let wanted = rng.random_range(2..=4).min(suitable.len());
    while acts.len() < wanted {
        let a = pick(rng, &suitable);
        if !acts.contains(&a) {
            acts.push(a);
        }
    }
    let themes: Vec<_> = THEMES.iter().filter(|t| t.2 & place.band != 0).collect();
    let theme = themes[rng.random_range(0..themes.len())];
    Scene {
        place,
        learners,
        adults,
        who,
        act: acts[0],
        act2: acts[1 % acts.len()],
        acts,
        theme: theme.0,
        theme_tag: theme.1,
        peer: pick(rng, peers),
        minutes: pick(rng, place.minutes),
    }
}

/// Writes `pattern` with its `{slots}` filled from the scene, capitalised, into `out`;
/// returns the number of words written.
fn write_sentence(out: &mut String, pattern: &str, s: &Scene, rng: &mut StdRng) -> usize {
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
            "place" => s.place.name,
            "group" => s.place.group,
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
                s.learners[i]
            }
            "adult" => pick(rng, s.adults),
            "feel" => pick(rng, FEELINGS),
            "idea" => pick(rng, IDEAS),
            "change" => pick(rng, CHANGES),
            _ => "",
        };
        out.push_str(text);
    }
    out.push_str(rest);
    capitalise_from(out, begin);
    out[begin..].split_whitespace().count()
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

fn capitalised(text: &str) -> String {
    let mut s = text.to_owned();
    capitalise_from(&mut s, 0);
    s
}

/// A section of about `words` words answering a prompt of the given role.
fn write_section(out: &mut String, role: Ask, words: usize, s: &Scene, rng: &mut StdRng) {
    let bank = sentences(role);
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
        written += write_sentence(out, bank[order[next]], s, rng);
        next += 1;
        in_paragraph += 1;
    }
    // Action plans often end in a short list.
    if role == Ask::Plan && rng.random_bool(0.5) {
        out.push_str("\n\n");
        let mut used = Vec::new();
        for _ in 0..rng.random_range(2..=3) {
            let c = pick(rng, CHANGES);
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

fn body(template: &Template, words: usize, s: &Scene, rng: &mut StdRng) -> String {
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
        write_section(
            &mut out,
            role_for(&prompt.heading, i, n),
            per_section,
            s,
            rng,
        );
    }
    out.push('\n');
    out
}

fn title(key: &str, s: &Scene, rng: &mut StdRng) -> String {
    let patterns: &[&str] = match key {
        "schon" => &[
            "In the moment: {act}",
            "Quick note on {theme}",
            "{act} — something to come back to",
            "Noticed at {place}",
        ],
        "music-session" => &[
            "{group} at {place}",
            "{act} and {act2} with {group}",
            "Session notes: {group}",
            "{group}: {act}",
        ],
        "peer-observation" => &[
            "Observing {peer}: {act}",
            "Watching {peer} with {group}",
            "Peer observation at {place}",
        ],
        "brookfield" => &[
            "Four lenses on {theme}",
            "{theme}, seen from every side",
            "Looking again at {act}",
        ],
        _ => &[
            "{act} with {group}",
            "Reflecting on {theme}",
            "{group}: {theme}",
            "{act} at {place}",
            "When {act} didn't go to plan",
            "What {act} taught me",
        ],
    };
    let mut t = String::new();
    write_sentence(&mut t, pick(rng, patterns), s, rng);
    t
}

// --- Entries --------------------------------------------------------------------------------

/// (template key, share of entries out of 100).
const TEMPLATE_MIX: &[(&str, u32)] = &[
    ("gibbs", 14),
    ("rolfe", 13),
    ("driscoll", 8),
    ("kolb", 8),
    ("johns", 7),
    ("brookfield", 6),
    ("schon", 15),
    ("music-session", 22),
    ("peer-observation", 7),
];

/// What writing the entries produced, for the summary and for linking actions.
struct Written {
    starred: u32,
    links: u32,
    tags: Vec<String>,
    first_day: Option<NaiveDate>,
    last_day: Option<NaiveDate>,
    /// A few reflections with an action plan, for actions that come from them.
    with_plans: Vec<(Uuid, NaiveDate)>,
}

fn make_entries(
    store: &Store,
    rng: &mut StdRng,
    options: &DemoOptions,
    cast: &Cast,
    cpd: &[(Uuid, NaiveDate)],
    start: NaiveDate,
) -> Result<Written> {
    let templates = TEMPLATE_MIX
        .iter()
        .map(|(key, weight)| Ok((store.get_template(key)?, *weight)))
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
        let s = scene(rng, &peers);
        let length = match chosen.kind {
            EntryKind::QuickNote => words * 2 / 5,
            _ => words * 11 / 10,
        };
        let mut tags: Vec<String> = s.place.tags.iter().map(|t| (*t).to_owned()).collect();
        for act in s.acts.iter().take(2) {
            if let Some(entry) = ACTIVITIES.iter().find(|a| a.0 == *act) {
                if let Some(tag) = entry.1.first() {
                    tags.push((*tag).to_owned());
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
        let mut tags = unique;
        tags.truncate(5);
        for t in &tags {
            if !written.tags.contains(t) {
                written.tags.push(t.clone());
            }
        }
        let session = (chosen.kind == EntryKind::SessionRecord).then(|| SessionFacts {
            setting: Some(s.place.name.to_owned()),
            group: Some(capitalised(
                s.place
                    .group
                    .trim_start_matches("my ")
                    .trim_start_matches("the "),
            )),
            age_range: Some(s.place.ages.to_owned()),
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

// --- CPD ------------------------------------------------------------------------------------

/// (type, titles, providers, hours range, share of hours that is participatory).
type CpdBank = (
    CpdType,
    &'static [&'static str],
    &'static [&'static str],
    (f64, f64),
    (f64, f64),
);

const CPD_BANK: &[CpdBank] = &[
    (
        CpdType::Course,
        &[
            "Certificate in music education: module {n}",
            "Makaton foundation course",
            "Online course: music technology for inclusive groups",
            "Course: leading singing with young voices",
        ],
        &[
            "University continuing education",
            "Regional music hub",
            "Online learning platform",
        ],
        (6.0, 24.0),
        (0.6, 1.0),
    ),
    (
        CpdType::TrainingDay,
        &[
            "Safeguarding refresher day",
            "Trauma-informed practice training day",
            "Early-years music network training day",
            "Training day: music with babies and their parents",
            "Hub training day: adaptive instruments",
        ],
        &[
            "Local authority training team",
            "Regional music hub",
            "Early-years music network",
        ],
        (5.0, 7.0),
        (0.7, 1.0),
    ),
    (
        CpdType::Conference,
        &[
            "Regional music education conference",
            "Early childhood music conference",
            "Arts in health conference",
        ],
        &["Music education association", "Arts in health network"],
        (6.0, 14.0),
        (0.3, 0.7),
    ),
    (
        CpdType::Webinar,
        &[
            "Webinar: music and attachment",
            "Webinar: planning for SEND in Key Stage 3 music",
            "Webinar: looping apps in the classroom",
            "Webinar: the arts with looked-after children",
        ],
        &["Music hub online", "National charity webinar series"],
        (1.0, 2.0),
        (0.0, 0.5),
    ),
    (
        CpdType::Reading,
        &[
            "Reading: communicative musicality",
            "Reading: chapters on reflective practice",
            "Reading: research summary on music in hospitals",
            "Reading: guidance on recording sessions safely",
        ],
        &[],
        (1.0, 4.0),
        (0.0, 0.0),
    ),
    (
        CpdType::PeerObservation,
        &[
            "Observed {peer} leading a session",
            "Observed by {peer}: Year 8 ukulele lesson",
            "Peer observation with {peer}",
        ],
        &["Peer network"],
        (1.0, 3.0),
        (1.0, 1.0),
    ),
    (
        CpdType::Mentoring,
        &[
            "Mentoring meeting with {mentor}",
            "Mentoring: planning the spring block",
            "Mentoring: evaluating the children's home sessions",
        ],
        &["Mentoring scheme"],
        (1.0, 1.5),
        (1.0, 1.0),
    ),
    (
        CpdType::Supervision,
        &[
            "Group supervision",
            "One-to-one clinical supervision",
            "Reflective supervision with the care team",
        ],
        &["Care provider", "Hospital trust"],
        (1.0, 2.0),
        (1.0, 1.0),
    ),
    (
        CpdType::SelfDirected,
        &[
            "Self-directed: learning the loop pedal",
            "Self-directed: a song bank for the ward",
            "Self-directed: ukulele accompaniment",
        ],
        &[],
        (1.0, 6.0),
        (0.0, 0.0),
    ),
    (
        CpdType::Other,
        &[
            "Volunteered at a community singing day",
            "Shadowed a music therapist for a morning",
            "Helped run a network sharing event",
        ],
        &["Community choir", "Peer network"],
        (2.0, 5.0),
        (0.5, 1.0),
    ),
];

const CPD_DESCRIPTIONS: &[&str] = &[
    "A practical look at {idea} and its place in everyday sessions.",
    "Covered {theme}, with hands-on workshops and time to talk with others.",
    "A mix of short talks, demonstrations and group discussion.",
    "Worked through examples from real sessions, including filmed extracts.",
    "Focused on {act} and how to adapt it for different groups.",
];
/// Descriptions for CPD done alone (reading, self-directed learning).
const CPD_SOLO_DESCRIPTIONS: &[&str] = &[
    "Read and made notes on {idea}, then tried the ideas out in sessions.",
    "Worked through it in short evening sessions, keeping notes on what to try.",
    "Focused on {act} and how to adapt it for different groups.",
];
const CPD_OUTCOMES: &[&str] = &[
    "A clearer understanding of {idea}.",
    "Practical ways to adapt {act} for different needs.",
    "New songs and games that help with {theme}.",
    "More confidence in planning for {theme}.",
    "A simple way to record what each child did in a session.",
];
const CPD_IMPACTS: &[&str] = &[
    "I now {change} in most sessions.",
    "I plan changes of activity more carefully and write them into my plans.",
    "I have started using {act} as a regular anchor.",
    "I talk less and model more.",
    "I ask the staff in the room to take a part rather than watch.",
];
const CPD_BENEFITS: &[&str] = &[
    "Children settle faster and more of them join in.",
    "Young people have more say in what we play.",
    "Fewer children are left on the edges of the group.",
    "Parents tell me they are singing the songs at home.",
    "Sessions feel calmer, especially at the start and the end.",
];
const CPD_EVIDENCE: &[&str] = &[
    "Certificate saved with my CPD records.",
    "Notes and handouts in my folder.",
    "Feedback form from the observation.",
    "Summary written up for my appraisal.",
];
const STANDARDS: &[&str] = &[
    "Inclusive practice",
    "Safeguarding and wellbeing",
    "Musical leadership",
    "Planning and evaluation",
    "Working with families",
    "Reflective practice",
];
const CPD_TAGS: &[&str] = &[
    "early-years",
    "send",
    "looked-after-children",
    "ks3",
    "singing",
    "safeguarding-aware",
    "music-technology",
    "wellbeing",
];

fn half_hours(rng: &mut StdRng, (lo, hi): (f64, f64)) -> f64 {
    let h = if hi > lo {
        rng.random_range(lo..=hi)
    } else {
        lo
    };
    (h * 2.0).round() / 2.0
}

fn fill_words(pattern: &str, s: &Scene, rng: &mut StdRng, extra: &[(&str, &str)]) -> String {
    let mut p = pattern.to_owned();
    for (slot, text) in extra {
        p = p.replace(slot, text);
    }
    let mut out = String::new();
    write_sentence(&mut out, &p, s, rng);
    out
}

fn make_cpd(
    store: &Store,
    rng: &mut StdRng,
    cast: &Cast,
    start: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<(Uuid, NaiveDate)>> {
    const COUNT: usize = 25;
    // Every type twice, then a few more of the common ones.
    let mut types: Vec<usize> = (0..CPD_BANK.len()).chain(0..CPD_BANK.len()).collect();
    types.extend([1, 3, 3, 4, 7]);
    rand::seq::SliceRandom::shuffle(types.as_mut_slice(), rng);
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(start);
    let peers = cast.peer_names();
    let mut out = Vec::with_capacity(COUNT);
    for (i, t) in types.iter().enumerate().take(COUNT) {
        let (kind, titles, providers, hours, participatory) = CPD_BANK[*t];
        // Spread over the two years, the last three always in the current year so that this
        // year's summary is never empty.
        let day = if i + 3 >= COUNT {
            let span = (today - year_start).num_days().max(0);
            year_start + Duration::days(rng.random_range(0..=span))
        } else {
            let step = SPAN_DAYS / COUNT as i64;
            (start + Duration::days(i as i64 * step + rng.random_range(0..step))).min(today)
        };
        let s = scene(rng, &peers);
        let n = (i % 4 + 1).to_string();
        let extra = [("{n}", n.as_str()), ("{mentor}", cast.mentor.1)];
        let hours = half_hours(rng, hours).max(0.5);
        let fraction = if participatory.1 > participatory.0 {
            rng.random_range(participatory.0..=participatory.1)
        } else {
            participatory.0
        };
        let participatory_hours = ((hours * fraction * 2.0).round() / 2.0).min(hours);
        let ended_on = match kind {
            CpdType::Course => Some((day + Duration::days(rng.random_range(28..=90))).min(today)),
            CpdType::Conference if rng.random_bool(0.5) => {
                Some((day + Duration::days(1)).min(today))
            }
            _ => None,
        };
        let mut tags: Vec<String> = Vec::new();
        for _ in 0..rng.random_range(1..=3) {
            let tag = pick(rng, CPD_TAGS).to_owned();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let mut standards: Vec<String> = vec![pick(rng, STANDARDS).to_owned()];
        let second = pick(rng, STANDARDS).to_owned();
        if !standards.contains(&second) {
            standards.push(second);
        }
        let activity = store.create_cpd(&CpdInput {
            title: fill_words(pick(rng, titles), &s, rng, &extra),
            activity_type: kind,
            started_on: day,
            ended_on,
            hours,
            participatory_hours,
            provider: (!providers.is_empty()).then(|| pick(rng, providers).to_owned()),
            description: fill_words(
                pick(
                    rng,
                    match kind {
                        CpdType::Reading | CpdType::SelfDirected => CPD_SOLO_DESCRIPTIONS,
                        _ => CPD_DESCRIPTIONS,
                    },
                ),
                &s,
                rng,
                &extra,
            ),
            outcomes: format!(
                "{} {}",
                fill_words(pick(rng, CPD_OUTCOMES), &s, rng, &extra),
                fill_words(pick(rng, CPD_OUTCOMES), &s, rng, &extra)
            ),
            impact: fill_words(pick(rng, CPD_IMPACTS), &s, rng, &extra),
            benefit: fill_words(pick(rng, CPD_BENEFITS), &s, rng, &extra),
            evidence: pick(rng, CPD_EVIDENCE).to_owned(),
            standards,
            tags,
            linked_entries: Vec::new(),
        })?;
        out.push((activity.id, day));
    }
    Ok(out)
}

// --- Mentoring ------------------------------------------------------------------------------

const SESSION_NOTES: &[&str] = &[
    "We talked through {theme} with {group}.",
    "{peer} shared how they use {act} as an anchor at the start of every session.",
    "We looked at two of my recent reflections together and picked out a pattern.",
    "I brought a recording from {place} and we listened to the first ten minutes.",
    "We discussed ways to handle {theme} without stopping the music.",
    "We compared notes on {idea} and what it looks like in practice.",
    "Most of the time went on planning the next block of sessions.",
    "We spent a while on what to write down after a session and where to keep it.",
];

const ACTION_TITLES: &[&str] = &[
    "{change}",
    "Arrange a peer observation with {peer}",
    "Read a chapter on {idea}",
    "Share the looping plan with the peer group",
    "Record a session and bring ten minutes to the next meeting",
    "Write up the reflection on {theme} for my portfolio",
    "Try {act} as a warm-up for a month",
];

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
fn make_mentoring(
    store: &Store,
    rng: &mut StdRng,
    cast: &Cast,
    today: NaiveDate,
) -> Result<(u32, u32)> {
    let group_ids: Vec<Uuid> = cast.group_peers.iter().map(|p| p.0).collect();
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
        let mut s = scene(rng, &peers);
        s.peer = speaker;
        let mut notes = String::new();
        let mut used = Vec::new();
        for _ in 0..rng.random_range(2..=4) {
            let pattern = pick(rng, SESSION_NOTES);
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
            .map(|_| fill_words(pick(rng, ACTION_TITLES), &s, rng, &[]))
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

fn make_reflection_actions(
    store: &Store,
    rng: &mut StdRng,
    cast: &Cast,
    written: &Written,
    today: NaiveDate,
) -> Result<u32> {
    let peers = cast.peer_names();
    let mut n = 0;
    for (entry, day) in &written.with_plans {
        let s = scene(rng, &peers);
        let due = *day + Duration::days(rng.random_range(7..=28));
        store.create_action(&ActionInput {
            title: capitalised(pick(rng, CHANGES)),
            detail: fill_words(
                "From my action plan after a session with {group}.",
                &s,
                rng,
                &[],
            ),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn journal() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("j.reprise")).unwrap();
        (dir, store)
    }

    fn small(seed: u64) -> DemoOptions {
        DemoOptions {
            entries: 30,
            seed,
            words_per_entry: 120,
            force: false,
        }
    }

    fn texts(store: &Store) -> Vec<(String, String, Vec<String>, NaiveDate)> {
        let page = store
            .list_entries(&EntryFilter {
                limit: Some(500),
                ..EntryFilter::default()
            })
            .unwrap();
        let mut out: Vec<_> = page
            .items
            .iter()
            .map(|s| {
                let e = store.get_entry(s.id).unwrap();
                (e.title, e.body, e.tags, e.occurred_on)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn the_same_seed_gives_the_same_journal() {
        let (_a, first) = journal();
        let (_b, second) = journal();
        fill(&first, &small(7)).unwrap();
        fill(&second, &small(7)).unwrap();
        assert_eq!(texts(&first), texts(&second));
        let (_c, third) = journal();
        fill(&third, &small(8)).unwrap();
        assert_ne!(texts(&first), texts(&third));
    }

    #[test]
    fn a_journal_with_entries_is_refused_unless_forced() {
        let (_dir, store) = journal();
        fill(&store, &small(1)).unwrap();
        let err = fill(&store, &small(1)).unwrap_err().to_string();
        assert!(err.contains("already has 30 entries"), "{err}");
        fill(
            &store,
            &DemoOptions {
                force: true,
                ..small(1)
            },
        )
        .unwrap();
        assert_eq!(store.count_entries(&EntryFilter::default()).unwrap(), 60);
    }

    #[test]
    fn bodies_follow_the_template_prompts_and_the_word_count() {
        let (_dir, store) = journal();
        let summary = fill(
            &store,
            &DemoOptions {
                entries: 40,
                seed: 3,
                words_per_entry: 300,
                force: false,
            },
        )
        .unwrap();
        assert_eq!(summary.cpd_activities, 25);
        assert_eq!(summary.mentoring_sessions, 12);
        let page = store
            .list_entries(&EntryFilter {
                limit: Some(100),
                ..EntryFilter::default()
            })
            .unwrap();
        let mut words = 0;
        for s in &page.items {
            let e = store.get_entry(s.id).unwrap();
            let template = store
                .get_template(&e.template_id.unwrap().to_string())
                .unwrap();
            for p in &template.prompts {
                assert!(
                    e.body.contains(&format!("## {}\n", p.heading)),
                    "{} lacks {}",
                    e.title,
                    p.heading
                );
            }
            assert!(!e.body.contains('{'), "unfilled slot in {:?}", e.body);
            words += e.body.split_whitespace().count();
        }
        let average = words / page.items.len();
        assert!((240..=380).contains(&average), "average {average} words");
    }

    #[test]
    fn every_phrase_bank_can_be_drawn_from() {
        for role in [
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
        ] {
            assert!(!sentences(role).is_empty());
        }
        for p in PLACES {
            assert!(!p.minutes.is_empty() && p.size.0 <= p.size.1);
            assert!(LEARNERS.iter().any(|l| l.0 == p.band));
            assert!(ACTIVITIES.iter().filter(|a| a.2 & p.band != 0).count() >= 2);
            assert!(THEMES.iter().any(|t| t.2 & p.band != 0));
        }
    }
}
