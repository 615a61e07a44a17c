//! What the generated help desk holds, decided before anything is written: customers,
//! KB articles, and tickets with their timelines. Deciding first lets the docket
//! repository and the Backlog.md project hold exactly the same tickets.

use std::collections::HashSet;

use crate::calendar::Business;
use crate::corpus::{Corpus, Doc, clip_chars};
use crate::customers::{Customer, Customers};
use crate::people::{Person, stranger};
use crate::policy::policy;
use crate::rng::Rng;
use crate::timeline::{CommentPlan, EventPlan, RatingPlan, Setting, Tally};

/// Labels a support team would use; some are also derived from words in the title.
const LABELS: &[&str] = &[
    "login",
    "browser",
    "crash",
    "config",
    "backup",
    "data-loss",
    "api",
    "auth",
    "performance",
    "billing",
    "email",
    "docs",
    "install",
    "upgrade",
    "networking",
    "storage",
    "ui",
    "export",
    "import",
    "permissions",
];

/// Title words that imply a label.
const KEYWORD_LABELS: &[(&str, &str)] = &[
    ("hdfs", "hdfs"),
    ("yarn", "yarn"),
    ("mapreduce", "mapreduce"),
    ("s3", "s3"),
    ("kerberos", "security"),
    ("gmail", "email"),
    ("spreadsheet", "spreadsheets"),
    ("calendar", "calendar"),
    ("build", "build"),
    ("test", "tests"),
];

/// One ticket.
#[derive(Debug, Clone)]
pub struct TicketPlan {
    /// `T-` and ten Crockford characters.
    pub id: String,
    /// One-line summary.
    pub title: String,
    /// Workflow status: the last status event's.
    pub status: &'static str,
    /// question, bug, incident, feature, task.
    pub kind: &'static str,
    /// Seconds since the epoch.
    pub created: i64,
    /// Who asked.
    pub reporter: Person,
    /// Team handle working on it: the last assignee event's.
    pub assignee: Option<&'static str>,
    /// Customer slug.
    pub customer: Option<String>,
    /// Labels.
    pub labels: Vec<String>,
    /// Impact, 1-5.
    pub importance: Option<u8>,
    /// Time pressure, 1-5.
    pub urgency: Option<u8>,
    /// A band set by hand: at creation, or by the last priority event.
    pub priority: Option<&'static str>,
    /// When it was first resolved or closed.
    pub resolved: Option<i64>,
    /// Why (while it is closed).
    pub resolution: Option<&'static str>,
    /// The earlier ticket it repeats.
    pub duplicate_of: Option<String>,
    /// Related earlier tickets.
    pub relates: Vec<String>,
    /// KB slugs that answer it.
    pub articles: Vec<String>,
    /// Markdown body: the customer's description.
    pub body: String,
    /// Comments, oldest first.
    pub comments: Vec<CommentPlan>,
    /// Status, assignee and priority events, oldest first.
    pub events: Vec<EventPlan>,
    /// The customer's CSAT rating.
    pub rating: Option<RatingPlan>,
}

impl TicketPlan {
    /// The two-character folder docket files it under.
    pub fn shard(&self) -> &str {
        &self.id[2..4]
    }
}

/// The whole desk.
#[derive(Debug)]
pub struct Plan {
    /// Tickets, in creation order.
    pub tickets: Vec<TicketPlan>,
    /// KB articles.
    pub articles: Vec<crate::articles::ArticlePlan>,
    /// Customers.
    pub customers: Vec<Customer>,
    /// What the timelines hold.
    pub tally: Tally,
}

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Tickets.
    pub tickets: usize,
    /// Average comments per ticket.
    pub comments_per_ticket: usize,
    /// KB articles.
    pub articles: usize,
}

const DAY: i64 = 86_400;
/// 2024-11-13T00:00:00Z: tickets are opened from here ...
pub const START: i64 = 1_731_456_000;
/// ... to the desk's "now", Friday 2026-11-13T14:00:00Z (15:00 in Berlin): nothing on
/// the desk happens later, and the runner sets `DOCKET_NOW` to it for `sla` and `report`.
pub const END: i64 = 1_794_578_400;

