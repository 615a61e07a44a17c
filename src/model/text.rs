//! Text from files and arguments made safe to print: control characters escaped so a
//! title cannot drive the terminal, and long values cut in messages.
//!
//! A title with `ESC [ 2 J` clears the screen it is listed on; an OSC sequence can set the
//! window title or write to the clipboard; a `\r` overwrites what was printed before it.
//! Every C0 control character, DEL and every C1 control character is shown as a Rust-style
//! escape instead: `\n`, `\r` and `\t` by name, the others as `\x1b` (C0 and DEL) or
//! `\u{9b}` (C1, which are two bytes in UTF-8). Backslashes are left as they are, so
//! `C:\temp` prints unchanged; the escapes are for reading, not for parsing back.

use std::borrow::Cow;
use std::fmt::Write;

/// How many characters of a long value a message shows.
pub const MESSAGE_CHARS: usize = 40;

fn is_escaped(c: char) -> bool {
    c.is_control()
}

fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// A one-line value (a title, a status, a name) with every control character escaped,
/// line breaks and tabs included, so a table row stays one row.
pub fn escape_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_escaped) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_escaped(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text of several lines (a ticket's body, a comment) with its control characters
/// escaped except line breaks (`\n`, and `\r` right before one) and tabs.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    let kept =
        |c: char, next: Option<char>| c == '\n' || c == '\t' || (c == '\r' && next == Some('\n'));
    let mut chars = s.chars().peekable();
    let mut clean = true;
    while let Some(c) = chars.next() {
        if is_escaped(c) && !kept(c, chars.peek().copied()) {
            clean = false;
            break;
        }
    }
    if clean {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if is_escaped(c) && !kept(c, chars.peek().copied()) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A value quoted for an error message: in backticks, escaped, and cut after
/// [`MESSAGE_CHARS`] characters with its length, so a 10,000-character id does not fill
/// the screen: `` `T-AAAA…` (10000 characters) ``.
pub fn quoted(s: &str) -> String {
    let n = s.chars().count();
    if n <= MESSAGE_CHARS {
        return format!("`{}`", escape_line(s));
    }
    let cut = s
        .char_indices()
        .nth(MESSAGE_CHARS)
        .map_or(s.len(), |(at, _)| at);
    format!("`{}…` ({n} characters)", escape_line(&s[..cut]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_terminal_sequences_in_one_line_values() {
        assert_eq!(escape_line("plain title"), "plain title");
        assert_eq!(escape_line("\u{1b}[2Jgone"), "\\x1b[2Jgone");
        assert_eq!(escape_line("\u{1b}]0;owned\u{7}x"), "\\x1b]0;owned\\x07x");
        assert_eq!(escape_line("a\nb\r\tc\u{7f}"), "a\\nb\\r\\tc\\x7f");
        assert_eq!(escape_line("csi\u{9b}31m"), "csi\\u{9b}31m");
        assert_eq!(escape_line("C:\\temp ünï"), "C:\\temp ünï");
    }

    #[test]
    fn bodies_keep_their_lines() {
        assert_eq!(escape_text("a\nb\r\n\tc"), "a\nb\r\n\tc");
        assert_eq!(escape_text("a\rb\u{1b}[31m\n"), "a\\rb\\x1b[31m\n");
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        assert_eq!(quoted("T-1"), "`T-1`");
        let long = "x".repeat(10_000);
        let q = quoted(&long);
        assert_eq!(q, format!("`{}…` (10000 characters)", "x".repeat(40)));
        assert_eq!(
            quoted(&"é\u{1b}".repeat(30))
                .chars()
                .filter(|c| *c == 'é')
                .count(),
            20
        );
    }

    proptest! {
        #[test]
        fn escaped_text_has_no_control_characters(s in "\\PC{0,20}|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}a\\n]{0,20}") {
            prop_assert!(!escape_line(&s).chars().any(char::is_control));
            let text = escape_text(&s);
            let mut it = text.chars().peekable();
            while let Some(c) = it.next() {
                prop_assert!(!c.is_control() || c == '\n' || c == '\t' || (c == '\r' && it.peek() == Some(&'\n')));
            }
        }
    }
}
