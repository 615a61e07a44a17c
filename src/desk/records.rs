//! KB articles and customer records: new, set and hand edits, each one commit. Articles
//! keep the frontmatter static site generators read, so the same files can be published;
//! customer records may live in another repository (a private one next to this), and
//! their commits then go there (see [`Desk::transact`]).

use std::collections::BTreeSet;

use super::checks::{known_key, list_items, refuse_new_problems, single_line};
use super::{AssignOp, Assignment, Change, Desk, DeskError, Outcome};
use crate::doc::{Document, Edit, Mapping, Value};
use crate::model::{ArticleStatus, Audience, RANDOM_LEN, Slug, crockford, format_time};
use crate::store::{Problem, Record, Store, validate_article, validate_customer};

/// What `docket kb new` is given.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// Page title.
    pub title: String,
    /// URL name; made from the title when absent.
    pub slug: Option<String>,
    /// One-sentence summary.
    pub description: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Who may read it.
    pub audience: Audience,
    /// Where it is in its life (new articles start as drafts unless told otherwise).
    pub status: ArticleStatus,
    /// Products it is about.
    pub products: Vec<String>,
    /// Markdown text.
    pub body: String,
}

/// What `docket customer new` is given.
#[derive(Debug, Clone, Default)]
pub struct NewCustomer {
    /// Display name.
    pub name: String,
    /// Short name tickets use; made from the name when absent.
    pub slug: Option<String>,
    /// Legal or organisation name.
    pub org: Option<String>,
    /// One of the config's tiers.
    pub tier: Option<String>,
    /// Customer since (a date).
    pub since: Option<String>,
    /// Customer until (a date).
    pub until: Option<String>,
    /// Contacts as `Name <email>`.
    pub contacts: Vec<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// SLA overrides as `key=value` (e.g. `first_response=4h`).
    pub sla: Vec<(String, String)>,
    /// Markdown notes.
    pub body: String,
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn strings(items: &[String]) -> Value {
    let mut seen = BTreeSet::new();
    Value::Sequence(
        items
            .iter()
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty() && seen.insert(x.clone()))
            .map(Value::String)
            .collect(),
    )
}

fn parse_slug(v: &str) -> Result<Slug, DeskError> {
    v.trim().parse::<Slug>().map_err(|e| {
        DeskError::invalid(
            format!("unsafe slug: {e}"),
            "use lower-case words joined by `-`, e.g. configure-tls",
        )
    })
}

/// A date as docket writes it: a day stays a day, a time becomes RFC 3339 UTC.
fn date_value(key: &str, v: &str) -> Result<Value, DeskError> {
    let v = v.trim();
    if let Ok(d) = v.parse::<jiff::civil::Date>() {
        return Ok(s(&d.to_string()));
    }
    if let Ok(t) = v.parse::<jiff::Timestamp>() {
        return Ok(s(&format_time(t)));
    }
    Err(DeskError::invalid(
        format!("`{key}` must be a date, not `{v}`"),
        format!("write it like {key}=2026-11-02 or {key}=2026-11-02T09:14:00Z"),
    ))
}

/// A contact from `Name <email>`.
fn contact_value(v: &str) -> Result<Value, DeskError> {
    let bad = || {
        DeskError::invalid(
            format!("`{v}` is not a contact"),
            "write a contact as \"Name <email>\", e.g. \"Dana Whitfield <dana@acme.example>\"",
        )
    };
    let (name, rest) = v.trim().rsplit_once('<').ok_or_else(bad)?;
    let email = rest.strip_suffix('>').ok_or_else(bad)?.trim();
    let name = name.trim();
    let host_ok = email.split_once('@').is_some_and(|(u, h)| {
        !u.is_empty() && h.contains('.') && !email.contains(char::is_whitespace)
    });
    if name.is_empty() || !host_ok {
        return Err(bad());
    }
    let mut m = Mapping::new();
    m.insert(s("name"), s(name));
    m.insert(s("email"), s(email));
    Ok(Value::Mapping(m))
}

