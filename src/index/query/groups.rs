//! Where the words of a query group: every space-separated part is required, and parts
//! joined by `OR` or `AND` form one group (`status:open crash OR panic` is `status:open`
//! and one of `crash`, `panic`). tantivy's grammar loses the spaces between parts, so
//! `a b OR c` would make `b OR c` optional beside a required `a`; each joined run is put in
//! parentheses before the grammar sees it.

/// The query with each run of parts joined by `AND`/`OR` in parentheses, at every depth
/// of parentheses.
pub fn grouped(query: &str) -> String {
    let parts = parts(query);
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut i = 0;
    while i < parts.len() {
        let mut run = vec![inner_grouped(parts[i])];
        let mut j = i + 1;
        while j + 1 < parts.len() && is_operator(parts[j]) && !is_operator(parts[j + 1]) {
            run.push(parts[j].to_string());
            run.push(inner_grouped(parts[j + 1]));
            j += 2;
        }
        if run.len() > 1 && !is_operator(parts[i]) {
            out.push(format!("({})", run.join(" ")));
        } else {
            out.append(&mut run);
        }
        i = j;
    }
    out.join(" ")
}

fn is_operator(part: &str) -> bool {
    part == "AND" || part == "OR"
}

/// A part with the text inside its parentheses (if any) grouped too.
fn inner_grouped(part: &str) -> String {
    let Some((open, close)) = outer_parens(part) else {
        return part.to_string();
    };
    format!(
        "{}({}){}",
        &part[..open],
        grouped(&part[open + 1..close]),
        &part[close + 1..]
    )
}

/// The byte offsets of the first opening parenthesis of a part (outside quotes) and of
/// the one that closes it.
fn outer_parens(part: &str) -> Option<(usize, usize)> {
    let mut scan = Scan::default();
    let mut open = None;
    for (i, c) in part.char_indices() {
        let before = scan.depth;
        scan.step(c);
        match (open, c) {
            (None, '(') if scan.depth == 1 && before == 0 => open = Some(i),
            (Some(o), ')') if scan.depth == 0 && !scan.quoted() => return Some((o, i)),
            _ => {}
        }
    }
    None
}

/// What a scan of query text is inside: parentheses, range brackets, a quoted phrase, an
/// escape.
#[derive(Default)]
struct Scan {
    depth: usize,
    brackets: usize,
    quote: Option<char>,
    escaped: bool,
}

impl Scan {
    fn quoted(&self) -> bool {
        self.quote.is_some()
    }

    fn step(&mut self, c: char) {
        if self.escaped {
            self.escaped = false;
            return;
        }
        if let Some(q) = self.quote {
            if c == q {
                self.quote = None;
            } else if c == '\\' {
                self.escaped = true;
            }
            return;
        }
        match c {
            '\\' => self.escaped = true,
            '"' | '\'' => self.quote = Some(c),
            '(' => self.depth += 1,
            ')' => self.depth = self.depth.saturating_sub(1),
            '[' | '{' => self.brackets += 1,
            ']' | '}' => self.brackets = self.brackets.saturating_sub(1),
            _ => {}
        }
    }

    /// Whether a space here separates two parts.
    fn at_top(&self) -> bool {
        self.depth == 0 && self.brackets == 0 && self.quote.is_none() && !self.escaped
    }
}

/// The space-separated parts of a query, outside parentheses, brackets and quotes; a
/// space after `field:` or a comparison (`created:> 2026-01-01`), after `field:IN` or
/// before a `:` does not separate.
fn parts(query: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut scan = Scan::default();
    let mut start: Option<usize> = None;
    for (i, c) in query.char_indices() {
        let separates = c.is_whitespace() && scan.at_top();
        if let (true, Some(s)) = (separates, start) {
            if !glued(&query[s..i], &query[i..]) {
                out.push(&query[s..i]);
                start = None;
            }
        } else if start.is_none() && !c.is_whitespace() {
            start = Some(i);
        }
        scan.step(c);
    }
    if let Some(s) = start {
        out.push(&query[s..]);
    }
    out
}

/// Whether the part so far continues past the space that follows it.
fn glued(so_far: &str, rest: &str) -> bool {
    let fielded = so_far.contains(':');
    so_far.ends_with(':')
        || (fielded && so_far.ends_with(['<', '>', '=']))
        || (fielded && so_far.ends_with(":IN"))
        || rest.trim_start().starts_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_runs_are_grouped() {
        assert_eq!(grouped("a b OR c"), "a (b OR c)");
        assert_eq!(grouped("a OR b c OR d"), "(a OR b) (c OR d)");
        assert_eq!(grouped("x a AND b"), "x (a AND b)");
        assert_eq!(grouped("a AND b OR c"), "(a AND b OR c)");
        assert_eq!(grouped("crash"), "crash");
        assert_eq!(grouped("  a   b "), "a b");
    }

    #[test]
    fn groups_are_grouped_inside_too() {
        assert_eq!(grouped("x (a b OR c)"), "x (a (b OR c))");
        assert_eq!(grouped("-title:(a OR b c)^2 d"), "-title:((a OR b) c)^2 d");
    }

    #[test]
    fn phrases_ranges_and_field_spaces_stay_one_part() {
        assert_eq!(grouped("\"a OR b\" c OR d"), "\"a OR b\" (c OR d)");
        assert_eq!(
            grouped("created:[2026-01-01 TO 2026-02-01] OR x"),
            "(created:[2026-01-01 TO 2026-02-01] OR x)"
        );
        assert_eq!(
            grouped("created:> 2026-01-01 OR x y"),
            "(created:> 2026-01-01 OR x) y"
        );
        assert_eq!(grouped("title: a OR b"), "(title: a OR b)");
        assert_eq!(grouped("title :a OR b"), "(title :a OR b)");
        assert_eq!(grouped("id:IN [a b] OR c"), "(id:IN [a b] OR c)");
        assert_eq!(grouped("a\\ b OR c"), "(a\\ b OR c)");
    }

    #[test]
    fn stray_operators_are_left_for_the_grammar_to_report() {
        assert_eq!(grouped("OR a"), "OR a");
        assert_eq!(grouped("a OR"), "a OR");
        assert_eq!(grouped("a OR OR b"), "a OR OR b");
        assert_eq!(grouped("(a"), "(a");
    }
}
