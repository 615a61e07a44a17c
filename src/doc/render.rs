//! Rendering YAML values as text in the block style docket writes: `key: value` lines,
//! block lists with `  - item`, and scalars quoted only when a YAML 1.1 or 1.2 reader
//! (Jekyll, Hugo, serde_norway) would otherwise read them as something else.

use serde_norway::Value;

/// Renders a value so it fits on one line after `key: ` or `- `.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => flow(v),
    }
}

/// Renders a scalar for a flow list (`[a, b]`), where `,` and brackets must be quoted.
pub fn flow_item(v: &Value) -> String {
    let s = scalar(v);
    if s.contains([',', '[', ']', '{', '}']) && !s.starts_with(['"', '\'']) {
        json_string(&s)
    } else {
        s
    }
}

fn string(s: &str) -> String {
    if is_plain_safe(s) {
        return s.to_string();
    }
    match serde_norway::to_string(s) {
        Ok(out) => {
            let out = out.strip_suffix('\n').unwrap_or(&out);
            if out.contains('\n') || is_yaml11_special(out) {
                json_string(s)
            } else {
                out.to_string()
            }
        }
        Err(_) => json_string(s),
    }
}

/// JSON's double-quoted strings are valid YAML double-quoted scalars.
fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// A flow rendering that every YAML reader accepts (JSON is a subset of YAML 1.2).
fn flow(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_string())
}

/// Whether `s` can be written without quotes and reads back as the same string in
/// YAML 1.1 and 1.2 readers.
fn is_plain_safe(s: &str) -> bool {
    if s.is_empty() || s.trim() != s || s.contains(['\n', '\r', '\t', '#']) {
        return false;
    }
    if s.contains(": ") || s.ends_with(':') {
        return false;
    }
    if s.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
    ]) {
        // A leading `-` is fine in words like `-rc1`, not as `- item` or `---`.
        if !s.starts_with('-') || s.len() == 1 || s.starts_with("- ") || s.starts_with("---") {
            return false;
        }
    }
    if is_yaml11_special(s) || looks_numeric(s) {
        return false;
    }
    matches!(serde_norway::from_str::<Value>(s), Ok(Value::String(ref back)) if back == s)
}

fn is_yaml11_special(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n"
            | "yes"
            | "no"
            | "true"
            | "false"
            | "on"
            | "off"
            | "null"
            | "~"
            | ".nan"
            | ".inf"
            | "-.inf"
            | "+.inf"
    )
}

/// Numbers in YAML 1.1 include `1_000`, `1:20` (sexagesimal) and `0x1f`.
fn looks_numeric(s: &str) -> bool {
    let t = s.trim_start_matches(['+', '-']);
    !t.is_empty()
        && (t
            .bytes()
            .all(|b| b.is_ascii_digit() || b"_:.eE".contains(&b))
            || t.starts_with("0x")
            || t.starts_with("0o")
            || t.starts_with("0b"))
        && t.as_bytes()[0].is_ascii_digit()
}

/// Renders a mapping key.
pub fn key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        && !k.starts_with('-')
    {
        k.to_string()
    } else {
        json_string(k)
    }
}

/// Renders `key: value` as block lines at the given indent, ending with `nl`.
pub fn entry(k: &str, v: &Value, indent: usize, nl: &str) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    match v {
        Value::Sequence(items) if !items.is_empty() => {
            out.push_str(&format!("{pad}{}:{nl}", key(k)));
            for item in items {
                out.push_str(&seq_item(item, indent + 2, nl));
            }
        }
        Value::Mapping(map) if !map.is_empty() => {
            out.push_str(&format!("{pad}{}:{nl}", key(k)));
            for (mk, mv) in map {
                out.push_str(&entry(&key_text(mk), mv, indent + 2, nl));
            }
        }
        _ => out.push_str(&format!("{pad}{}: {}{nl}", key(k), scalar(v))),
    }
    out
}

/// Renders one `- item` of a block list at the given indent.
pub fn seq_item(item: &Value, indent: usize, nl: &str) -> String {
    let pad = " ".repeat(indent);
    match item {
        Value::Mapping(map) if !map.is_empty() => {
            let mut body = String::new();
            for (mk, mv) in map {
                body.push_str(&entry(&key_text(mk), mv, indent + 2, nl));
            }
            // The first line's indent becomes the `- ` marker.
            format!("{pad}- {}", &body[indent + 2..])
        }
        _ => format!("{pad}- {}{nl}", scalar(item)),
    }
}

/// The text of a mapping key as docket would name it.
pub fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        other => scalar(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> String {
        scalar(&Value::String(x.to_string()))
    }

    #[test]
    fn plain_when_safe() {
        assert_eq!(s("Crash on start"), "Crash on start");
        assert_eq!(s("2026-11-02T09:14:00Z"), "2026-11-02T09:14:00Z");
        assert_eq!(s("T-4K7QX2M9AB"), "T-4K7QX2M9AB");
        assert_eq!(s("Dana <dana@acme.example>"), "Dana <dana@acme.example>");
    }

    #[test]
    fn quoted_when_needed() {
        for tricky in [
            "yes",
            "on",
            "No",
            "null",
            "~",
            "42",
            "1:20",
            "3.5",
            "0x1f",
            "a: b",
            "#tag",
            "@me",
            "- x",
            "[x]",
            "",
            " lead",
            "trail ",
            "a # b",
            "*ref",
            "!tag",
            "line\nbreak",
            "tab\tx",
        ] {
            let out = s(tricky);
            let back: Value = serde_norway::from_str(&out).expect("renders valid yaml");
            assert_eq!(
                back,
                Value::String(tricky.to_string()),
                "{tricky:?} -> {out}"
            );
            assert!(!out.contains('\n'), "{tricky:?} -> {out}");
        }
    }

    #[test]
    fn entries_render_block_style() {
        let v: Value = serde_norway::from_str("[a, b]").expect("yaml");
        assert_eq!(entry("labels", &v, 0, "\n"), "labels:\n  - a\n  - b\n");
        let m: Value = serde_norway::from_str("{name: Dana, email: d@x.example}").expect("yaml");
        let list = Value::Sequence(vec![m]);
        assert_eq!(
            entry("contacts", &list, 0, "\n"),
            "contacts:\n  - name: Dana\n    email: d@x.example\n"
        );
    }
}