fn check_tier(store: &Store, tier: &str) -> Result<(), DeskError> {
    let tiers = &store.config().tiers;
    if tiers.iter().any(|t| t == tier) {
        return Ok(());
    }
    Err(DeskError::invalid(
        format!("tier `{tier}` is not one of {}", tiers.join(", ")),
        "use a tier from `tiers` in .docket/config.yaml, or add it there",
    ))
}

/// What a record's edits are, and how `check` validates that kind of record.
struct Edits<'a> {
    action: &'static str,
    title: String,
    details: Vec<String>,
    edits: Vec<Edit>,
    validate: &'a dyn Fn(&Document) -> Vec<Problem>,
}

/// Applies edits to a record's text and returns the change (no files if nothing
/// changed), refused if the result has a problem `check` would report that the record
/// did not have before.
fn edited(rel: &str, doc: &Document, e: Edits) -> Result<Change, DeskError> {
    let Edits {
        action,
        title,
        details,
        edits,
        validate,
    } = e;
    let mut new = doc.clone();
    for e in &edits {
        new.apply(e)
            .map_err(|e| DeskError::BadEdit(Problem::from_doc(rel, &e)))?;
    }
    refuse_new_problems(&validate(doc), validate(&new))?;
    // Passed even when unchanged: `transact` leaves it out if git has it, and reports it
    // if git does not.
    let files = vec![(rel.to_string(), new.text().to_string())];
    Ok(Change {
        action,
        id: None,
        title,
        files,
        details,
        trailers: Vec::new(),
    })
}

/// List edits (`+=a,b`, `-=a,b`: one per item) or a whole-list assignment
/// (comma-separated; empty removes the key).
fn list_edits(a: &Assignment, details: &mut Vec<String>) -> Result<Vec<Edit>, DeskError> {
    let key = a.key.join(".");
    let v = a.value.trim();
    let (op, sign) = match a.op {
        AssignOp::Add => ("+=", "+"),
        AssignOp::Remove => ("-=", "-"),
        AssignOp::Set if v.is_empty() => {
            details.push(format!("{key}: removed"));
            return Ok(vec![Edit::Remove(a.key.clone())]);
        }
        AssignOp::Set => {
            let items = list_items(&format!("{key}="), v)?;
            details.push(format!("{key}: {}", items.join(", ")));
            return Ok(vec![Edit::Set(a.key.clone(), strings(&items))]);
        }
    };
    let items = list_items(&format!("{key}{op}"), v)?;
    Ok(items
        .into_iter()
        .map(|item| {
            details.push(format!("{key}: {sign}{item}"));
            if a.op == AssignOp::Add {
                Edit::Push(a.key.clone(), s(&item))
            } else {
                Edit::Pull(a.key.clone(), s(&item))
            }
        })
        .collect())
}

/// The contacts of `contacts+=` (`Name <email>`, several joined by commas): split after
/// each `>`, as a name may hold a comma but an address ends the contact.
fn contact_items(v: &str) -> Result<Vec<String>, DeskError> {
    let items: Vec<String> = v
        .split_inclusive('>')
        .map(|c| c.trim_start_matches([',', ' ']).trim())
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    if items.is_empty() {
        return Err(DeskError::invalid(
            "`contacts+=` needs a value",
            "write contacts+=\"Name <email>\"",
        ));
    }
    Ok(items)
}

fn not_a_list(key: &str, lists: &str) -> DeskError {
    DeskError::invalid(
        format!("`{key}` is not a list"),
        format!("use += and -= with {lists}"),
    )
}

