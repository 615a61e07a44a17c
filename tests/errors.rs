//! How errors become what the binary prints: one `caused by:` line per cause, and an
//! exit code that follows the kind of error (2 for what the user gave, 1 for the rest).
//! The binary's own transcripts of each class are in tests/snapshots.rs.

use std::path::PathBuf;

use docket::cli::Failure;
use docket::desk::DeskError;
use docket::git::GitError;
use docket::store::StoreError;

fn denied() -> std::io::Error {
    std::io::Error::from(std::io::ErrorKind::PermissionDenied)
}

#[test]
fn a_failing_random_source_is_a_failure_not_a_usage_error() {
    let f = Failure::from(DeskError::Random {
        for_id: true,
        error: getrandom::Error::UNSUPPORTED,
    });
    assert_eq!(f.code, 1);
    assert_eq!(
        f.message,
        "no randomness for a new id: getrandom: this target is not supported"
    );
    assert!(f.causes.is_empty(), "{:?}", f.causes);
    assert_eq!(
        f.hint.as_deref(),
        Some("check that the system's random source is available")
    );
    let f = Failure::from(DeskError::Random {
        for_id: false,
        error: getrandom::Error::UNSUPPORTED,
    });
    assert_eq!(
        (f.code, f.message.as_str(), f.hint.as_deref()),
        (
            1,
            "no randomness: getrandom: this target is not supported",
            Some("check the system's random source")
        )
    );
}

#[test]
fn an_io_error_is_printed_once() {
    let f = Failure::from(StoreError::Io {
        path: PathBuf::from("support/tickets/AB/T-AB.md"),
        error: denied(),
    });
    assert_eq!(f.message, "support/tickets/AB/T-AB.md: permission denied");
    assert!(f.causes.is_empty(), "{:?}", f.causes);
    assert_eq!(f.code, 1);
}

#[test]
fn a_failed_commit_prints_each_cause_once_outermost_first() {
    let f = Failure::from(DeskError::CommitFailed {
        paths: vec!["a.md".into(), "b.md".into()],
        source: GitError::Io {
            path: PathBuf::from(".git/index"),
            source: denied(),
        },
    });
    assert_eq!(f.message, "wrote a.md, b.md but could not commit");
    assert_eq!(
        f.causes,
        ["cannot access .git/index", "permission denied"],
        "the git error and its cause, once each"
    );
    assert_eq!(f.code, 1);
    assert!(
        f.hint
            .is_some_and(|h| h.contains("the next docket command"))
    );
}

#[test]
fn bad_input_is_a_usage_error() {
    let f = Failure::from(StoreError::Ambiguous {
        prefix: "AB".into(),
        candidates: vec!["T-AB1".into(), "T-AB2".into()],
    });
    assert_eq!(f.code, 2);
    let f = Failure::from(GitError::BadIdentity {
        value: "nobody".into(),
    });
    assert_eq!(f.code, 2);
}
