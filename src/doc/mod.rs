//! Markdown files with YAML frontmatter, read for their values and edited as text.
//!
//! This is the only module that touches YAML text. A [`Document`] keeps the file's exact
//! bytes: reading and saving without changes gives the same bytes, and an edit replaces
//! only the lines of the key it changes, so unknown keys, key order, comments, quoting,
//! blank lines and the body survive. Every edit is checked by parsing the result again:
//! if the text would not say exactly what was asked, the edit falls back to rewriting
//! that one key's block, and fails rather than write something wrong.
//!
//! It depends on nothing else in docket. The YAML crate, serde_norway (a maintained fork
//! of the deprecated serde_yaml 0.9, same API and limits), is named in this folder only,
//! so changing it again touches nothing outside.

mod conflict;
mod depth;
mod error;
mod lines;
mod render;
mod split;

pub use depth::MAX_DEPTH;
pub use error::DocError;
pub use serde_norway::{Mapping, Value};
pub use split::MAX_FILE_BYTES;

use serde::de::DeserializeOwned;
use split::Layout;

/// A Markdown file with optional YAML frontmatter.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    text: String,
    layout: Option<Layout>,
    values: Mapping,
}

/// One change to a frontmatter value.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Set the value at a key path, adding the key if it is missing.
    Set(Vec<String>, Value),
    /// Remove the key at a path.
    Remove(Vec<String>),
    /// Add an item to the list at a path unless it is there already.
    Push(Vec<String>, Value),
    /// Remove an item from the list at a path.
    Pull(Vec<String>, Value),
}

impl Document {
    /// Parses a file's bytes. Files without frontmatter parse with no values; a file
    /// with git's conflict markers is refused as an unresolved merge conflict.
    pub fn parse(bytes: &[u8]) -> Result<Document, DocError> {
        let text = split::decode(bytes)?;
        if conflict::may_have_markers(text) {
            let body_start = match split::layout(text) {
                Ok(Some(l)) => Some(l.body_start),
                Ok(None) => Some(0),
                Err(_) => None,
            };
            if let Some(line) = conflict::first_marker(text, body_start) {
                return Err(DocError::Conflict { line });
            }
        }
        Document::from_text(text.to_string())
    }

    fn from_text(text: String) -> Result<Document, DocError> {
        let layout = split::layout(&text)?;
        let values = match &layout {
            Some(l) => parse_mapping(&text[l.yaml_start..l.yaml_end], l.yaml_first_line)?,
            None => Mapping::new(),
        };
        Ok(Document {
            text,
            layout,
            values,
        })
    }

    /// A new document in docket's style: the entries in the given order, then the body.
    /// Null values and empty lists are left out. The text is checked as [`Document::parse`]
    /// checks a file, so docket never writes a file it would then refuse to read: a body
    /// the user gave may hold a NUL byte, git's conflict markers or too many bytes.
    pub fn create(entries: &[(&str, Value)], body: &str) -> Result<Document, DocError> {
        let mut text = String::from("---\n");
        for (k, v) in entries {
            if is_empty(v) {
                continue;
            }
            text.push_str(&render::entry(k, v, 0, "\n"));
        }
        text.push_str("---\n");
        text.push_str(body);
        if !body.is_empty() && !body.ends_with('\n') {
            text.push('\n');
        }
        Document::parse(text.as_bytes())
    }

    /// The file's exact text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the file has a frontmatter block.
    pub fn has_frontmatter(&self) -> bool {
        self.layout.is_some()
    }

    /// The parsed frontmatter values.
    pub fn values(&self) -> &Mapping {
        &self.values
    }

    /// The value at a key path, e.g. `["links", "articles"]`.
    pub fn get(&self, path: &[&str]) -> Option<&Value> {
        let mut cur = self.values.get(path.first()?)?;
        for k in &path[1..] {
            cur = cur.as_mapping()?.get(k)?;
        }
        Some(cur)
    }

