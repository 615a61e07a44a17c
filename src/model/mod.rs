//! The plain types of a help desk: tickets, comments, KB articles, customers, config and
//! the ids that name their files. No I/O and nothing else of docket's: every other
//! module can use them, and `schema/` is generated from them.

mod article;
mod automation;
mod config;
mod customer;
mod field;
mod id;
mod policy;
mod routing;
mod text;
mod ticket;
mod time;
mod timeline;

pub use article::{Article, ArticleStatus, Audience};
pub use automation::{
    AutomationRule, AutomationThen, AutomationWhen, Hook, HookComment, HookEvent, HookKind,
    HookTicket, HooksConfig, SlaCondition,
};
pub use config::{Config, Paths, ReplyConfig, TeamMember, Workflow};
pub use customer::{CUSTOMER_KEYS, Contact, Customer};
pub use field::{Field, FieldType};
pub use id::{
    CROCKFORD, IdError, RANDOM_LEN, Slug, TICKET_PREFIX, TicketId, TypedId, crockford, short_prefix,
};
pub use policy::{Band, CalendarSpec, PriorityPolicy, SlaConfig, SlaPolicy};
pub use routing::{
    Group, GroupStrategy, Groups, Routing, RoutingMode, RoutingRule, RuleMatch, RuleSet,
    TriageConfig,
};
pub use text::{MESSAGE_CHARS, escape_line, escape_text, quoted};
pub use ticket::{Comment, LINK_KEYS, Links, TICKET_KEYS, Ticket};
pub use time::{Moment, Time, format_time};
pub use timeline::{Entry, Event, EventKind, Rating};

/// JSON Schemas of the file formats, by file name under `schema/`.
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    let one = |s: schemars::Schema| s.to_value();
    vec![
        ("ticket.schema.json", one(schemars::schema_for!(Ticket))),
        ("comment.schema.json", one(schemars::schema_for!(Comment))),
        ("event.schema.json", one(schemars::schema_for!(Event))),
        ("rating.schema.json", one(schemars::schema_for!(Rating))),
        ("article.schema.json", one(schemars::schema_for!(Article))),
        ("customer.schema.json", one(schemars::schema_for!(Customer))),
        ("config.schema.json", one(schemars::schema_for!(Config))),
        (
            "hook-event.schema.json",
            one(schemars::schema_for!(HookEvent)),
        ),
    ]
}
