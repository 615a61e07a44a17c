//! `reply`: a public comment from a template or text, with field changes, in one commit.

use std::io::Write;
use std::path::PathBuf;

use clap::{ArgGroup, Args};

use super::context::{Bar, Context, WriteArgs, notices, read_body, report};
use super::render::Failure;
use crate::desk::{Assignment, Reply};

/// Arguments of `reply`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("text").required(true).args(["template", "message"])))]
pub struct ReplyArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// A template from the templates folder (its name without `.md`).
    #[arg(long, short, value_name = "NAME")]
    pub template: Option<String>,
    /// Text of the reply instead of a template (`-` reads standard input).
    #[arg(short, long, allow_hyphen_values = true)]
    pub message: Option<String>,
    /// Also set a value (`key=value`, `labels+=x`); repeatable. With a template, each
    /// `key=value` also fills `{{set.key}}`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Append a link to the best matching KB article, when it matches well enough.
    #[arg(long)]
    pub suggest: bool,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `docket reply`.
pub fn run(ctx: &Context, a: &ReplyArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let set = a
        .set
        .iter()
        .map(|s| s.parse::<Assignment>())
        .collect::<Result<Vec<_>, _>>()?;
    let message = match a.message.as_deref() {
        Some("-") => read_body(&None, &Some(PathBuf::from("-")))?,
        _ => a.message.clone(),
    };
    let desk = ctx.desk()?;
    let mut article = None;
    if a.suggest {
        let internal = match &a.template {
            Some(t) => desk.template_internal(t)?,
            None => false,
        };
        let found = desk.reply_article(&a.id, internal, &Bar::default())?;
        notices(&found.notices);
        match &found.value {
            Some(pick) if pick.good_enough() => eprintln!(
                "linking KB article {} (score {:.2}, threshold {:.2})",
                pick.slug, pick.score, pick.threshold
            ),
            Some(pick) => eprintln!(
                "no KB article linked: the best, {}, scores {:.2}, below reply.suggest_threshold {:.2}",
                pick.slug, pick.score, pick.threshold
            ),
            None => eprintln!("no KB article linked: none matches the ticket"),
        }
        article = found.value;
    }
    let outcome = desk.reply(
        &a.id,
        &Reply {
            template: a.template.clone(),
            message,
            set,
            article,
        },
    )?;
    report(&outcome);
    Ok(())
}