    /// A value converted to a typed form, or why it does not convert.
    pub fn get_as<T: DeserializeOwned>(&self, path: &[&str]) -> Option<Result<T, String>> {
        self.get(path).map(|v| from_value(v.clone()))
    }

    /// The Markdown after the frontmatter.
    pub fn body(&self) -> &str {
        match &self.layout {
            Some(l) => &self.text[l.body_start..],
            None => &self.text,
        }
    }

    /// Replaces the body, keeping the frontmatter text as it is.
    pub fn set_body(&mut self, body: &str) {
        let start = self.layout.as_ref().map_or(0, |l| l.body_start);
        self.text.truncate(start);
        self.text.push_str(body);
    }

    /// The 1-based file line of the key at `path`, for error messages.
    pub fn line_of(&self, path: &[&str]) -> Option<usize> {
        let l = self.layout.as_ref()?;
        let yaml = &self.text[l.yaml_start..l.yaml_end];
        let ls = lines::lines(yaml);
        let mut range = 0..ls.len();
        let mut indent = 0;
        let mut found = None;
        for key in path {
            let e = lines::entries(yaml, &ls, range.clone(), indent)
                .into_iter()
                .find(|e| e.key == *key)?;
            found = Some(e.line);
            range = e.line + 1..e.end;
            indent = lines::child_indent(&ls, range.clone()).unwrap_or(indent + 2);
        }
        found.map(|i| l.yaml_first_line + i)
    }

    /// The 1-based file line of the `index`-th item of the list at `path`.
    pub fn item_line(&self, path: &[&str], index: usize) -> Option<usize> {
        let l = self.layout.as_ref()?;
        let key_line = self.line_of(path)?;
        let yaml = &self.text[l.yaml_start..l.yaml_end];
        let ls = lines::lines(yaml);
        let first = key_line - l.yaml_first_line;
        let indent = ls[first].indent;
        let end = lines::entries(yaml, &ls, first..ls.len(), indent)
            .first()
            .map_or(first + 1, |e| e.end);
        match lines::items(yaml, &ls, first + 1..end) {
            Some((_, items)) => items.get(index).map(|(s, _)| l.yaml_first_line + s),
            None => Some(key_line),
        }
    }

    /// Applies one edit, changing as few lines as possible.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), DocError> {
        let mut expected = self.values.clone();
        if !apply_to_values(&mut expected, edit) {
            return Ok(());
        }
        let nl = self.layout.as_ref().map_or("\n", |l| l.newline);
        let candidates = [
            self.yaml().and_then(|y| minimal_edit(y, edit, nl)),
            self.yaml()
                .and_then(|y| rewrite_top_entry(y, edit_path(edit)[0].as_str(), &expected, nl)),
            Some(render_all(&expected, nl)),
        ];
        for yaml in candidates.into_iter().flatten() {
            let text = self.with_yaml(&yaml);
            if let Ok(doc) = Document::from_text(text)
                && doc.values == expected
            {
                *self = doc;
                return Ok(());
            }
        }
        let key = edit_path(edit).join(".");
        Err(DocError::Edit {
            line: self
                .line_of(
                    &edit_path(edit)
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                )
                .unwrap_or(1),
            key,
            reason: "the result would not read back as the same values".to_string(),
        })
    }

    fn yaml(&self) -> Option<&str> {
        self.layout
            .as_ref()
            .map(|l| &self.text[l.yaml_start..l.yaml_end])
    }

    /// The whole text with the YAML part replaced (adding fences if there were none).
    fn with_yaml(&self, yaml: &str) -> String {
        match &self.layout {
            Some(l) => format!(
                "{}{}{}",
                &self.text[..l.yaml_start],
                yaml,
                &self.text[l.yaml_end..]
            ),
            None => format!("---\n{yaml}---\n{}", self.text),
        }
    }
}

/// Parses a whole YAML file (such as a config file) into a typed value.
pub fn parse_yaml<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DocError> {
    let text = split::decode(bytes)?;
    check_depth(text, 1)?;
    serde_norway::from_str::<T>(text).map_err(|e| yaml_error(&e, 1))
}

