//! Reply templates: Markdown with `{{ticket.title}}`-style placeholders filled from the
//! ticket, its customer and the agent. A placeholder with no value is an error naming it
//! and its line, never an empty hole in a reply sent to a customer.
//!
//! The syntax, kept small so that a template reads as the reply it makes:
//! - `{{ path }}`: a dotted name (`ticket.id`, `customer.name`, `set.version`); spaces
//!   inside the braces are optional; a placeholder stays on one line.
//! - `{{ path | default: "there" }}`: the text to use when the value is missing (single
//!   or double quotes; `""` leaves the place empty on purpose). An unknown name is an
//!   error even with a default, so a typo never hides behind one.
//! - `\{{` writes a literal `{{`; a `}}` outside a placeholder is plain text.
//!
//! What the names mean is the caller's business: it answers each one with a [`Lookup`].
//! The first problem (an unclosed `{{`, a name that does not read, an unknown name, a
//! missing value without a default) stops rendering and comes back as a
//! [`TemplateError`] with its line, counted from the first line of `text`.

/// A placeholder that cannot be filled, or text that is not a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The placeholder, as written (`customer.name`; for a syntax error, the text from
    /// `{{` on).
    pub placeholder: String,
    /// Its line in the template, from 1.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

/// The caller's answer for one placeholder name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The text to put in its place.
    Value(String),
    /// A name the template may use, with no value for this ticket: why not
    /// (`T-4K7Q has no customer`).
    Missing(String),
    /// A name templates cannot use: the names they can, for the hint.
    Unknown(String),
}

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    /// Text written as it is.
    Text(&'a str),
    /// A placeholder.
    Slot(Slot<'a>),
}

/// A placeholder, read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Slot<'a> {
    /// The dotted name.
    name: &'a str,
    /// The text given with `| default: "..."`.
    default: Option<&'a str>,
    /// Its line, from 1.
    line: usize,
}

/// Fills the placeholders of `text` from `lookup`.
pub fn render(text: &str, lookup: &dyn Fn(&str) -> Lookup) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(text.len());
    for piece in parse(text)? {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Slot(slot) => match (lookup(slot.name), slot.default) {
                (Lookup::Value(v), _) => out.push_str(&v),
                (Lookup::Missing(_), Some(d)) => out.push_str(d),
                (Lookup::Missing(why), None) => {
                    return Err(TemplateError {
                        placeholder: slot.name.to_string(),
                        line: slot.line,
                        message: format!("placeholder `{{{{{}}}}}` has no value: {why}", slot.name),
                        hint: format!(
                            "give it a value, or a default in the template: {{{{ {} | default: \"...\" }}}}",
                            slot.name
                        ),
                    });
                }
                (Lookup::Unknown(known), _) => {
                    return Err(TemplateError {
                        placeholder: slot.name.to_string(),
                        line: slot.line,
                        message: format!("unknown placeholder `{{{{{}}}}}`", slot.name),
                        hint: format!("templates can use {known}"),
                    });
                }
            },
        }
    }
    Ok(out)
}

/// The placeholder names `text` uses, in order, each once; none when it does not parse
/// (rendering then says why).
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in parse(text).unwrap_or_default() {
        if let Piece::Slot(s) = piece
            && !out.iter().any(|n| n == s.name)
        {
            out.push(s.name.to_string());
        }
    }
    out
}

/// Splits a template into text and placeholders.
fn parse(text: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut line = 1;
    let mut rest = text;
    while let Some(at) = rest.find("{{") {
        let (before, from) = rest.split_at(at);
        if let Some(plain) = before.strip_suffix('\\') {
            // `\{{` is a literal `{{`.
            pieces.push(Piece::Text(plain));
            pieces.push(Piece::Text("{{"));
            line += before.matches('\n').count();
            rest = &from[2..];
            continue;
        }
        pieces.push(Piece::Text(before));
        line += before.matches('\n').count();
        let eol = from.find('\n').unwrap_or(from.len());
        let Some(close) = from[..eol].find("}}") else {
            return Err(TemplateError {
                placeholder: clip(from[..eol].trim_end()),
                line,
                message: "`{{` is not closed on its line".into(),
                hint: "end the placeholder with `}}` on the same line, or write `\\{{` for a literal `{{`".into(),
            });
        };
        let inner = &from[2..close];
        pieces.push(Piece::Slot(slot(inner, line)?));
        rest = &from[close + 2..];
    }
    pieces.push(Piece::Text(rest));
    pieces.retain(|p| *p != Piece::Text(""));
    Ok(pieces)
}

