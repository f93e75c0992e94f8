//! Many entries in one transaction, for the sample journal and benchmarks.
//!
//! Creating entries one by one costs a commit (an fsync under `synchronous=FULL`) each; a
//! 50,000-entry benchmark journal would take minutes that way. Here the whole batch is
//! validated first and then written in one transaction, so it lands all or nothing.

use super::entries::{entry_from_input, insert_entry};
use super::Store;
use crate::error::Result;
use crate::model::{new_id, now, EntryInput};
use uuid::Uuid;

impl Store {
    /// Creates every entry in `inputs` in one transaction and returns their ids, in order.
    ///
    /// # Errors
    /// [`Error::Invalid`](crate::Error::Invalid) for a bad field in any input (nothing is
    /// written); [`Error::NotFound`](crate::Error::NotFound) for a link to a missing record.
    pub fn create_entries(&self, inputs: &[EntryInput]) -> Result<Vec<Uuid>> {
        let validated = inputs
            .iter()
            .map(EntryInput::validated)
            .collect::<Result<Vec<_>>>()?;
        self.write(|tx| {
            let mut ids = Vec::with_capacity(validated.len());
            for input in &validated {
                let ts = now();
                let entry = entry_from_input(new_id(), input, ts, ts);
                insert_entry(tx, &entry)?;
                ids.push(entry.id);
            }
            Ok(ids)
        })
    }
}
