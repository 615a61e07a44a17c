//! Strict checking: everything lenient reading lets through, reported with the line it
//! is on and what to write instead. Used by `check` and by the schema fixture tests.

mod check;
mod fields;
mod keys;
mod refs;

use std::collections::BTreeSet;

use super::Problem;
use super::load::{lenient_with_dropped, scalar_string, ticket_id};
use crate::doc::{Document, Mapping, Value};
use crate::model::{Article, Comment, Config, Customer, Event, Rating, Ticket, quoted};

pub use check::{CheckReport, check};
pub use fields::{field_value_problem, plain_key};
pub use keys::{Record, unknown_key};

/// The priority bands docket derives and accepts.
pub const PRIORITIES: &[&str] = &["low", "normal", "high", "urgent"];

/// What references may point to; `None` means "not known here, do not check".
#[derive(Debug, Default, Clone)]
pub struct Known {
    /// Customer slugs.
    pub customers: Option<BTreeSet<String>>,
    /// KB article slugs.
    pub articles: Option<BTreeSet<String>>,
}

fn line(doc: &Document, path: &[&str]) -> usize {
    doc.line_of(path).unwrap_or(1)
}

fn timestamp_ok(s: &str) -> bool {
    s.parse::<jiff::Timestamp>().is_ok()
}

/// Dates as Hugo, Jekyll and Zola accept them: a day, RFC 3339, or Jekyll's
/// `2024-03-11 09:30:00 +0000`.
fn date_ok(s: &str) -> bool {
    s.parse::<jiff::civil::Date>().is_ok()
        || timestamp_ok(s)
        || jiff::Timestamp::strptime("%Y-%m-%d %H:%M:%S %z", s).is_ok()
        || jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", s).is_ok()
}

/// Type problems: keys whose value does not have the shape the format says.
fn shape<T: serde::de::DeserializeOwned>(
    doc: &Document,
    required: &[&str],
    base: Mapping,
    out: &mut Vec<Problem>,
) {
    if let Ok((_, dropped)) = lenient_with_dropped::<T>(doc, required, base) {
        for (key, message) in dropped {
            out.push(
                Problem::at("", line(doc, &[&key]), format!("`{key}`: {message}"))
                    .hint(format!("see schema/ for the type of `{key}`")),
            );
        }
    }
}

fn require_string(doc: &Document, key: &str, what: &str, out: &mut Vec<Problem>) -> Option<String> {
    match doc.get(&[key]).and_then(scalar_string) {
        Some(s) if !s.trim().is_empty() => Some(s),
        _ => {
            out.push(
                Problem::at("", line(doc, &[key]), format!("missing `{key}`"))
                    .hint(format!("add `{key}:` with {what}")),
            );
            None
        }
    }
}

fn check_time(doc: &Document, key: &str, required: bool, out: &mut Vec<Problem>) {
    match doc.get(&[key]).and_then(scalar_string) {
        Some(s) if timestamp_ok(&s) => {}
        Some(s) => out.push(
            Problem::at(
                "",
                line(doc, &[key]),
                format!("`{key}` is not an RFC 3339 date-time: {}", quoted(&s)),
            )
            .hint(format!("write it like `{key}: 2026-11-02T09:14:00Z`")),
        ),
        None if required => out.push(
            Problem::at("", line(doc, &[key]), format!("missing `{key}`"))
                .hint(format!("add `{key}: 2026-11-02T09:14:00Z` (RFC 3339)")),
        ),
        None => {}
    }
}

