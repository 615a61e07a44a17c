//! Splitting a file into frontmatter and body, after the cheap checks that keep hostile
//! input (huge, binary, non-UTF-8) away from the YAML parser.

use super::DocError;

/// Files above this size are refused: support tickets and KB pages are far smaller.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Where the parts of a file are, as byte offsets into its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Start of the YAML text (just after the opening fence line).
    pub yaml_start: usize,
    /// End of the YAML text (start of the closing fence line).
    pub yaml_end: usize,
    /// Start of the body (just after the closing fence line).
    pub body_start: usize,
    /// 1-based line number of the first YAML line in the file.
    pub yaml_first_line: usize,
    /// The newline the file uses (`"\n"` or `"\r\n"`).
    pub newline: &'static str,
}

/// Decodes bytes as UTF-8 text after the size and binary checks.
pub fn decode(bytes: &[u8]) -> Result<&str, DocError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(DocError::TooLarge {
            size: bytes.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(DocError::Binary {
            line: line_of(bytes, pos),
        });
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let pos = e.valid_up_to();
        let line_start = bytes[..pos]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        DocError::NotUtf8 {
            line: line_of(bytes, pos),
            col: pos - line_start + 1,
        }
    })
}

fn line_of(bytes: &[u8], pos: usize) -> usize {
    bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Finds the frontmatter fences. `Ok(None)` means the file has no frontmatter at all.
pub fn layout(text: &str) -> Result<Option<Layout>, DocError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end = match text[start..].find('\n') {
        Some(i) => start + i + 1,
        None => return Ok(None),
    };
    if fence(&text[start..first_end]) != Some("---") {
        return Ok(None);
    }
    let newline = if text[start..first_end].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if matches!(fence(&text[pos..end]), Some("---") | Some("...")) {
            return Ok(Some(Layout {
                yaml_start: first_end,
                yaml_end: pos,
                body_start: end,
                yaml_first_line: 2,
                newline,
            }));
        }
        pos = end;
    }
    Err(DocError::Unclosed { line: 1 })
}

/// The fence a line holds (`---` or `...`, trailing spaces allowed), if any.
fn fence(line: &str) -> Option<&str> {
    let t = line.trim_end_matches(['\n', '\r', ' ', '\t']);
    (t == "---" || t == "...").then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fences_and_body() {
        let text = "---\na: 1\n---\nbody\n";
        let l = layout(text).expect("parses").expect("has frontmatter");
        assert_eq!(&text[l.yaml_start..l.yaml_end], "a: 1\n");
        assert_eq!(&text[l.body_start..], "body\n");
        assert_eq!(l.newline, "\n");
    }

    #[test]
    fn empty_frontmatter_and_dots_close() {
        let l = layout("---\n...\n")
            .expect("parses")
            .expect("has frontmatter");
        assert_eq!(l.yaml_start, l.yaml_end);
    }

    #[test]
    fn crlf_is_kept() {
        let l = layout("---\r\na: 1\r\n---\r\n")
            .expect("parses")
            .expect("fm");
        assert_eq!(l.newline, "\r\n");
    }

    #[test]
    fn no_frontmatter() {
        assert_eq!(layout("# Title\n").expect("ok"), None);
        assert_eq!(layout("").expect("ok"), None);
        assert_eq!(layout("+++\ntitle = 'x'\n+++\n").expect("ok"), None);
    }

    #[test]
    fn unclosed_is_an_error() {
        assert_eq!(layout("---\na: 1\n"), Err(DocError::Unclosed { line: 1 }));
    }

    #[test]
    fn refuses_binary_and_bad_utf8_with_position() {
        assert_eq!(decode(b"ab\ncd\0"), Err(DocError::Binary { line: 2 }));
        assert_eq!(
            decode(b"---\nt\xffx"),
            Err(DocError::NotUtf8 { line: 2, col: 2 })
        );
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        assert!(matches!(decode(&big), Err(DocError::TooLarge { .. })));
    }
}