/// Refuses YAML nested past [`MAX_DEPTH`] before libyaml, which is slow on it, reads it.
fn check_depth(yaml: &str, first_line: usize) -> Result<(), DocError> {
    depth::scan(yaml, MAX_DEPTH)
        .map(|_| ())
        .map_err(|e| DocError::TooDeep {
            line: first_line + e.line - 1,
            col: e.col,
            limit: MAX_DEPTH,
        })
}

/// Converts a frontmatter value to a typed form; the error says what was expected.
pub fn from_value<T: DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_norway::from_value(v).map_err(|e| strip_location(&e.to_string()))
}

/// Converts a typed value to a frontmatter value.
pub fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_norway::to_value(v).unwrap_or(Value::Null)
}

/// Renders a frontmatter value as one line of YAML (for messages and previews).
pub fn render_scalar(v: &Value) -> String {
    render::scalar(v)
}

fn parse_mapping(yaml: &str, first_line: usize) -> Result<Mapping, DocError> {
    check_depth(yaml, first_line)?;
    match serde_norway::from_str::<Value>(yaml) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(_) => Err(DocError::NotAMapping { line: first_line }),
        Err(e) => Err(locate_yaml_error(
            yaml_error(&e, first_line),
            yaml,
            first_line,
        )),
    }
}

fn yaml_error(e: &serde_norway::Error, first_line: usize) -> DocError {
    let full = e.to_string();
    let (mut line, mut col) = e
        .location()
        .map_or((first_line, 1), |l| (first_line + l.line() - 1, l.column()));
    // At the end of the text the scanner's own position is the closing fence; the
    // construct it was reading (an unclosed quote, say) is where the fix goes.
    if full.contains("end of stream")
        && let Some((l, c)) = context_location(&full)
    {
        line = first_line + l - 1;
        col = c;
    }
    let message = strip_location(&full);
    let message = if message.contains("recursion limit exceeded") {
        "nesting is too deep (recursion limit exceeded)".to_string()
    } else if message.contains("repetition limit exceeded") {
        "aliases expand too far (repetition limit exceeded): an alias bomb?".to_string()
    } else {
        format!("invalid YAML: {message}")
    };
    DocError::Yaml { line, col, message }
}

/// The `line N column M` of the context part of a libyaml message (`while scanning ...`).
fn context_location(msg: &str) -> Option<(usize, usize)> {
    let ctx = &msg[msg.find(", while ")?..];
    let rest = &ctx[ctx.find(" at line ")? + 9..];
    let (line, rest) = rest.split_once(" column ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

/// Points errors that libyaml reports without a useful position at the line to fix.
fn locate_yaml_error(err: DocError, yaml: &str, first_line: usize) -> DocError {
    let DocError::Yaml { line, col, message } = err else {
        return err;
    };
    let ls = lines::lines(yaml);
    let at = |i: usize| first_line + i;
    if let Some(key) = message
        .strip_prefix("invalid YAML: duplicate entry with key ")
        .map(|k| k.trim_matches('"'))
    {
        let second = lines::entries(yaml, &ls, 0..ls.len(), 0)
            .into_iter()
            .filter(|e| e.key == key)
            .nth(1);
        if let Some(e) = second {
            return DocError::Yaml {
                line: at(e.line),
                col: 1,
                message,
            };
        }
    }
    if message.contains("repetition limit") {
        let alias = ls.iter().position(|l| {
            let t = &yaml[l.start..l.end];
            t.contains(" *") || t.contains("[*") || t.contains(",*")
        });
        if let Some(i) = alias {
            return DocError::Yaml {
                line: at(i),
                col: 1,
                message,
            };
        }
    }
    DocError::Yaml { line, col, message }
}

/// serde_norway appends positions relative to the YAML text; ours are relative to the file.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Sequence(s) => s.is_empty(),
        Value::Mapping(m) => m.is_empty(),
        _ => false,
    }
}

