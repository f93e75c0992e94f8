//! `reprise export` and `reprise import`.

use super::{CliResult, Ctx};
use clap::{Args, ValueEnum};
use reprise::exchange::{self, Progress};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// Lossless Reprise JSON, which imports back to the same journal.
    Json,
    /// A folder of Markdown files with YAML front matter.
    Markdown,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ImportFormat {
    /// A Reprise JSON export.
    RepriseJson,
    /// jrnl's JSON export (`jrnl --export json`).
    JrnlJson,
}

/// `reprise export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to write.
    #[arg(long, value_enum, default_value = "json")]
    format: ExportFormat,
    /// The file (json) or folder (markdown) to write.
    #[arg(long, value_name = "PATH")]
    output: PathBuf,
}

/// `reprise import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the file is.
    #[arg(long, value_enum, default_value = "reprise-json")]
    format: ImportFormat,
    /// The file to import.
    path: PathBuf,
}

/// Shows progress on standard error, but only to a person watching a terminal.
struct Meter {
    on: bool,
    shown: bool,
}

impl Meter {
    fn new() -> Meter {
        Meter {
            on: std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    fn show(&mut self, p: Progress) {
        if !self.on {
            return;
        }
        self.shown = true;
        if p.total > 0 {
            eprint!("\r\x1b[2K{} {}/{}", p.phase, p.done, p.total);
        } else {
            eprint!("\r\x1b[2K{} {}", p.phase, p.done);
        }
    }

    fn finish(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
        }
    }
}

pub fn export(ctx: &mut Ctx, a: ExportArgs) -> CliResult {
    let store = ctx.read()?;
    let mut meter = Meter::new();
    let result = match a.format {
        ExportFormat::Json => exchange::json::export(&store, &a.output, &mut |p| meter.show(p)),
        ExportFormat::Markdown => {
            exchange::markdown::export(&store, &a.output, &mut |p| meter.show(p))
        }
    };
    meter.finish();
    let summary = result?;
    let line = format!(
        "exported {} entries and {} attachments to {} ({} bytes)",
        summary.entries,
        summary.attachments,
        summary.path.display(),
        summary.bytes
    );
    ctx.out.either(&summary, |out| out.line(line))
}

pub fn import(ctx: &mut Ctx, a: ImportArgs) -> CliResult {
    let store = ctx.write()?;
    let mut meter = Meter::new();
    let result = match a.format {
        ImportFormat::RepriseJson => {
            exchange::json::import(&store, &a.path, &mut |p| meter.show(p))
        }
        ImportFormat::JrnlJson => exchange::jrnl::import(&store, &a.path, &mut |p| meter.show(p)),
    };
    meter.finish();
    let report = result?;
    let line = report.summary_line();
    ctx.out.either(&report, |out| out.line(line))
}
