//! CPD activities: the professional-development log.

use super::{long_text, normalise_tags, optional_line, required_line, AttachmentMeta};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

string_enum! {
    /// The type of a CPD activity.
    CpdType {
        /// A course over several sessions.
        Course => "course",
        /// A training day.
        TrainingDay => "training_day",
        /// A conference.
        Conference => "conference",
        /// A webinar.
        Webinar => "webinar",
        /// Professional reading.
        Reading => "reading",
        /// Observing or being observed by a peer.
        PeerObservation => "peer_observation",
        /// Mentoring, given or received.
        Mentoring => "mentoring",
        /// Clinical or professional supervision.
        Supervision => "supervision",
        /// Self-directed learning.
        SelfDirected => "self_directed",
        /// Anything else.
        Other => "other",
    }
}

stamped_record! {
    /// One CPD activity.
    pub struct CpdActivity {
        /// The activity's id.
        pub id: Uuid,
    }
    /// What a person writes or changes in a CPD activity.
    written as pub struct CpdInput {
        /// Its title.
        pub title: String,
        /// Its type.
        pub activity_type: CpdType,
        /// The day it started.
        pub started_on: NaiveDate,
        /// The day it ended, if it spanned several.
        #[serde(default)]
        pub ended_on: Option<NaiveDate>,
        /// Hours of CPD.
        pub hours: f64,
        /// Of those, hours spent actively participating (with others).
        #[serde(default)]
        pub participatory_hours: f64,
        /// Who provided it.
        #[serde(default)]
        pub provider: Option<String>,
        /// What it was.
        #[serde(default)]
        pub description: String,
        /// What was learnt.
        #[serde(default)]
        pub outcomes: String,
        /// How it changed practice.
        #[serde(default)]
        pub impact: String,
        /// How children or service users benefit.
        #[serde(default)]
        pub benefit: String,
        /// Notes on the evidence kept (certificates are attachments).
        #[serde(default)]
        pub evidence: String,
        /// Professional standards it addresses.
        #[serde(default)]
        pub standards: Vec<String>,
        /// Tags.
        #[serde(default)]
        pub tags: Vec<String>,
        /// Reflections linked to it.
        #[serde(default)]
        pub linked_entries: Vec<Uuid>,
    }
    then {
        /// Evidence files.
        pub attachments: Vec<AttachmentMeta>,
    }
    stamps {
        /// When created.
        created_at,
        /// When last changed.
        updated_at,
    }
}

impl CpdInput {
    /// Checks every field: hours are finite, not negative, at most 1,000, and participatory
    /// hours are no more than hours; the end is not before the start.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first field that is wrong.
    pub fn validated(&self) -> Result<CpdInput> {
        for (field, h) in [
            ("hours", self.hours),
            ("participatory_hours", self.participatory_hours),
        ] {
            if !h.is_finite() || !(0.0..=1000.0).contains(&h) {
                return Err(Error::invalid(
                    field,
                    format!("{h} is not between 0 and 1000"),
                ));
            }
        }
        super::check_date("started_on", Some(self.started_on))?;
        super::check_date("ended_on", self.ended_on)?;
        if self.participatory_hours > self.hours {
            return Err(Error::invalid("participatory_hours", "is more than hours"));
        }
        if matches!(self.ended_on, Some(e) if e < self.started_on) {
            return Err(Error::invalid("ended_on", "is before started_on"));
        }
        let standards = self
            .standards
            .iter()
            .map(|s| optional_line("standards", s))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect();
        let mut linked = self.linked_entries.clone();
        linked.dedup();
        Ok(CpdInput {
            title: required_line("title", &self.title)?,
            provider: optional_line("provider", self.provider.as_deref().unwrap_or(""))?,
            description: long_text("description", &self.description)?,
            outcomes: long_text("outcomes", &self.outcomes)?,
            impact: long_text("impact", &self.impact)?,
            benefit: long_text("benefit", &self.benefit)?,
            evidence: long_text("evidence", &self.evidence)?,
            standards,
            tags: normalise_tags(&self.tags)?,
            linked_entries: linked,
            ..self.clone()
        })
    }
}

/// Hours of one CPD type within a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CpdTypeHours {
    /// The type.
    pub activity_type: CpdType,
    /// How many activities.
    pub activities: u32,
    /// Total hours.
    pub hours: f64,
    /// Total participatory hours.
    pub participatory_hours: f64,
}

/// CPD hours for a period, by type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CpdSummary {
    /// First day of the period.
    pub since: NaiveDate,
    /// Last day of the period.
    pub until: NaiveDate,
    /// Hours by type (types with no activity are left out).
    pub by_type: Vec<CpdTypeHours>,
    /// Total activities.
    pub activities: u32,
    /// Total hours.
    pub hours: f64,
    /// Total participatory hours.
    pub participatory_hours: f64,
}