impl Desk {
    /// Writes a new KB article `<kb>/<slug>.md` (a free slug is made from the title).
    /// Returns the outcome and the slug.
    pub fn new_article(&self, new: NewArticle) -> Result<(Outcome, String), DeskError> {
        single_line("title", &new.title)?;
        let now = format_time(self.now());
        let wanted = match &new.slug {
            Some(v) => Some(parse_slug(v)?),
            None => Slug::from_title(&new.title),
        };
        let mut slug_out = String::new();
        let outcome = self.transact(|store| {
            let articles = store.articles()?.items;
            let ids: BTreeSet<&str> = articles
                .iter()
                .filter_map(|a| a.value.id.as_deref())
                .collect();
            // Drawn again on a clash, which a seeded source with HEAD unmoved repeats.
            let mut random = self.random(true)?;
            let id = loop {
                let id = format!("KB-{}", crockford(&random.bytes::<RANDOM_LEN>()));
                if !ids.contains(id.as_str()) {
                    break id;
                }
            };
            let existing: BTreeSet<String> = articles.into_iter().map(|a| a.slug).collect();
            let base = wanted
                .clone()
                .map_or_else(|| id.to_lowercase(), |s| s.to_string());
            let slug = if new.slug.is_some() {
                if existing.contains(&base) || store.exists(&article_path(store, &base)) {
                    return Err(DeskError::invalid(
                        format!("an article with slug `{base}` exists already"),
                        "choose another --slug, or edit the existing one with `docket kb edit`",
                    ));
                }
                base
            } else {
                (1..)
                    .map(|n| {
                        if n == 1 {
                            base.clone()
                        } else {
                            format!("{base}-{n}")
                        }
                    })
                    .find(|c| !existing.contains(c) && !store.exists(&article_path(store, c)))
                    .unwrap_or(base)
            };
            let status = match new.status {
                ArticleStatus::Draft => "draft",
                ArticleStatus::Published => "published",
                ArticleStatus::Archived => "archived",
            };
            let audience = match new.audience {
                Audience::Public => "public",
                Audience::Internal => "internal",
            };
            let doc = Document::create(
                &[
                    ("title", s(new.title.trim())),
                    ("slug", s(&slug)),
                    ("date", s(&now)),
                    (
                        "description",
                        new.description.as_deref().map_or(Value::Null, s),
                    ),
                    ("tags", strings(&new.tags)),
                    ("id", s(&id)),
                    ("status", s(status)),
                    ("audience", s(audience)),
                    ("products", strings(&new.products)),
                ],
                &new.body,
            )
            .map_err(DeskError::unstorable(&article_path(store, &slug)))?;
            refuse_new_problems(&[], validate_article(&doc))?;
            slug_out = slug.clone();
            Ok(Change {
                action: "kb-new",
                id: None,
                title: slug.clone(),
                files: vec![(article_path(store, &slug), doc.text().to_string())],
                details: vec![format!("title: {}", new.title.trim())],
                trailers: Vec::new(),
            })
        })?;
        Ok((outcome, slug_out))
    }

    /// Sets frontmatter values of an article (`key=value`, `tags+=x`, `tags-=x`, `key=`
    /// to remove); checks the values docket and the site generators rely on.
    pub fn set_article(&self, key: &str, assignments: &[Assignment]) -> Result<Outcome, DeskError> {
        self.transact(|store| {
            let a = store.article(key)?;
            let mut details = Vec::new();
            let mut edits = Vec::new();
            for asg in assignments {
                let k = asg.key.join(".");
                let v = asg.value.trim();
                let is_list =
                    asg.key.len() == 1 && matches!(k.as_str(), "tags" | "aliases" | "products");
                if is_list {
                    edits.extend(list_edits(asg, &mut details)?);
                    continue;
                }
                if asg.op != AssignOp::Set {
                    return Err(not_a_list(&k, "tags, aliases or products"));
                }
                if v.is_empty() {
                    if k == "title" {
                        return Err(DeskError::invalid(
                            "`title` cannot be removed",
                            "give `title` a value",
                        ));
                    }
                    details.push(format!("{k}: removed"));
                    edits.push(Edit::Remove(asg.key.clone()));
                    continue;
                }
                let value = match k.as_str() {
                    "title" | "description" => {
                        single_line(&k, v)?;
                        s(v)
                    }
                    "slug" => s(parse_slug(v)?.as_str()),
                    "status" => match v {
                        "draft" | "published" | "archived" => s(v),
                        _ => {
                            return Err(DeskError::invalid(
                                format!("article status `{v}` is not draft, published or archived"),
                                "use status=draft, status=published or status=archived",
                            ));
                        }
                    },
                    "audience" => match v {
                        "public" | "internal" => s(v),
                        _ => {
                            return Err(DeskError::invalid(
                                format!("audience `{v}` is not public or internal"),
                                "use audience=public or audience=internal",
                            ));
                        }
                    },
                    "draft" => match v {
                        "true" => Value::Bool(true),
                        "false" => Value::Bool(false),
                        _ => {
                            return Err(DeskError::invalid(
                                format!("`draft` must be true or false, not `{v}`"),
                                "use draft=true or draft=false",
                            ));
                        }
                    },
                    "weight" => match v.parse::<i64>() {
                        Ok(n) => Value::Number(n.into()),
                        Err(_) => {
                            return Err(DeskError::invalid(
                                format!("`weight` must be a whole number, not `{v}`"),
                                "use weight=10",
                            ));
                        }
                    },
                    "date" => date_value("date", v)?,
                    "id" => {
                        return Err(DeskError::invalid(
                            "the id cannot be changed",
                            "tickets and links refer to articles by slug and id",
                        ));
                    }
                    _ => s(v),
                };
                details.push(format!("{k}: {}", crate::doc::render_scalar(&value)));
                edits.push(Edit::Set(asg.key.clone(), value));
            }
            edited(
                &a.rel,
                &a.doc,
                Edits {
                    action: "kb-set",
                    title: a.slug.clone(),
                    details,
                    edits,
                    validate: &validate_article,
                },
            )
        })
    }

