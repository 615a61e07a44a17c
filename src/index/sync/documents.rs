//! The tantivy documents of the index: which document a data file belongs to (a
//! comment belongs to its ticket's), and the document each kind of record makes. A file
//! that does not load becomes a `problem` document, so `list` and `search` can name it.

use std::path::Path;

use tantivy::{IndexWriter, TantivyDocument, Term};

use crate::index::terms::{custom_terms, person_terms};
use crate::index::{IndexError, SearchIndex};
use crate::model::{Config, Customer, Ticket};
use crate::store::{
    FileRole, Problem, Store, StoreError, TicketText, article_from_doc, customer_from_doc,
};
use crate::support::sla::{Calendars, FactRow, encode_row};
use crate::support::standing;

/// The customer records tickets name, read once per sync (one file each, usually) and
/// the config's calendars, built once.
#[derive(Debug, Default)]
pub struct CustomerCache {
    records: std::cell::RefCell<std::collections::HashMap<String, Option<Customer>>>,
    calendars: std::cell::OnceCell<Calendars>,
}

impl CustomerCache {
    fn get(&self, store: &Store, slug: &str) -> Option<Customer> {
        if let Some(c) = self.records.borrow().get(slug) {
            return c.clone();
        }
        let c = store.customer_values(slug).ok().flatten();
        self.records
            .borrow_mut()
            .insert(slug.to_string(), c.clone());
        c
    }

    fn calendars(&self, config: &Config) -> &Calendars {
        self.calendars.get_or_init(|| Calendars::new(config))
    }
}

/// Which kind of document a data file belongs to, and that document's key (the path of
/// the record's own file).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    /// A ticket file (its own key) or a comment of it.
    Ticket(String),
    /// A KB article file.
    Article(String),
    /// A customer file.
    Customer(String),
}

impl Owner {
    /// The document's key: the path of the record's own file.
    pub fn key(&self) -> &str {
        match self {
            Owner::Ticket(k) | Owner::Article(k) | Owner::Customer(k) => k,
        }
    }
}

/// The document a data file belongs to.
pub fn owner_of(store: &Store, rel: &str) -> Option<Owner> {
    Some(match store.file_role(rel)? {
        FileRole::Ticket => Owner::Ticket(rel.to_string()),
        FileRole::Comment { ticket } => Owner::Ticket(ticket),
        FileRole::Article => Owner::Article(rel.to_string()),
        FileRole::Customer => Owner::Customer(rel.to_string()),
    })
}

/// Frontmatter keys with a field of their own (or, for `links`, no scalar value), left
/// out of the `key:value` terms.
const OWN_FIELDS: &[&str] = &[
    "id", "title", "status", "type", "created", "reporter", "assignee", "customer", "labels",
    "priority", "links",
];

impl SearchIndex {
    /// Replaces one document with what its files say now (or removes it).
    pub(super) fn reindex(
        &self,
        writer: &mut IndexWriter,
        store: &Store,
        owner: &Owner,
        customers: &CustomerCache,
    ) -> Result<(), IndexError> {
        let f = self.fields;
        let key = owner.key();
        writer.delete_term(Term::from_field_text(f.key, key));
        if !store.abs(key).is_file() {
            return Ok(());
        }
        let doc = match owner {
            Owner::Ticket(rel) => self.ticket_doc(store, rel, customers),
            Owner::Article(rel) => self.article_doc(store, rel),
            Owner::Customer(rel) => self.customer_doc(store, rel),
        };
        if let Some(doc) = doc {
            writer
                .add_document(doc)
                .map_err(IndexError::tantivy(&self.dir, "adding a document"))?;
        }
        Ok(())
    }

