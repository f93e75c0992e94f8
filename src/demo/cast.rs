//! The people in the sample and the three relationships between them.

use super::phrases::{Named, Phrases};
use crate::error::Result;
use crate::model::{
    Member, PersonInput, RelationshipInput, RelationshipKind, RelationshipStatus, Role,
};
use crate::store::Store;
use chrono::Duration;
use uuid::Uuid;

/// Who is in the sample: the owner, everyone else, and the three relationships.
pub(super) struct Cast {
    pub owner: Uuid,
    pub others: Vec<(Uuid, &'static str)>,
    pub mentor: (Uuid, &'static str),
    pub pair_peer: (Uuid, &'static str),
    pub group_peers: Vec<(Uuid, &'static str)>,
    pub group: Uuid,
    pub mentoring: Uuid,
    pub peer_pair: Uuid,
}

impl Cast {
    pub(super) fn peer_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self.group_peers.iter().map(|p| p.1).collect();
        names.push(self.pair_peer.1);
        names
    }
}

/// The people, in the order of the phrases: the first is the mentor, the second the
/// peer-pair partner, the next three the peer group.
pub(super) fn make_people(store: &Store, p: &'static Phrases) -> Result<Cast> {
    // A forced demo keeps the owner a journal already has.
    let owner = match store.owner()? {
        Some(person) => person.id,
        None => {
            let o = &p.owner;
            store
                .set_owner(&PersonInput {
                    display_name: o.name.clone(),
                    contact: o.contact.clone(),
                    role_words: Some(o.role.clone()),
                    notes: o.notes.clone(),
                })?
                .id
        }
    };
    let mut others = Vec::with_capacity(p.people.len());
    for person in &p.people {
        let created = store.create_person(&PersonInput {
            display_name: person.name.clone(),
            contact: person.contact.clone(),
            role_words: Some(person.role.clone()),
            notes: String::new(),
        })?;
        others.push((created.id, person.name.as_str()));
    }
    let mentor = others[0];
    let pair_peer = others[1];
    let group_peers = others[2..5].to_vec();
    let today = chrono::Local::now().date_naive();
    let relationship = |named: &Named, kind, started: i64, members: Vec<Member>| {
        let fill = |text: &str| {
            text.replace("{mentor}", mentor.1)
                .replace("{peer}", pair_peer.1)
        };
        store.create_relationship(&RelationshipInput {
            kind,
            name: fill(&named.name),
            purpose: fill(&named.purpose),
            started_on: Some(today - Duration::days(started)),
            ended_on: None,
            status: RelationshipStatus::Active,
            members,
        })
    };
    let member = |person_id, role| Member { person_id, role };

    let mut members = vec![member(owner, Role::Peer)];
    members.extend(group_peers.iter().map(|g| member(g.0, Role::Peer)));
    let r = &p.relationships;
    let group = relationship(&r.group, RelationshipKind::Group, 600, members)?;
    let mentoring = relationship(
        &r.mentoring,
        RelationshipKind::MentoringPair,
        430,
        vec![member(mentor.0, Role::Mentor), member(owner, Role::Mentee)],
    )?;
    let peer_pair = relationship(
        &r.peer_pair,
        RelationshipKind::PeerPair,
        300,
        vec![member(owner, Role::Peer), member(pair_peer.0, Role::Peer)],
    )?;
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
