//! People, mentoring relationships, their session notes, and actions.

use super::{long_text, optional_line, required_line};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

stamped_record! {
    /// Someone in the journal owner's network (or the owner).
    #[derive(Eq)]
    pub struct Person {
        /// The person's id.
        pub id: Uuid,
        /// The name shown for them.
        pub display_name: String,
        /// How to reach them (email, phone), if noted.
        pub contact: Option<String>,
        /// Words for their role, e.g. "early-years music leader".
        pub role_words: Option<String>,
        /// This person is the journal's owner (their profile).
        pub is_owner: bool,
        /// Free notes.
        pub notes: String,
    }
    stamps {
        /// When created.
        created_at,
        /// When last changed.
        updated_at,
    }
}

/// What a person writes or changes about someone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct PersonInput {
    /// The name shown for them.
    pub display_name: String,
    /// How to reach them.
    pub contact: Option<String>,
    /// Words for their role.
    pub role_words: Option<String>,
    /// Free notes.
    pub notes: String,
}

impl PersonInput {
    /// Checks and normalises every field.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first field that is wrong.
    pub fn validated(&self) -> Result<PersonInput> {
        Ok(PersonInput {
            display_name: required_line("display_name", &self.display_name)?,
            contact: optional_line("contact", self.contact.as_deref().unwrap_or(""))?,
            role_words: optional_line("role_words", self.role_words.as_deref().unwrap_or(""))?,
            notes: long_text("notes", &self.notes)?,
        })
    }
}

string_enum! {
    /// The shape of a mentoring relationship.
    RelationshipKind {
        /// A mentor and a mentee.
        MentoringPair => "mentoring_pair",
        /// Two peers mentoring each other.
        PeerPair => "peer_pair",
        /// A small peer group.
        Group => "group",
    }
}

string_enum! {
    /// Where a relationship stands.
    RelationshipStatus {
        /// Meeting now.
        Active => "active",
        /// On hold.
        Paused => "paused",
        /// Finished.
        Ended => "ended",
    }
}

string_enum! {
    /// A member's role in a relationship.
    Role {
        /// Guides a mentee.
        Mentor => "mentor",
        /// Is guided by a mentor.
        Mentee => "mentee",
        /// An equal.
        Peer => "peer",
    }
}

/// A member of a relationship and their role in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The person.
    pub person_id: Uuid,
    /// Their role.
    pub role: Role,
}

stamped_record! {
    /// A mentoring pair, a reciprocal peer pair, or a group.
    #[derive(Eq)]
    pub struct Relationship {
        /// The relationship's id.
        pub id: Uuid,
    }
    /// What a person writes or changes in a relationship.
    #[derive(Eq)]
    written as pub struct RelationshipInput {
        /// Its shape.
        pub kind: RelationshipKind,
        /// Its name.
        pub name: String,
        /// Purpose and goals.
        #[serde(default)]
        pub purpose: String,
        /// When it began.
        #[serde(default)]
        pub started_on: Option<NaiveDate>,
        /// When it ended.
        #[serde(default)]
        pub ended_on: Option<NaiveDate>,
        /// Where it stands.
        pub status: RelationshipStatus,
        /// Who is in it.
        pub members: Vec<Member>,
    }
    stamps {
        /// When created.
        created_at,
        /// When last changed.
        updated_at,
    }
}

impl RelationshipInput {
    /// Checks the fields and that the roles fit the shape.
    ///
    /// A mentoring pair has one mentor and one mentee; a peer pair two peers; a group two or
    /// more members, who may be peers or include mentors.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first field that is wrong.
    pub fn validated(&self) -> Result<RelationshipInput> {
        let mut members: Vec<Member> = Vec::new();
        for m in &self.members {
            if members.iter().any(|o| o.person_id == m.person_id) {
                return Err(Error::invalid(
                    "members",
                    format!("{} is listed twice", m.person_id),
                ));
            }
            members.push(m.clone());
        }
        let count = |role| members.iter().filter(|m| m.role == role).count();
        match self.kind {
            RelationshipKind::MentoringPair
                if members.len() != 2 || count(Role::Mentor) != 1 || count(Role::Mentee) != 1 =>
            {
                return Err(Error::invalid(
                    "members",
                    "a mentoring pair has one mentor and one mentee",
                ));
            }
            RelationshipKind::PeerPair if members.len() != 2 || count(Role::Peer) != 2 => {
                return Err(Error::invalid("members", "a peer pair has two peers"));
            }
            RelationshipKind::Group if members.len() < 2 => {
                return Err(Error::invalid(
                    "members",
                    "a group has at least two members",
                ));
            }
            _ => {}
        }
        super::check_date("started_on", self.started_on)?;
        super::check_date("ended_on", self.ended_on)?;
        if let (Some(s), Some(e)) = (self.started_on, self.ended_on) {
            if e < s {
                return Err(Error::invalid("ended_on", "is before started_on"));
            }
        }
        Ok(RelationshipInput {
            kind: self.kind,
            name: required_line("name", &self.name)?,
            purpose: long_text("purpose", &self.purpose)?,
            started_on: self.started_on,
            ended_on: self.ended_on,
            status: self.status,
            members,
        })
    }
}

