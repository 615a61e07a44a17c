//! A line-level view of block-style YAML: which lines hold which key, and where each
//! key's block ends. It is what lets an edit replace one line instead of re-serialising
//! the whole frontmatter, so comments, order and quoting survive.

/// One line of the YAML text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the line's newline (or the end of the text).
    pub end: usize,
    /// Leading spaces.
    pub indent: usize,
    /// Blank, or a comment starting at this indent.
    pub trivia: bool,
}

/// Splits YAML text into lines.
pub fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let raw = &text[start..end];
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let rest = raw[indent..].trim_end_matches(['\n', '\r']);
        let trivia = rest.trim().is_empty() || rest.starts_with('#');
        out.push(Line {
            start,
            end,
            indent,
            trivia,
        });
        start = end;
    }
    out
}

/// A `key: value` entry of a block mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key as written (unquoted).
    pub key: String,
    /// Index of the key's line.
    pub line: usize,
    /// Index one past the last line that belongs to the entry's value
    /// (trailing blank and comment lines at the mapping's indent are left out).
    pub end: usize,
    /// Byte offset (in the whole text) where the inline value starts, after `: `.
    pub value_start: usize,
    /// Byte offset where the inline value ends (before a trailing comment and newline).
    pub value_end: usize,
}

/// The entries of the block mapping whose keys sit at `indent`, within `range` of lines.
pub fn entries(
    text: &str,
    ls: &[Line],
    range: std::ops::Range<usize>,
    indent: usize,
) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for i in range.clone() {
        let l = ls[i];
        let body = &text[l.start + l.indent..l.end];
        if l.trivia {
            // A `#` line indented under a key may be text of a block scalar.
            if l.indent > indent
                && !body.trim().is_empty()
                && let Some(last) = out.last_mut()
            {
                last.end = i + 1;
            }
            continue;
        }
        if l.indent < indent {
            break;
        }
        if l.indent == indent
            && !is_seq_item(body)
            && let Some((key, after_colon)) = split_key(body)
        {
            let value_start = l.start + l.indent + after_colon;
            let value_end = value_start + inline_value_len(&text[value_start..l.end]);
            out.push(Entry {
                key,
                line: i,
                end: i + 1,
                value_start,
                value_end,
            });
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.end = i + 1;
        }
    }
    out
}

/// The indent of the first content line in `range`, if any.
pub fn child_indent(ls: &[Line], range: std::ops::Range<usize>) -> Option<usize> {
    ls[range].iter().find(|l| !l.trivia).map(|l| l.indent)
}

/// Whether a line (after its indent) starts a block sequence item.
pub fn is_seq_item(body: &str) -> bool {
    body.starts_with("- ") || body.trim_end() == "-"
}

/// The block sequence items (start line of each, and one past its end) in `range`.
pub fn items(
    text: &str,
    ls: &[Line],
    range: std::ops::Range<usize>,
) -> Option<(usize, Vec<(usize, usize)>)> {
    let indent = child_indent(ls, range.clone())?;
    let mut out: Vec<(usize, usize)> = Vec::new();
    for i in range {
        let l = ls[i];
        if l.trivia {
            continue;
        }
        let body = &text[l.start + l.indent..l.end];
        if l.indent == indent && is_seq_item(body) {
            out.push((i, i + 1));
        } else if l.indent > indent {
            out.last_mut()?.1 = i + 1;
        } else {
            return None;
        }
    }
    Some((indent, out))
}

/// Splits `key: rest` into the unquoted key and the offset just after `:` and its space.
fn split_key(body: &str) -> Option<(String, usize)> {
    let body_trim = body.trim_end_matches(['\n', '\r']);
    let (key, colon) = if let Some(q) = body_trim.chars().next().filter(|c| *c == '"' || *c == '\'')
    {
        let close = body_trim[1..].find(q)? + 1;
        let key: String = serde_norway::from_str(&body_trim[..=close]).ok()?;
        let after = &body_trim[close + 1..];
        let colon = close + 1 + after.find(':')?;
        if !body_trim[close + 1..colon].trim().is_empty() {
            return None;
        }
        (key, colon)
    } else {
        let mut colon = None;
        for (i, c) in body_trim.char_indices() {
            if c == ':' {
                let next = body_trim[i + 1..].chars().next();
                if matches!(next, None | Some(' ') | Some('\t')) {
                    colon = Some(i);
                    break;
                }
            }
            if c == '#' && i > 0 && body_trim[..i].ends_with([' ', '\t']) {
                return None;
            }
            if i == 0 && matches!(c, '[' | '{' | '?' | '&' | '*' | '!' | '|' | '>') {
                return None;
            }
        }
        let colon = colon?;
        (body_trim[..colon].trim_end().to_string(), colon)
    };
    let rest = &body_trim[colon + 1..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Some((key, colon + 1 + spaces))
}

/// Length of an inline value, leaving out a trailing `# comment` and whitespace.
fn inline_value_len(rest: &str) -> usize {
    let rest = rest.trim_end_matches(['\n', '\r']);
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    let mut end = 0;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some('\'') if c == '\'' => {
                if chars.peek().map(|p| p.1) == Some('\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '#' && prev_space => break,
            None if (c == '"' || c == '\'') && i == 0 => quote = Some(c),
            None => {}
        }
        prev_space = c == ' ' || c == '\t';
        if !prev_space {
            end = i + c.len_utf8();
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, usize, usize)> {
        let ls = lines(text);
        entries(text, &ls, 0..ls.len(), 0)
            .into_iter()
            .map(|e| (e.key, e.line, e.end))
            .collect()
    }

    #[test]
    fn top_level_keys_and_blocks() {
        let text =
            "id: T-1\nlabels:\n  - a\n  - b\n# about links\nlinks:\n  articles: []\ntitle: x\n";
        assert_eq!(
            keys(text),
            vec![
                ("id".into(), 0, 1),
                ("labels".into(), 1, 4),
                ("links".into(), 5, 7),
                ("title".into(), 7, 8)
            ]
        );
    }

    #[test]
    fn compact_sequences_belong_to_their_key() {
        let text = "tags:\n- a\n- b\ndate: 2020\n";
        assert_eq!(
            keys(text),
            vec![("tags".into(), 0, 3), ("date".into(), 3, 4)]
        );
    }

    #[test]
    fn inline_value_stops_at_comment() {
        let text = "status: open # waiting\ntitle: 'a # b' # c\n";
        let ls = lines(text);
        let es = entries(text, &ls, 0..ls.len(), 0);
        assert_eq!(&text[es[0].value_start..es[0].value_end], "open");
        assert_eq!(&text[es[1].value_start..es[1].value_end], "'a # b'");
    }

    #[test]
    fn quoted_keys() {
        assert_eq!(keys("\"a key\": 1\n'b': 2\n").len(), 2);
        assert_eq!(keys("\"a key\": 1\n")[0].0, "a key");
    }

    #[test]
    fn urls_are_not_keys() {
        let text = "url: http://x.example/a\n";
        let ls = lines(text);
        let es = entries(text, &ls, 0..1, 0);
        assert_eq!(
            &text[es[0].value_start..es[0].value_end],
            "http://x.example/a"
        );
    }
}
