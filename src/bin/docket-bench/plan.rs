//! What the generated help desk holds, decided before anything is written: tickets with
//! their comments, KB articles and customers. Deciding first lets the docket repository
//! and the Backlog.md project hold exactly the same tickets.

use std::collections::HashSet;

use crate::corpus::{Corpus, Doc, sentences};
use crate::rng::Rng;

/// The demo desk's customers, embedded so the tool runs from any folder.
pub const CUSTOMER_FILES: &[(&str, &str)] = &[
    (
        "acme",
        include_str!("../../../fixtures/demo/customers/acme.md"),
    ),
    (
        "kestrel",
        include_str!("../../../fixtures/demo/customers/kestrel.md"),
    ),
    (
        "nordlicht",
        include_str!("../../../fixtures/demo/customers/nordlicht.md"),
    ),
    (
        "saltmarsh",
        include_str!("../../../fixtures/demo/customers/saltmarsh.md"),
    ),
    (
        "brightwater",
        include_str!("../../../fixtures/valid/customers/brightwater.md"),
    ),
];

/// The team of `fixtures/demo/config.yaml`: handle, name, email.
pub const TEAM: &[(&str, &str, &str)] = &[
    ("alice", "Alice Ng", "alice@example.org"),
    ("bob", "Bob Marsh", "bob@example.org"),
    ("chen", "Chen Wei", "chen@example.org"),
];

/// Workflow statuses of the demo config and how often each occurs (per 100 tickets).
const STATUSES: &[(&str, u32)] = &[
    ("new", 10),
    ("open", 25),
    ("pending", 15),
    ("resolved", 25),
    ("closed", 25),
];

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

/// Made-up reporters for tickets without a customer: names are not prose, so a
/// short list is enough.
const FIRST_NAMES: &[&str] = &[
    "Tom", "Priya", "Sam", "Jonas", "Maria", "Kenji", "Fatima", "Lucas", "Ingrid", "Omar", "Sofia",
    "Daniel", "Aisha", "Pavel", "Grace", "Mehmet", "Chloe", "Ravi", "Elena", "Noah",
];
/// Surnames for the made-up reporters.
const LAST_NAMES: &[&str] = &[
    "Okafor",
    "Raman",
    "Lindqvist",
    "Novak",
    "Tanaka",
    "Haddad",
    "Moreau",
    "Berg",
    "Costa",
    "Kowalski",
    "Nguyen",
    "Brennan",
    "Schmidt",
    "Mensah",
    "Ortega",
    "Yilmaz",
];
/// Reserved `.example` domains, so no generated address is real.
const DOMAINS: &[&str] = &[
    "lumen.example",
    "northwind.example",
    "orbital.example",
    "fjord.example",
    "quarry.example",
];

/// Someone who writes tickets or comments.
#[derive(Debug, Clone)]
pub struct Person {
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Team handle, for team members.
    pub handle: Option<&'static str>,
}

impl Person {
    /// `Name <email>`, as docket writes authors and reporters.
    pub fn address(&self) -> String {
        format!("{} <{}>", self.name, self.email)
    }

    /// The name part of a comment's file name: the team handle, else docket's slug of
    /// the name (lowercase ASCII, `-` between words, at most about 20 characters).
    pub fn file_handle(&self) -> String {
        match self.handle {
            Some(h) => h.to_string(),
            None => docket::desk::author_slug(&self.name, &self.email),
        }
    }
}

/// A customer: slug and contacts, read from its embedded file.
#[derive(Debug, Clone)]
pub struct Customer {
    /// File name without `.md`.
    pub slug: &'static str,
    /// The file's text, written as is.
    pub text: &'static str,
    /// People who open tickets for it.
    pub contacts: Vec<Person>,
}

/// One comment of a ticket.
#[derive(Debug, Clone)]
pub struct CommentPlan {
    /// Who wrote it.
    pub author: Person,
    /// When, in seconds since the epoch.
    pub created: i64,
    /// Team-only note.
    pub internal: bool,
    /// Four random Crockford characters, as docket adds to comment file names.
    pub suffix: String,
    /// Markdown body.
    pub body: String,
}