impl Plan {
    /// Decides everything from the corpus and the seed.
    pub fn build(corpus: &Corpus, sizes: Sizes, rng: &mut Rng) -> Result<Plan, String> {
        let customers = Customers::generate((sizes.tickets / 200).clamp(20, 2000), START, END, rng);
        let articles = crate::articles::plan_articles(corpus, sizes.articles, rng);
        let mut ids = HashSet::new();
        let mut tickets: Vec<(TicketPlan, Option<usize>)> = (0..sizes.tickets)
            .map(|_| {
                let id = fresh_id(rng, &mut ids);
                plan_ticket(corpus, &customers, id, rng)
            })
            .collect();
        tickets.sort_by_key(|(t, _)| t.created);
        let counts = comment_counts(&tickets, &customers, sizes, rng);
        let cal = Business::new(START - 30 * DAY, END + 400 * DAY)?;
        let setting = Setting {
            corpus,
            cal: &cal,
            end: END,
        };
        let mut tally = Tally::default();
        for ((t, c), n) in tickets.iter_mut().zip(counts) {
            let customer = c.map(|i| &customers.list[i]);
            crate::timeline::play(t, customer, n, &setting, &mut tally, rng);
        }
        let mut tickets: Vec<TicketPlan> = tickets.into_iter().map(|(t, _)| t).collect();
        let slugs: Vec<String> = articles.iter().map(|a| a.slug.clone()).collect();
        add_links(&mut tickets, &slugs, rng);
        Ok(Plan {
            tickets,
            articles,
            customers: customers.list,
            tally,
        })
    }
}

/// One ticket before its timeline: when it opens, for whom, and what it says.
fn plan_ticket(
    corpus: &Corpus,
    customers: &Customers,
    id: String,
    rng: &mut Rng,
) -> (TicketPlan, Option<usize>) {
    let doc = rng.pick(&corpus.tickets);
    let (title, body) = ticket_text(corpus, doc, rng);
    let created = created_time(rng);
    let customer = if rng.chance(0.88) {
        customers.pick_active(created, rng)
    } else {
        None
    };
    let reporter = match customer {
        Some(i) => rng.pick(&customers.list[i].contacts).clone(),
        None => stranger(rng),
    };
    let rated = rng.chance(0.92);
    let ticket = TicketPlan {
        id,
        labels: labels(&title, rng),
        kind: kind(doc.kind, rng),
        body,
        title,
        status: "open",
        created,
        reporter,
        assignee: None,
        customer: customer.map(|i| customers.list[i].slug.clone()),
        importance: rated.then(|| rng.weighted(&[15, 35, 30, 15, 5]) as u8 + 1),
        urgency: rated.then(|| rng.weighted(&[20, 35, 30, 10, 5]) as u8 + 1),
        priority: rng
            .chance(0.08)
            .then(|| *rng.pick(&["low", "normal", "high", "urgent"])),
        resolved: None,
        resolution: None,
        duplicate_of: None,
        relates: Vec::new(),
        articles: Vec::new(),
        comments: Vec::new(),
        events: Vec::new(),
        rating: None,
    };
    (ticket, customer)
}

/// When a ticket opens: any day of the span, weekends a quarter as often, and mostly
/// in European working hours.
fn created_time(rng: &mut Rng) -> i64 {
    let first = START / DAY;
    let days = ((END - START) / DAY + 1) as usize;
    loop {
        let day = first + rng.below(days) as i64;
        let weekend = (day + 3).rem_euclid(7) >= 5;
        if weekend && !rng.chance(0.25) {
            continue;
        }
        let secs = if rng.chance(0.75) {
            rng.range(7 * 3600, 17 * 3600 - 1)
        } else {
            rng.below(86_400)
        };
        let t = day * DAY + secs as i64;
        if t < END {
            return t;
        }
    }
}

/// Comments per ticket: about `comments_per_ticket` on average, exactly that many in
/// all, at least one on every ticket under an SLA (its first reply).
fn comment_counts(
    tickets: &[(TicketPlan, Option<usize>)],
    customers: &Customers,
    sizes: Sizes,
    rng: &mut Rng,
) -> Vec<usize> {
    let total = sizes.tickets * sizes.comments_per_ticket;
    let floor = usize::from(total >= tickets.len());
    let mins: Vec<usize> = tickets
        .iter()
        .map(|(t, c)| {
            let tier = c.map(|i| customers.list[i].tier);
            let band = t.priority.unwrap_or("normal");
            if policy(tier, band).is_some() {
                floor
            } else {
                0
            }
        })
        .collect();
    let shape = [4, 15, 22, 22, 15, 10, 6, 3, 2, 1];
    let mut counts: Vec<usize> = mins.iter().map(|&m| rng.weighted(&shape).max(m)).collect();
    let mut sum: usize = counts.iter().sum();
    while sum < total {
        let i = rng.below(counts.len());
        counts[i] += 1;
        sum += 1;
    }
    while sum > total {
        let i = rng.below(counts.len());
        if counts[i] > mins[i] {
            counts[i] -= 1;
            sum -= 1;
        }
    }
    counts
}

