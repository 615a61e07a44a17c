//! What HEAD must hold, given which commands docket acknowledged (exit 0) and which were
//! interrupted: an acknowledged change must be there, an interrupted one may or may not be.

use std::collections::{BTreeMap, BTreeSet};

use docket::doc::{Mapping, Value};

/// One state change, as docket's command line takes it.
#[derive(Clone, Debug)]
pub enum Op {
    New { title: String },
    Comment { id: String, text: String },
    Priority { id: String, value: String },
    Label { id: String, label: String },
    Assign { id: String, who: String },
    Close { id: String },
    Reopen { id: String },
    Link { id: String, other: String },
    Remove { id: String },
}

impl Op {
    pub fn args(&self) -> Vec<String> {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        match self {
            Op::New { title } => v(&["new", "--title", title, "--body", "Fault harness."]),
            Op::Comment { id, text } => v(&["comment", id, "-m", text]),
            // `type` takes any word, so each write can set a value of its own (`priority`
            // is held to its bands).
            Op::Priority { id, value } => v(&["set", id, &format!("type={value}")]),
            Op::Label { id, label } => v(&["set", id, &format!("labels+={label}")]),
            Op::Assign { id, who } => v(&["assign", id, who]),
            Op::Close { id } => v(&["close", id]),
            Op::Reopen { id } => v(&["reopen", id]),
            Op::Link { id, other } => v(&["link", id, "--relates", other]),
            Op::Remove { id } => v(&["rm", id, "--force"]),
        }
    }

    /// The command as a user would type it.
    pub fn shell(&self) -> String {
        let words: Vec<String> = self
            .args()
            .into_iter()
            .map(|a| if a.contains(' ') { format!("'{a}'") } else { a })
            .collect();
        format!("docket {}", words.join(" "))
    }

    /// Whether running it again after an interruption must succeed whatever the first run did
    /// (`reopen` fails once the ticket is open again, `rm` once the ticket is gone).
    pub fn repeatable(&self) -> bool {
        !matches!(self, Op::Reopen { .. } | Op::Remove { .. })
    }
}

/// The values a frontmatter key may have in HEAD (`None`: the key is absent).
type Allowed = BTreeSet<Option<String>>;

/// One ticket as far as the harness knows it.
#[derive(Debug)]
pub struct Ticket {
    pub id: String,
    pub title: String,
    status: Allowed,
    priority: Allowed,
    assignee: Allowed,
    labels: BTreeSet<String>,
    relates: BTreeSet<String>,
    comments: Vec<String>,
}

/// The acknowledged tickets and what HEAD must show for each.
#[derive(Debug, Default)]
pub struct Desk {
    pub tickets: Vec<Ticket>,
    /// Tickets an acknowledged `rm` removed: HEAD must hold none of their files. (One whose
    /// `rm` was interrupted may or may not be there, and no later command names it.)
    removed: BTreeSet<String>,
    counter: u64,
}

/// A mismatch between HEAD and an acknowledged change.
pub struct Lost(pub String);

