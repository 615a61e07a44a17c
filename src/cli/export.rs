//! `docket export`: publish the KB for a static site generator.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::context::Context;
use super::render::Failure;
use crate::export::{Format, Options, export};

/// Exports with fewer pages than this finish before a bar would be worth drawing.
const PROGRESS_FROM: usize = 50;

/// The generators.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Hugo content files (YAML front matter).
    Hugo,
    /// Jekyll pages (YAML front matter).
    Jekyll,
    /// Zola sections and pages (TOML front matter).
    Zola,
    /// mdBook chapters and SUMMARY.md.
    Mdbook,
    /// A complete static site with offline search.
    Html,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The generator to write for.
    #[arg(long, short, value_enum)]
    pub format: FormatArg,
    /// Output folder: new, empty, or a previous export (which is replaced).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// The site's public address (html: canonical links and sitemap.xml).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// `docket export`.
pub fn run(ctx: &Context, a: &ExportArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let format = match a.format {
        FormatArg::Hugo => Format::Hugo,
        FormatArg::Jekyll => Format::Jekyll,
        FormatArg::Zola => Format::Zola,
        FormatArg::Mdbook => Format::Mdbook,
        FormatArg::Html => Format::Html,
    };
    let dir = ctx.dir.join(&a.out);
    let started = Instant::now();
    let show_bar = std::io::stderr().is_terminal();
    let mut bar: Option<indicatif::ProgressBar> = None;
    let mut progress = |done: usize, total: usize| {
        if !show_bar || total < PROGRESS_FROM {
            return;
        }
        let b = bar.get_or_insert_with(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "exporting {bar:30} {pos}/{len} pages {elapsed}",
            ) {
                b.set_style(style);
            }
            b
        });
        b.set_position(done as u64);
    };
    let report = export(
        desk.store(),
        &Options {
            format,
            out: dir.clone(),
            base_url: a.base_url.clone(),
        },
        &mut progress,
    )?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    for p in &report.problems {
        super::render::warn_skipped(p);
    }
    eprintln!(
        "exported {} articles as {} ({} files, {} bytes) in {:.2}s; {} not published (draft, internal or archived)",
        report.pages,
        format.name(),
        report.files,
        report.bytes,
        started.elapsed().as_secs_f64(),
        report.withheld,
    );
    writeln!(out, "{}", a.out.display())?;
    Ok(())
}