/// Links that need the other tickets: duplicates of earlier tickets, related earlier
/// tickets, and the KB articles that answered some closed ones.
fn add_links(tickets: &mut [TicketPlan], slugs: &[String], rng: &mut Rng) {
    for i in 1..tickets.len() {
        if tickets[i].resolution == Some("duplicate") {
            tickets[i].duplicate_of = Some(tickets[rng.below(i)].id.clone());
        }
        if rng.chance(0.05) {
            let other = tickets[rng.below(i)].id.clone();
            tickets[i].relates.push(other);
        }
    }
    for t in tickets.iter_mut() {
        if t.resolved.is_some() && !slugs.is_empty() && rng.chance(0.25) {
            t.articles.push(rng.pick(slugs).clone());
        }
    }
}

/// A ticket id not used yet.
fn fresh_id(rng: &mut Rng, used: &mut HashSet<String>) -> String {
    loop {
        let id = format!("T-{}", rng.crockford(10));
        if used.insert(id.clone()) {
            return id;
        }
    }
}

/// Title and body. Mostly a real report's title with its first paragraphs; else a
/// short sentence of any report as the title, over the paragraph it comes from, so
/// titles repeat less than the corpus would make them. Either way another report's
/// paragraph is sometimes appended (people paste more context).
fn ticket_text(corpus: &Corpus, doc: &Doc, rng: &mut Rng) -> (String, String) {
    let (title, mut paras): (&str, Vec<&str>) = if rng.chance(0.75) {
        let own = doc.paras.len().min(rng.range(1, 3));
        let paras = doc.paras[..own].iter().map(String::as_str).collect();
        (doc.title.as_str(), paras)
    } else {
        let (sentence, para) = rng.pick(&corpus.title_sentences);
        (sentence.as_str(), vec![corpus.ticket_paras[*para].as_str()])
    };
    if paras.is_empty() || rng.chance(0.3) {
        paras.push(rng.pick(&corpus.ticket_paras).as_str());
    }
    let title: String = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (clip_chars(&title, 150), paras.join("\n\n"))
}

/// The ticket's type: mostly what its source reads like.
fn kind(hint: &str, rng: &mut Rng) -> &'static str {
    let roll = rng.below(100);
    match (hint, roll) {
        ("question", 0..80) => "question",
        ("question", 80..90) => "feature",
        ("bug", 0..70) => "bug",
        ("bug", 70..80) => "incident",
        ("bug", 80..90) => "task",
        (_, 90..95) => "bug",
        _ => "feature",
    }
}