/// Everything wrong with a ticket file. `stem` is the file name without `.md`.
pub fn validate_ticket(
    doc: &Document,
    config: &Config,
    known: &Known,
    stem: Option<&str>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let id = match ticket_id(doc) {
        Ok(id) => id,
        Err(p) => return vec![p],
    };
    if let Some(stem) = stem.filter(|s| *s != id.as_str()) {
        out.push(
            Problem::at(
                "",
                line(doc, &["id"]),
                format!("id `{id}` does not match the file name `{stem}.md`"),
            )
            .hint("rename the file or change `id:` so they agree"),
        );
    }
    let mut base = Mapping::new();
    base.insert("id".into(), Value::String(id.to_string()));
    shape::<Ticket>(doc, &["title", "status", "created"], base, &mut out);
    require_string(doc, "title", "a one-line summary", &mut out);
    if let Some(status) = require_string(doc, "status", "a workflow status", &mut out)
        && !config.workflow.knows(&status)
    {
        out.push(
                Problem::at("", line(doc, &["status"]), format!(
                    "status {} is not in the workflow ({})",
                    quoted(&status),
                    config.workflow.statuses.join(", ")
                ))
                .hint("use one of the statuses of `workflow.statuses` in .docket/config.yaml, or add it there"),
            );
    }
    check_time(doc, "created", true, &mut out);
    check_time(doc, "resolved", false, &mut out);
    check_time(doc, "due", false, &mut out);
    for key in ["importance", "urgency"] {
        if let Some(n) = doc.get(&[key]).and_then(Value::as_i64)
            && !(1..=5).contains(&n)
        {
            out.push(
                Problem::at(
                    "",
                    line(doc, &[key]),
                    format!("`{key}` is {n}, outside 1-5"),
                )
                .hint(format!("use 1 (lowest) to 5 (highest) for `{key}`")),
            );
        }
    }
    if let (Some(customers), Some(c)) = (
        &known.customers,
        doc.get(&["customer"]).and_then(scalar_string),
    ) && !customers.contains(&c)
    {
        out.push(
            Problem::at(
                "",
                line(doc, &["customer"]),
                format!("unknown customer {}", quoted(&c)),
            )
            .hint("use the slug of a record in the customers folder (`docket customer list`)"),
        );
    }
    if let (Some(articles), Some(Value::Sequence(items))) =
        (&known.articles, doc.get(&["links", "articles"]))
    {
        for (i, item) in items.iter().enumerate() {
            if let Some(slug) = scalar_string(item)
                && !articles.contains(&slug)
            {
                out.push(
                    Problem::at(
                        "",
                        doc.item_line(&["links", "articles"], i).unwrap_or(1),
                        format!("unknown KB article {}", quoted(&slug)),
                    )
                    .hint("use the slug of an article in the KB folder (`docket kb list`)"),
                );
            }
        }
    }
    if let Some(p) = doc.get(&["priority"]).and_then(scalar_string)
        && !PRIORITIES.contains(&p.as_str())
    {
        out.push(
            Problem::at(
                "",
                line(doc, &["priority"]),
                format!(
                    "priority {} is not one of {}",
                    quoted(&p),
                    PRIORITIES.join(", ")
                ),
            )
            .hint("use one of those bands, or leave `priority` out and set importance and urgency"),
        );
    }
    let unsafe_id = |v: &str, at: usize, key: &str| {
        v.parse::<crate::model::TicketId>().err().map(|e| {
            Problem::at("", at, format!("unsafe id in `links.{key}`: {e}"))
                .hint("link to a ticket id such as T-4K7QX2M9AB")
        })
    };
    if let Some(v) = doc.get(&["links", "duplicate_of"]).and_then(scalar_string) {
        out.extend(unsafe_id(
            &v,
            line(doc, &["links", "duplicate_of"]),
            "duplicate_of",
        ));
    }
    for key in ["relates", "blocks"] {
        if let Some(Value::Sequence(items)) = doc.get(&["links", key]) {
            for (i, item) in items.iter().enumerate() {
                if let Some(v) = scalar_string(item) {
                    let at = doc.item_line(&["links", key], i).unwrap_or(1);
                    out.extend(unsafe_id(&v, at, key));
                }
            }
        }
    }
    fields::check_ticket_fields(doc, config, &mut out);
    out.sort_by_key(|p| p.line);
    out
}

/// Everything wrong with a comment file.
pub fn validate_comment(doc: &Document) -> Vec<Problem> {
    let mut out = Vec::new();
    shape::<Comment>(doc, &["author", "created"], Mapping::new(), &mut out);
    require_string(doc, "author", "`Name <email>`", &mut out);
    check_time(doc, "created", true, &mut out);
    out.sort_by_key(|p| p.line);
    out
}

/// Everything wrong with a file in a ticket's folder, as the kind its keys say it is.
pub fn validate_entry(doc: &Document) -> Vec<Problem> {
    match super::entry_kind(doc) {
        super::EntryKind::Comment => validate_comment(doc),
        super::EntryKind::Event => validate_event(doc),
        super::EntryKind::Rating => validate_rating(doc),
    }
}

