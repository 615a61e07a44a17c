//! The command line: clap definitions, one handler per command, and the rendering of
//! results for people (tables) and scripts (`--json`). clap types never leave this
//! module; handlers parse arguments, call one library function and print its result.
//! One file per command group; what several share is in `context` (the `Context`,
//! status lines, `--body-file`, the progress bar), `views` (the `list` table and a shown
//! ticket), `render` and `editor`. A command file never imports another.

mod automate;
mod check;
mod completions;
mod context;
mod customer;
mod demo;
mod editor;
mod export;
mod init;
mod kb;
mod render;
mod reply;
mod search;
mod support;
mod tickets;
mod triage;
mod views;
mod watch;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use context::{Context, WriteArgs};
pub use render::Failure;
/// The report's renderers, public so tests/report_page.rs can open the page of a
/// hand-built report in a browser, without a desk to compute it from.
pub use render::report::{csv as report_csv, html as report_html, table as report_table};
pub use watch::launcher;

/// docket: a help desk that lives in your repository.
#[derive(Debug, Parser)]
#[command(
    name = "docket",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_long_help = "The commands that change something (new, set, comment, edit, kb set, ...) also take --author WHO (or DOCKET_AUTHOR) and --no-commit: see their --help."
)]
pub struct Cli {
    /// Run as if started in this directory.
    #[arg(short = 'C', global = true, value_name = "DIR")]
    pub chdir: Option<PathBuf>,
    /// `--author` given before the command, as scripts written for earlier versions do;
    /// hidden, since the commands that write take it themselves (see [`WriteArgs`]).
    #[arg(long, hide = true, value_name = "WHO")]
    pub author: Option<String>,
    /// `--no-commit` given before the command (hidden, as `author`).
    #[arg(long, hide = true)]
    pub no_commit: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set up docket in the current repository.
    Init(init::InitArgs),
    /// Open a new ticket.
    New(tickets::NewArgs),
    /// List tickets.
    #[command(alias = "ls")]
    List(tickets::ListArgs),
    /// Show one ticket with its comments.
    Show(tickets::ShowArgs),
    /// Edit a ticket in your editor and commit the result.
    Edit(tickets::IdArg),
    /// Set frontmatter values: key=value, labels+=x, labels-=x, key= to remove.
    Set(tickets::SetArgs),
    /// Add a comment, or an internal note.
    Comment(tickets::CommentArgs),
    /// Assign a ticket to a team member (`-` to unassign).
    Assign(tickets::AssignArgs),
    /// Close a ticket.
    Close(tickets::CloseArgs),
    /// Mark a ticket resolved.
    Resolve(tickets::CloseArgs),
    /// Reopen a closed ticket.
    Reopen(tickets::IdArg),
    /// Link a ticket to a duplicate, a related ticket or a KB article.
    Link(tickets::LinkArgs),
    /// Delete a ticket and its comments in one commit (refused while others link to it).
    Rm(tickets::RmArgs),
    /// The commits that changed a ticket.
    History(tickets::HistoryArgs),
    /// Record a customer's satisfaction rating (CSAT, 1-5) of a closed ticket.
    Feedback(support::FeedbackArgs),
    /// Open tickets whose SLA targets are breached or at risk.
    Sla(support::SlaArgs),
    /// The desk's figures: volume, backlog, response and resolution times, SLA, CSAT.
    Report(support::ReportArgs),
    /// Route untriaged tickets by rules and learned suggestions (dry run unless --apply).
    Triage(triage::TriageArgs),
    /// Reply to a ticket from a template, with field changes, in one commit.
    Reply(reply::ReplyArgs),
    /// Apply the config's automation rules (for a scheduled job; idempotent).
    Automate(automate::AutomateArgs),
    /// Knowledge-base articles: new, list, show, edit, set.
    Kb(kb::KbArgs),
    /// Customer records: new, list, show, set.
    Customer(customer::CustomerArgs),
    /// Publish the KB for Hugo, Jekyll, Zola, mdBook or as a static HTML site.
    Export(export::ExportArgs),
    /// Validate every ticket, comment, article, customer and the config.
    Check(check::CheckArgs),
    /// Build a demo help desk in a new git repository and show it.
    Demo(demo::DemoArgs),
    /// Rebuild the search index from the files.
    Index(search::IndexArgs),
    /// Search tickets, KB articles and customers.
    Search(search::SearchArgs),
    /// KB articles and earlier tickets that match a ticket.
    Suggest(search::SuggestArgs),
    /// Likely duplicate pairs among open tickets.
    Dupes(search::DupesArgs),
    /// Watch the desk's folders so large desks stay fresh without a full scan.
    Watch(watch::WatchArgs),
    /// Print the shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), for `man -l -` or a man folder.
    Man(completions::ManArgs),
}