impl Desk {
    /// A fresh number for unique titles, comment texts and values.
    pub fn next_n(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// Records the outcome of `op`. `acked` is exit 0, and then `stdout` is what it printed.
    /// Returns a complaint when an acknowledged `new` printed no ticket id.
    pub fn apply(&mut self, op: &Op, acked: bool, stdout: &str) -> Option<String> {
        let one = |v: &str| BTreeSet::from([Some(v.to_string())]);
        fn ticket<'d>(desk: &'d mut Desk, id: &str) -> &'d mut Ticket {
            desk.tickets
                .iter_mut()
                .find(|t| t.id == id)
                .expect("ops only name known tickets")
        }
        match op {
            Op::New { title } => {
                if !acked {
                    return None;
                }
                let id = stdout.trim();
                if !id.starts_with("T-") || id.contains(char::is_whitespace) {
                    return Some(format!(
                        "`new` exited 0 but printed no ticket id: {stdout:?}"
                    ));
                }
                self.tickets.push(Ticket {
                    id: id.to_string(),
                    title: title.clone(),
                    status: one("open"),
                    priority: BTreeSet::from([None]),
                    assignee: BTreeSet::from([None]),
                    labels: BTreeSet::new(),
                    relates: BTreeSet::new(),
                    comments: Vec::new(),
                });
            }
            Op::Comment { id, text } if acked => ticket(self, id).comments.push(text.clone()),
            Op::Label { id, label } if acked => {
                ticket(self, id).labels.insert(label.clone());
            }
            Op::Link { id, other } if acked => {
                ticket(self, id).relates.insert(other.clone());
            }
            Op::Comment { .. } | Op::Label { .. } | Op::Link { .. } => {}
            Op::Remove { id } => {
                self.tickets.retain(|t| t.id != *id);
                if acked {
                    self.removed.insert(id.clone());
                }
            }
            Op::Priority { id, value } => settle(&mut ticket(self, id).priority, value, acked),
            Op::Assign { id, who } => settle(&mut ticket(self, id).assignee, who, acked),
            Op::Close { id } => settle(&mut ticket(self, id).status, "closed", acked),
            Op::Reopen { id } => settle(&mut ticket(self, id).status, "open", acked),
        }
        None
    }

    /// A random state change on the known tickets, for a writer that will be killed.
    pub fn any_op(&mut self, rng: &mut fastrand::Rng) -> Op {
        if self.tickets.is_empty() {
            return self.new_op();
        }
        let n = self.next_n();
        let len = self.tickets.len();
        let i = rng.usize(..len);
        let id = self.tickets[i].id.clone();
        let may_be_closed = self.tickets[i].status.contains(&Some("closed".to_string()));
        let other = (len > 1).then(|| {
            let j = rng.usize(..len - 1);
            self.tickets[if j >= i { j + 1 } else { j }].id.clone()
        });
        match rng.u32(..13) {
            0..=1 => self.new_op(),
            2..=3 => Op::Comment {
                id,
                text: format!("Comment zc{n}q from the fault harness."),
            },
            4..=5 => Op::Priority {
                id,
                value: format!("p{n}"),
            },
            6 => Op::Label {
                id,
                label: format!("l{n}"),
            },
            7 => Op::Assign {
                id,
                who: format!("h{n}"),
            },
            8 if may_be_closed => Op::Reopen { id },
            8 | 9 => Op::Close { id },
            12 if len > 3 => Op::Remove { id },
            12 => self.new_op(),
            _ => match other {
                Some(other) => Op::Link { id, other },
                None => self.new_op(),
            },
        }
    }

    /// A state change that must succeed whatever state an interrupted command left behind.
    pub fn safe_op(&mut self, rng: &mut fastrand::Rng) -> Op {
        loop {
            let op = self.any_op(rng);
            if !matches!(op, Op::Reopen { .. } | Op::Close { .. } | Op::Link { .. }) {
                return op;
            }
        }
    }

    pub fn new_op(&mut self) -> Op {
        let n = self.next_n();
        Op::New {
            title: format!("Fault ticket zt{n}q"),
        }
    }

    /// Compares HEAD (path -> content) with every acknowledged change.
    pub fn check(&self, head: &BTreeMap<String, Vec<u8>>) -> Vec<Lost> {
        let mut lost = Vec::new();
        for id in &self.removed {
            let (file, folder) = (format!("/{id}.md"), format!("/{id}/"));
            for p in head
                .keys()
                .filter(|p| p.ends_with(&file) || p.contains(&folder))
            {
                lost.push(Lost(format!(
                    "HEAD still has {p} of {id}, which an acknowledged `rm` removed"
                )));
            }
        }
        for t in &self.tickets {
            let suffix = format!("/{}.md", t.id);
            let Some((path, bytes)) = head.iter().find(|(p, _)| p.ends_with(&suffix)) else {
                lost.push(Lost(format!(
                    "acknowledged ticket {} ({:?}) has no file in HEAD",
                    t.id, t.title
                )));
                continue;
            };
            let text = String::from_utf8_lossy(bytes);
            let Some(fm) = frontmatter(&text) else {
                lost.push(Lost(format!(
                    "HEAD:{path} has no frontmatter that parses:\n{text}"
                )));
                continue;
            };
            let mut field = |key: &str, allowed: &Allowed| {
                let got = scalar(&fm, key);
                if !allowed.contains(&got) {
                    lost.push(Lost(format!(
                        "HEAD:{path} has {key} {got:?}, but the acknowledged commands allow only {allowed:?}"
                    )));
                }
            };
            field("status", &t.status);
            field("type", &t.priority);
            field("assignee", &t.assignee);
            if scalar(&fm, "title").as_deref() != Some(t.title.as_str()) {
                lost.push(Lost(format!(
                    "HEAD:{path} has title {:?}, expected {:?}",
                    scalar(&fm, "title"),
                    t.title
                )));
            }
            let labels = list(fm.get("labels"));
            for l in t.labels.difference(&labels) {
                lost.push(Lost(format!(
                    "HEAD:{path} lacks the acknowledged label {l:?} (has {labels:?})"
                )));
            }
            let relates = list(fm.get("links").and_then(|l| l.get("relates")));
            for r in t.relates.difference(&relates) {
                lost.push(Lost(format!(
                    "HEAD:{path} lacks the acknowledged link to {r} (has {relates:?})"
                )));
            }
            let folder = format!("/{}/", t.id);
            for c in &t.comments {
                let found = head.iter().any(|(p, b)| {
                    p.contains(&folder) && String::from_utf8_lossy(b).contains(c.as_str())
                });
                if !found {
                    lost.push(Lost(format!(
                        "the acknowledged comment {c:?} on {} is in no file of HEAD",
                        t.id
                    )));
                }
            }
        }
        lost
    }
}

/// An acknowledged change pins the value; an interrupted one adds a possible value.
fn settle(allowed: &mut Allowed, value: &str, acked: bool) {
    if acked {
        allowed.clear();
    }
    allowed.insert(Some(value.to_string()));
}

/// The YAML frontmatter of a Markdown file, if it has one that parses.
pub fn frontmatter(text: &str) -> Option<Mapping> {
    let doc = docket::doc::Document::parse(text.as_bytes()).ok()?;
    doc.has_frontmatter().then(|| doc.values().clone())
}

fn scalar(fm: &Mapping, key: &str) -> Option<String> {
    match fm.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(docket::doc::render_scalar(other)),
    }
}

fn list(v: Option<&Value>) -> BTreeSet<String> {
    v.and_then(|v| v.as_sequence())
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
