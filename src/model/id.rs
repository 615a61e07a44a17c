//! Identifiers that become file names: checked once at the boundary so no other code can
//! build a path from an unsafe id or slug.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::text::quoted;

/// Crockford base32: no I, L, O, U, so ids read aloud and typed by hand stay unambiguous.
pub const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Length of the random part of a generated ticket id (50 bits: collisions across
/// branches stay negligible without any coordination).
pub const RANDOM_LEN: usize = 10;

/// Random bytes as Crockford characters, 5 bits each: the random part of generated ids
/// and of comment file names.
pub fn crockford(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| CROCKFORD[usize::from(b & 31)] as char)
        .collect()
}

/// Prefix of generated ticket ids.
pub const TICKET_PREFIX: &str = "T-";

/// Why an id or slug is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Empty ids cannot name a file.
    #[error("is empty")]
    Empty,
    /// Ids become file names, so they must stay inside their folder.
    #[error(
        "{} is not a safe id: it may not contain `/`, `\\`, `..`, spaces or control characters, or start with `.` or `-`",
        quoted(.0)
    )]
    Unsafe(String),
    /// Very long ids make unusable paths.
    #[error("{} is longer than 100 characters", quoted(.0))]
    TooLong(String),
}

fn check_safe(s: &str) -> Result<(), IdError> {
    if s.is_empty() {
        return Err(IdError::Empty);
    }
    if s.len() > 100 {
        return Err(IdError::TooLong(s.to_string()));
    }
    let bad = s.contains(['/', '\\', ':'])
        || s.contains("..")
        || s.starts_with(['.', '-'])
        || s.chars().any(|c| c.is_whitespace() || c.is_control());
    if bad {
        return Err(IdError::Unsafe(s.to_string()));
    }
    Ok(())
}

/// A ticket id: generated (`T-` and 10 random Crockford characters) or kept as it came
/// from an import or a hand-written file, provided it is safe as a file name.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(try_from = "String", into = "String")]
pub struct TicketId(#[schemars(regex(pattern = r"^[^/\\:.\s-][^/\\:\s]*$"))] String);

impl TicketId {
    /// Builds a new id from random bytes (the caller owns the randomness).
    pub fn from_random(bytes: [u8; RANDOM_LEN]) -> TicketId {
        TicketId(format!("{TICKET_PREFIX}{}", crockford(&bytes)))
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this id has the generated form.
    pub fn is_generated(&self) -> bool {
        self.0
            .strip_prefix(TICKET_PREFIX)
            .is_some_and(|r| r.len() == RANDOM_LEN && r.bytes().all(|b| CROCKFORD.contains(&b)))
    }

    /// Two characters that spread tickets over folders: the first two random characters
    /// of a generated id, else two characters of a hash of the id.
    pub fn shard(&self) -> String {
        if self.is_generated() {
            return self.0[TICKET_PREFIX.len()..TICKET_PREFIX.len() + 2].to_string();
        }
        // FNV-1a: stable across versions and platforms, unlike std's hasher.
        let mut h: u32 = 0x811c_9dc5;
        for b in self.0.bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
        let a = CROCKFORD[(h & 31) as usize] as char;
        let b = CROCKFORD[((h >> 5) & 31) as usize] as char;
        format!("{a}{b}")
    }
}

impl FromStr for TicketId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        check_safe(s)?;
        Ok(TicketId(s.to_string()))
    }
}

impl TryFrom<String> for TicketId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<TicketId> for String {
    fn from(id: TicketId) -> String {
        id.0
    }
}

impl fmt::Display for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A ticket id or id prefix as a person typed it: surrounding space ignored, any case,
/// `T-` optional. The one reading of typed ids, so that the store's folders and the
/// index's id list answer the same prefix with the same tickets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedId {
    typed: String,
    /// Upper case, then with `T-` in front unless it starts with it already.
    prefixes: Vec<String>,
}

impl TypedId {
    /// The text as typed, without the surrounding space.
    pub fn as_typed(&self) -> &str {
        &self.typed
    }

    /// The spellings a whole id may have, most literal first: as typed, in upper case,
    /// with `T-` in front.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.typed.as_str()).chain(self.prefixes.iter().map(String::as_str))
    }

    /// The upper-case prefixes a matching id starts with.
    pub fn prefixes(&self) -> &[String] {
        &self.prefixes
    }

    /// Whether `id` is the typed text itself, in any ASCII case.
    pub fn is(&self, id: &str) -> bool {
        id.eq_ignore_ascii_case(&self.typed)
    }

    /// Whether `id` starts with the typed text, in any case, `T-` optional.
    pub fn is_prefix_of(&self, id: &str) -> bool {
        let id = id.to_uppercase();
        self.prefixes.iter().any(|p| id.starts_with(p.as_str()))
    }
}

