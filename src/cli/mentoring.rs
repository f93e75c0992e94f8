//! `reprise people` and `reprise mentoring`: the network, relationships, session notes and
//! actions.
//!
//! People, relationships, sessions and actions are named on the command line by id, a unique
//! start of the id, or (people and relationships) their name; `me` is the journal's owner.

use super::output::{relationship_label, resolve, with_short_ids};
use super::{parse_day, parse_relationship_kind, CliError, CliResult, Ctx};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use reprise::model::{
    Action, ActionInput, ActionSource, ActionStatus, Member, MentoringSessionInput, Person,
    PersonInput, Relationship, RelationshipInput, RelationshipKind, RelationshipStatus, Role,
};
use uuid::Uuid;

/// `reprise people`.
#[derive(Debug, Args)]
pub struct PeopleArgs {
    #[command(subcommand)]
    action: Option<PeopleCommand>,
}

#[derive(Debug, Subcommand)]
enum PeopleCommand {
    /// List everyone, you first (the default).
    List,
    /// Add someone to your network.
    Add(PersonArgs),
    /// Set up or change your own profile.
    Me(PersonArgs),
}

#[derive(Debug, Args)]
struct PersonArgs {
    /// Their name, as shown.
    name: String,
    /// How to reach them (email, phone).
    #[arg(long)]
    contact: Option<String>,
    /// Words for their role, e.g. "early-years music leader".
    #[arg(long)]
    role: Option<String>,
}

/// `reprise mentoring`.
#[derive(Debug, Args)]
pub struct MentoringArgs {
    #[command(subcommand)]
    action: Option<MentoringCommand>,
}

#[derive(Debug, Subcommand)]
enum MentoringCommand {
    /// List relationships with their members and roles (the default).
    List,
    /// Start a relationship: a mentoring pair, a peer pair or a group.
    Add(AddRelationship),
    /// List session notes, newest first.
    Sessions {
        /// Only this relationship's (id, start of id, or name).
        #[arg(long, value_name = "ID")]
        relationship: Option<String>,
    },
    /// Record a mentoring session.
    SessionAdd(AddSession),
    /// List actions, open ones first.
    Actions,
    /// Add an action.
    ActionAdd(AddAction),
    /// Mark an action done.
    ActionDone {
        /// The action's id or the start of it.
        id: String,
    },
}

#[derive(Debug, Args)]
struct AddRelationship {
    /// mentoring-pair, peer-pair or group.
    #[arg(long, value_parser = parse_relationship_kind)]
    kind: RelationshipKind,
    /// Its name.
    #[arg(long)]
    name: String,
    /// A member and their role: NAME_OR_ID:mentor|mentee|peer (repeat; `me` is you).
    #[arg(long = "member", value_name = "NAME_OR_ID:ROLE", required = true)]
    members: Vec<String>,
    /// Purpose and goals.
    #[arg(long, default_value = "")]
    purpose: String,
    /// When it began [default: today].
    #[arg(long, value_parser = parse_day, value_name = "DAY")]
    since: Option<NaiveDate>,
}

#[derive(Debug, Args)]
struct AddSession {
    /// The relationship (id, start of id, or name).
    #[arg(long, value_name = "ID")]
    relationship: String,
    /// The day it was held [default: today].
    #[arg(long, value_parser = parse_day, value_name = "DAY")]
    date: Option<NaiveDate>,
    /// How long it lasted, in minutes.
    #[arg(long, value_name = "MINUTES")]
    duration: Option<u32>,
    /// Notes (Markdown).
    #[arg(long, default_value = "")]
    notes: String,
    /// Who attended (repeat) [default: every member].
    #[arg(long = "attendee", value_name = "NAME_OR_ID")]
    attendees: Vec<String>,
}

#[derive(Debug, Args)]
struct AddAction {
    /// What to do.
    #[arg(long)]
    title: String,
    /// More detail.
    #[arg(long, default_value = "")]
    detail: String,
    /// When it is due.
    #[arg(long, value_parser = parse_day, value_name = "DAY")]
    due: Option<NaiveDate>,
    /// Who will do it (name or id; `me` is you).
    #[arg(long, value_name = "NAME_OR_ID")]
    owner: Option<String>,
    /// The mentoring session it was agreed in.
    #[arg(long, value_name = "ID")]
    session: Option<String>,
}

pub fn people(ctx: &mut Ctx, a: PeopleArgs) -> CliResult {
    match a.action.unwrap_or(PeopleCommand::List) {
        PeopleCommand::List => {
            let people = ctx.read()?.list_people()?;
            ctx.out.either(&people, |out| {
                for (p, id) in with_short_ids(&people, |p| p.id) {
                    let mut line = format!("{id}  {}", p.display_name);
                    if p.is_owner {
                        line.push_str(" (you)");
                    }
                    if let Some(r) = &p.role_words {
                        line.push_str(&format!(" — {r}"));
                    }
                    if let Some(c) = &p.contact {
                        line.push_str(&format!(" <{c}>"));
                    }
                    out.line(line)?;
                }
                Ok(())
            })
        }
        PeopleCommand::Add(p) => {
            let person = ctx.write()?.create_person(&person_input(p))?;
            ctx.out.written(&person, person.id)
        }
        PeopleCommand::Me(p) => {
            let store = ctx.write()?;
            // Keep the notes already on the profile.
            let notes = store.owner()?.map(|o| o.notes).unwrap_or_default();
            let person = store.set_owner(&PersonInput {
                notes,
                ..person_input(p)
            })?;
            let line = format!("you are {}", person.display_name);
            ctx.out.either(&person, |out| out.line(line))
        }
    }
}