/// One ticket.
#[derive(Debug, Clone)]
pub struct TicketPlan {
    /// `T-` and ten Crockford characters.
    pub id: String,
    /// One-line summary.
    pub title: String,
    /// Workflow status.
    pub status: &'static str,
    /// question, bug, incident, feature, task.
    pub kind: &'static str,
    /// Seconds since the epoch.
    pub created: i64,
    /// Who asked.
    pub reporter: Person,
    /// Team handle working on it.
    pub assignee: Option<&'static str>,
    /// Customer slug.
    pub customer: Option<&'static str>,
    /// Labels.
    pub labels: Vec<String>,
    /// Impact and time pressure, 1-5.
    pub importance: Option<u8>,
    /// Time pressure, 1-5.
    pub urgency: Option<u8>,
    /// low, normal, high, urgent.
    pub priority: Option<&'static str>,
    /// When it was resolved or closed.
    pub resolved: Option<i64>,
    /// Why.
    pub resolution: Option<&'static str>,
    /// The earlier ticket it repeats.
    pub duplicate_of: Option<String>,
    /// Related earlier tickets.
    pub relates: Vec<String>,
    /// KB slugs that answer it.
    pub articles: Vec<String>,
    /// Markdown body.
    pub body: String,
    /// Comments, oldest first.
    pub comments: Vec<CommentPlan>,
}

impl TicketPlan {
    /// The two-character folder docket files it under.
    pub fn shard(&self) -> &str {
        &self.id[2..4]
    }
}

/// One KB article.
#[derive(Debug, Clone)]
pub struct ArticlePlan {
    /// Page title.
    pub title: String,
    /// Unique file name.
    pub slug: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    /// First sentence, when short.
    pub description: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// published, draft, archived.
    pub status: &'static str,
    /// public, internal.
    pub audience: &'static str,
    /// Markdown body.
    pub body: String,
}

/// The whole desk.
#[derive(Debug)]
pub struct Plan {
    /// Tickets, in creation order.
    pub tickets: Vec<TicketPlan>,
    /// KB articles.
    pub articles: Vec<ArticlePlan>,
    /// Customers.
    pub customers: Vec<Customer>,
}

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Tickets.
    pub tickets: usize,
    /// Average comments per ticket (the total is exactly tickets × this).
    pub comments_per_ticket: usize,
    /// KB articles.
    pub articles: usize,
}

/// 2025-01-01T00:00:00Z: tickets are opened from here ...
const START: i64 = 1_735_689_600;
/// ... to 2026-11-15T00:00:00Z.
const END: i64 = 1_794_700_800;

impl Plan {
    /// Decides everything from the corpus and the seed.
    pub fn build(corpus: &Corpus, sizes: Sizes, rng: &mut Rng) -> Result<Plan, String> {
        let customers = customers()?;
        let articles = plan_articles(corpus, sizes.articles, rng);
        let slugs: Vec<String> = articles.iter().map(|a| a.slug.clone()).collect();
        let mut tickets = Vec::with_capacity(sizes.tickets);
        let mut ids = HashSet::new();
        for _ in 0..sizes.tickets {
            let id = fresh_id(rng, &mut ids);
            let t = plan_ticket(corpus, &customers, &slugs, &tickets, id, rng);
            tickets.push(t);
        }
        tickets.sort_by_key(|t| t.created);
        add_comments(corpus, &mut tickets, sizes, rng);
        Ok(Plan {
            tickets,
            articles,
            customers,
        })
    }
}