stamped_record! {
    /// A meeting inside a relationship.
    #[derive(Eq)]
    pub struct MentoringSession {
        /// The session's id.
        pub id: Uuid,
    }
    /// What a person writes or changes in a session note.
    #[derive(Eq)]
    written as pub struct MentoringSessionInput {
        /// The relationship it belongs to.
        pub relationship_id: Uuid,
        /// The day it was held.
        pub held_on: NaiveDate,
        /// How long it lasted, in minutes.
        #[serde(default)]
        pub duration_minutes: Option<u32>,
        /// Notes (Markdown).
        #[serde(default)]
        pub notes: String,
        /// Who attended.
        #[serde(default)]
        pub attendees: Vec<Uuid>,
    }
    stamps {
        /// When created.
        created_at,
        /// When last changed.
        updated_at,
    }
}

impl MentoringSessionInput {
    /// Checks every field.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first field that is wrong.
    pub fn validated(&self) -> Result<MentoringSessionInput> {
        super::check_date("held_on", Some(self.held_on))?;
        if matches!(self.duration_minutes, Some(m) if m > 24 * 60) {
            return Err(Error::invalid("duration_minutes", "is longer than a day"));
        }
        let mut attendees = self.attendees.clone();
        attendees.dedup();
        Ok(MentoringSessionInput {
            notes: long_text("notes", &self.notes)?,
            attendees,
            ..self.clone()
        })
    }
}

string_enum! {
    /// Where an action stands.
    ActionStatus {
        /// Not started.
        Open => "open",
        /// Under way.
        InProgress => "in_progress",
        /// Finished.
        Done => "done",
        /// No longer pursued.
        Dropped => "dropped",
    }
}

string_enum! {
    /// Where an action came from.
    ActionSource {
        /// A reflection's action plan.
        Reflection => "reflection",
        /// A mentoring session.
        MentoringSession => "mentoring_session",
        /// A self-assessment.
        SelfAssessment => "self_assessment",
        /// Anywhere else.
        Other => "other",
    }
}

stamped_record! {
    /// Something to do: an action or a goal.
    #[derive(Eq)]
    pub struct Action {
        /// The action's id.
        pub id: Uuid,
    }
    /// What a person writes or changes in an action.
    #[derive(Eq)]
    written as pub struct ActionInput {
        /// What to do.
        pub title: String,
        /// More detail.
        #[serde(default)]
        pub detail: String,
        /// Who will do it.
        #[serde(default)]
        pub owner_id: Option<Uuid>,
        /// When it is due.
        #[serde(default)]
        pub due_on: Option<NaiveDate>,
        /// Where it stands.
        pub status: ActionStatus,
        /// Where it came from.
        pub source: ActionSource,
        /// The reflection it came from.
        #[serde(default)]
        pub source_entry_id: Option<Uuid>,
        /// The mentoring session it was agreed in.
        #[serde(default)]
        pub source_session_id: Option<Uuid>,
    }
    stamps {
        /// When created.
        created_at,
        /// When last changed.
        updated_at,
    }
}

impl ActionInput {
    /// Checks every field and that the source ids fit the source.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first field that is wrong.
    pub fn validated(&self) -> Result<ActionInput> {
        super::check_date("due_on", self.due_on)?;
        if self.source_entry_id.is_some() && self.source != ActionSource::Reflection {
            return Err(Error::invalid(
                "source_entry_id",
                "is only for actions from a reflection",
            ));
        }
        if self.source_session_id.is_some() && self.source != ActionSource::MentoringSession {
            return Err(Error::invalid(
                "source_session_id",
                "is only for actions from a mentoring session",
            ));
        }
        Ok(ActionInput {
            title: required_line("title", &self.title)?,
            detail: long_text("detail", &self.detail)?,
            ..self.clone()
        })
    }
}
