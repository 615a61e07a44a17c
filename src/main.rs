//! The `docket` binary: parse arguments, run the command, print errors, map them to an
//! exit code (0 ok, 1 failure, 2 usage). A closed pipe ends quietly with 0.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use docket::cli::{Cli, Failure, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = run(cli, &mut out).and_then(|()| out.flush().map_err(Failure::from));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) if f.broken_pipe => ExitCode::SUCCESS,
        Err(f) => {
            let _ = out.flush();
            print_failure(&f);
            ExitCode::from(u8::try_from(f.code).unwrap_or(1))
        }
    }
}

fn print_failure(f: &Failure) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {}", f.message);
    for c in &f.causes {
        let _ = writeln!(err, "caused by: {c}");
    }
    if let Some(h) = &f.hint {
        let _ = writeln!(err, "hint: {h}");
    }
}