/// Reads what is between `{{` and `}}`: a name, then maybe `| default: "text"`.
fn slot(inner: &str, line: usize) -> Result<Slot<'_>, TemplateError> {
    let bad = |message: String, hint: &str| TemplateError {
        placeholder: clip(inner.trim()),
        line,
        message,
        hint: hint.into(),
    };
    let (name, filter) = match inner.split_once('|') {
        Some((n, f)) => (n.trim(), Some(f.trim())),
        None => (inner.trim(), None),
    };
    let name_ok = !name.is_empty()
        && name.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        });
    if !name_ok {
        return Err(bad(
            format!("`{{{{{}}}}}` is not a placeholder", inner.trim()),
            "write a dotted name such as {{ticket.title}}, or `\\{{` for a literal `{{`",
        ));
    }
    let default = match filter {
        None => None,
        Some(f) => Some(default_text(f).ok_or_else(|| {
            bad(
                format!("`| {f}` is not a default"),
                "write it like {{ customer.name | default: \"there\" }}",
            )
        })?),
    };
    Ok(Slot {
        name,
        default,
        line,
    })
}

/// The quoted text of `default: "text"` (or single quotes), if that is what `filter` is.
fn default_text(filter: &str) -> Option<&str> {
    let rest = filter.strip_prefix("default")?.trim_start();
    let rest = rest.strip_prefix(':')?.trim();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = rest.strip_prefix(quote)?.strip_suffix(quote)?;
    (!inner.contains(quote)).then_some(inner)
}

/// At most 40 characters of what was written, for a message.
fn clip(text: &str) -> String {
    if text.chars().count() <= 40 {
        return text.to_string();
    }
    text.chars().take(37).collect::<String>() + "..."
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(name: &str) -> Lookup {
        match name {
            "ticket.id" => Lookup::Value("T-4K7Q".into()),
            "ticket.title" => Lookup::Value("Crash {{on}} start".into()),
            "customer.name" => Lookup::Missing("T-4K7Q has no customer".into()),
            _ => Lookup::Unknown("ticket.id, ticket.title, customer.name".into()),
        }
    }

    #[test]
    fn fills_placeholders_with_or_without_spaces() {
        let out = render("{{ticket.id}}: {{ ticket.title }}\n", &values).expect("renders");
        // A value is never read again as a template.
        assert_eq!(out, "T-4K7Q: Crash {{on}} start\n");
    }

    #[test]
    fn a_missing_value_names_the_placeholder_and_line() {
        let e = render("Hello\n\nDear {{customer.name}},\n", &values).expect_err("missing");
        assert_eq!(e.placeholder, "customer.name");
        assert_eq!(e.line, 3);
        assert!(
            e.message.contains("T-4K7Q has no customer"),
            "{}",
            e.message
        );
        assert!(e.hint.contains("default"), "{}", e.hint);
    }

    #[test]
    fn a_default_fills_a_missing_value_but_not_an_unknown_name() {
        let t = "Hello {{ customer.name | default: \"there\" }}, {{customer.name|default:''}}.";
        assert_eq!(render(t, &values).expect("renders"), "Hello there, .");
        let e = render("{{ customer.nmae | default: \"x\" }}", &values).expect_err("unknown");
        assert_eq!(e.placeholder, "customer.nmae");
        assert!(e.message.contains("unknown placeholder"), "{}", e.message);
        assert!(e.hint.contains("ticket.id"), "{}", e.hint);
    }

    #[test]
    fn an_escaped_brace_pair_is_literal() {
        let out = render("Use \\{{name}} in {{ticket.id}}", &values).expect("renders");
        assert_eq!(out, "Use {{name}} in T-4K7Q");
        assert_eq!(render("a }} b", &values).expect("renders"), "a }} b");
    }

    #[test]
    fn an_unclosed_placeholder_is_an_error_on_its_line() {
        let e = render("one\ntwo {{ticket.id\n}}", &values).expect_err("unclosed");
        assert_eq!(e.line, 2);
        assert_eq!(e.placeholder, "{{ticket.id");
        assert!(e.message.contains("not closed"), "{}", e.message);
    }

    #[test]
    fn text_that_is_no_name_or_no_default_is_an_error() {
        for bad in [
            "{{}}",
            "{{ two words }}",
            "{{a..b}}",
            "{{x | upper}}",
            "{{x|default: there}}",
        ] {
            let e = render(bad, &values).expect_err(bad);
            assert_eq!(e.line, 1, "{bad}");
        }
    }

    #[test]
    fn lines_count_across_literal_braces() {
        let e = render("\\{{\n\n{{customer.name}}", &values).expect_err("missing");
        assert_eq!(e.line, 3);
    }

    #[test]
    fn placeholders_are_listed_once_in_order() {
        let names = placeholders("{{set.version}} {{ticket.id}} {{ set.version }} \\{{set.x}}");
        assert_eq!(names, ["set.version", "ticket.id"]);
    }

    proptest::proptest! {
        /// Text without `{{` is its own rendering, and any text either renders or
        /// fails at a line inside it.
        #[test]
        fn plain_text_renders_as_it_is(text in "[^{]{0,200}") {
            proptest::prop_assert_eq!(render(&text, &values).expect("plain text"), text);
        }

        #[test]
        fn any_text_renders_or_names_a_line_in_it(text in "(\\PC|\\{\\{|\\}\\}|\\n|ticket\\.id| )*") {
            if let Err(e) = render(&text, &values) {
                proptest::prop_assert!(e.line >= 1 && e.line <= text.lines().count().max(1));
            }
        }
    }
}