fn person_input(p: PersonArgs) -> PersonInput {
    PersonInput {
        display_name: p.name,
        contact: p.contact,
        role_words: p.role,
        notes: String::new(),
    }
}

pub fn run(ctx: &mut Ctx, a: MentoringArgs) -> CliResult {
    match a.action.unwrap_or(MentoringCommand::List) {
        MentoringCommand::List => list(ctx),
        MentoringCommand::Add(a) => add_relationship(ctx, a),
        MentoringCommand::Sessions { relationship } => {
            let store = ctx.read()?;
            let relationships = store.list_relationships()?;
            let only = relationship
                .map(|r| relationship_id(&relationships, &r))
                .transpose()?;
            let sessions = store.list_sessions(only)?;
            let people = store.list_people()?;
            ctx.out.either(&sessions, |out| {
                for (s, id) in with_short_ids(&sessions, |s| s.id) {
                    let rel = relationships
                        .iter()
                        .find(|r| r.id == s.relationship_id)
                        .map_or("?", |r| r.name.as_str());
                    let minutes = s
                        .duration_minutes
                        .map(|m| format!(", {m} min"))
                        .unwrap_or_default();
                    let who: Vec<&str> = s.attendees.iter().map(|a| name_of(&people, *a)).collect();
                    out.line(format!(
                        "{id}  {}  {rel}{minutes}  ({})",
                        s.held_on,
                        who.join(", ")
                    ))?;
                    let notes = reprise::render::plain_text(&s.notes, 160);
                    if !notes.is_empty() {
                        out.line(format!("    {notes}"))?;
                    }
                }
                Ok(())
            })
        }
        MentoringCommand::SessionAdd(a) => add_session(ctx, a),
        MentoringCommand::Actions => {
            let store = ctx.read()?;
            let actions = store.list_actions()?;
            let people = store.list_people()?;
            ctx.out.either(&actions, |out| {
                for (a, id) in with_short_ids(&actions, |a| a.id) {
                    let due = a.due_on.map(|d| format!("  due {d}")).unwrap_or_default();
                    let owner = a
                        .owner_id
                        .map(|o| format!("  ({})", name_of(&people, o)))
                        .unwrap_or_default();
                    out.line(format!(
                        "{id}  [{}] {}{due}{owner}",
                        status_label(a.status),
                        a.title
                    ))?;
                }
                Ok(())
            })
        }
        MentoringCommand::ActionAdd(a) => add_action(ctx, a),
        MentoringCommand::ActionDone { id } => {
            let store = ctx.write_existing()?;
            let actions = store.list_actions()?;
            let title: &dyn Fn(&Action) -> &str = &|a| a.title.as_str();
            let id = resolve(&actions, &id, "action", |a| a.id, Some(title))?;
            let Some(a) = actions.iter().find(|a| a.id == id) else {
                return Err(CliError::Core(reprise::Error::NotFound {
                    entity: "action",
                    id: id.to_string(),
                }));
            };
            let done = store.update_action(
                id,
                &ActionInput {
                    title: a.title.clone(),
                    detail: a.detail.clone(),
                    owner_id: a.owner_id,
                    due_on: a.due_on,
                    status: ActionStatus::Done,
                    source: a.source,
                    source_entry_id: a.source_entry_id,
                    source_session_id: a.source_session_id,
                },
            )?;
            let line = format!("done: {}", done.title);
            ctx.out.either(&done, |out| out.line(line))
        }
    }
}

