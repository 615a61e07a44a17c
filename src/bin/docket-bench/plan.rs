//! What the generated help desk holds, decided before anything is written: customers,
//! KB articles, and tickets with their timelines. Deciding first lets the docket
//! repository and the Backlog.md project hold exactly the same tickets.

use std::collections::HashSet;

use crate::calendar::Business;
use crate::content::{kind, labels, ticket_text};
use crate::corpus::Corpus;
use crate::customers::{Customer, Customers};
use crate::people::{Person, stranger};
use crate::policy::policy;
use crate::rng::Rng;
use crate::timeline::{CommentPlan, EventPlan, RatingPlan, Setting, Tally};

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

#[cfg(test)]
mod tests;