    /// Writes a new customer record `<customers>/<slug>.md`; commits it to the repository
    /// that holds that folder. Returns the outcome and the slug.
    pub fn new_customer(&self, new: NewCustomer) -> Result<(Outcome, String), DeskError> {
        single_line("name", &new.name)?;
        let slug = match &new.slug {
            Some(v) => parse_slug(v)?,
            None => Slug::from_title(&new.name).ok_or_else(|| {
                DeskError::invalid(
                    format!("cannot make a slug from the name `{}`", new.name),
                    "give one with --slug, e.g. --slug acme",
                )
            })?,
        };
        if let Some(t) = &new.tier {
            check_tier(&self.store, t)?;
        }
        let since = new
            .since
            .as_deref()
            .map(|d| date_value("since", d))
            .transpose()?;
        let until = new
            .until
            .as_deref()
            .map(|d| date_value("until", d))
            .transpose()?;
        let contacts = new
            .contacts
            .iter()
            .map(|c| contact_value(c))
            .collect::<Result<Vec<_>, _>>()?;
        let mut sla = Mapping::new();
        for (k, v) in &new.sla {
            sla.insert(s(k), s(v));
        }
        let slug_s = slug.to_string();
        let outcome = self.transact(|store| {
            let rel = store.customer_rel(&slug);
            if store.customer_exists(&slug_s)? || store.exists(&rel) {
                return Err(DeskError::invalid(
                    format!("a customer with slug `{slug_s}` exists already"),
                    "choose another --slug, or change the record with `docket customer set`",
                ));
            }
            let opt = |v: &Option<String>| v.as_deref().map_or(Value::Null, s);
            let doc = Document::create(
                &[
                    ("name", s(new.name.trim())),
                    ("slug", s(&slug_s)),
                    ("org", opt(&new.org)),
                    ("tier", opt(&new.tier)),
                    ("since", since.clone().unwrap_or(Value::Null)),
                    ("until", until.clone().unwrap_or(Value::Null)),
                    ("contacts", Value::Sequence(contacts.clone())),
                    ("sla", Value::Mapping(sla.clone())),
                    ("tags", strings(&new.tags)),
                ],
                &new.body,
            )
            .map_err(DeskError::unstorable(&rel))?;
            refuse_new_problems(&[], validate_customer(&doc, store.config()))?;
            Ok(Change {
                action: "customer-new",
                id: None,
                title: slug_s.clone(),
                files: vec![(rel, doc.text().to_string())],
                details: vec![format!("name: {}", new.name.trim())],
                trailers: Vec::new(),
            })
        })?;
        Ok((outcome, slug.to_string()))
    }

