//! Tables for people: aligned columns measured in terminal columns (wide CJK characters
//! count two), cells escaped so a title cannot drive the terminal, and clipping with `…`.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::model::escape_line;

/// Terminal columns a cell takes (wide CJK characters count two, combining marks none).
fn width(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        unicode_width::UnicodeWidthStr::width(s)
    }
}

/// Prints rows as aligned columns (the last column is not padded). Control characters in
/// cells are escaped ([`escape_line`]), so a title cannot drive the terminal.
pub fn table<R: AsRef<[C]>, C: AsRef<str>>(out: &mut dyn Write, rows: &[R]) -> io::Result<()> {
    table_clipped(out, rows, usize::MAX)
}

/// Prints rows as [`table`] does, with each row's last cell shortened by [`clip`] to
/// `max` columns, without building a `String` per cell that needs no escaping: `list`
/// prints tens of thousands.
pub fn table_clipped<R: AsRef<[C]>, C: AsRef<str>>(
    out: &mut dyn Write,
    rows: &[R],
    max: usize,
) -> io::Result<()> {
    let rows: Vec<Vec<Cow<str>>> = rows
        .iter()
        .map(|r| r.as_ref().iter().map(|c| escape_line(c.as_ref())).collect())
        .collect();
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    // A cell of the last column is the last of its row, never padded: its width is not needed.
    let mut widths = vec![0; cols.saturating_sub(1)];
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(c));
        }
    }
    const SPACES: &[u8] = &[b' '; 256];
    let mut line: Vec<u8> = Vec::with_capacity(256);
    for r in &rows {
        line.clear();
        for (i, c) in r.iter().enumerate() {
            if i + 1 < r.len() {
                line.extend_from_slice(c.as_bytes());
                let mut pad = widths[i] - width(c) + 2;
                while pad > 0 {
                    let n = pad.min(SPACES.len());
                    line.extend_from_slice(&SPACES[..n]);
                    pad -= n;
                }
            } else {
                push_clipped(&mut line, c, max);
            }
        }
        let trimmed = line.trim_ascii_end();
        // Past the ASCII kind of white space (control characters are escaped by now),
        // only a line ending in a non-ASCII character can still end in some.
        let text = match trimmed.last() {
            Some(b) if *b >= 0x80 => {
                std::str::from_utf8(trimmed).map_or(trimmed, |t| t.trim_end().as_bytes())
            }
            _ => trimmed,
        };
        out.write_all(text)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Appends `s`, or as much of it as fits in `max - 1` columns and `…`, when it is
/// wider than `max` columns.
fn push_clipped(out: &mut Vec<u8>, s: &str, max: usize) {
    if max == usize::MAX || width(s) <= max {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    let room = max.saturating_sub(1);
    let mut used = 0;
    let mut cut = 0;
    for (at, c) in s.char_indices() {
        used += if c.is_ascii() {
            1
        } else {
            unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
        };
        if used > room {
            break;
        }
        cut = at + c.len_utf8();
    }
    out.extend_from_slice(&s.as_bytes()[..cut]);
    out.extend_from_slice("…".as_bytes());
}

/// Shortens a title for a table cell to `max` terminal columns (wide CJK characters
/// count two), ending in `…` when it was cut.
pub fn clip(s: &str, max: usize) -> String {
    let mut out = Vec::with_capacity(s.len().min(max.saturating_mul(4)));
    push_clipped(&mut out, s, max);
    String::from_utf8(out).expect("cut at a character boundary")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(rows: &[[&str; 3]], max: usize) -> (String, String) {
        let owned: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r[0].to_string(),
                    r[1].to_string(),
                    clip(&escape_line(r[2]), max),
                ]
            })
            .collect();
        let mut a = Vec::new();
        table(&mut a, &owned).expect("write");
        let mut b = Vec::new();
        table_clipped(&mut b, rows, max).expect("write");
        (
            String::from_utf8(a).expect("utf8"),
            String::from_utf8(b).expect("utf8"),
        )
    }

    #[test]
    fn clipped_tables_match_plain_ones() {
        let rows = [
            ["T-AB", "open", "Disk full"],
            ["T-ABCD", "ünï", ""],
            ["x", "", "trailing  "],
            ["", "wait", "tab\u{b}"],
            ["ä", "b", "non-breaking\u{a0}\u{3000}"],
            [
                "long",
                "title",
                "a very long title that will not fit at all",
            ],
        ];
        for max in [0, 1, 5, 20, 72] {
            let (a, b) = both(&rows, max);
            assert_eq!(a, b, "max {max}");
        }
        let (a, b) = both(&[], 72);
        assert_eq!((a.as_str(), b.as_str()), ("", ""));
    }

    #[test]
    fn wide_characters_take_two_columns_and_controls_are_escaped() {
        let rows = vec![
            vec!["数据".to_string(), "x".to_string()],
            vec!["ab".to_string(), "\u{1b}[2J".to_string()],
        ];
        let mut a = Vec::new();
        table(&mut a, &rows).expect("write");
        assert_eq!(
            String::from_utf8(a).expect("utf8"),
            "数据  x\nab    \\x1b[2J\n"
        );
    }

    #[test]
    fn titles_are_clipped_by_terminal_columns() {
        assert_eq!(clip("数据导出失败", 5), "数据…");
        assert_eq!(clip("数据导出", 8), "数据导出");
        assert_eq!(clip("Disk full", 5), "Disk…");
        assert_eq!(clip("a\u{7}bc", 3), "a\u{7}…");
    }

    proptest::proptest! {
        #[test]
        fn clipped_tables_match_plain_ones_for_any_text(
            cells in proptest::collection::vec(("\\PC{0,6}", "[a-zé ]{0,5}", "\\PC{0,12}|[ \\t\\u{b}\\u{a0}x]{0,4}"), 0..6),
            max in 0usize..14,
        ) {
            let rows: Vec<[&str; 3]> = cells.iter().map(|(a, b, c)| [a.as_str(), b.as_str(), c.as_str()]).collect();
            let (a, b) = both(&rows, max);
            proptest::prop_assert_eq!(a, b);
        }
    }
}