fn edit_path(edit: &Edit) -> &[String] {
    match edit {
        Edit::Set(p, _) | Edit::Remove(p) | Edit::Push(p, _) | Edit::Pull(p, _) => p,
    }
}

/// Applies an edit to parsed values; false when it changes nothing.
fn apply_to_values(values: &mut Mapping, edit: &Edit) -> bool {
    let path = edit_path(edit);
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut cur = values;
    for k in parents {
        let key = Value::String(k.clone());
        if matches!(edit, Edit::Remove(_) | Edit::Pull(..)) && cur.get(&key).is_none() {
            return false;
        }
        let slot = cur
            .entry(key)
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        if !slot.is_mapping() {
            *slot = Value::Mapping(Mapping::new());
        }
        cur = slot.as_mapping_mut().expect("made a mapping above");
    }
    let key = Value::String(last.clone());
    match edit {
        Edit::Set(_, v) => cur.insert(key, v.clone()).as_ref() != Some(v),
        Edit::Remove(_) => cur.remove(&key).is_some(),
        Edit::Push(_, item) => {
            let slot = cur.entry(key).or_insert(Value::Null);
            match slot {
                Value::Sequence(s) if s.contains(item) => false,
                Value::Sequence(s) => {
                    s.push(item.clone());
                    true
                }
                Value::Null => {
                    *slot = Value::Sequence(vec![item.clone()]);
                    true
                }
                other => {
                    let old = other.clone();
                    if &old == item {
                        return false;
                    }
                    *other = Value::Sequence(vec![old, item.clone()]);
                    true
                }
            }
        }
        Edit::Pull(_, item) => match cur.get_mut(&key) {
            Some(Value::Sequence(s)) if s.contains(item) => {
                s.retain(|x| x != item);
                if s.is_empty() {
                    cur.remove(&key);
                }
                true
            }
            Some(v) if v == item => {
                cur.remove(&key);
                true
            }
            _ => false,
        },
    }
}

/// Replaces byte ranges of `text` (given in ascending order).
fn splice(text: &str, start: usize, end: usize, with: &str) -> String {
    format!("{}{}{}", &text[..start], with, &text[end..])
}