fn add_relationship(ctx: &mut Ctx, a: AddRelationship) -> CliResult {
    let store = ctx.write()?;
    let people = store.list_people()?;
    let members = a
        .members
        .iter()
        .map(|m| {
            let (who, role) = m.rsplit_once(':').ok_or_else(|| {
                CliError::Usage(format!(
                    "--member {m:?} needs a role: NAME_OR_ID:mentor|mentee|peer"
                ))
            })?;
            let role: Role = role.parse().map_err(|_| {
                CliError::Usage(format!(
                    "--member {m:?}: {role:?} is not a role; use mentor, mentee or peer"
                ))
            })?;
            Ok((who, role))
        })
        .collect::<CliResult<Vec<_>>>()?;
    // A member named here who is not yet a person is added on the way, as the relationship
    // is the first place many people are mentioned; only once the relationship itself is
    // known to be sound, so a refused one adds nobody.
    let input = |members: Vec<Member>| RelationshipInput {
        kind: a.kind,
        name: a.name.clone(),
        purpose: a.purpose.clone(),
        started_on: Some(a.since.unwrap_or_else(|| chrono::Local::now().date_naive())),
        ended_on: None,
        status: RelationshipStatus::Active,
        members,
    };
    input(
        members
            .iter()
            .map(|(who, role)| Member {
                person_id: person(&people, who).unwrap_or_else(|_| Uuid::now_v7()),
                role: *role,
            })
            .collect(),
    )
    .validated()?;
    let mut people = people;
    let mut added = Vec::new();
    let members = members
        .into_iter()
        .map(|(who, role)| {
            let person_id = match person(&people, who) {
                Err(CliError::Core(reprise::Error::NoneNamed { .. })) => {
                    let p = store.create_person(&PersonInput {
                        display_name: who.trim().to_owned(),
                        ..PersonInput::default()
                    })?;
                    added.push(p.display_name.clone());
                    let id = p.id;
                    people.push(p);
                    id
                }
                found => found?,
            };
            Ok(Member { person_id, role })
        })
        .collect::<CliResult<Vec<_>>>()?;
    for name in &added {
        eprintln!("added {name} to your people");
    }
    let r = store.create_relationship(&input(members))?;
    ctx.out.written(&r, r.id)
}

fn add_session(ctx: &mut Ctx, a: AddSession) -> CliResult {
    let store = ctx.write_existing()?;
    let relationships = store.list_relationships()?;
    let rel_id = relationship_id(&relationships, &a.relationship)?;
    let people = store.list_people()?;
    let attendees = if a.attendees.is_empty() {
        relationships
            .iter()
            .find(|r| r.id == rel_id)
            .map(|r| r.members.iter().map(|m| m.person_id).collect())
            .unwrap_or_default()
    } else {
        a.attendees
            .iter()
            .map(|who| person(&people, who))
            .collect::<CliResult<Vec<_>>>()?
    };
    let s = store.create_session(&MentoringSessionInput {
        relationship_id: rel_id,
        held_on: a.date.unwrap_or_else(|| chrono::Local::now().date_naive()),
        duration_minutes: a.duration,
        notes: a.notes,
        attendees,
    })?;
    ctx.out.written(&s, s.id)
}

fn add_action(ctx: &mut Ctx, a: AddAction) -> CliResult {
    let store = ctx.write()?;
    let owner_id = match a.owner {
        Some(o) => Some(person(&store.list_people()?, &o)?),
        None => None,
    };
    let session_id = match a.session {
        Some(s) => {
            let sessions = store.list_sessions(None)?;
            Some(resolve(&sessions, &s, "mentoring session", |s| s.id, None)?)
        }
        None => None,
    };
    let action = store.create_action(&ActionInput {
        title: a.title,
        detail: a.detail,
        owner_id,
        due_on: a.due,
        status: ActionStatus::Open,
        source: if session_id.is_some() {
            ActionSource::MentoringSession
        } else {
            ActionSource::Other
        },
        source_entry_id: None,
        source_session_id: session_id,
    })?;
    ctx.out.written(&action, action.id)
}

fn list(ctx: &mut Ctx) -> CliResult {
    let store = ctx.read()?;
    let relationships = store.list_relationships()?;
    let people = store.list_people()?;
    ctx.out.either(&relationships, |out| {
        for (r, id) in with_short_ids(&relationships, |r| r.id) {
            let since = r
                .started_on
                .map(|d| format!(", since {d}"))
                .unwrap_or_default();
            out.line(format!(
                "{id}  {}  ({}, {}{since})",
                r.name,
                relationship_label(r.kind),
                r.status
            ))?;
            let members: Vec<String> = r
                .members
                .iter()
                .map(|m| format!("{} ({})", name_of(&people, m.person_id), m.role))
                .collect();
            out.line(format!("    {}", members.join(", ")))?;
        }
        Ok(())
    })
}

fn status_label(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Open => "open",
        ActionStatus::InProgress => "in progress",
        ActionStatus::Done => "done",
        ActionStatus::Dropped => "dropped",
    }
}

fn name_of(people: &[Person], id: Uuid) -> &str {
    people
        .iter()
        .find(|p| p.id == id)
        .map_or("(unknown)", |p| p.display_name.as_str())
}

/// A person by id, start of id or name; `me` is the owner.
fn person(people: &[Person], text: &str) -> CliResult<Uuid> {
    if text.trim().eq_ignore_ascii_case("me") {
        if let Some(owner) = people.iter().find(|p| p.is_owner) {
            return Ok(owner.id);
        }
        return Err(CliError::Failed(
            "there is no profile yet; set it with `reprise people me NAME`".into(),
        ));
    }
    let name: &dyn Fn(&Person) -> &str = &|p| p.display_name.as_str();
    Ok(resolve(people, text, "person", |p| p.id, Some(name))?)
}

fn relationship_id(relationships: &[Relationship], text: &str) -> CliResult<Uuid> {
    let name: &dyn Fn(&Relationship) -> &str = &|r| r.name.as_str();
    Ok(resolve(
        relationships,
        text,
        "relationship",
        |r| r.id,
        Some(name),
    )?)
}
