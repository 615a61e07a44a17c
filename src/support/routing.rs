//! Routing: which rules of `routing:` match a ticket, what they decide, and which member
//! of a group an assignment goes to. Pure functions of the ticket's values and of each
//! member's load, so `triage` and `automate` decide alike and tests need no desk. Uses
//! `model` (and the `regex` crate) only.
//!
//! Decisions made here:
//! - A rule's regexes are compiled once, when a [`Router`] is made for a run; a pattern
//!   that does not compile is a [`RuleError`] naming its key, and [`problems`] reports
//!   it (and every other mistake in the three sections) for `docket check`.
//! - List conditions match when any item does; every condition given must hold; a rule
//!   with no condition matches every ticket. Labels, customers, tiers and types compare
//!   exactly as written; domains without case, and `example.com` also matches
//!   `mail.example.com` (not `badexample.com`). The reporter's email is the part inside
//!   `<...>` of `Name <email>`, or the whole value when it holds an `@`.
//! - Mode `first`: the first matching rule decides everything it sets. Mode `all`: every
//!   matching rule applies in order, a later one replacing single values (assignee,
//!   type, importance, urgency, priority) and adding labels; each value remembers the
//!   rule that decided it, for output and trailers.
//! - Round robin orders members by when their latest assigned ticket was opened, as the
//!   files say (never assigned: first); an assignment made during a run counts as the
//!   newest of all (see [`assigned`]), so one run goes round the group in turn. Ties go to
//!   the member listed first.

mod members;
mod problems;

use regex::Regex;

pub use members::{MemberLoad, assigned, loads, pick_member};
pub use problems::problems;

use crate::model::{Routing, RoutingMode, RoutingRule};

/// A ticket as the rules see it.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleTicket<'a> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub body: &'a str,
    /// Labels.
    pub labels: &'a [String],
    /// Customer slug.
    pub customer: Option<&'a str>,
    /// The customer's tier.
    pub tier: Option<&'a str>,
    /// Type.
    pub kind: Option<&'a str>,
    /// Reporter, `Name <email>` or an email.
    pub reporter: Option<&'a str>,
}

/// A value decided by a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ruled<T> {
    /// The value, as the rule gives it (`group:NAME` for a group).
    pub value: T,
    /// The rule's name.
    pub rule: String,
}

/// What the matching rules decide for one ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decisions {
    /// The rules that matched, in order (in mode `first`, at most one).
    pub matched: Vec<String>,
    /// Assignee: a handle or `group:NAME`.
    pub assignee: Option<Ruled<String>>,
    /// Labels to add, each once, with the first rule that added it.
    pub labels: Vec<Ruled<String>>,
    /// Type.
    pub kind: Option<Ruled<String>>,
    /// Importance.
    pub importance: Option<Ruled<u8>>,
    /// Urgency.
    pub urgency: Option<Ruled<u8>>,
    /// Priority band.
    pub priority: Option<Ruled<String>>,
}