impl FromStr for TypedId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let typed = s.trim();
        if typed.is_empty() {
            return Err(IdError::Empty);
        }
        let upper = typed.to_uppercase();
        let mut prefixes = vec![upper.clone()];
        if !upper.starts_with(TICKET_PREFIX) {
            prefixes.push(format!("{TICKET_PREFIX}{upper}"));
        }
        Ok(TypedId {
            typed: typed.to_string(),
            prefixes,
        })
    }
}

/// The name of a KB article or customer record, used as its file name.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(#[schemars(regex(pattern = r"^[^/\\:.\s-][^/\\:\s]*$"))] String);

impl Slug {
    /// The slug as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A slug made from a title: lower case words joined by `-`.
    pub fn from_title(title: &str) -> Option<Slug> {
        let mut s = String::new();
        for word in title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if !s.is_empty() {
                s.push('-');
            }
            s.extend(word.chars().flat_map(char::to_lowercase));
            if s.len() > 60 {
                break;
            }
        }
        s.parse().ok()
    }
}

impl FromStr for Slug {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        check_safe(s)?;
        Ok(Slug(s.to_string()))
    }
}

impl TryFrom<String> for Slug {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The shortest prefix of `id` (at least `min` characters after `T-`) that no other id shares.
pub fn short_prefix<'a>(id: &'a str, others: &[&str], min: usize) -> &'a str {
    let skip = if id.starts_with(TICKET_PREFIX) {
        TICKET_PREFIX.len()
    } else {
        0
    };
    let mut len = (skip + min).min(id.len());
    while len < id.len() {
        if !id.is_char_boundary(len) {
            len += 1;
            continue;
        }
        let p = &id[..len];
        if !others.iter().any(|o| *o != id && o.starts_with(p)) {
            break;
        }
        len += 1;
    }
    &id[..len]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_look_right() {
        let id = TicketId::from_random([0, 1, 2, 3, 4, 5, 6, 7, 8, 31]);
        assert_eq!(id.as_str(), "T-012345678Z");
        assert!(id.is_generated());
        assert_eq!(id.shard(), "01");
    }

    #[test]
    fn imported_ids_are_kept_and_sharded_by_hash() {
        let id: TicketId = "T-13277068".parse().expect("safe");
        assert!(!id.is_generated());
        assert_eq!(id.shard().len(), 2);
        assert_eq!(
            id.shard(),
            "T-13277068".parse::<TicketId>().expect("safe").shard()
        );
    }

    #[test]
    fn unsafe_ids_are_refused() {
        for bad in [
            "", "../x", "a/b", "a\\b", ".hidden", "a b", "-rf", "x..y", "c:x",
        ] {
            assert!(bad.parse::<TicketId>().is_err(), "{bad}");
            assert!(bad.parse::<Slug>().is_err(), "{bad}");
        }
    }

    /// Issue 8, defect 7: a 10,000-character id was echoed whole into the error.
    #[test]
    fn long_unsafe_ids_are_cut_in_the_error() {
        let long = format!("../{}", "A".repeat(10_000));
        let e = long.parse::<TicketId>().expect_err("too long");
        let msg = e.to_string();
        assert!(msg.len() < 120, "{msg}");
        assert!(msg.contains("(10003 characters)"), "{msg}");
        let e = "a/\u{1b}[2J".parse::<Slug>().expect_err("unsafe");
        assert!(
            e.to_string().starts_with("`a/\\x1b[2J` is not a safe id"),
            "{e}"
        );
    }

    #[test]
    fn short_prefixes() {
        let ids = ["T-4K7QX2M9AB", "T-4K7RAAAAAA", "T-ZZZZZZZZZZ"];
        assert_eq!(short_prefix(ids[0], &ids, 4), "T-4K7Q");
        assert_eq!(short_prefix(ids[2], &ids, 4), "T-ZZZZ");
        assert_eq!(short_prefix("T-4K", &ids, 4), "T-4K");
    }

    #[test]
    fn typed_ids_ignore_case_space_and_the_prefix() {
        let t: TypedId = " 4k7q ".parse().expect("typed");
        assert_eq!(t.as_typed(), "4k7q");
        assert_eq!(
            t.spellings().collect::<Vec<_>>(),
            ["4k7q", "4K7Q", "T-4K7Q"]
        );
        assert!(t.is_prefix_of("T-4K7QX2M9AB"));
        assert!(t.is_prefix_of("4K7Q-imported"));
        assert!(!t.is_prefix_of("T-4K7RAAAAAA"));
        assert!(t.is("4K7Q") && !t.is("T-4K7Q"));
        let t: TypedId = "t-4k".parse().expect("typed");
        assert_eq!(t.prefixes(), ["T-4K"]);
        assert_eq!("  ".parse::<TypedId>(), Err(IdError::Empty));
    }

    #[test]
    fn slugs_from_titles() {
        assert_eq!(
            Slug::from_title("Configure TLS: a guide!").map(|s| s.to_string()),
            Some("configure-tls-a-guide".to_string())
        );
        assert_eq!(Slug::from_title("???"), None);
    }
}
