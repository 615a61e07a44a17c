//! The `key=value`, `key+=value` and `key-=value` arguments of `docket set` and
//! `docket kb set`, parsed once with [`FromStr`](std::str::FromStr) so that a key is a
//! safe dotted path before any file is read.

use super::DeskError;

/// One `key=value`, `key+=value` or `key-=value` of `docket set`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Dotted key path, e.g. `links.duplicate_of`.
    pub key: Vec<String>,
    /// `=`, `+=` or `-=`.
    pub op: AssignOp,
    /// The text after the operator.
    pub value: String,
}

/// The operator of an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    /// Replace (an empty value removes the key).
    Set,
    /// Add to a list.
    Add,
    /// Remove from a list.
    Remove,
}

/// The result of parsing an assignment argument.
pub type ParsedAssignment = Result<Assignment, DeskError>;

impl std::str::FromStr for Assignment {
    type Err = DeskError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            DeskError::invalid(
                format!("`{s}` is not an assignment"),
                "write key=value, labels+=x or labels-=x (an empty value removes the key)",
            )
        };
        let eq = s.find('=').ok_or_else(bad)?;
        let (key, op) = match &s[..eq] {
            k if k.ends_with('+') => (&k[..k.len() - 1], AssignOp::Add),
            k if k.ends_with('-') => (&k[..k.len() - 1], AssignOp::Remove),
            k => (k, AssignOp::Set),
        };
        let key: Vec<String> = key.trim().split('.').map(str::to_string).collect();
        let key_ok = key.iter().all(|k| {
            !k.is_empty()
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        });
        if !key_ok {
            return Err(bad());
        }
        Ok(Assignment {
            key,
            op,
            value: s[eq + 1..].to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_parse() {
        let a: Assignment = "status=pending".parse().expect("valid");
        assert_eq!(
            (a.key, a.op, a.value.as_str()),
            (vec!["status".to_string()], AssignOp::Set, "pending")
        );
        let a: Assignment = "labels+=crash".parse().expect("valid");
        assert_eq!(a.op, AssignOp::Add);
        let a: Assignment = "links.articles-=faq".parse().expect("valid");
        assert_eq!((a.key.len(), a.op), (2, AssignOp::Remove));
        let a: Assignment = "title=a=b".parse().expect("valid");
        assert_eq!(a.value, "a=b");
        assert!("novalue".parse::<Assignment>().is_err());
        assert!("../x=1".parse::<Assignment>().is_err());
        assert!("=1".parse::<Assignment>().is_err());
    }
}
