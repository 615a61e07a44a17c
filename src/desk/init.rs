//! `init`: a new desk's `.docket/config.yaml`, every default written out with comments,
//! committed as the desk's first change. Uses the desk's transaction and `store`.

use super::{Change, Desk, DeskError, Outcome};
use crate::store::CONFIG_PATH;

/// The config a new desk starts with: every default written out, with comments.
pub const DEFAULT_CONFIG: &str = include_str!("default-config.yaml");

impl Desk {
    /// Writes and commits the default config; `None` when the desk has a config already.
    pub fn init(&self) -> Result<Option<Outcome>, DeskError> {
        if self.store().abs(CONFIG_PATH).exists() {
            return Ok(None);
        }
        let outcome = self.transact(|_| {
            Ok(Change {
                action: "init",
                id: None,
                title: "help desk".into(),
                files: vec![(CONFIG_PATH.to_string(), DEFAULT_CONFIG.to_string())],
                details: vec![
                    "Tickets, KB articles and customer records live in this repository.".into(),
                ],
                trailers: Vec::new(),
            })
        })?;
        Ok(Some(outcome))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Config;

    /// The file `init` writes says what an absent file means.
    #[test]
    fn the_default_config_is_the_defaults() {
        let parsed: Config =
            crate::doc::parse_yaml(DEFAULT_CONFIG.as_bytes()).expect("the default config parses");
        assert_eq!(parsed, Config::default());
    }
}
