//! The `docket` binary: parse arguments, run the command, print errors, map them to an
//! exit code (0 ok, 1 failure, 2 usage). A closed pipe ends quietly with 0. Ctrl-C,
//! SIGTERM and SIGHUP exit with 128 + the signal number, at once or, during a write, as
//! soon as the step is done (see `docket::interrupt`).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use docket::cli::{Cli, Failure, launcher, run};

fn main() -> ExitCode {
    install_signal_handlers();
    // A panic the index turns into an error (tantivy panics on some damaged files) is
    // reported as that error, not also as a crash message.
    docket::index::panics::install_hook();
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // A large desk's index starts watchers by running this same executable.
    let watcher = std::env::current_exe().ok().map(launcher);
    let result = run(cli, watcher, &mut out).and_then(|()| out.flush().map_err(Failure::from));
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

/// Hand SIGINT, SIGTERM and SIGHUP to a thread that asks `interrupt` to exit, so that a
/// write in progress finishes its step first. Without the thread (if it cannot be made)
/// the signals keep their default action.
fn install_signal_handlers() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                docket::interrupt::request_exit(128 + signal);
            }
        });
}
