//! User queries: tantivy's query grammar with docket's fixes (`NOT x` as `-x`, control
//! characters as spaces, every word required and runs joined by `OR`/`AND` grouped
//! ([`groups`]), field names resolved to the schema, `created:` to instants and other
//! keys to custom fields ([`fields`], [`dates`]), boosts moved past exclusions, exclusions
//! that only seek forward), parsed strictly so a malformed query is an error that says
//! why; and the exact-term query the other readers build on.

use tantivy::query::{
    BooleanQuery, EnableScoring, Explanation, Occur, Query, QueryParser, Scorer, TermQuery, Weight,
};
use tantivy::query_grammar::{Occur as AstOccur, UserInputAst};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use super::{IndexError, SearchIndex};

mod dates;
mod fields;
mod groups;

impl SearchIndex {
    /// The query parser for user queries: free words search title (boosted), body,
    /// comments and labels; `field:value` reaches any searchable field. Every word is
    /// required unless joined by `OR`.
    fn user_parser(&self) -> QueryParser {
        let f = self.fields;
        let mut p = QueryParser::for_index(
            &self.index,
            vec![f.title, f.body, f.comments, f.label, f.id],
        );
        p.set_conjunction_by_default();
        p.set_field_boost(f.title, 3.0);
        p.set_field_boost(f.label, 2.0);
        p.set_field_boost(f.id, 5.0);
        p
    }

    /// Parses a user query strictly: a malformed one is an error that says why.
    pub fn parse_user_query(&self, query: &str) -> Result<Box<dyn Query>, IndexError> {
        let bad = |message: String| IndexError::BadQuery {
            query: query.to_string(),
            message,
        };
        if query.trim().is_empty() {
            return Err(bad("the query is empty".into()));
        }
        let plain = not_as_minus(&without_controls(query));
        // Syntax errors are reported on the text as given, before any regrouping.
        let (_, errors) = tantivy::query_grammar::parse_query_lenient(&plain);
        if let Some(e) = errors.into_iter().next() {
            return Err(bad(tantivy::query::QueryParserError::SyntaxError(format!(
                "{} at position {}",
                e.message, e.pos
            ))
            .to_string()));
        }
        let syntax =
            || bad(tantivy::query::QueryParserError::SyntaxError(plain.clone()).to_string());
        let ast = tantivy::query_grammar::parse_query(&groups::grouped(&plain))
            .or_else(|_| tantivy::query_grammar::parse_query(&plain))
            .map_err(|_| syntax())?;
        let ast = self.resolve_fields(ast).map_err(|e| match e {
            IndexError::BadQuery { message, .. } => bad(message),
            other => other,
        })?;
        let ast = boosts_past_exclusions(ast);
        let parsed = self
            .user_parser()
            .build_query_from_user_input_ast(ast)
            .map_err(|e| bad(e.to_string()))?;
        // Some queries parse but cannot run (`a:*` asks whether an unknown field exists):
        // building the weight finds those, so they are reported as bad queries too.
        let schema = self.index.schema();
        parsed
            .weight(tantivy::query::EnableScoring::disabled_from_schema(&schema))
            .map_err(|e| bad(e.to_string()))?;
        Ok(with_plain_exclusions(parsed))
    }
}

/// Writes `NOT x` as `-x` outside quotes. tantivy's grammar reads `a AND NOT b` as `a`
/// and a query of only `NOT b`, which matches nothing; `a AND -b` means what people expect.
pub fn not_as_minus(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut in_quotes = false;
    let mut rest = query;
    let mut at_boundary = true;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            in_quotes = !in_quotes;
        }
        if let Some(after) = rest
            .strip_prefix("NOT")
            .filter(|a| !in_quotes && at_boundary && a.starts_with(char::is_whitespace))
        {
            out.push('-');
            rest = after.trim_start();
            at_boundary = false;
            continue;
        }
        at_boundary = c.is_whitespace() || c == '(';
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The query with each control character as a space: they carry no meaning in a query,
/// and the raw fields (id, label) would otherwise look them up as part of a term.
fn without_controls(query: &str) -> String {
    query
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The query with the boost of each boosted group moved onto the group's scoring
/// clauses (`(a -"b c")^2` becomes `(a)^2 -"b c"`), which scores the same (a group's
/// score is the sum of its clauses') and leaves no exclusion inside a boost, where
/// [`with_plain_exclusions`] could not reach it.
fn boosts_past_exclusions(ast: UserInputAst) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, c)| (occur, boosts_past_exclusions(c)))
                .collect(),
        ),
        UserInputAst::Boost(inner, boost) => boosted(boosts_past_exclusions(*inner), &|a| {
            UserInputAst::Boost(Box::new(a), boost)
        }),
        leaf => leaf,
    }
}