/// Everything wrong with a timeline event file.
pub fn validate_event(doc: &Document) -> Vec<Problem> {
    let mut out = Vec::new();
    let kinds = ["status", "assignee", "priority", "rule"];
    match doc.get(&["event"]).and_then(scalar_string) {
        Some(k) if kinds.contains(&k.as_str()) => {}
        other => out.push(
            Problem::at(
                "",
                line(doc, &["event"]),
                format!(
                    "`event` is {}, which is no kind of event",
                    other.as_deref().map_or("not a word".into(), quoted)
                ),
            )
            .hint("write `event: status`, `event: assignee`, `event: priority` or `event: rule`"),
        ),
    }
    if out.is_empty() {
        shape::<Event>(
            doc,
            &["author", "created", "event"],
            Mapping::new(),
            &mut out,
        );
    }
    require_string(doc, "author", "`Name <email>`", &mut out);
    check_time(doc, "created", true, &mut out);
    if doc.get(&["from"]).is_none() && doc.get(&["to"]).is_none() {
        out.push(
            Problem::at(
                "",
                line(doc, &["event"]),
                "the event has neither `from` nor `to`",
            )
            .hint("add `to:` with the new value (and `from:` with the old one)"),
        );
    }
    out.sort_by_key(|p| p.line);
    out
}

/// Everything wrong with a CSAT rating file.
pub fn validate_rating(doc: &Document) -> Vec<Problem> {
    let mut out = Vec::new();
    let ok = doc
        .get(&["rating"])
        .and_then(scalar_string)
        .and_then(|r| r.parse::<u8>().ok())
        .is_some_and(|r| (1..=5).contains(&r));
    if ok {
        shape::<Rating>(doc, &["author", "created"], Mapping::new(), &mut out);
    } else {
        out.push(
            Problem::at(
                "",
                line(doc, &["rating"]),
                "`rating` is not a whole number from 1 to 5",
            )
            .hint("write `rating: 4` (1 very unhappy .. 5 very happy)"),
        );
    }
    require_string(doc, "author", "`Name <email>` of the customer", &mut out);
    check_time(doc, "created", true, &mut out);
    out.sort_by_key(|p| p.line);
    out
}

/// Everything wrong with a KB article.
pub fn validate_article(doc: &Document) -> Vec<Problem> {
    let mut out = Vec::new();
    if !doc.has_frontmatter() {
        return vec![
            Problem::at("", 1, "article has no frontmatter")
                .hint("start the file with `---`, a `title:` line and `---`"),
        ];
    }
    shape::<Article>(doc, &["title"], Mapping::new(), &mut out);
    require_string(doc, "title", "the article's title", &mut out);
    if let Some(slug) = doc.get(&["slug"]).and_then(scalar_string)
        && let Err(e) = slug.parse::<crate::model::Slug>()
    {
        out.push(
            Problem::at("", line(doc, &["slug"]), format!("unsafe slug: {e}"))
                .hint("use lower-case words joined by `-`, e.g. `slug: configure-tls`"),
        );
    }
    if let Some(d) = doc.get(&["date"]).and_then(scalar_string)
        && !date_ok(&d)
    {
        out.push(
            Problem::at(
                "",
                line(doc, &["date"]),
                format!("`date` is not a date: {}", quoted(&d)),
            )
            .hint("write it like `date: 2026-11-02` or `2026-11-02T09:14:00Z`"),
        );
    }
    out.sort_by_key(|p| p.line);
    out
}

/// Everything wrong with a customer record.
pub fn validate_customer(doc: &Document, config: &Config) -> Vec<Problem> {
    let mut out = Vec::new();
    shape::<Customer>(doc, &["name"], Mapping::new(), &mut out);
    require_string(doc, "name", "the customer's name", &mut out);
    if let Some(tier) = doc.get(&["tier"]).and_then(scalar_string)
        && !config.tiers.contains(&tier)
    {
        out.push(
            Problem::at(
                "",
                line(doc, &["tier"]),
                format!(
                    "tier {} is not one of the configured tiers ({})",
                    quoted(&tier),
                    config.tiers.join(", ")
                ),
            )
            .hint("use a tier from `tiers` in .docket/config.yaml, or add it there"),
        );
    }
    for key in ["since", "until"] {
        if let Some(d) = doc.get(&[key]).and_then(scalar_string)
            && !date_ok(&d)
        {
            out.push(
                Problem::at(
                    "",
                    line(doc, &[key]),
                    format!("`{key}` is not a date: {}", quoted(&d)),
                )
                .hint(format!("write it like `{key}: 2026-11-02`")),
            );
        }
    }
    let day = |k: &str| {
        doc.get(&[k]).and_then(scalar_string).and_then(|d| {
            d.get(..10)
                .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        })
    };
    if let (Some(since), Some(until)) = (day("since"), day("until"))
        && until < since
    {
        out.push(
            Problem::at(
                "",
                line(doc, &["until"]),
                format!("`until` ({until}) is before `since` ({since})"),
            )
            .hint("`until` is when the customer left; it must come after `since`"),
        );
    }
    if let Some(Value::Sequence(contacts)) = doc.get(&["contacts"]) {
        for (i, c) in contacts.iter().enumerate() {
            let email = c
                .as_mapping()
                .and_then(|m| m.get("email"))
                .and_then(scalar_string);
            if let Some(email) = email.filter(|e| !valid_email(e)) {
                let item = doc.item_line(&["contacts"], i).unwrap_or(1);
                let at = email_line(doc, item).unwrap_or(item);
                out.push(
                    Problem::at(
                        "",
                        at,
                        format!("contact email {} is not an email address", quoted(&email)),
                    )
                    .hint("write it like `email: dana@example.org`"),
                );
            }
        }
    }
    out.sort_by_key(|p| p.line);
    out
}

