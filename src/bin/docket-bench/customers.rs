//! The generated desk's customers: a realistic mix of tiers (many on community, few on
//! enterprise), each with a start date, some with an end (churn), one to three
//! contacts, and a few with their own SLA target. Bigger customers open more tickets,
//! and only while they are customers.

use std::collections::HashSet;

use docket::doc::{Mapping, Value};

use crate::format::{date, file_text, text};
use crate::people::{Person, person_at};
use crate::rng::Rng;

/// First words of company names.
const NAME_WORDS: &[&str] = &[
    "Acme",
    "Kestrel",
    "Nordlicht",
    "Saltmarsh",
    "Brightwater",
    "Halcyon",
    "Juniper",
    "Basalt",
    "Cobalt",
    "Meridian",
    "Larkspur",
    "Tidewater",
    "Ironbark",
    "Aurora",
    "Foxglove",
    "Granite",
    "Heron",
    "Orchid",
    "Pinecrest",
    "Redwood",
    "Silverline",
    "Thornbury",
    "Vantage",
    "Willow",
    "Yarrow",
    "Zephyr",
    "Alder",
    "Bramble",
    "Cinder",
    "Driftwood",
    "Elmstead",
    "Fennel",
    "Gannet",
    "Hollow",
    "Isola",
    "Kingfisher",
    "Lodestar",
    "Marlow",
    "Northgate",
    "Osprey",
];
/// Second words: what the company does.
const TRADES: &[&str] = &[
    "Logistics",
    "Robotics",
    "Energie",
    "Analytics",
    "Labs",
    "Health",
    "Bank",
    "Retail",
    "Media",
    "Systems",
    "Foods",
    "Insurance",
    "Telecom",
    "Games",
    "Travel",
    "Software",
    "Pharma",
    "Motors",
    "Studios",
    "Freight",
    "Utilities",
    "Aerospace",
    "Hosting",
    "Research",
];
/// Region tag and the legal forms of companies there.
const REGIONS: &[(&str, &[&str])] = &[
    ("eu", &["GmbH", "AG", "SAS", "B.V."]),
    ("uk", &["Ltd"]),
    ("us", &["Inc.", "LLC"]),
    ("apac", &["Pty Ltd", "K.K."]),
];

/// Share of customers per tier (percent), and how many tickets one opens relative to
/// a community customer.
const TIER_MIX: &[(&str, u32, u64)] = &[
    ("community", 45, 1),
    ("professional", 30, 2),
    ("subscription", 17, 3),
    ("enterprise", 8, 6),
];

const DAY: i64 = 86_400;

/// One customer record.
#[derive(Debug, Clone)]
pub struct Customer {
    /// File name without `.md`, and what tickets name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Legal name.
    pub org: String,
    /// Support tier.
    pub tier: &'static str,
    /// Customer since (midnight UTC).
    pub since: i64,
    /// Customer until (midnight UTC), when they left.
    pub until: Option<i64>,
    /// People who open tickets.
    pub contacts: Vec<Person>,
    /// A first-response target of their own, in hours.
    pub first_response: Option<u32>,
    /// Region tag.
    pub region: &'static str,
}

impl Customer {
    /// Whether they were a customer at `t`.
    pub fn active(&self, t: i64) -> bool {
        self.since <= t && self.until.is_none_or(|u| t < u + DAY)
    }
}

/// All customers, with what picking one for a new ticket needs.
#[derive(Debug)]
pub struct Customers {
    /// The records, in generation order.
    pub list: Vec<Customer>,
    /// Running sum of ticket weights, for a weighted pick.
    cumulative: Vec<u64>,
}

impl Customers {
    /// `n` customers whose tickets fall between `start` and `end`.
    pub fn generate(n: usize, start: i64, end: i64, rng: &mut Rng) -> Customers {
        let mut used = HashSet::new();
        let mut list = Vec::with_capacity(n);
        let mut cumulative = Vec::with_capacity(n);
        let mut sum = 0;
        let shares: Vec<u32> = TIER_MIX.iter().map(|t| t.1).collect();
        for _ in 0..n {
            let (tier, _, weight) = TIER_MIX[rng.weighted(&shares)];
            list.push(customer(tier, start, end, &mut used, rng));
            sum += weight;
            cumulative.push(sum);
        }
        Customers { list, cumulative }
    }

    /// A customer active at `t`, bigger ones more often; `None` if none is.
    pub fn pick_active(&self, t: i64, rng: &mut Rng) -> Option<usize> {
        let total = *self.cumulative.last()?;
        for _ in 0..32 {
            let x = rng.below(total as usize) as u64;
            let i = self.cumulative.partition_point(|&c| c <= x);
            if self.list[i].active(t) {
                return Some(i);
            }
        }
        self.list.iter().position(|c| c.active(t))
    }
}