impl Command {
    /// The write options of a command that writes; `None` for one that only reads (its
    /// help offers none, and it refuses them given before the command).
    fn write_args(&self) -> Option<&WriteArgs> {
        match self {
            Command::Init(a) => Some(&a.write),
            Command::New(a) => Some(&a.write),
            Command::Edit(a) | Command::Reopen(a) => Some(&a.write),
            Command::Set(a) => Some(&a.write),
            Command::Comment(a) => Some(&a.write),
            Command::Assign(a) => Some(&a.write),
            Command::Close(a) | Command::Resolve(a) => Some(&a.write),
            Command::Link(a) => Some(&a.write),
            Command::Rm(a) => Some(&a.write),
            Command::Feedback(a) => Some(&a.write),
            Command::Triage(a) => Some(&a.write),
            Command::Reply(a) => Some(&a.write),
            Command::Automate(a) => Some(&a.write),
            Command::Kb(a) => a.command.write_args(),
            Command::Customer(a) => a.command.write_args(),
            Command::List(_)
            | Command::Show(_)
            | Command::History(_)
            | Command::Export(_)
            | Command::Check(_)
            | Command::Demo(_)
            | Command::Index(_)
            | Command::Search(_)
            | Command::Suggest(_)
            | Command::Dupes(_)
            | Command::Watch(_)
            | Command::Completions(_)
            | Command::Man(_)
            | Command::Sla(_)
            | Command::Report(_) => None,
        }
    }
}

/// Runs a parsed command line, writing data to `out`.
pub fn run(
    cli: Cli,
    watcher: Option<crate::index::watch::Launcher>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let ctx = Context::new(&cli, watcher)?;
    match cli.command {
        Command::Init(a) => init::run(&ctx, &a, out),
        Command::New(a) => tickets::new(&ctx, a, out),
        Command::List(a) => tickets::list(&ctx, &a, out),
        Command::Show(a) => tickets::show(&ctx, &a, out),
        Command::Edit(a) => tickets::edit(&ctx, &a, out),
        Command::Set(a) => tickets::set(&ctx, &a, out),
        Command::Comment(a) => tickets::comment(&ctx, &a, out),
        Command::Assign(a) => tickets::assign(&ctx, &a, out),
        Command::Close(a) => tickets::close(&ctx, &a, false, out),
        Command::Resolve(a) => tickets::close(&ctx, &a, true, out),
        Command::Reopen(a) => tickets::reopen(&ctx, &a, out),
        Command::Link(a) => tickets::link(&ctx, &a, out),
        Command::Rm(a) => tickets::rm(&ctx, &a, out),
        Command::History(a) => tickets::history(&ctx, &a, out),
        Command::Feedback(a) => support::feedback(&ctx, &a, out),
        Command::Sla(a) => support::sla(&ctx, &a, out),
        Command::Report(a) => support::report_cmd(&ctx, &a, out),
        Command::Triage(a) => triage::run(&ctx, &a, out),
        Command::Reply(a) => reply::run(&ctx, &a, out),
        Command::Automate(a) => automate::run(&ctx, &a, out),
        Command::Kb(a) => kb::run(&ctx, a, out),
        Command::Customer(a) => customer::run(&ctx, a, out),
        Command::Export(a) => export::run(&ctx, &a, out),
        Command::Check(a) => check::run(&ctx, &a, out),
        Command::Demo(a) => demo::run(&ctx, &a, out),
        Command::Index(a) => search::index(&ctx, &a, out),
        Command::Search(a) => search::search(&ctx, &a, out),
        Command::Suggest(a) => search::suggest(&ctx, &a, out),
        Command::Dupes(a) => search::dupes(&ctx, &a, out),
        Command::Watch(a) => watch::run(&ctx, &a, out),
        Command::Completions(a) => completions::completions(&a, out),
        Command::Man(a) => completions::man(&a, out),
    }
}