fn valid_email(e: &str) -> bool {
    match e.split_once('@') {
        Some((user, host)) => {
            !user.is_empty() && host.contains('.') && !e.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// The line of the `email:` key of a contact that starts at `item_line`.
fn email_line(doc: &Document, item_line: usize) -> Option<usize> {
    doc.text()
        .lines()
        .enumerate()
        .skip(item_line - 1)
        .take(6)
        .find(|(_, l)| {
            l.trim_start()
                .trim_start_matches("- ")
                .starts_with("email:")
        })
        .map(|(i, _)| i + 1)
}

/// Everything wrong with a config file's text.
pub fn validate_config(bytes: &[u8]) -> Vec<Problem> {
    match crate::doc::parse_yaml::<Config>(bytes) {
        Err(e) => vec![Problem::from_doc("", &e)],
        Ok(config) => {
            let mut wrapped = b"---\n".to_vec();
            wrapped.extend_from_slice(bytes);
            if !wrapped.ends_with(b"\n") {
                wrapped.push(b'\n');
            }
            wrapped.extend_from_slice(b"---\n");
            let doc = Document::parse(&wrapped).ok();
            let mut out: Vec<Problem> = config
                .workflow
                .problems()
                .into_iter()
                .map(|(path, status, message)| {
                    let l = doc
                        .as_ref()
                        .and_then(|d| d.line_of(&path).map(|l| word_line(d.text(), l, &status)))
                        .map_or(1, |l| l - 1);
                    Problem::at("", l, message)
                        .hint("list every status used by the workflow under `workflow.statuses`")
                })
                .collect();
            out.extend(fields::declaration_problems(&config, doc.as_ref()));
            for (path, message) in crate::support::config::config_problems(&config) {
                let keys: Vec<&str> = path.iter().map(String::as_str).collect();
                // The deepest key the file has (a list index has no line of its own).
                let l = (1..=keys.len())
                    .rev()
                    .find_map(|n| doc.as_ref().and_then(|d| d.line_of(&keys[..n])))
                    .map_or(1, |l| l - 1);
                out.push(
                    Problem::at("", l, message)
                        .hint("see the README's Configuration and Support operations sections for what the config takes"),
                );
            }
            out.sort_by_key(|p| p.line);
            out
        }
    }
}

/// The first line at or after `from` (1-based) that holds `word` as a whole word.
fn word_line(text: &str, from: usize, word: &str) -> usize {
    let is_word = |line: &str| {
        line.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .any(|w| w == word)
    };
    text.lines()
        .enumerate()
        .skip(from - 1)
        .take(200)
        .find(|(_, l)| is_word(l))
        .map_or(from, |(i, _)| i + 1)
}

/// The kinds of file docket validates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `tickets/<SS>/<ID>.md`
    Ticket,
    /// `tickets/<SS>/<ID>/<stamp>-<who>-<rand>.md`: a comment, event or rating
    Comment,
    /// `kb/<slug>.md`
    Article,
    /// `customers/<slug>.md`
    Customer,
    /// `.docket/config.yaml`
    Config,
}

/// Every problem in one file's bytes, including the ones that make it unreadable.
/// `stem` is the file name without `.md`, checked against a ticket's id.
pub fn validate_bytes(
    kind: FileKind,
    bytes: &[u8],
    config: &Config,
    known: &Known,
    stem: Option<&str>,
) -> Vec<Problem> {
    if kind == FileKind::Config {
        return validate_config(bytes);
    }
    let doc = match Document::parse(bytes) {
        Ok(doc) => doc,
        Err(e) => return vec![Problem::from_doc("", &e)],
    };
    match kind {
        FileKind::Ticket => validate_ticket(&doc, config, known, stem),
        FileKind::Comment => validate_entry(&doc),
        FileKind::Article => validate_article(&doc),
        FileKind::Customer => validate_customer(&doc, config),
        FileKind::Config => validate_config(bytes),
    }
}
