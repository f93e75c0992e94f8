//! Turning raw records into the model's, naming the file, record and field of anything wrong.

use super::read::*;
use super::*;

/// Where in the file a record is, for error locations like
/// `backup.json: entries[12] (0190…): occurred_on`.
pub(super) struct Here<'a> {
    pub(super) file: &'a str,
    pub(super) section: &'static str,
    pub(super) index: usize,
    pub(super) id: &'a str,
}

impl Here<'_> {
    pub(super) fn err(&self, field: &str, reason: impl Into<String>) -> Error {
        let (file, section, index, id) = (self.file, self.section, self.index, self.id);
        let location = if id.is_empty() {
            format!("{file}: {section}[{index}]: {field}")
        } else {
            format!("{file}: {section}[{index}] ({id}): {field}")
        };
        Error::import(location, reason)
    }

    /// Re-homes a model validation error at this record.
    pub(super) fn invalid(&self, e: Error) -> Error {
        match e {
            Error::Invalid { field, reason } => self.err(&field, reason),
            other => other,
        }
    }

    pub(super) fn uuid(&self, field: &str, text: &str) -> Result<Uuid> {
        Uuid::parse_str(text).map_err(|_| self.err(field, format!("{text:?} is not a UUID")))
    }

    pub(super) fn opt_uuid(&self, field: &str, text: Option<&str>) -> Result<Option<Uuid>> {
        text.map(|t| self.uuid(field, t)).transpose()
    }

    pub(super) fn uuids(&self, field: &str, texts: &[String]) -> Result<Vec<Uuid>> {
        texts.iter().map(|t| self.uuid(field, t)).collect()
    }

    pub(super) fn ts(&self, field: &str, text: &str) -> Result<DateTime<Utc>> {
        let ts = parse_ts(text)
            .ok_or_else(|| self.err(field, format!("{text:?} is not an RFC 3339 timestamp")))?;
        // A copy stamped in the future would win every later merge against real edits (I5);
        // a day's grace covers clocks that disagree between two people's computers.
        if ts > crate::model::now() + chrono::Duration::days(1) {
            return Err(self.err(field, format!("{text:?} is in the future")));
        }
        Ok(ts)
    }

    /// The record `input` describes, once validated, with the id and stamps the file gives it
    /// (read after the other fields, so that the first thing wrong is the first reported).
    pub(super) fn record<R: Editable>(
        &self,
        input: &R::Input,
        id: &str,
        created_at: &str,
        updated_at: &str,
    ) -> Result<R> {
        let input = R::validated(input).map_err(|e| self.invalid(e))?;
        let id = self.uuid("id", id)?;
        let stamps = (
            self.ts("created_at", created_at)?,
            self.ts("updated_at", updated_at)?,
        );
        Ok(R::build(&input, id, stamps, None))
    }

    pub(super) fn opt_ts(&self, field: &str, text: Option<&str>) -> Result<Option<DateTime<Utc>>> {
        text.map(|t| self.ts(field, t)).transpose()
    }

    pub(super) fn date(&self, field: &str, text: &str) -> Result<NaiveDate> {
        strict_date(text)
            .ok_or_else(|| self.err(field, format!("{text:?} is not a date (YYYY-MM-DD)")))
    }

    pub(super) fn opt_date(&self, field: &str, text: Option<&str>) -> Result<Option<NaiveDate>> {
        text.map(|t| self.date(field, t)).transpose()
    }

    pub(super) fn parse<T: FromStr<Err = Error>>(&self, field: &str, text: &str) -> Result<T> {
        text.parse::<T>().map_err(|e| match e {
            Error::Invalid { reason, .. } => self.err(field, reason),
            other => other,
        })
    }

    /// Fails unless every id in `ids` names a record of the `known` kind.
    pub(super) fn refers(
        &self,
        field: &str,
        ids: impl IntoIterator<Item = Uuid>,
        known: &Known<'_>,
    ) -> Result<()> {
        match ids.into_iter().find(|id| !known.contains(id)) {
            None => Ok(()),
            Some(id) => Err(self.err(
                field,
                format!("no {} with id {id} in the file or the journal", known.what),
            )),
        }
    }
}

