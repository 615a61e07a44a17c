//! A pre-scan that refuses deeply nested YAML before libyaml reads it.
//!
//! libyaml keeps one "possible simple key" per open flow collection and walks all of them
//! for every token, so `[[[[...` or `{a: {a: ...` costs time quadratic in the depth: a
//! 900 KB file of `[` took minutes, well under the file size limit. serde_norway's own
//! recursion limit (128, as in serde_yaml, which it forks) only applies after libyaml has
//! read everything. This scan runs once over the bytes (linear time, memory bounded by
//! the limit) and stops at the first place that goes deeper than [`MAX_DEPTH`].
//!
//! Depth counts open collections: each flow `[` or `{` outside quoted scalars and
//! comments, and each block mapping or sequence opened by indentation (`- ` items and
//! `key:` lines). Scalars add nothing, so `{a: [b]}` is 2 deep. Where the text is not
//! valid YAML the scan may count more than libyaml would, which only changes which error
//! the user sees; on valid YAML it counts what the parser nests.

/// The deepest nesting docket reads. Real frontmatter nests 3 or 4 levels; serde_norway
/// itself stops at 128.
pub const MAX_DEPTH: usize = 64;

/// Where the text first goes deeper than the limit (1-based line and column in the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub col: usize,
}

/// The deepest nesting of `yaml`, or where it first goes past `limit`.
pub fn scan(yaml: &str, limit: usize) -> Result<usize, TooDeep> {
    let mut s = Scanner {
        text: yaml,
        b: yaml.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        block: Vec::new(),
        flow: 0,
        max: 0,
        limit,
        block_scalar: None,
        plain: None,
    };
    s.run()?;
    Ok(s.max)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Map,
    Seq,
}

/// The column of the innermost open block collection, if any, as the bound a more
/// indented line must exceed (`None`: no collection, any indentation continues).
type Bound = Option<usize>;

struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    line: usize,
    line_start: usize,
    /// Open block collections, innermost last.
    block: Vec<(usize, Kind)>,
    /// Open flow collections.
    flow: usize,
    max: usize,
    limit: usize,
    /// Inside a block scalar (`|`, `>`): lines indented past this bound are its text.
    block_scalar: Option<Bound>,
    /// After a plain scalar ended a line: lines indented past this bound continue it.
    plain: Option<Bound>,
}

fn blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn more_indented(indent: usize, bound: Bound) -> bool {
    bound.is_none_or(|c| indent > c)
}

