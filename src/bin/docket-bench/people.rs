//! Who writes on the generated desk: team members of the config, customers' contacts
//! and people from outside. Names are not prose, so short lists are enough; every
//! address is at a reserved `.example` domain, so none is real.

use crate::policy::TEAM;
use crate::rng::Rng;

/// Given names of contacts and outside reporters.
pub const FIRST_NAMES: &[&str] = &[
    "Tom", "Priya", "Sam", "Jonas", "Maria", "Kenji", "Fatima", "Lucas", "Ingrid", "Omar", "Sofia",
    "Daniel", "Aisha", "Pavel", "Grace", "Mehmet", "Chloe", "Ravi", "Elena", "Noah", "Dana",
    "Tariq", "Hannah", "Mateo", "Yuki", "Olga", "Felix", "Amara", "Leon", "Nadia",
];
/// Surnames.
pub const LAST_NAMES: &[&str] = &[
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
    "Whitfield",
    "Keller",
    "Fischer",
    "Dubois",
    "Rossi",
    "Jensen",
];
/// Domains of people who write without a customer account.
const DOMAINS: &[&str] = &[
    "lumen.example",
    "northwind.example",
    "orbital.example",
    "fjord.example",
    "quarry.example",
];

/// Someone who writes tickets, comments, events or ratings.
#[derive(Debug, Clone, PartialEq, Eq)]
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

    /// The name part of a timeline file's name: the team handle, else docket's slug of
    /// the name (lowercase ASCII, `-` between words, at most about 20 characters).
    pub fn file_handle(&self) -> String {
        match self.handle {
            Some(h) => h.to_string(),
            None => docket::desk::author_slug(&self.name, &self.email),
        }
    }
}

/// Team member `i` (modulo the team's size).
pub fn team_member(i: usize) -> Person {
    let (handle, name, email) = TEAM[i % TEAM.len()];
    Person {
        name: name.to_string(),
        email: email.to_string(),
        handle: Some(handle),
    }
}

/// A made-up person at `domain` (`first.last@domain`).
pub fn person_at(rng: &mut Rng, domain: &str) -> Person {
    let first = *rng.pick(FIRST_NAMES);
    let last = *rng.pick(LAST_NAMES);
    Person {
        name: format!("{first} {last}"),
        email: format!("{}.{}@{domain}", first.to_lowercase(), last.to_lowercase()),
        handle: None,
    }
}

/// Someone from outside, with no customer account.
pub fn stranger(rng: &mut Rng) -> Person {
    let domain = *rng.pick(DOMAINS);
    person_at(rng, domain)
}
