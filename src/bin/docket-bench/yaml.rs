//! Writing frontmatter by hand: plain scalars only where every YAML reader reads them
//! back unchanged, JSON-style double quotes everywhere else (JSON strings are valid
//! YAML), so the generator needs no YAML serializer and its output stays byte-stable.

/// Builds the text of one Markdown file with YAML frontmatter, line by line.
#[derive(Default)]
pub struct Front {
    text: String,
}

impl Front {
    /// Starts a file with the opening fence.
    pub fn new() -> Front {
        Front {
            text: String::from("---\n"),
        }
    }

    /// `key: value` with the value quoted when needed.
    pub fn str(&mut self, key: &str, value: &str) -> &mut Front {
        self.raw(key, &scalar(value))
    }

    /// `key: value` written exactly as given (numbers, booleans, dates).
    pub fn raw(&mut self, key: &str, value: &str) -> &mut Front {
        self.text.push_str(key);
        self.text.push_str(": ");
        self.text.push_str(value);
        self.text.push('\n');
        self
    }

    /// A block list; nothing when empty (docket's own files omit empty lists).
    pub fn list(&mut self, key: &str, items: &[String]) -> &mut Front {
        if items.is_empty() {
            return self;
        }
        self.text.push_str(key);
        self.text.push_str(":\n");
        for item in items {
            self.text.push_str("  - ");
            self.text.push_str(&scalar(item));
            self.text.push('\n');
        }
        self
    }

    /// Any pre-rendered block of lines (nested mappings).
    pub fn block(&mut self, lines: &str) -> &mut Front {
        self.text.push_str(lines);
        if !lines.ends_with('\n') {
            self.text.push('\n');
        }
        self
    }

    /// Closes the frontmatter and appends the Markdown body.
    pub fn finish(&mut self, body: &str) -> String {
        let mut out = std::mem::take(&mut self.text);
        out.push_str("---\n");
        let body = body.trim();
        if !body.is_empty() {
            out.push_str(body);
            out.push('\n');
        }
        out
    }
}

/// A YAML scalar: plain when obviously safe, else a JSON string.
pub fn scalar(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
    }
}

/// Conservative: starts with a letter, only letters, digits, spaces and a few
/// punctuation marks (enough for `Name <email>`), no `: `, not a YAML 1.1 boolean or
/// null.
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let special = matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null"
    );
    first.is_alphabetic()
        && !special
        && s.trim() == s
        && !s.contains(": ")
        && !s.ends_with(':')
        && s.chars()
            .all(|c| c.is_alphanumeric() || " .,()/_+=-'<>@".contains(c))
}

/// A YAML single-quoted scalar, the style Backlog.md writes when quoting is needed.
pub fn single_quoted(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(
            scalar("Export to CSV drops rows"),
            "Export to CSV drops rows"
        );
        assert_eq!(
            scalar("Feature request: tokens"),
            "\"Feature request: tokens\""
        );
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("2.4 fails"), "\"2.4 fails\"");
        assert_eq!(scalar("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(
            scalar("Bob Marsh <bob@example.org>"),
            "Bob Marsh <bob@example.org>"
        );
        assert_eq!(single_quoted("It's: here"), "'It''s: here'");
    }
}
