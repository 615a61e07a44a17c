//! The approaches the evaluation tool compares: which learner, on which features. The
//! desk uses the default; a saved model records its own.

use super::features::Weights;

/// Which learner and which features; the evaluation tool compares them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Approach {
    /// Softmax regression on words and the ticket's structure (the default).
    #[default]
    Structured,
    /// Softmax regression on title and body words only (the usual baseline).
    Words,
    /// Complement naive Bayes on words and structure.
    Bayes,
}

impl Approach {
    /// Every approach, for the evaluation tool.
    pub const ALL: [Approach; 3] = [Approach::Structured, Approach::Words, Approach::Bayes];

    /// Its name in output and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Approach::Structured => "tfidf-structure-softmax",
            Approach::Words => "tfidf-words-softmax",
            Approach::Bayes => "complement-bayes",
        }
    }

    pub(super) fn code(self) -> u8 {
        match self {
            Approach::Structured => 1,
            Approach::Words => 2,
            Approach::Bayes => 3,
        }
    }

    pub(super) fn weights(self) -> Weights {
        match self {
            Approach::Words => Weights::WORDS,
            Approach::Structured | Approach::Bayes => Weights::STRUCTURED,
        }
    }
}

impl std::str::FromStr for Approach {
    type Err = String;

    fn from_str(s: &str) -> Result<Approach, String> {
        Approach::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Approach::ALL.iter().map(|a| a.name()).collect();
                format!("unknown approach `{s}` (known: {})", names.join(", "))
            })
    }
}