/// One customer of a tier.
fn customer(
    tier: &'static str,
    start: i64,
    end: i64,
    used: &mut HashSet<String>,
    rng: &mut Rng,
) -> Customer {
    let (name, slug) = unique_name(used, rng);
    let (region, forms) = *rng.pick(REGIONS);
    let org = format!("{name} {}", rng.pick(forms));
    let before = if tier == "enterprise" { 0.6 } else { 0.35 };
    let since = if rng.chance(before) {
        start - rng.range(30, 900) as i64 * DAY
    } else {
        start + rng.below(((end - start) / DAY - 60).max(1) as usize) as i64 * DAY
    };
    let since = since.div_euclid(DAY) * DAY;
    let churn = match tier {
        "community" => 0.18,
        "professional" => 0.12,
        "subscription" => 0.08,
        _ => 0.04,
    };
    let first = since.max(start) + 90 * DAY;
    let until = (rng.chance(churn) && first < end - 7 * DAY)
        .then(|| first + rng.below(((end - 7 * DAY - first) / DAY).max(1) as usize) as i64 * DAY);
    let domain = format!("{slug}.example");
    let mut contacts: Vec<Person> = Vec::new();
    for _ in 0..rng.weighted(&[0, 40, 40, 20]) {
        let p = person_at(rng, &domain);
        if !contacts.iter().any(|c| c.email == p.email) {
            contacts.push(p);
        }
    }
    let own_sla = matches!(tier, "subscription" | "enterprise") && rng.chance(0.15);
    Customer {
        slug,
        name,
        org,
        tier,
        since,
        until,
        contacts,
        first_response: own_sla.then_some(2),
        region,
    }
}

/// A company name not used yet, and its slug.
fn unique_name(used: &mut HashSet<String>, rng: &mut Rng) -> (String, String) {
    let mut n = 1;
    loop {
        let base = format!("{} {}", rng.pick(NAME_WORDS), rng.pick(TRADES));
        let name = if n > 20 { format!("{base} {n}") } else { base };
        let slug = name.to_lowercase().replace(' ', "-");
        if used.insert(slug.clone()) {
            return (name, slug);
        }
        n += 1;
    }
}

/// The customer's record file.
pub fn customer_text(c: &Customer) -> Result<String, String> {
    let contacts = c
        .contacts
        .iter()
        .map(|p| {
            let mut m = Mapping::new();
            m.insert(text("name"), text(&p.name));
            m.insert(text("email"), text(&p.email));
            Value::Mapping(m)
        })
        .collect();
    let sla = c.first_response.map_or(Value::Null, |h| {
        let mut m = Mapping::new();
        m.insert(text("first_response"), text(&format!("{h}h")));
        Value::Mapping(m)
    });
    let mut body = format!(
        "{} has been a {} customer since {}.",
        c.name,
        c.tier,
        crate::format::fmt(c.since, "%B %Y")
    );
    if let Some(u) = c.until {
        body.push_str(&format!(
            " They left in {}; the record stays for the history of their tickets.",
            crate::format::fmt(u, "%B %Y")
        ));
    }
    if c.first_response.is_some() {
        body.push_str(" Their contract promises a first reply within two hours.");
    }
    file_text(
        &[
            ("name", text(&c.name)),
            ("slug", text(&c.slug)),
            ("org", text(&c.org)),
            ("tier", text(c.tier)),
            ("since", text(&date(c.since))),
            ("until", c.until.map_or(Value::Null, |u| text(&date(u)))),
            ("contacts", Value::Sequence(contacts)),
            ("sla", sla),
            ("tags", Value::Sequence(vec![text(c.region)])),
        ],
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: i64 = 1_731_456_000;
    const END: i64 = 1_794_578_400;

    #[test]
    fn customers_are_unique_mixed_and_valid() {
        let mut rng = Rng::new(7);
        let cs = Customers::generate(400, START, END, &mut rng);
        let slugs: HashSet<&str> = cs.list.iter().map(|c| c.slug.as_str()).collect();
        assert_eq!(slugs.len(), 400);
        let count = |tier| cs.list.iter().filter(|c| c.tier == tier).count();
        assert!(count("community") > count("professional"));
        assert!(count("subscription") > count("enterprise"));
        assert!(count("enterprise") > 10);
        assert!(cs.list.iter().any(|c| c.until.is_some()));
        assert!(cs.list.iter().any(|c| c.first_response.is_some()));
        let config: docket::model::Config =
            docket::doc::parse_yaml(crate::policy::config_text().as_bytes()).expect("config");
        for c in &cs.list {
            assert!(!c.contacts.is_empty(), "{}", c.slug);
            assert!(c.until.is_none_or(|u| u > c.since), "{}", c.slug);
            let text = customer_text(c).expect("renders");
            let doc = docket::doc::Document::parse(text.as_bytes()).expect("parses");
            let problems = docket::store::validate_customer(&doc, &config);
            assert!(problems.is_empty(), "{}: {problems:?}", c.slug);
        }
    }

    #[test]
    fn a_pick_is_a_customer_at_that_time() {
        let mut rng = Rng::new(3);
        let cs = Customers::generate(50, START, END, &mut rng);
        for k in 0..200 {
            let t = START + k * (END - START) / 200;
            if let Some(i) = cs.pick_active(t, &mut rng) {
                assert!(cs.list[i].active(t));
            }
        }
    }
}