/// A rule that cannot run: the key it is under and what is wrong, with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{}`: {message}", key.join("."))]
pub struct RuleError {
    /// Key path (`routing`, `rules`, `0`, `when`, `text`).
    pub key: Vec<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// The routing rules of one run, their patterns compiled.
#[derive(Debug, Clone)]
pub struct Router {
    mode: RoutingMode,
    rules: Vec<Compiled>,
}

/// A rule with its patterns compiled and its domains normalized.
#[derive(Debug, Clone)]
struct Compiled {
    rule: RoutingRule,
    text: Option<Regex>,
    title: Option<Regex>,
    body: Option<Regex>,
    domains: Vec<String>,
}

/// A pattern of rule `i`, compiled; the error names its key.
fn compile(
    i: usize,
    rule: &RoutingRule,
    key: &str,
    pattern: Option<&str>,
) -> Result<Option<Regex>, RuleError> {
    let Some(p) = pattern else {
        return Ok(None);
    };
    Regex::new(p).map(Some).map_err(|e| {
        let who = rule_label(i, rule);
        RuleError {
            key: ["routing", "rules", &i.to_string(), "when", key]
                .map(String::from)
                .to_vec(),
            message: format!(
                "{who}: `when.{key}` is not a regular expression ({}); fix the pattern (Rust regex syntax; `(?i)` ignores case)",
                regex_reason(&e)
            ),
        }
    })
}

/// How messages name rule `i`: by its name and its key.
fn rule_label(i: usize, rule: &RoutingRule) -> String {
    if rule.name.trim().is_empty() {
        format!("routing rule {} (`routing.rules.{i}`)", i + 1)
    } else {
        format!("routing rule `{}` (`routing.rules.{i}`)", rule.name)
    }
}

/// The one-line reason of a regex error (its display draws the pattern over lines).
fn regex_reason(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .map(str::to_string)
        .unwrap_or_else(|| text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A domain as rules compare it: no `@` in front, no dot at the end, lower case.
fn normal_domain(d: &str) -> String {
    d.trim()
        .trim_start_matches('@')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// The domain of a reporter's email: inside `<...>`, or the whole value.
pub fn reporter_domain(reporter: &str) -> Option<String> {
    let email = match (reporter.rfind('<'), reporter.rfind('>')) {
        (Some(a), Some(b)) if a < b => &reporter[a + 1..b],
        _ => reporter,
    };
    let (_, domain) = email.trim().rsplit_once('@')?;
    let d = normal_domain(domain);
    (!d.is_empty()).then_some(d)
}

/// Whether `domain` (normalized) is `wanted` (normalized) or a subdomain of it.
fn domain_matches(domain: &str, wanted: &str) -> bool {
    !wanted.is_empty()
        && (domain == wanted
            || domain
                .strip_suffix(wanted)
                .is_some_and(|rest| rest.ends_with('.')))
}

impl Router {
    /// Compiles the rules' patterns; the first that does not compile is the error.
    pub fn new(routing: &Routing) -> Result<Router, RuleError> {
        let mut rules = Vec::with_capacity(routing.rules.len());
        for (i, rule) in routing.rules.iter().enumerate() {
            let w = &rule.when;
            rules.push(Compiled {
                text: compile(i, rule, "text", w.text.as_deref())?,
                title: compile(i, rule, "title", w.title.as_deref())?,
                body: compile(i, rule, "body", w.body.as_deref())?,
                domains: w.domain.iter().map(|d| normal_domain(d)).collect(),
                rule: rule.clone(),
            });
        }
        Ok(Router {
            mode: routing.mode,
            rules,
        })
    }

    /// Whether any rule assigns to a group (so a run needs the members' loads).
    pub fn assigns_groups(&self) -> bool {
        self.rules.iter().any(|r| {
            r.rule
                .then
                .assignee
                .as_deref()
                .is_some_and(|a| a.starts_with("group:"))
        })
    }

    /// What the matching rules decide for `t`.
    pub fn decide(&self, t: &RuleTicket) -> Decisions {
        let mut d = Decisions::default();
        let domain = t.reporter.and_then(reporter_domain);
        for c in &self.rules {
            if !c.matches(t, domain.as_deref()) {
                continue;
            }
            c.apply(&mut d);
            if self.mode == RoutingMode::First {
                break;
            }
        }
        d
    }
}

impl Compiled {
    fn matches(&self, t: &RuleTicket, domain: Option<&str>) -> bool {
        let w = &self.rule.when;
        let any_of = |wanted: &[String], have: Option<&str>| {
            wanted.is_empty() || have.is_some_and(|h| wanted.iter().any(|x| x == h))
        };
        let found = |re: &Option<Regex>, texts: &[&str]| {
            re.as_ref()
                .is_none_or(|re| texts.iter().any(|s| re.is_match(s)))
        };
        (w.labels.is_empty() || w.labels.iter().any(|l| t.labels.contains(l)))
            && any_of(&w.customer, t.customer)
            && any_of(&w.tier, t.tier)
            && any_of(&w.kind, t.kind)
            && (self.domains.is_empty()
                || domain.is_some_and(|d| self.domains.iter().any(|w| domain_matches(d, w))))
            && found(&self.text, &[t.title, t.body])
            && found(&self.title, &[t.title])
            && found(&self.body, &[t.body])
    }

    fn apply(&self, d: &mut Decisions) {
        let name = &self.rule.name;
        let then = &self.rule.then;
        let ruled = |v: &String| {
            Some(Ruled {
                value: v.clone(),
                rule: name.clone(),
            })
        };
        d.matched.push(name.clone());
        if let Some(a) = &then.assignee {
            d.assignee = ruled(a);
        }
        if let Some(k) = &then.kind {
            d.kind = ruled(k);
        }
        if let Some(p) = &then.priority {
            d.priority = ruled(p);
        }
        let level = |v: u8| {
            Some(Ruled {
                value: v,
                rule: name.clone(),
            })
        };
        if let Some(v) = then.importance {
            d.importance = level(v);
        }
        if let Some(v) = then.urgency {
            d.urgency = level(v);
        }
        for l in &then.labels {
            if !d.labels.iter().any(|x| &x.value == l) {
                d.labels.push(Ruled {
                    value: l.clone(),
                    rule: name.clone(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests;
