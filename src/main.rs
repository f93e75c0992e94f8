//! The `reprise` command line: parse the arguments, run the command, and report a failure as
//! one line on standard error with a non-zero exit status (1 for errors, 2 for usage).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse_from(cli::mark_exclusions(std::env::args_os().collect())) {
        Ok(args) => args,
        Err(e) => return ExitCode::from(cli::report_parse_error(&e)),
    };
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("reprise: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