    /// Sets values of a customer record: `tier=`, `since=`, `until=`, `org=`, `name=`,
    /// `sla.first_response=4h`, `tags+=x`, `contacts+="Name <email>"`, `contacts-=email`.
    /// A key docket does not know is refused as a likely typo unless `force`.
    pub fn set_customer(
        &self,
        slug: &str,
        assignments: &[Assignment],
        force: bool,
    ) -> Result<Outcome, DeskError> {
        self.transact(|store| {
            let c = store.customer(slug)?;
            let mut details = Vec::new();
            let mut edits = Vec::new();
            for asg in assignments {
                let k = asg.key.join(".");
                let v = asg.value.trim();
                if !(asg.op == AssignOp::Set && v.is_empty()) {
                    known_key(Record::Customer, store.config(), &c.doc, &asg.key, force)?;
                }
                if k == "tags" {
                    edits.extend(list_edits(asg, &mut details)?);
                    continue;
                }
                if k == "contacts" {
                    match asg.op {
                        AssignOp::Add => {
                            for one in contact_items(v)? {
                                let item = contact_value(&one)?;
                                details.push(format!("contacts: +{one}"));
                                edits.push(Edit::Push(asg.key.clone(), item));
                            }
                        }
                        AssignOp::Remove => for v in list_items("contacts-=", v)? {
                            let v = v.as_str();
                            let found = c.value.contacts.iter().find(|x| {
                                x.email.eq_ignore_ascii_case(v) || x.name == v
                            });
                            let Some(found) = found else {
                                return Err(DeskError::invalid(
                                    format!("{} has no contact `{v}`", c.slug),
                                    "name the contact by email, as `docket customer show` lists them",
                                ));
                            };
                            let item = current_contact(&c.doc, &found.email).unwrap_or_else(|| {
                                let mut m = Mapping::new();
                                m.insert(s("name"), s(&found.name));
                                m.insert(s("email"), s(&found.email));
                                Value::Mapping(m)
                            });
                            details.push(format!("contacts: -{}", found.email));
                            edits.push(Edit::Pull(asg.key.clone(), item));
                        },
                        AssignOp::Set => {
                            return Err(DeskError::invalid(
                                "contacts are changed one at a time",
                                "use contacts+=\"Name <email>\" and contacts-=email",
                            ));
                        }
                    }
                    continue;
                }
                if asg.op != AssignOp::Set {
                    return Err(not_a_list(&k, "tags or contacts"));
                }
                if v.is_empty() {
                    if k == "name" {
                        return Err(DeskError::invalid("`name` cannot be removed", "give `name` a value"));
                    }
                    details.push(format!("{k}: removed"));
                    edits.push(Edit::Remove(asg.key.clone()));
                    continue;
                }
                let value = match k.as_str() {
                    "name" | "org" => {
                        single_line(&k, v)?;
                        s(v)
                    }
                    "tier" => {
                        check_tier(store, v)?;
                        s(v)
                    }
                    "since" | "until" => date_value(&k, v)?,
                    "slug" => {
                        return Err(DeskError::invalid(
                            "the slug cannot be changed",
                            "tickets refer to the customer by slug; make a new record instead",
                        ));
                    }
                    _ => s(v),
                };
                details.push(format!("{k}: {}", crate::doc::render_scalar(&value)));
                edits.push(Edit::Set(asg.key.clone(), value));
            }
            edited(
                &c.rel,
                &c.doc,
                Edits {
                    action: "customer-set",
                    title: c.slug.clone(),
                    details,
                    edits,
                    validate: &|d| validate_customer(d, store.config()),
                },
            )
        })
    }
}

/// The contact item exactly as the file holds it (extra keys included), for removal.
fn current_contact(doc: &Document, email: &str) -> Option<Value> {
    match doc.get(&["contacts"]) {
        Some(Value::Sequence(items)) => items
            .iter()
            .find(|i| {
                i.as_mapping()
                    .and_then(|m| m.get("email"))
                    .and_then(Value::as_str)
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
            .cloned(),
        _ => None,
    }
}

fn article_path(store: &Store, slug: &str) -> String {
    format!("{}/{slug}.md", store.kb_rel())
}