/// `ast` (whose boosts are already moved) with each scoring clause put in `boost`.
fn boosted(ast: UserInputAst, boost: &dyn Fn(UserInputAst) -> UserInputAst) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, c)| match occur {
                    Some(AstOccur::MustNot) => (occur, c),
                    _ => (occur, boosted(c, boost)),
                })
                .collect(),
        ),
        other => boost(other),
    }
}

/// The parsed query with every excluded clause (at any depth of its boolean queries)
/// wrapped in [`Excluded`]. tantivy 0.27 probes an excluded clause with `seek_danger` at
/// documents before the clause's current one, which its phrase scorer does not allow
/// (a debug assertion, tantivy issue 2811: `a -"b c"` panicked in debug builds).
fn with_plain_exclusions(query: Box<dyn Query>) -> Box<dyn Query> {
    let Some(b) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let clauses = b
        .clauses()
        .iter()
        .map(|(occur, q)| {
            let q = with_plain_exclusions(q.box_clone());
            match occur {
                Occur::MustNot => (Occur::MustNot, Box::new(Excluded(q)) as Box<dyn Query>),
                o => (*o, q),
            }
        })
        .collect();
    Box::new(BooleanQuery::with_minimum_required_clauses(
        clauses,
        b.get_minimum_number_should_match(),
    ))
}

/// An excluded clause that answers exclusion probes with forward seeks only: its scorer
/// keeps tantivy's default `seek_danger`, which reads `doc()` and calls `seek` only
/// forward, so the scorers inside are always driven like a query of their own.
#[derive(Debug)]
struct Excluded(Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ExcludedScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct ExcludedScorer(Box<dyn Scorer>);

impl DocSet for ExcludedScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.0.doc() >= target {
            return self.0.doc();
        }
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for ExcludedScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

/// A query for one exact term of a keyword field.
pub(super) fn term_query(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::SearchOptions;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        #[test]
        fn the_query_parser_never_panics(q in "[a-z:\\(\\)\"\\-\\+\\* ~^\\[\\]{}!ANDOTR数据]{0,40}|\\PC{0,40}") {
            let dir = tempfile::tempdir().expect("temp");
            let idx = SearchIndex::recreate(dir.path(), String::new()).expect("index");
            let opts = SearchOptions { limit: 5, ..SearchOptions::default() };
            if idx.parse_user_query(&q).is_ok() {
                idx.search(&q, &opts).expect("a parsed query runs");
            }
        }
    }

    #[test]
    fn not_becomes_minus_outside_quotes() {
        assert_eq!(not_as_minus("a AND NOT b"), "a AND -b");
        assert_eq!(not_as_minus("NOT  title:x y"), "-title:x y");
        assert_eq!(not_as_minus("a AND NOT (b OR c)"), "a AND -(b OR c)");
        assert_eq!(
            not_as_minus("\"do NOT touch\" KNOT NOTE"),
            "\"do NOT touch\" KNOT NOTE"
        );
        assert_eq!(not_as_minus("数据 NOT 连接"), "数据 -连接");
    }

    #[test]
    fn boosts_move_onto_the_scoring_clauses_of_a_group() {
        let ast = |q: &str| tantivy::query_grammar::parse_query(q).expect("parses");
        assert_eq!(
            boosts_past_exclusions(ast("(a -\"b c\")^2")),
            ast("(a^2 -\"b c\")")
        );
        assert_eq!(
            format!("{:?}", boosts_past_exclusions(ast("((a -b)^2 c)^3"))),
            "(*(*((a)^2)^3 -b) *(c)^3)"
        );
        assert_eq!(
            boosts_past_exclusions(ast("a^2 \"b c\"")),
            ast("a^2 \"b c\"")
        );
    }

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(without_controls("a\u{0}b\tNOT\u{1d}c\u{7f}"), "a b NOT c ");
        assert_eq!(without_controls("数据 é"), "数据 é");
    }
}
