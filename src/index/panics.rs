//! One policy for panics inside the index's work, on the caller's thread and on worker
//! threads alike. tantivy panics on some corrupt files, and a panic is a bug besides:
//! neither may crash the command or silently shorten an answer. So work on the index
//! runs under [`catching`] (worker threads start through [`spawn`], whose
//! [`Worker::join`] gives the result), and a panic becomes a [`Panic`] naming what was
//! being done, then [`IndexError::Panicked`] for the caller.
//! The index's recovery counts that as damage: it rebuilds the index once, and if the
//! work panics again the error reaches the caller.
//!
//! The panic hook is process-wide, so the library never sets it: the binary may install
//! [`install_hook`] once at start. That hook says nothing for a panic that
//! [`catching`] turns into an error (the error says it, with the place it came from)
//! and hands every other panic to the hook that was there before. Without it, caught
//! panics are still errors; the default hook just prints them as well. It uses nothing
//! of docket's but the index's error type.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::thread::{Scope, ScopedJoinHandle};

use super::IndexError;

thread_local! {
    /// How many [`catching`] calls this thread is inside.
    static CATCHING: Cell<u32> = const { Cell::new(0) };
    /// Where the last caught panic of this thread happened (set by the hook).
    static PLACE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the panic hook that keeps quiet about panics [`catching`] turns into
/// errors. For the binary's `main`, once; calling it again adds nothing.
pub fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) > 0 {
                let place = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                PLACE.with(|p| *p.borrow_mut() = place);
            } else {
                previous(info);
            }
        }));
    });
}

/// A panic that [`catching`] caught: what was being done, and what the panic said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
    /// The work, as a phrase such as "reading the terms".
    pub what: &'static str,
    /// The panic's message, and where it happened when the hook saw it.
    pub message: String,
}

impl Panic {
    /// The error it is for the index at `dir`.
    pub fn in_index(self, dir: &Path) -> IndexError {
        IndexError::Panicked {
            path: dir.to_path_buf(),
            what: self.what,
            message: self.message,
        }
    }

    fn of(what: &'static str, payload: &(dyn Any + Send)) -> Panic {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
            .unwrap_or_else(|| "no message".into());
        let message = match PLACE.with(|p| p.borrow_mut().take()) {
            Some(place) => format!("{message} (at {place})"),
            None => message,
        };
        Panic { what, message }
    }
}

/// Runs `f` (doing `what`), turning a panic into a [`Panic`].
pub fn catching<T>(what: &'static str, f: impl FnOnce() -> T) -> Result<T, Panic> {
    CATCHING.with(|c| c.set(c.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(|| {
        test_panic(what);
        f()
    }));
    CATCHING.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| Panic::of(what, payload.as_ref()))
}

/// A worker thread started with [`spawn`].
pub struct Worker<'scope, T> {
    handle: ScopedJoinHandle<'scope, Result<T, Panic>>,
    what: &'static str,
}

/// Starts `f` (doing `what`) on a worker thread of `scope`, under [`catching`].
pub fn spawn<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    what: &'static str,
    f: impl FnOnce() -> T + Send + 'scope,
) -> Worker<'scope, T> {
    Worker {
        handle: scope.spawn(move || catching(what, f)),
        what,
    }
}

impl<T> Worker<'_, T> {
    /// Waits for the worker: its result, or its panic.
    pub fn join(self) -> Result<T, Panic> {
        // `catching` caught the worker's own panic; one outside it (none is expected) is
        // reported the same way.
        self.handle
            .join()
            .unwrap_or_else(|payload| Err(Panic::of(self.what, payload.as_ref())))
    }
}

/// Debug builds panic where `DOCKET_TEST_PANIC` names the work, so tests can check what
/// a panic there becomes.
#[cfg(debug_assertions)]
fn test_panic(what: &str) {
    if std::env::var_os("DOCKET_TEST_PANIC").is_some_and(|v| v == what) {
        panic!("DOCKET_TEST_PANIC asked for a panic");
    }
}

/// Release builds have no panic points.
#[cfg(not(debug_assertions))]
#[inline(always)]
fn test_panic(_what: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_naming_the_work_and_the_place() {
        install_hook();
        let caught = catching("reading the terms", || -> u32 {
            panic!("index out of range")
        })
        .expect_err("it panicked");
        assert_eq!(caught.what, "reading the terms");
        assert!(
            caught
                .message
                .starts_with("index out of range (at src/index/panics.rs:"),
            "{caught:?}"
        );
        let dir = Path::new("/repo/.git/docket/index");
        let e = caught.in_index(dir);
        assert!(matches!(&e, IndexError::Panicked { path, .. } if path == dir));
        assert!(
            e.to_string()
                .starts_with("search index at /repo/.git/docket/index: reading the terms panicked: index out of range"),
            "{e}"
        );
        assert_eq!(catching("adding", || 2 + 2), Ok(4));
        assert_eq!(
            CATCHING.with(Cell::get),
            0,
            "the thread is not marked any more"
        );
    }

    #[test]
    fn a_worker_threads_panic_reaches_the_caller() {
        install_hook();
        let (bad, good) = std::thread::scope(|scope| {
            let bad = spawn(scope, "comparing", || -> u8 {
                panic!("{}", String::from("boom"))
            });
            let good = spawn(scope, "counting", || 7u8);
            (bad.join(), good.join())
        });
        let bad = bad.expect_err("it panicked");
        assert_eq!(bad.what, "comparing");
        assert!(bad.message.starts_with("boom"), "{bad:?}");
        assert_eq!(good, Ok(7));
    }
}
