//! Finding the conflict markers `git merge` leaves in a file it could not merge.
//!
//! A file with markers is neither the one side nor the other: reading it leniently would
//! show half a ticket, and YAML errors about `<<<<<<<` would not say what happened. A
//! conflict is a line starting with exactly seven `<` (then a space or the line's end),
//! followed later by a `=======` or a `>>>>>>>` line; the `|||||||` base of a diff3
//! conflict may come between. A lone `=======` is a Markdown heading underline, not a
//! conflict. Markers inside a fenced code block of the body are taken as quoted text
//! (a ticket about a merge may show one) and are not reported.

/// A quick test that lets almost every file skip [`first_marker`].
pub fn may_have_markers(text: &str) -> bool {
    text.contains("<<<<<<<")
}

/// The 1-based line of the first marker of an unresolved conflict, if the text has one.
/// `body_start`: the byte offset where the Markdown body starts, when known.
pub fn first_marker(text: &str, body_start: Option<usize>) -> Option<usize> {
    let mut start = None;
    let mut fence: Option<(u8, usize)> = None;
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let in_body = body_start.is_some_and(|b| offset >= b);
        offset += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        if in_body {
            match (fence, fence_of(line)) {
                (None, Some(f)) => {
                    fence = Some(f);
                    continue;
                }
                (Some((c, n)), Some((c2, n2))) if c == c2 && n2 >= n && closes(line) => {
                    fence = None;
                    continue;
                }
                (Some(_), _) => continue,
                (None, None) => {}
            }
        }
        match marker(line) {
            Some(b'<') if start.is_none() => start = Some(i + 1),
            Some(b'=' | b'>') if start.is_some() => return start,
            _ => {}
        }
    }
    None
}

/// The marker character of a conflict marker line (`<`, `|`, `=` or `>`).
fn marker(line: &str) -> Option<u8> {
    let b = line.as_bytes();
    let c = *b.first()?;
    if !matches!(c, b'<' | b'|' | b'=' | b'>') || b.len() < 7 || b[..7].iter().any(|&x| x != c) {
        return None;
    }
    let rest = &line[7..];
    let ok = if c == b'=' {
        rest.trim().is_empty()
    } else {
        rest.is_empty() || rest.starts_with(' ')
    };
    ok.then_some(c)
}

/// The fence character and length of a line that opens or closes a code fence.
fn fence_of(line: &str) -> Option<(u8, usize)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = t.bytes().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

/// Whether a fence line can close a block: nothing but spaces after the fence.
fn closes(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    let c = t.as_bytes()[0];
    t.trim_start_matches(c as char).trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_marker_of_a_conflict() {
        let t = "---\nid: T-1\n<<<<<<< HEAD\nstatus: closed\n=======\nstatus: open\n>>>>>>> other\n---\n";
        assert_eq!(first_marker(t, None), Some(3));
        let diff3 = "a\n<<<<<<< ours\nx\n||||||| base\ny\n=======\nz\n>>>>>>> theirs\n";
        assert_eq!(first_marker(diff3, Some(0)), Some(2));
        let crlf = "a\r\n<<<<<<<\r\nb\r\n>>>>>>>\r\n";
        assert_eq!(first_marker(crlf, Some(0)), Some(2));
    }

    #[test]
    fn headings_and_quoted_conflicts_are_not_conflicts() {
        assert_eq!(first_marker("Title\n=======\n\ntext\n", Some(0)), None);
        assert_eq!(first_marker("<<<<<<<< eight\n=======\n", Some(0)), None);
        assert_eq!(first_marker("<<<<<<< only a start\n", Some(0)), None);
        let quoted =
            "---\nid: T-1\n---\nI got this:\n\n```\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n```\n";
        let body = quoted.find("I got").expect("body");
        assert_eq!(first_marker(quoted, Some(body)), None);
        let after = format!("{quoted}<<<<<<< HEAD\n=======\n>>>>>>> x\n");
        assert_eq!(first_marker(&after, Some(body)), Some(13));
    }
}