impl Scanner<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// Whether position `i` ends a token: the end, white space or a line break.
    fn blank_or_end(&self, i: usize) -> bool {
        self.at(i).is_none_or(blank)
    }

    fn col(&self) -> usize {
        self.text[self.line_start..self.i].chars().count() + 1
    }

    fn too_deep(&self) -> TooDeep {
        TooDeep {
            line: self.line,
            col: self.col(),
        }
    }

    /// Counts one more open collection, failing when it passes the limit.
    fn deeper(&mut self) -> Result<(), TooDeep> {
        let depth = self.block.len() + self.flow;
        if depth > self.limit {
            return Err(self.too_deep());
        }
        self.max = self.max.max(depth);
        Ok(())
    }

    fn bound(&self) -> Bound {
        self.block.last().map(|(c, _)| *c)
    }

    /// Moves past a line break at `self.i`.
    fn newline(&mut self) {
        self.i += 1;
        self.line += 1;
        self.line_start = self.i;
    }

    /// Moves to the start of the next line.
    fn skip_line(&mut self) {
        match self.b[self.i..].iter().position(|&c| c == b'\n') {
            Some(n) => {
                self.i += n;
                self.newline();
            }
            None => self.i = self.b.len(),
        }
    }

    fn skip_spaces(&mut self) {
        while matches!(self.at(self.i), Some(b' ' | b'\t' | b'\r')) {
            self.i += 1;
        }
    }

    fn at_line_end(&self) -> bool {
        matches!(self.at(self.i), None | Some(b'\n'))
    }

    /// A block collection of `kind` at column `col` holds the node here.
    fn open(&mut self, col: usize, kind: Kind) -> Result<(), TooDeep> {
        if kind == Kind::Map && self.block.last() == Some(&(col, Kind::Seq)) {
            // A sequence as deep as its parent key ends where the next key starts.
            if self.block.iter().rev().nth(1) == Some(&(col, Kind::Map)) {
                self.block.pop();
            }
        }
        if self.block.last() == Some(&(col, kind)) {
            return Ok(());
        }
        self.block.push((col, kind));
        self.deeper()
    }

    fn run(&mut self) -> Result<(), TooDeep> {
        while self.i < self.b.len() {
            let start = self.i;
            while self.at(self.i) == Some(b' ') {
                self.i += 1;
            }
            let indent = self.i - start;
            let rest_blank = {
                let mut j = self.i;
                while matches!(self.at(j), Some(b' ' | b'\t' | b'\r')) {
                    j += 1;
                }
                matches!(self.at(j), None | Some(b'\n'))
            };
            if rest_blank {
                self.skip_line();
                continue;
            }
            if let Some(bound) = self.block_scalar {
                if more_indented(indent, bound) {
                    self.skip_line();
                    continue;
                }
                self.block_scalar = None;
            }
            if self.at(self.i) == Some(b'#') {
                self.plain = None;
                self.skip_line();
                continue;
            }
            if let Some(bound) = self.plain.take()
                && more_indented(indent, bound)
            {
                self.plain_continuation()?;
                continue;
            }
            if indent == 0 && self.document_marker() {
                continue;
            }
            if indent == 0 && self.at(self.i) == Some(b'%') {
                self.skip_line();
                continue;
            }
            while self.block.last().is_some_and(|(c, _)| *c > indent) {
                self.block.pop();
            }
            self.node(true)?;
        }
        Ok(())
    }

    /// `---` or `...` at the start of a line: the collections of the last document end.
    fn document_marker(&mut self) -> bool {
        let b = &self.b[self.i..];
        let marker =
            (b.starts_with(b"---") || b.starts_with(b"...")) && self.blank_or_end(self.i + 3);
        if marker {
            self.block.clear();
            self.i += 3;
            self.skip_spaces();
            if self.at_line_end() {
                self.skip_line();
            }
        }
        marker
    }

    /// A line that continues a plain scalar: text, unless it holds a `: ` or a comment.
    fn plain_continuation(&mut self) -> Result<(), TooDeep> {
        let bound = self.bound();
        while !self.at_line_end() {
            let c = self.b[self.i];
            if c == b':' && self.blank_or_end(self.i + 1) {
                // Not valid YAML; count what follows as a value would be counted.
                self.i += 1;
                return self.node(false);
            }
            if c == b'#' && self.i > self.line_start && blank(self.b[self.i - 1]) {
                self.skip_line();
                return Ok(());
            }
            self.i += 1;
        }
        self.plain = Some(bound);
        if self.i < self.b.len() {
            self.newline();
        }
        Ok(())
    }

    /// The node at the current position, to the end of its line (or further, for flow
    /// collections and quoted scalars). `collections`: whether a block collection may
    /// start here (at a line's start or after `- `), not only a value after `key: `.
    fn node(&mut self, mut collections: bool) -> Result<(), TooDeep> {
        loop {
            self.skip_spaces();
            if self.at_line_end() {
                if self.i < self.b.len() {
                    self.newline();
                }
                return Ok(());
            }
            let col = self.i - self.line_start;
            let c = self.b[self.i];
            let indicator = self.blank_or_end(self.i + 1);
            match c {
                b'#' => {
                    self.skip_line();
                    return Ok(());
                }
                b'-' if collections && indicator => {
                    self.open(col, Kind::Seq)?;
                    self.i += 1;
                }
                b'?' | b':' if collections && indicator => {
                    self.open(col, Kind::Map)?;
                    self.i += 1;
                }
                b'[' | b'{' => {
                    self.flow_collection()?;
                    return self.after_node(col, collections);
                }
                b'"' | b'\'' => {
                    self.quoted();
                    return self.after_node(col, collections);
                }
                b'|' | b'>' => {
                    self.block_scalar = Some(self.bound());
                    self.skip_line();
                    return Ok(());
                }
                b'&' | b'!' => {
                    while !self.blank_or_end(self.i) {
                        self.i += 1;
                    }
                }
                _ => {
                    if self.plain_in_block() {
                        if collections {
                            self.open(col, Kind::Map)?;
                        }
                        collections = false;
                    } else {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// A plain scalar in block context. True when it turned out to be a key (the
    /// position is then after its `:`); false when the line (or a comment) ended it.
    fn plain_in_block(&mut self) -> bool {
        let bound = self.bound();
        while !self.at_line_end() {
            let c = self.b[self.i];
            if c == b':' && self.blank_or_end(self.i + 1) {
                self.i += 1;
                return true;
            }
            if c == b'#' && blank(self.b[self.i - 1]) {
                self.skip_line();
                return false;
            }
            self.i += 1;
        }
        self.plain = Some(bound);
        if self.i < self.b.len() {
            self.newline();
        }
        false
    }

    /// After a flow collection or quoted scalar in block context: a `:` makes it a key.
    fn after_node(&mut self, col: usize, collections: bool) -> Result<(), TooDeep> {
        self.skip_spaces();
        if self.at(self.i) == Some(b':') && self.blank_or_end(self.i + 1) {
            if collections {
                self.open(col, Kind::Map)?;
            }
            self.i += 1;
            return self.node(false);
        }
        // A comment, the line's end, or text that is not valid YAML here: anything
        // still on the line is counted as a value would be.
        self.node(false)
    }

    /// A flow collection from its `[` or `{` to the matching close (or the end).
    fn flow_collection(&mut self) -> Result<(), TooDeep> {
        // Whether the scan is inside a plain scalar, where quotes are plain text.
        let mut in_plain = false;
        while let Some(c) = self.at(self.i) {
            match c {
                b'[' | b'{' => {
                    self.flow += 1;
                    self.deeper()?;
                    in_plain = false;
                }
                b']' | b'}' => {
                    self.flow = self.flow.saturating_sub(1);
                    in_plain = false;
                    if self.flow == 0 {
                        self.i += 1;
                        return Ok(());
                    }
                }
                b',' => in_plain = false,
                b'\n' => {
                    self.newline();
                    continue;
                }
                b' ' | b'\t' | b'\r' => {}
                b'#' if blank(self.b[self.i - 1]) => {
                    // A comment runs to the line's end, and ends a plain scalar.
                    in_plain = false;
                    match self.b[self.i..].iter().position(|&c| c == b'\n') {
                        Some(n) => self.i += n,
                        None => self.i = self.b.len(),
                    }
                    continue;
                }
                // At a token's start `:` is always an indicator in flow context; inside
                // a plain scalar only before white space or a flow indicator.
                b':' if !in_plain
                    || self.blank_or_end(self.i + 1)
                    || matches!(self.at(self.i + 1), Some(b',' | b'[' | b']' | b'{' | b'}')) =>
                {
                    in_plain = false;
                }
                b'"' | b'\'' if !in_plain => {
                    self.quoted();
                    continue;
                }
                _ => in_plain = true,
            }
            self.i += 1;
        }
        Ok(())
    }

    /// A quoted scalar from its opening quote to just after its closing one (or the end).
    fn quoted(&mut self) {
        let q = self.b[self.i];
        self.i += 1;
        while let Some(c) = self.at(self.i) {
            match c {
                b'\n' => {
                    self.newline();
                    continue;
                }
                b'\\' if q == b'"' => {
                    self.i += 1;
                    if self.at(self.i) == Some(b'\n') {
                        self.newline();
                        continue;
                    }
                }
                b'\'' if q == b'\'' && self.at(self.i + 1) == Some(b'\'') => self.i += 1,
                _ if c == q => {
                    self.i += 1;
                    return;
                }
                _ => {}
            }
            self.i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn depth(y: &str) -> usize {
        scan(y, usize::MAX).expect("no limit")
    }

    #[test]
    fn counts_flow_and_block_collections() {
        assert_eq!(depth(""), 0);
        assert_eq!(depth("a: 1\n"), 1);
        assert_eq!(depth("a: [1, [2]]\n"), 3);
        assert_eq!(depth("a:\n  b:\n    c: 1\n"), 3);
        assert_eq!(depth("a:\n- 1\n- [x]\nb: 2\n"), 3);
        assert_eq!(depth("- - - x\n"), 3);
        assert_eq!(depth("- a: 1\n  b:\n  - c\n"), 3);
        assert_eq!(depth("{a: {b: {c: d}}}"), 3);
    }

    #[test]
    fn brackets_in_scalars_and_comments_do_not_count() {
        assert_eq!(depth("t: a[[[b {{\n"), 1);
        assert_eq!(depth("t: \"[[[\"\n"), 1);
        assert_eq!(depth("t: '[[[ it''s'\n"), 1);
        assert_eq!(depth("t: x # [[[[\n"), 1);
        assert_eq!(depth("t: |\n  [[[[\n  {{{{\nu: 1\n"), 1);
        assert_eq!(depth("t: it's [a\n  [[[[ more\n"), 1);
        assert_eq!(depth("t: [it's, \"]\", a 'b]\n"), 2);
        assert_eq!(depth("# [[[[\nt: 1\n"), 1);
    }

    #[test]
    fn refuses_past_the_limit_with_the_position() {
        let y = format!("a: 1\nb: {}\n", "[".repeat(100));
        assert_eq!(scan(&y, 64), Err(TooDeep { line: 2, col: 67 }));
        let y = "{a: ".repeat(100);
        assert_eq!(scan(&y, 64).map_err(|e| e.line), Err(1));
        let y = "- ".repeat(100) + "x\n";
        assert!(scan(&y, 64).is_err());
        let mut y = String::new();
        for i in 0..100 {
            y.push_str(&" ".repeat(i));
            y.push_str("k:\n");
        }
        assert_eq!(scan(&y, 64).map_err(|e| e.line), Err(65));
    }

    /// What this module and `yaml_error` assume of the YAML crate (serde_norway, a fork
    /// of serde_yaml 0.9): its own nesting limit of 128 behind this scan, alias
    /// expansion capped, tags kept as `Tagged`, and errors with a location.
    #[test]
    fn the_yaml_crate_keeps_the_limits_docket_assumes() {
        use serde_norway::{Value, from_str};
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(from_str::<Value>(&nested(127)).is_ok());
        let e = from_str::<Value>(&nested(129)).expect_err("too deep");
        assert!(e.to_string().contains("recursion limit exceeded"), "{e}");
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (i, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            let refs = vec![format!("*{prev}"); 9].join(",");
            bomb.push_str(&format!("{i}: &{i} [{refs}]\n"));
        }
        let e = from_str::<Value>(&bomb).expect_err("alias bomb");
        assert!(e.to_string().contains("repetition limit exceeded"), "{e}");
        let tagged: Value = from_str("a: !thing x\n").expect("tags parse");
        assert!(matches!(tagged.get("a"), Some(Value::Tagged(_))));
        let e = from_str::<Value>("a: [1\nb: 2\n").expect_err("unclosed");
        assert!(e.location().is_some_and(|l| l.line() >= 1));
    }

    /// Nesting depth of a parsed value, counted the obvious recursive way.
    fn naive(v: &serde_norway::Value) -> usize {
        match v {
            serde_norway::Value::Sequence(s) => 1 + s.iter().map(naive).max().unwrap_or(0),
            serde_norway::Value::Mapping(m) => 1 + m.values().map(naive).max().unwrap_or(0),
            serde_norway::Value::Tagged(t) => naive(&t.value),
            _ => 0,
        }
    }

    fn value() -> impl Strategy<Value = serde_norway::Value> {
        let leaf = prop_oneof![
            Just(serde_norway::Value::Null),
            any::<bool>().prop_map(serde_norway::Value::Bool),
            any::<i64>().prop_map(|n| serde_norway::Value::Number(n.into())),
            "[ -~\\n\u{e9}]{0,12}".prop_map(serde_norway::Value::String),
        ];
        leaf.prop_recursive(12, 64, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4)
                    .prop_map(serde_norway::Value::Sequence),
                proptest::collection::vec(("[a-z#:\\[ ]{1,6}", inner), 0..4).prop_map(|kv| {
                    serde_norway::Value::Mapping(
                        kv.into_iter()
                            .map(|(k, v)| (serde_norway::Value::String(k), v))
                            .collect(),
                    )
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn agrees_with_a_recursive_count_on_block_and_flow_yaml(v in value()) {
            let want = naive(&v);
            let block = serde_norway::to_string(&v).expect("renders");
            prop_assert_eq!(depth(&block), want, "block:\n{}", block);
            let flow = serde_json::to_string(&v).expect("renders");
            prop_assert_eq!(depth(&flow), want, "flow:\n{}", flow);
            let pretty = serde_json::to_string_pretty(&v).expect("renders");
            prop_assert_eq!(depth(&pretty), want, "pretty:\n{}", pretty);
        }

        #[test]
        fn frontmatter_below_the_limit_parses_as_before(v in value()) {
            let mut top = serde_norway::Mapping::new();
            top.insert("k".into(), v);
            let yaml = serde_norway::to_string(&top).expect("renders");
            let before = serde_norway::from_str::<serde_norway::Value>(&yaml).expect("parses");
            let doc = crate::doc::Document::parse(format!("---\n{yaml}---\nbody\n").as_bytes())
                .expect("below the limit: parses");
            prop_assert_eq!(&serde_norway::Value::Mapping(doc.values().clone()), &before);
        }

        #[test]
        fn never_panics_and_never_refuses_what_parses_shallow(y in "[-\\[\\]{}:,'\"#|>&*!? \\na-c]{0,300}") {
            let scanned = scan(&y, MAX_DEPTH);
            if let Ok(v) = serde_norway::from_str::<serde_norway::Value>(&y)
                && naive(&v) < MAX_DEPTH / 2
            {
                prop_assert!(scanned.is_ok(), "refused {:?}", y);
            }
        }
    }
}
