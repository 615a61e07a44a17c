//! Reads served by the search index: the index brought up to date (rebuilt when it is
//! damaged) and the notices that produced, which the caller shows. Uses `index`.

use crate::index::{IndexError, Progress, SearchIndex};

use super::Desk;

/// A value read through the index, with its notices for the user (rebuilt, answered from
/// an older state, copies of a ticket), one line each.
#[derive(Debug)]
pub struct Indexed<T> {
    /// What was read.
    pub value: T,
    /// One line each, for stderr.
    pub notices: Vec<String>,
}

impl Desk {
    /// Runs `read` on the index brought up to date (rebuilt by itself when damaged).
    pub fn with_index<T>(
        &self,
        progress: &dyn Progress,
        read: impl Fn(&SearchIndex) -> Result<T, IndexError>,
    ) -> Result<Indexed<T>, IndexError> {
        let (value, notices) = SearchIndex::with_recovery(
            self.store(),
            self.repo().git_dir(),
            progress,
            self.watcher(),
            read,
        )?;
        Ok(Indexed { value, notices })
    }
}
