//! `reprise export` and `reprise import`.

use super::{CliResult, Ctx};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::Args;
use reprise::exchange::{Direction, Format, Progress};
use std::io::IsTerminal;
use std::path::PathBuf;

/// The `--format` values for `direction`, with each format's description as its help.
fn formats(direction: Direction) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::supporting(direction).map(|f| {
        PossibleValue::new(f.name())
            .help(f.description())
            .aliases(f.aliases())
    }))
    .try_map(|name| name.parse::<Format>())
}

/// `reprise export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to write.
    #[arg(long, default_value = "reprise-json", value_parser = formats(Direction::Export))]
    format: Format,
    /// The file (reprise-json) or folder (markdown) to write.
    #[arg(long, value_name = "PATH")]
    output: PathBuf,
}

/// `reprise import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the file is.
    #[arg(long, default_value = "reprise-json", value_parser = formats(Direction::Import))]
    format: Format,
    /// The file to import.
    path: PathBuf,
}

/// Shows progress on standard error, but only to a person watching a terminal.
struct Meter {
    on: bool,
    shown: bool,
}

impl Meter {
    /// Runs `work` with a meter showing its progress, cleared when it ends.
    fn around<T>(work: impl FnOnce(&mut dyn FnMut(Progress)) -> T) -> T {
        let mut meter = Meter {
            on: std::io::stderr().is_terminal(),
            shown: false,
        };
        let result = work(&mut |p| meter.show(p));
        meter.finish();
        result
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
    let summary = Meter::around(|progress| a.format.export(&store, &a.output, progress))?;
    let line = summary.summary.clone();
    ctx.out.either(&summary, |out| out.line(line))
}

pub fn import(ctx: &mut Ctx, a: ImportArgs) -> CliResult {
    let store = ctx.write()?;
    let report = Meter::around(|progress| a.format.import(&store, &a.path, progress))?;
    let line = report.summary_line();
    ctx.out.either(&report, |out| out.line(line))
}
