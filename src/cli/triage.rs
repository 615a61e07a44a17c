//! `triage`: what routing rules and the learned model would set on untriaged tickets,
//! and with `--apply`, setting it. A block per ticket for people (each value with what
//! decided it, and why it is not written when it is not), or with `--json` a stable
//! array (see README); status lines and the summary go to stderr.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::context::{Bar, Context, WriteArgs, read_notes, report};
use super::render::{Failure, clip, json, table};
use crate::desk::{Decision, DecisionSource, TriageRun, Triaged};

/// Arguments of `triage`.
#[derive(Debug, Args)]
pub struct TriageArgs {
    /// Write the decisions (rules always, learned suggestions above the threshold), one
    /// commit per ticket.
    #[arg(long)]
    pub apply: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `docket triage`.
pub fn run(ctx: &Context, a: &TriageArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = if a.apply {
        ctx.desk()?
    } else {
        ctx.read_desk()?
    };
    let triaged = desk.triage(a.apply, &Bar::default())?;
    read_notes(&triaged.notices, &triaged.problems);
    if a.json {
        let shown: Vec<TriagedJson> = triaged.tickets.iter().map(TriagedJson::of).collect();
        json(out, &shown)?;
    } else {
        blocks(out, &triaged)?;
    }
    for t in &triaged.tickets {
        if let Some(o) = &t.outcome {
            report(o);
        }
    }
    summary(&triaged)
}

/// Each ticket as a heading and its decisions as an aligned block.
fn blocks(out: &mut dyn Write, run: &TriageRun) -> Result<(), Failure> {
    for t in &run.tickets {
        writeln!(out, "{}  {}", t.short_id, clip(&t.title, 72))?;
        if t.decisions.is_empty() {
            writeln!(
                out,
                "  nothing decided: no rule matches and nothing is learned"
            )?;
            continue;
        }
        let rows: Vec<Vec<String>> = t.decisions.iter().map(row).collect();
        table(out, &rows)?;
    }
    Ok(())
}

/// One decision: field, value, what decided it, and why it is not written.
fn row(d: &Decision) -> Vec<String> {
    let value = match d.field {
        crate::desk::TriageField::Labels => format!("+{}", d.value),
        _ => d.value.clone(),
    };
    let mut source = match &d.source {
        DecisionSource::Rule(r) => format!("rule {r}"),
        DecisionSource::Model { name, confidence } => format!("model {name} {confidence:.2}"),
    };
    if let Some(g) = &d.group {
        source.push_str(&format!(", group {g}"));
    }
    let mut cells = vec![format!("  {}", d.field.key()), value, source];
    if let Some(n) = &d.note {
        cells.push(format!("(not written: {n})"));
    }
    cells
}

/// The last line on stderr; a failed update makes the command fail after the others.
fn summary(run: &TriageRun) -> Result<(), Failure> {
    let n = run.tickets.len();
    let writable = run
        .tickets
        .iter()
        .filter(|t| t.decisions.iter().any(|d| d.apply))
        .count();
    let tickets = |n: usize| if n == 1 { "ticket" } else { "tickets" };
    if n == 0 {
        eprintln!("no untriaged tickets");
        return Ok(());
    }
    if !run.applied {
        eprintln!(
            "dry run: {n} untriaged {}, {writable} with something to write; `docket triage --apply` writes it",
            tickets(n)
        );
        return Ok(());
    }
    let failed: Vec<&Triaged> = run.tickets.iter().filter(|t| t.error.is_some()).collect();
    for t in &failed {
        if let Some(e) = &t.error {
            let f = Failure::from_error(e, e.hint(), 1);
            eprintln!("error: triage {}: {}", t.id, f.message);
            for c in &f.causes {
                eprintln!("caused by: {c}");
            }
            if let Some(h) = &f.hint {
                eprintln!("hint: {h}");
            }
        }
    }
    let written = run
        .tickets
        .iter()
        .filter(|t| t.outcome.as_ref().is_some_and(|o| o.changed))
        .count();
    eprintln!(
        "triaged {written} of {n} untriaged {}{}",
        tickets(n),
        if writable == 0 {
            ": nothing to write"
        } else {
            ""
        }
    );
    match failed.len() {
        0 => Ok(()),
        k => Err(Failure::new(
            format!("{k} {} could not be triaged", tickets(k)),
            Some("see the errors above; the other tickets were written".into()),
        )),
    }
}

/// A ticket in `triage --json` (a stable shape, see README).
#[derive(Debug, Serialize)]
struct TriagedJson<'a> {
    id: &'a str,
    title: &'a str,
    created: &'a str,
    decisions: Vec<DecisionJson<'a>>,
    written: bool,
    commit: Option<&'a str>,
    error: Option<String>,
}

/// A decision in `triage --json`.
#[derive(Debug, Serialize)]
struct DecisionJson<'a> {
    field: &'static str,
    value: &'a str,
    source: &'static str,
    rule: Option<&'a str>,
    model: Option<&'a str>,
    confidence: Option<f64>,
    group: Option<&'a str>,
    apply: bool,
    note: Option<&'a str>,
}

impl<'a> TriagedJson<'a> {
    fn of(t: &'a Triaged) -> TriagedJson<'a> {
        TriagedJson {
            id: t.id.as_str(),
            title: &t.title,
            created: &t.created,
            decisions: t.decisions.iter().map(DecisionJson::of).collect(),
            written: t.outcome.as_ref().is_some_and(|o| o.changed),
            commit: t
                .outcome
                .as_ref()
                .and_then(|o| o.commit.as_ref())
                .map(|c| c.id.as_str()),
            error: t.error.as_ref().map(ToString::to_string),
        }
    }
}

impl<'a> DecisionJson<'a> {
    fn of(d: &'a Decision) -> DecisionJson<'a> {
        let (source, rule, model, confidence) = match &d.source {
            DecisionSource::Rule(r) => ("rule", Some(r.as_str()), None, None),
            DecisionSource::Model { name, confidence } => {
                ("model", None, Some(name.as_str()), Some(*confidence))
            }
        };
        DecisionJson {
            field: d.field.key(),
            value: &d.value,
            source,
            rule,
            model,
            confidence,
            group: d.group.as_deref(),
            apply: d.apply,
            note: d.note.as_deref(),
        }
    }
}
