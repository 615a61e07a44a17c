//! The learned classifier behind `triage`: it suggests a ticket's type and labels from
//! the words of earlier closed tickets. Pure: trained on examples the caller reads from
//! the files, and saved and loaded as bytes the caller caches.

/// One training example: a closed ticket's text and what it was.
#[derive(Debug, Clone, Default)]
pub struct Example {
    /// Title.
    pub title: String,
    /// Description.
    pub body: String,
    /// Its type, if it has one.
    pub kind: Option<String>,
    /// Its labels.
    pub labels: Vec<String>,
}

/// A suggested value with how sure the model is (0-1).
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// The value.
    pub value: String,
    /// Confidence, 0-1.
    pub confidence: f64,
}

/// What the model suggests for one ticket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Guesses {
    /// The type, best first.
    pub kind: Vec<Guess>,
    /// Labels, each with its own confidence, best first.
    pub labels: Vec<Guess>,
}

/// A trained model.
#[derive(Debug, Clone, Default)]
pub struct Model {}

impl Model {
    /// Trains on closed tickets; labels seen fewer than `min_label_count` times are left out.
    pub fn train(examples: &[Example], min_label_count: usize) -> Model {
        let _ = (examples, min_label_count);
        Model {}
    }

    /// The suggestions for a ticket's text.
    pub fn guess(&self, title: &str, body: &str) -> Guesses {
        let _ = (title, body);
        Guesses::default()
    }

    /// Short description for commit trailers and output (`naive-bayes`).
    pub fn name(&self) -> &'static str {
        "none"
    }
}