    /// The tickets of the customer a customer file names now, or named when it was last
    /// indexed: they are reindexed with it.
    pub(super) fn tickets_of_customer_file(
        &self,
        store: &Store,
        rel: &str,
    ) -> Result<Vec<Owner>, IndexError> {
        use tantivy::collector::DocSetCollector;
        use tantivy::query::{BooleanQuery, Occur};
        use tantivy::schema::Value;
        let f = self.fields;
        let searcher = self.searcher();
        let mut slugs = Vec::new();
        if let Ok(doc) = store.read_doc(rel)
            && let Ok(c) = customer_from_doc(&doc)
        {
            let stem = Path::new(rel)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned());
            slugs.extend(c.slug.or(stem));
        }
        let err = |what| IndexError::tantivy(&self.dir, what);
        let old = searcher
            .search(
                &crate::index::query::term_query(f.key, rel),
                &DocSetCollector,
            )
            .map_err(err("finding a customer"))?;
        for addr in old {
            let doc: TantivyDocument = searcher.doc(addr).map_err(err("reading a document"))?;
            if let Some(id) = doc.get_first(f.id).and_then(|v| v.as_str()) {
                slugs.push(id.to_string());
            }
        }
        let mut out = Vec::new();
        for slug in slugs {
            let query = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    crate::index::query::term_query(f.kind, "ticket"),
                ),
                (
                    Occur::Must,
                    crate::index::query::term_query(f.customer, &slug.to_lowercase()),
                ),
            ]);
            for addr in searcher
                .search(&query, &DocSetCollector)
                .map_err(err("finding a customer's tickets"))?
            {
                let doc: TantivyDocument = searcher.doc(addr).map_err(err("reading a document"))?;
                if let Some(key) = doc.get_first(f.key).and_then(|v| v.as_str()) {
                    out.push(Owner::Ticket(key.to_string()));
                }
            }
        }
        Ok(out)
    }

    fn problem_doc(&self, rel: &str, p: &Problem) -> TantivyDocument {
        let f = self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.key, rel);
        d.add_text(f.kind, "problem");
        let message = p.to_string();
        d.add_bytes(
            f.problem,
            &crate::index::schema::encode_problem(rel, &message),
        );
        d.add_text(f.data, message);
        d
    }

    fn ticket_doc(
        &self,
        store: &Store,
        rel: &str,
        customers: &CustomerCache,
    ) -> Option<TantivyDocument> {
        let f = self.fields;
        let t = match store.load_ticket(rel) {
            Ok(t) => t,
            Err(StoreError::Bad(p)) => return Some(self.problem_doc(rel, &p)),
            Err(e) => return Some(self.problem_doc(rel, &Problem::at(rel, 1, e.to_string()))),
        };
        let k = &t.ticket;
        let mut d = TantivyDocument::default();
        d.add_text(f.key, rel);
        d.add_text(f.kind, "ticket");
        d.add_text(f.id, k.id.as_str());
        d.add_text(f.tid, k.id.as_str());
        d.add_text(f.title, &k.title);
        d.add_text(f.body, t.doc.body());
        let entries = store.timeline(rel).map(|l| l.items).unwrap_or_default();
        let text = TicketText::of(&t, &entries);
        d.add_text(f.comments, text.comments_text());
        let latest_comment = text.latest_comment;
        for l in &k.labels {
            d.add_text(f.label, l);
        }
        d.add_text(f.status, &k.status);
        if let Some(c) = &k.customer {
            d.add_text(f.customer, c);
        }
        for a in &k.links.articles {
            d.add_text(f.articles, a);
        }
        if let Some(dup) = &k.links.duplicate_of {
            d.add_text(f.duplicate_of, dup);
        }
        for r in &k.links.relates {
            d.add_text(f.relates, r);
        }
        for b in &k.links.blocks {
            d.add_text(f.blocks, b);
        }
        d.add_text(f.created, &k.created);
        let latest_comment = latest_comment.as_ref().map(|t| t.as_str());
        if let Some(c) = latest_comment {
            d.add_text(f.latest_comment, c);
        }
        // Where it stands with its customer, and its SLA facts, now: a changed customer
        // record reindexes its tickets, a changed config everything.
        let config = store.config();
        let customer = k.customer.as_deref().and_then(|c| customers.get(store, c));
        let calendars = customers.calendars(config);
        let band = match FactRow::of(
            k,
            entries.iter().map(|e| &e.entry),
            customer.as_ref(),
            config,
            calendars,
        ) {
            Some((row, standing)) => {
                if let Some(tier) = &row.tier {
                    d.add_text(f.tier, tier);
                }
                d.add_bytes(f.sla, &encode_row(&row));
                standing.priority.band
            }
            None => standing(config, k, customer.as_ref()).priority.band,
        };
        self.add_ticket_values(&mut d, k, &band);
        d.add_text(f.data, serde_json::to_string(k).unwrap_or_default());
        d.add_bytes(
            f.row,
            &crate::index::schema::encode_row(k, latest_comment, Some(&band)),
        );
        Some(d)
    }

    /// The values `assignee:`, `reporter:`, `priority:`, `type:`, `created:` and
    /// `key:value` queries for the other frontmatter keys search.
    fn add_ticket_values(&self, d: &mut TantivyDocument, k: &Ticket, band: &str) {
        let f = self.fields;
        for (field, person) in [(f.assignee, &k.assignee), (f.reporter, &k.reporter)] {
            for term in person.as_deref().map(person_terms).unwrap_or_default() {
                d.add_text(field, term);
            }
        }
        d.add_text(f.priority, band);
        if let Some(t) = &k.kind {
            d.add_text(f.ticket_type, t);
        }
        if let Some(at) = k.created.moment().order() {
            d.add_date(
                f.created_at,
                tantivy::DateTime::from_timestamp_secs(at.as_second()),
            );
        }
        // Every other scalar key (importance, resolution, custom fields, ...) as
        // `key:value`.
        if let Ok(serde_json::Value::Object(values)) = serde_json::to_value(k) {
            for (key, value) in values
                .iter()
                .filter(|(key, _)| !OWN_FIELDS.contains(&&***key))
            {
                for term in custom_terms(key, value) {
                    d.add_text(f.extra, term);
                }
            }
        }
    }

    fn article_doc(&self, store: &Store, rel: &str) -> Option<TantivyDocument> {
        let f = self.fields;
        let doc = store.read_doc(rel).ok()?;
        let a = article_from_doc(&doc).ok()?;
        let stem = Path::new(rel)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let slug = a.slug.clone().unwrap_or(stem);
        let mut d = TantivyDocument::default();
        d.add_text(f.key, rel);
        d.add_text(f.kind, "kb");
        d.add_text(f.id, &slug);
        d.add_text(f.title, &a.title);
        let mut body = String::new();
        if let Some(desc) = &a.description {
            body.push_str(desc);
            body.push_str("\n\n");
        }
        body.push_str(doc.body());
        d.add_text(f.body, body);
        for t in &a.tags {
            d.add_text(f.label, t);
        }
        d.add_text(
            f.status,
            serde_json::to_value(a.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        );
        d.add_text(
            f.data,
            serde_json::json!({ "slug": slug, "id": a.id, "title": a.title }).to_string(),
        );
        Some(d)
    }

    fn customer_doc(&self, store: &Store, rel: &str) -> Option<TantivyDocument> {
        let f = self.fields;
        let doc = store.read_doc(rel).ok()?;
        let c = customer_from_doc(&doc).ok()?;
        let stem = Path::new(rel)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let slug = c.slug.clone().unwrap_or(stem);
        let mut d = TantivyDocument::default();
        d.add_text(f.key, rel);
        d.add_text(f.kind, "customer");
        d.add_text(f.id, &slug);
        d.add_text(f.customer, &slug);
        d.add_text(f.title, &c.name);
        let mut body = String::new();
        if let Some(org) = &c.org {
            body.push_str(org);
            body.push('\n');
        }
        for ct in &c.contacts {
            body.push_str(&format!("{} {}\n", ct.name, ct.email));
        }
        body.push_str(doc.body());
        d.add_text(f.body, body);
        for t in &c.tags {
            d.add_text(f.label, t);
        }
        if let Some(tier) = &c.tier {
            d.add_text(f.status, tier);
        }
        Some(d)
    }
}