/// The edit done on the fewest lines, or None when the structure is not one we edit in place.
fn minimal_edit(yaml: &str, edit: &Edit, nl: &str) -> Option<String> {
    let path = edit_path(edit);
    let ls = lines::lines(yaml);
    let mut range = 0..ls.len();
    let mut indent = 0;
    for (depth, key) in path.iter().enumerate() {
        let entries = lines::entries(yaml, &ls, range.clone(), indent);
        let last = depth + 1 == path.len();
        let Some(e) = entries.iter().find(|e| &e.key == key) else {
            // The key is missing: add it (with any missing parents) after the last entry.
            let at = entries.last().map_or(
                if depth == 0 {
                    yaml.len()
                } else {
                    ls[range.start - 1].end
                },
                |e| ls[e.end - 1].end,
            );
            let value = match edit {
                Edit::Set(_, v) => v.clone(),
                Edit::Push(_, item) => Value::Sequence(vec![item.clone()]),
                Edit::Remove(_) | Edit::Pull(..) => return Some(yaml.to_string()),
            };
            let mut nested = value;
            for k in path[depth + 1..].iter().rev() {
                let mut m = Mapping::new();
                m.insert(Value::String(k.clone()), nested);
                nested = Value::Mapping(m);
            }
            let prefix = &yaml[..at];
            let add_nl = if prefix.is_empty() || prefix.ends_with('\n') {
                ""
            } else {
                nl
            };
            let text = format!(
                "{prefix}{add_nl}{}",
                render::entry(key, &nested, indent, nl)
            );
            return Some(format!("{text}{}", &yaml[at..]));
        };
        let children = e.line + 1..e.end;
        if !last {
            if e.value_start < e.value_end {
                return None;
            }
            range = children.clone();
            indent = match lines::child_indent(&ls, children.clone()) {
                Some(i) if i > ls[e.line].indent => i,
                Some(_) => return None,
                None => ls[e.line].indent + 2,
            };
            if lines::items(yaml, &ls, children.clone()).is_some_and(|(_, it)| !it.is_empty()) {
                return None;
            }
            continue;
        }
        let line_start = ls[e.line].start;
        let block_end = ls[e.end - 1].end;
        return match edit {
            Edit::Set(_, v) => {
                let simple = !matches!(v, Value::Sequence(s) if !s.is_empty())
                    && !matches!(v, Value::Mapping(m) if !m.is_empty());
                if simple && e.end == e.line + 1 && e.value_start < e.value_end {
                    Some(splice(yaml, e.value_start, e.value_end, &render::scalar(v)))
                } else {
                    Some(splice(
                        yaml,
                        line_start,
                        block_end,
                        &render::entry(&e.key, v, ls[e.line].indent, nl),
                    ))
                }
            }
            Edit::Remove(_) => Some(splice(yaml, line_start, block_end, "")),
            Edit::Push(_, item) => {
                let inline = &yaml[e.value_start..e.value_end];
                if inline.starts_with('[') && inline.ends_with(']') && !inline.contains('\n') {
                    let inner = inline[1..inline.len() - 1].trim();
                    let add = render::flow_item(item);
                    let new = if inner.is_empty() {
                        format!("[{add}]")
                    } else {
                        format!("{}, {add}]", inline[..inline.len() - 1].trim_end())
                    };
                    return Some(splice(yaml, e.value_start, e.value_end, &new));
                }
                if e.value_start < e.value_end {
                    return None;
                }
                match lines::items(yaml, &ls, children.clone()) {
                    Some((item_indent, items)) if !items.is_empty() => {
                        let after = ls[items.last().expect("not empty").1 - 1].end;
                        let pre_nl = if yaml[..after].ends_with('\n') {
                            ""
                        } else {
                            nl
                        };
                        Some(format!(
                            "{}{pre_nl}{}{}",
                            &yaml[..after],
                            render::seq_item(item, item_indent, nl),
                            &yaml[after..]
                        ))
                    }
                    _ if e.end == e.line + 1 => {
                        let after = ls[e.line].end;
                        let pre_nl = if yaml[..after].ends_with('\n') {
                            ""
                        } else {
                            nl
                        };
                        let item_indent = ls[e.line].indent + 2;
                        Some(format!(
                            "{}{pre_nl}{}{}",
                            &yaml[..after],
                            render::seq_item(item, item_indent, nl),
                            &yaml[after..]
                        ))
                    }
                    _ => None,
                }
            }
            Edit::Pull(_, item) => {
                let (_, items) = lines::items(yaml, &ls, children)?;
                let (s, end) = items.iter().copied().find(|(s, end)| {
                    let text = &yaml[ls[*s].start + ls[*s].indent + 1..ls[end - 1].end];
                    serde_norway::from_str::<Value>(text).ok().as_ref() == Some(item)
                })?;
                if items.len() == 1 {
                    Some(splice(yaml, line_start, block_end, ""))
                } else {
                    Some(splice(yaml, ls[s].start, ls[end - 1].end, ""))
                }
            }
        };
    }
    None
}

/// Rewrites the whole block of one top-level key from the expected values.
fn rewrite_top_entry(yaml: &str, key: &str, expected: &Mapping, nl: &str) -> Option<String> {
    let ls = lines::lines(yaml);
    let entries = lines::entries(yaml, &ls, 0..ls.len(), 0);
    let e = entries.iter().find(|e| e.key == key)?;
    let new = match expected.get(key) {
        Some(v) => render::entry(key, v, 0, nl),
        None => String::new(),
    };
    Some(splice(yaml, ls[e.line].start, ls[e.end - 1].end, &new))
}

/// Renders all values; the last resort when the original layout cannot be followed.
fn render_all(values: &Mapping, nl: &str) -> String {
    values
        .iter()
        .map(|(k, v)| render::entry(&render::key_text(k), v, 0, nl))
        .collect()
}

#[cfg(test)]
mod tests;