/// Labels from title keywords plus zero to two general ones.
fn labels(title: &str, rng: &mut Rng) -> Vec<String> {
    let lower = title.to_lowercase();
    let mut out: Vec<String> = KEYWORD_LABELS
        .iter()
        .filter(|(word, _)| {
            lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == *word)
        })
        .map(|(_, label)| label.to_string())
        .collect();
    for _ in 0..rng.weighted(&[30, 50, 20]) {
        let l = rng.pick(LABELS).to_string();
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::is_closed;

    /// A corpus of a few made-up documents: enough for the plan's shape.
    fn corpus() -> Corpus {
        let doc = |title: &str, kind| Doc {
            title: title.into(),
            paras: vec![
                format!("{title} happens every morning."),
                "It still fails.".into(),
            ],
            kind,
        };
        let tickets = vec![
            doc("Login loops back to the start page", "question"),
            doc("NameNode crashes on restart", "bug"),
        ];
        let ticket_paras = tickets.iter().flat_map(|d| d.paras.clone()).collect();
        Corpus {
            tickets,
            ticket_paras,
            answer_paras: vec!["Clear the cache and sign in again.".into()],
            articles: vec![doc("Signing in", "article")],
            article_paras: vec!["Open the page.".into()],
            title_sentences: vec![("Backups stop after the upgrade".into(), 0)],
        }
    }

    fn plan(seed: u64) -> Plan {
        let sizes = Sizes {
            tickets: 3000,
            comments_per_ticket: 3,
            articles: 5,
        };
        Plan::build(&corpus(), sizes, &mut Rng::new(seed)).expect("a plan")
    }

    #[test]
    fn fields_agree_with_the_timeline() {
        let p = plan(1);
        let config: docket::model::Config =
            docket::doc::parse_yaml(crate::policy::config_text().as_bytes()).expect("config");
        for t in &p.tickets {
            let statuses: Vec<_> = t.events.iter().filter(|e| e.kind == "status").collect();
            let mut status = "open";
            for e in &statuses {
                let (from, to) = (e.from.as_deref(), e.to.as_deref().unwrap_or(""));
                assert_eq!(from, Some(status), "{}: chain broken", t.id);
                assert!(
                    config.workflow.allows(status, to),
                    "{}: {status} -> {to}",
                    t.id
                );
                status = to;
            }
            assert_eq!(t.status, status, "{}", t.id);
            let first_close = statuses
                .iter()
                .find(|e| e.to.as_deref().is_some_and(is_closed))
                .map(|e| e.created);
            assert_eq!(t.resolved, first_close, "{}", t.id);
            assert_eq!(t.resolution.is_some(), is_closed(t.status), "{}", t.id);
            let assigned = t.events.iter().rev().find(|e| e.kind == "assignee");
            assert_eq!(
                t.assignee,
                assigned.and_then(|e| e.to.as_deref()),
                "{}",
                t.id
            );
            let times = t
                .comments
                .iter()
                .map(|c| c.created)
                .chain(t.events.iter().map(|e| e.created));
            for at in times {
                assert!(t.created < at && at <= END, "{}: {at}", t.id);
            }
            if let Some(r) = &t.rating {
                assert!(
                    is_closed(t.status) && (1..=5).contains(&r.rating),
                    "{}",
                    t.id
                );
                assert!(t.resolved.is_some_and(|c| c < r.created), "{}", t.id);
            }
        }
    }

    #[test]
    fn the_desk_has_a_realistic_shape() {
        let p = plan(2);
        let n = p.tickets.len() as f64;
        let t = &p.tally;
        let share = |a: usize, b: usize| a as f64 / b.max(1) as f64;
        assert!((2.9..=3.0).contains(&(t.comments as f64 / n)), "{t:?}");
        assert!((1.8..=2.6).contains(&(t.events as f64 / n)), "{t:?}");
        assert!(
            (0.08..=0.16).contains(&share(t.open, p.tickets.len())),
            "{t:?}"
        );
        assert!(
            (0.02..=0.07).contains(&share(t.first_late, t.first_due)),
            "{t:?}"
        );
        let closed = p.tickets.iter().filter(|t| is_closed(t.status)).count();
        assert!((0.22..=0.36).contains(&share(t.ratings, closed)), "{t:?}");
        let kinds = |k: &str| {
            p.tickets
                .iter()
                .flat_map(|t| &t.events)
                .filter(|e| e.kind == k)
                .count()
        };
        assert!(kinds("priority") > 0 && kinds("assignee") > p.tickets.len() * 9 / 10);
        assert!(p.tickets.iter().any(|t| t.status == "pending"));
        assert!(p.tickets.iter().any(|t| t.customer.is_none()));
        let weekend = p
            .tickets
            .iter()
            .filter(|t| (t.created / DAY + 3).rem_euclid(7) >= 5)
            .count();
        assert!(
            share(weekend, p.tickets.len()) < 0.15,
            "{weekend} on weekends"
        );
    }

    #[test]
    fn files_parse_as_docket_reads_them_and_repeat_with_the_seed() {
        let (a, b) = (plan(3), plan(3));
        for (x, y) in a.tickets.iter().zip(&b.tickets).take(300) {
            assert_eq!(x.id, y.id);
            for (e, f) in x.events.iter().zip(&y.events) {
                let text = crate::write::event_text(e).expect("renders");
                assert_eq!(text, crate::write::event_text(f).expect("renders"));
                let doc = docket::doc::Document::parse(text.as_bytes()).expect("parses");
                let event: docket::model::Event =
                    docket::doc::from_value(docket::doc::Value::Mapping(doc.values().clone()))
                        .expect("an event");
                assert_eq!(event.event.as_str(), e.kind);
            }
            if let Some(r) = &x.rating {
                let text = crate::write::rating_text(r).expect("renders");
                let doc = docket::doc::Document::parse(text.as_bytes()).expect("parses");
                let rating: docket::model::Rating =
                    docket::doc::from_value(docket::doc::Value::Mapping(doc.values().clone()))
                        .expect("a rating");
                assert_eq!(rating.rating, r.rating);
            }
        }
    }
}