/// Reads slugs and contacts from the embedded customer files.
fn customers() -> Result<Vec<Customer>, String> {
    CUSTOMER_FILES
        .iter()
        .map(|(slug, text)| {
            let doc = docket::doc::Document::parse(text.as_bytes())
                .map_err(|e| format!("customer {slug}: {e}"))?;
            let contacts = doc
                .get(&["contacts"])
                .and_then(|c| c.as_sequence())
                .map(|seq| {
                    seq.iter()
                        .filter_map(|c| {
                            Some(Person {
                                name: c.get("name")?.as_str()?.to_string(),
                                email: c.get("email")?.as_str()?.to_string(),
                                handle: None,
                            })
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            if contacts.is_empty() {
                return Err(format!("customer {slug}: no contacts"));
            }
            Ok(Customer {
                slug,
                text,
                contacts,
            })
        })
        .collect()
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

/// A team member as a person.
fn team_member(i: usize) -> Person {
    let (handle, name, email) = TEAM[i % TEAM.len()];
    Person {
        name: name.to_string(),
        email: email.to_string(),
        handle: Some(handle),
    }
}

/// Someone from outside: a made-up name at an example domain.
fn stranger(rng: &mut Rng) -> Person {
    let first = *rng.pick(FIRST_NAMES);
    let last = *rng.pick(LAST_NAMES);
    let domain = *rng.pick(DOMAINS);
    Person {
        name: format!("{first} {last}"),
        email: format!("{}.{}@{domain}", first.to_lowercase(), last.to_lowercase()),
        handle: None,
    }
}

/// One ticket (without comments).
fn plan_ticket(
    corpus: &Corpus,
    customers: &[Customer],
    slugs: &[String],
    earlier: &[TicketPlan],
    id: String,
    rng: &mut Rng,
) -> TicketPlan {
    let doc = rng.pick(&corpus.tickets);
    let (title, body) = ticket_text(corpus, doc, rng);
    let status = STATUSES[rng.weighted(&STATUSES.iter().map(|s| s.1).collect::<Vec<_>>())].0;
    let customer = rng.chance(0.4).then(|| rng.pick(customers));
    let reporter = match customer {
        Some(c) => rng.pick(&c.contacts).clone(),
        None => stranger(rng),
    };
    let assignee = match status {
        "new" => None,
        "open" if rng.chance(0.2) => None,
        _ => Some(TEAM[rng.below(TEAM.len())].0),
    };
    let created = START + (rng.below(((END - START) / 60) as usize) as i64) * 60;
    let (resolved, resolution) = closing(status, created, rng);
    let duplicate_of = (resolution == Some("duplicate") && !earlier.is_empty())
        .then(|| rng.pick(earlier).id.clone());
    let relates = if rng.chance(0.05) && !earlier.is_empty() {
        vec![rng.pick(earlier).id.clone()]
    } else {
        Vec::new()
    };
    let articles = if resolved.is_some() && rng.chance(0.25) && !slugs.is_empty() {
        vec![rng.pick(slugs).clone()]
    } else {
        Vec::new()
    };
    TicketPlan {
        id,
        labels: labels(&title, rng),
        kind: kind(doc.kind, rng),
        body,
        title,
        status,
        created,
        reporter,
        assignee,
        customer: customer.map(|c| c.slug),
        importance: rng.chance(0.5).then(|| rng.range(1, 5) as u8),
        urgency: rng.chance(0.5).then(|| rng.range(1, 5) as u8),
        priority: rng
            .chance(0.3)
            .then(|| *rng.pick(&["low", "normal", "high", "urgent"])),
        resolved,
        resolution,
        duplicate_of,
        relates,
        articles,
        comments: Vec::new(),
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

/// When and why a closed ticket was closed.
fn closing(status: &str, created: i64, rng: &mut Rng) -> (Option<i64>, Option<&'static str>) {
    if !matches!(status, "resolved" | "closed") {
        return (None, None);
    }
    let after = rng.range(1, 24 * 21) as i64 * 3600;
    let why = [
        ("fixed", 40),
        ("answered", 30),
        ("wontfix", 10),
        ("duplicate", 10),
        ("cannot-reproduce", 10),
    ];
    let i = rng.weighted(&why.iter().map(|w| w.1).collect::<Vec<_>>());
    (Some(created + after), Some(why[i].0))
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

/// Spreads exactly `tickets × comments_per_ticket` comments over the tickets (busy
/// tickets get more, new ones rarely any), each after the previous one.
fn add_comments(corpus: &Corpus, tickets: &mut [TicketPlan], sizes: Sizes, rng: &mut Rng) {
    if tickets.is_empty() {
        return;
    }
    let total = sizes.tickets * sizes.comments_per_ticket;
    let mut counts = vec![0usize; tickets.len()];
    let mut placed = 0;
    while placed < total {
        let i = rng.below(tickets.len());
        if tickets[i].status == "new" && rng.chance(0.8) {
            continue;
        }
        counts[i] += 1;
        placed += 1;
    }
    for (t, n) in tickets.iter_mut().zip(counts) {
        let mut at = t.created;
        for k in 0..n {
            at += comment_gap(rng);
            let c = plan_comment(corpus, t, k, at, rng);
            t.comments.push(c);
        }
        if let (Some(r), Some(last)) = (t.resolved, t.comments.last())
            && r < last.created
        {
            t.resolved = Some(last.created + 3600);
        }
    }
}

/// Minutes to days between two comments.
fn comment_gap(rng: &mut Rng) -> i64 {
    let buckets = [
        (10 * 60, 30),
        (3600, 30),
        (4 * 3600, 20),
        (86_400, 15),
        (3 * 86_400, 5),
    ];
    let i = rng.weighted(&buckets.iter().map(|b| b.1).collect::<Vec<_>>());
    60 + rng.below(buckets[i].0 as usize) as i64
}

/// The k-th comment of a ticket: the assignee and the reporter take turns; team
/// replies read like answers, reporter follow-ups like reports.
fn plan_comment(corpus: &Corpus, t: &TicketPlan, k: usize, at: i64, rng: &mut Rng) -> CommentPlan {
    let team_turn = k.is_multiple_of(2) || rng.chance(0.3);
    let author = if team_turn {
        let i = t
            .assignee
            .and_then(|a| TEAM.iter().position(|m| m.0 == a))
            .unwrap_or_else(|| rng.below(TEAM.len()));
        team_member(i)
    } else {
        t.reporter.clone()
    };
    let body = if team_turn && rng.chance(0.6) {
        let n = rng.range(1, 2);
        (0..n)
            .map(|_| rng.pick(&corpus.answer_paras).as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        rng.pick(&corpus.ticket_paras).clone()
    };
    CommentPlan {
        internal: team_turn && rng.chance(0.15),
        author,
        created: at,
        suffix: rng.crockford(4),
        body,
    }
}

/// KB articles: real articles first (shuffled), recombined ones past the corpus size.
fn plan_articles(corpus: &Corpus, n: usize, rng: &mut Rng) -> Vec<ArticlePlan> {
    let mut order: Vec<usize> = (0..corpus.articles.len()).collect();
    rng.shuffle(&mut order);
    let mut used = HashSet::new();
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let doc = &corpus.articles[order[k % order.len()]];
        let body = if k < order.len() && !doc.paras.is_empty() {
            doc.paras.iter().take(12).cloned().collect::<Vec<_>>()
        } else {
            (0..rng.range(2, 5))
                .map(|_| rng.pick(&corpus.article_paras).clone())
                .collect()
        };
        out.push(article(doc, body, &mut used, rng));
    }
    out
}

/// One article's frontmatter values around a body.
fn article(doc: &Doc, body: Vec<String>, used: &mut HashSet<String>, rng: &mut Rng) -> ArticlePlan {
    const TAGS: &[&str] = &[
        "configuration",
        "install",
        "upgrade",
        "troubleshooting",
        "reference",
        "how-to",
        "email",
        "security",
        "performance",
        "templates",
        "content",
    ];
    let slug = unique_slug(&doc.title, used);
    let description = body
        .first()
        .and_then(|p| sentences(p).into_iter().next())
        .filter(|s| (20..=160).contains(&s.chars().count()));
    let day = START + rng.below(680) as i64 * 86_400;
    let mut tags: Vec<String> = Vec::new();
    for _ in 0..rng.range(1, 3) {
        let t = rng.pick(TAGS).to_string();
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    ArticlePlan {
        title: doc.title.clone(),
        slug,
        date: crate::write::date(day),
        description,
        tags,
        status: ["published", "draft", "archived"][rng.weighted(&[85, 10, 5])],
        audience: ["public", "internal"][rng.weighted(&[85, 15])],
        body: body.join("\n\n"),
    }
}

/// A lowercase ASCII slug of a title, made unique with `-2`, `-3`, ...
fn unique_slug(title: &str, used: &mut HashSet<String>) -> String {
    let mut base = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            base.push(c);
        } else if !base.is_empty() && !base.ends_with('-') {
            base.push('-');
        }
    }
    let mut base = clip_chars(base.trim_end_matches('-'), 60)
        .trim_end_matches('-')
        .to_string();
    if base.is_empty() {
        base = "article".into();
    }
    let mut slug = base.clone();
    let mut n = 2;
    while !used.insert(slug.clone()) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// At most `n` characters, cut at a word boundary when one is near.
pub fn clip_chars(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let cut: String = s.chars().take(n).collect();
    match cut.rfind(' ') {
        Some(i) if i > n / 2 => cut[..i].trim_end().to_string(),
        _ => cut,
    }
}