/// The records of one kind that a reference may name: those in the file and those already
/// in the journal.
pub(super) struct Known<'a> {
    /// What an error calls one ("person", "CPD activity").
    pub(super) what: &'static str,
    pub(super) file: HashSet<Uuid>,
    pub(super) journal: &'a HashMap<Uuid, DateTime<Utc>>,
}

impl Known<'_> {
    fn contains(&self, id: &Uuid) -> bool {
        self.file.contains(id) || self.journal.contains_key(id)
    }
}

/// A `YYYY-MM-DD` date and nothing else (chrono alone would accept five-digit years, which
/// would sort wrongly as text).
pub(crate) fn strict_date(text: &str) -> Option<NaiveDate> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

/// Template keys are short command-line names: lowercase ASCII letters, digits and `-`.
pub(super) fn check_key(here: &Here<'_>, key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && key.len() <= 100
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(here.err(
            "key",
            format!("{key:?} is not a template key (lowercase letters, digits and -)"),
        ))
    }
}

/// Turns raw records into model records, checking each field; references between records
/// are checked afterwards, in [`check_references`], once every id is known.
pub(super) struct Validator<'a> {
    pub(super) file: &'a str,
}

impl Validator<'_> {
    pub(super) fn here<'h>(&'h self, section: &'static str, index: usize, id: &'h str) -> Here<'h> {
        Here {
            file: self.file,
            section,
            index,
            id,
        }
    }

    /// A record's own id; a bad one is reported without it (`entries[3]: id`).
    pub(super) fn record_id(
        &self,
        section: &'static str,
        index: usize,
        text: &str,
    ) -> Result<Uuid> {
        self.here(section, index, "").uuid("id", text)
    }

    pub(super) fn template(&self, index: usize, r: RawTemplate) -> Result<Template> {
        let h = self.here("templates", index, &r.id);
        // Built-ins come only from this build: a file can neither change their wording nor
        // mark a template of its own as built-in (and so undeletable).
        let id = h.uuid("id", &r.id)?;
        if let Some(shipped) = crate::store::builtin_templates()
            .map_err(|e| h.invalid(e))?
            .into_iter()
            .find(|t| t.id == id)
        {
            return Ok(shipped);
        }
        let kind: EntryKind = h.parse("kind", &r.kind)?;
        check_key(&h, &r.key)?;
        let input = TemplateInput {
            name: r.name,
            description: r.description,
            kind,
            prompts: r.prompts,
        }
        .validated()
        .map_err(|e| h.invalid(e))?;
        Ok(Template {
            id: h.uuid("id", &r.id)?,
            key: r.key,
            name: input.name,
            description: input.description,
            kind,
            builtin: false,
            prompts: input.prompts,
            created_at: h.ts("created_at", &r.created_at)?,
            updated_at: h.ts("updated_at", &r.updated_at)?,
        })
    }

    pub(super) fn person(&self, index: usize, r: RawPerson) -> Result<Person> {
        let h = self.here("people", index, &r.id);
        let input = PersonInput {
            display_name: r.display_name,
            contact: r.contact,
            role_words: r.role_words,
            notes: r.notes,
        };
        Ok(Person {
            is_owner: r.is_owner,
            ..h.record(&input, &r.id, &r.created_at, &r.updated_at)?
        })
    }

    pub(super) fn relationship(&self, index: usize, r: RawRelationship) -> Result<Relationship> {
        let h = self.here("relationships", index, &r.id);
        let mut members = Vec::with_capacity(r.members.len());
        for (i, m) in r.members.iter().enumerate() {
            let person_id = h.uuid(&format!("members[{i}].person_id"), &m.person_id)?;
            let role: Role = h.parse(&format!("members[{i}].role"), &m.role)?;
            members.push(Member { person_id, role });
        }
        let input = RelationshipInput {
            kind: h.parse::<RelationshipKind>("kind", &r.kind)?,
            name: r.name,
            purpose: r.purpose,
            started_on: h.opt_date("started_on", r.started_on.as_deref())?,
            ended_on: h.opt_date("ended_on", r.ended_on.as_deref())?,
            status: h.parse::<RelationshipStatus>("status", &r.status)?,
            members,
        };
        h.record(&input, &r.id, &r.created_at, &r.updated_at)
    }

    pub(super) fn session(&self, index: usize, r: RawSession) -> Result<MentoringSession> {
        let h = self.here("mentoring_sessions", index, &r.id);
        let relationship_id = h.uuid("relationship_id", &r.relationship_id)?;
        let attendees = h.uuids("attendees", &r.attendees)?;
        let mut seen = HashSet::new();
        for a in &attendees {
            if !seen.insert(*a) {
                return Err(h.err("attendees", format!("{a} is listed twice")));
            }
        }
        let input = MentoringSessionInput {
            relationship_id,
            held_on: h.date("held_on", &r.held_on)?,
            duration_minutes: r.duration_minutes,
            notes: r.notes,
            attendees,
        };
        h.record(&input, &r.id, &r.created_at, &r.updated_at)
    }

    pub(super) fn action(&self, index: usize, r: RawAction) -> Result<Action> {
        let h = self.here("actions", index, &r.id);
        let owner_id = h.opt_uuid("owner_id", r.owner_id.as_deref())?;
        let source_entry_id = h.opt_uuid("source_entry_id", r.source_entry_id.as_deref())?;
        let source_session_id = h.opt_uuid("source_session_id", r.source_session_id.as_deref())?;
        let input = ActionInput {
            title: r.title,
            detail: r.detail,
            owner_id,
            due_on: h.opt_date("due_on", r.due_on.as_deref())?,
            status: h.parse::<ActionStatus>("status", &r.status)?,
            source: h.parse::<ActionSource>("source", &r.source)?,
            source_entry_id,
            source_session_id,
        };
        h.record(&input, &r.id, &r.created_at, &r.updated_at)
    }

    /// The ids of the attachments a record lists (checked against the file's attachments
    /// later).
    pub(super) fn listed(&self, h: &Here<'_>, listed: &[RawMeta]) -> Result<Vec<Uuid>> {
        listed
            .iter()
            .enumerate()
            .map(|(i, meta)| h.uuid(&format!("attachments[{i}].id"), &meta.id))
            .collect()
    }

    pub(super) fn cpd(&self, index: usize, r: RawCpd) -> Result<(CpdActivity, Vec<Uuid>)> {
        let h = self.here("cpd_activities", index, &r.id);
        h.uuid("id", &r.id)?;
        // Derived from the entries' side; checked for shape only, and not applied.
        h.uuids("linked_entries", &r.linked_entries)?;
        let listed = self.listed(&h, &r.attachments)?;
        let input = CpdInput {
            title: r.title,
            activity_type: h.parse::<CpdType>("activity_type", &r.activity_type)?,
            started_on: h.date("started_on", &r.started_on)?,
            ended_on: h.opt_date("ended_on", r.ended_on.as_deref())?,
            hours: r.hours,
            participatory_hours: r.participatory_hours,
            provider: r.provider,
            description: r.description,
            outcomes: r.outcomes,
            impact: r.impact,
            benefit: r.benefit,
            evidence: r.evidence,
            standards: r.standards,
            tags: r.tags,
            linked_entries: Vec::new(),
        };
        let activity = h.record(&input, &r.id, &r.created_at, &r.updated_at)?;
        Ok((activity, listed))
    }

    /// An entry in full, and the ids of the attachments it lists.
    pub(super) fn entry(&self, index: usize, r: RawEntry) -> Result<(Entry, Vec<Uuid>)> {
        let h = self.here("entries", index, &r.id);
        let id = h.uuid("id", &r.id)?;
        let template_id = h.opt_uuid("template_id", r.template_id.as_deref())?;
        let linked_entries = h.uuids("linked_entries", &r.linked_entries)?;
        if linked_entries.contains(&id) {
            return Err(h.err("linked_entries", "an entry cannot link to itself"));
        }
        let linked_cpd = h.uuids("linked_cpd", &r.linked_cpd)?;
        let linked_relationships = h.uuids("linked_relationships", &r.linked_relationships)?;
        let listed = self.listed(&h, &r.attachments)?;
        let occurred_time =
            match r.occurred_time.as_deref() {
                Some(t) => Some(NaiveTime::from_str(t).map_err(|_| {
                    h.err("occurred_time", format!("{t:?} is not a time (HH:MM:SS)"))
                })?),
                None => None,
            };
        let input = EntryInput {
            kind: h.parse("kind", &r.kind)?,
            title: r.title,
            body: r.body,
            occurred_on: Some(h.date("occurred_on", &r.occurred_on)?),
            occurred_time,
            template_id,
            starred: r.starred,
            tags: r.tags,
            session: r.session,
            linked_entries,
            linked_cpd,
            linked_relationships,
        };
        let created_at = h.ts("created_at", &r.created_at)?;
        let updated_at = h.ts("updated_at", &r.updated_at)?;
        let deleted_at = h.opt_ts("deleted_at", r.deleted_at.as_deref())?;
        let input = input.validated().map_err(|e| h.invalid(e))?;
        let entry = Entry {
            deleted_at,
            ..entry_from_input(id, &input, created_at, updated_at)
        };
        Ok((entry, listed))
    }

    pub(super) fn attachment(
        &self,
        index: usize,
        mut r: RawAttachment,
    ) -> Result<StoredAttachment> {
        let h = self.here("attachments", index, &r.id);
        let owner = match (
            h.opt_uuid("entry_id", r.entry_id.as_deref())?,
            h.opt_uuid("cpd_id", r.cpd_id.as_deref())?,
        ) {
            (Some(e), None) => AttachmentOwner::Entry(e),
            (None, Some(c)) => AttachmentOwner::Cpd(c),
            _ => {
                return Err(h.err(
                    "entry_id",
                    "an attachment belongs to exactly one entry_id or cpd_id",
                ))
            }
        };
        let file_name = checked_file_name(&r.file_name).map_err(|e| h.invalid(e))?;
        let media_type = checked_media_type(&r.media_type).map_err(|e| h.invalid(e))?;
        if r.size > MAX_ATTACHMENT_BYTES {
            return Err(h.err(
                "size",
                format!(
                    "{} bytes is over the {MAX_ATTACHMENT_BYTES}-byte limit",
                    r.size
                ),
            ));
        }
        if r.sha256.len() != 64
            || !r
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(h.err(
                "sha256",
                format!("{:?} is not a lowercase hex SHA-256", r.sha256),
            ));
        }
        // Bound the work before decoding: base64 is 4 characters per 3 bytes.
        let most = (MAX_ATTACHMENT_BYTES as usize).div_ceil(3) * 4;
        if r.data.len() > most {
            return Err(h.err(
                "data",
                format!("more than the {MAX_ATTACHMENT_BYTES}-byte limit"),
            ));
        }
        let data = base64::engine::general_purpose::STANDARD
            .decode(std::mem::take(&mut r.data))
            .map_err(|e| h.err("data", format!("not valid base64: {e}")))?;
        if data.len() as u64 != r.size {
            return Err(h.err(
                "size",
                format!("says {} bytes but the data holds {}", r.size, data.len()),
            ));
        }
        if sha256_hex(&data) != r.sha256 {
            return Err(h.err("sha256", "does not match the data"));
        }
        let meta = AttachmentMeta {
            id: h.uuid("id", &r.id)?,
            file_name,
            media_type,
            size: r.size,
            sha256: r.sha256.clone(),
            created_at: h.ts("created_at", &r.created_at)?,
        };
        Ok(StoredAttachment {
            owner,
            meta,
            updated_at: h.ts("updated_at", &r.updated_at)?,
            data,
        })
    }
}
