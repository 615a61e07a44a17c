//! A ticket body taken apart for the features: the prose outside code, each Markdown
//! heading of an issue template with the short answer under it, and counts of code,
//! stack traces, questions, links and images.

/// The parts of a body: prose (outside code), headings with the short line under each,
/// and what it holds.
pub struct Shape {
    /// The lines outside code, headings and blanks.
    pub prose: String,
    /// The lines inside code blocks and indented code.
    pub code: String,
    /// Each heading with the first line under it, if short.
    pub headings: Vec<(String, Option<String>)>,
    code_blocks: usize,
    code_lines: usize,
    trace: bool,
    questions: usize,
    lines: usize,
    links: usize,
    images: usize,
    checkboxes: usize,
}

impl Shape {
    /// Splits a body.
    pub fn of(body: &str) -> Shape {
        let mut s = Shape {
            prose: String::with_capacity(body.len().min(1 << 16)),
            code: String::new(),
            headings: Vec::new(),
            code_blocks: 0,
            code_lines: 0,
            trace: false,
            questions: 0,
            lines: 0,
            links: 0,
            images: 0,
            checkboxes: 0,
        };
        let mut in_code = false;
        let mut open_heading: Option<usize> = None;
        for line in body.lines() {
            let t = line.trim();
            s.lines += 1;
            if t.starts_with("```") || t.starts_with("~~~") || t.starts_with("{code") {
                if !in_code {
                    s.code_blocks += 1;
                }
                in_code = !in_code;
                continue;
            }
            if is_trace_line(t) {
                s.trace = true;
            }
            if in_code || line.starts_with("    ") || line.starts_with('\t') {
                s.code_lines += 1;
                s.code.push_str(t);
                s.code.push('\n');
                continue;
            }
            if t.is_empty() {
                continue;
            }
            if let Some(h) = heading_text(t) {
                s.headings.push((h.to_string(), None));
                open_heading = Some(s.headings.len() - 1);
                continue;
            }
            if let Some(i) = open_heading.take()
                && t.chars().count() <= 40
                && let Some(entry) = s.headings.get_mut(i)
            {
                entry.1 = Some(t.to_string());
            }
            s.links += t.matches("http://").count() + t.matches("https://").count();
            s.images += t.matches("![").count() + t.matches("<img").count();
            if t.starts_with("- [ ]") || t.starts_with("- [x]") || t.starts_with("- [X]") {
                s.checkboxes += 1;
            }
            s.questions += t.matches('?').count();
            s.prose.push_str(t);
            s.prose.push('\n');
        }
        s
    }

    /// Named flags for the shape, bucketed counts included.
    pub fn flags(&self, title: &str, prose_words: usize) -> Vec<String> {
        let mut f = Vec::new();
        let bucket = |n: usize| match n {
            0 => "0",
            1 => "1",
            2..=3 => "2-3",
            4..=9 => "4-9",
            10..=29 => "10-29",
            _ => "30+",
        };
        f.push(format!("code-blocks {}", bucket(self.code_blocks)));
        f.push(format!("code-lines {}", bucket(self.code_lines)));
        f.push(format!("questions {}", bucket(self.questions)));
        f.push(format!("headings {}", bucket(self.headings.len())));
        f.push(format!("links {}", bucket(self.links)));
        f.push(format!("lines {}", bucket(self.lines / 4)));
        f.push(format!("words {}", bucket(prose_words / 20)));
        if self.images > 0 {
            f.push("image".into());
        }
        if self.checkboxes > 0 {
            f.push("checkbox".into());
        }
        if self.trace {
            f.push("trace".into());
        }
        if title.trim_end().ends_with('?') {
            f.push("title-question".into());
        }
        if title.trim_start().starts_with('[') {
            f.push("title-bracket".into());
        }
        f
    }
}

/// A Markdown heading's text (`## Steps`), or a line that is only bold (`**Steps:**`).
fn heading_text(line: &str) -> Option<&str> {
    if line.starts_with('#') {
        let text = line.trim_start_matches('#').trim();
        return (!text.is_empty()).then_some(text);
    }
    let inner = line.strip_prefix("**")?;
    let end = inner.find("**")?;
    let rest = inner.get(end + 2..)?.trim();
    if rest.is_empty() || rest == ":" {
        inner.get(..end).map(|h| h.trim_end_matches(':'))
    } else {
        None
    }
}

/// Whether a line looks like part of a stack trace or a compiler error.
fn is_trace_line(t: &str) -> bool {
    (t.starts_with("at ") && (t.contains('(') || t.contains(':')))
        || t.starts_with("Traceback (most recent call last)")
        || (t.starts_with("File \"") && t.contains(", line "))
        || t.contains("Exception:")
        || t.contains("error:")
        || t.contains("Error:")
        || t.starts_with("#0 ")
        || t.contains("panicked at")
        || t.contains("Segmentation fault")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_answers_and_code_are_told_apart() {
        let body = "### Issue type\n\nBug\n\n### Current behavior\n\nIt crashes when I\n\
                    click save.\n\n```\nat Foo.bar(Foo.java:3)\n```\n**Expected:**\nno crash?";
        let s = Shape::of(body);
        let heads: Vec<(&str, Option<&str>)> = s
            .headings
            .iter()
            .map(|(h, a)| (h.as_str(), a.as_deref()))
            .collect();
        assert_eq!(
            heads,
            [
                ("Issue type", Some("Bug")),
                ("Current behavior", Some("It crashes when I")),
                ("Expected", Some("no crash?")),
            ]
        );
        assert_eq!((s.code_blocks, s.code_lines), (1, 1));
        assert!(s.trace);
        assert!(!s.prose.contains("Foo"));
        assert_eq!(s.questions, 1);
    }
}
