//! Finding the repository (from a subfolder, with GIT_DIR, bare, none), identities, `init`.

use super::*;

#[test]
fn identity_parses_and_displays() {
    let id = Identity::parse("  Ada Lovelace <ada@example.com> ").expect("valid identity");
    assert_eq!(id, ada());
    assert_eq!(id.to_string(), "Ada Lovelace <ada@example.com>");
    for bad in [
        "",
        "Ada",
        "<ada@example.com>",
        "Ada <>",
        "Ada <ada@example.com",
        "Ada <a<b@example.com>",
        "Ada\nLovelace <ada@example.com>",
        "Ada <ada @example.com>",
    ] {
        assert_eq!(Identity::parse(bad), None, "{bad:?} must not parse");
    }
}

#[test]
fn discover_finds_the_root_from_a_subdirectory() {
    let fx = Fixture::new();
    fx.write("a/b/c.txt", "x");
    let repo = Repo::discover(&fx.root.join("a/b")).expect("inside a repo");
    let root = std::fs::canonicalize(&fx.root).expect("root exists");
    assert_eq!(repo.workdir(), root);
    assert_eq!(repo.git_dir(), root.join(".git"));
    assert!(repo.workdir().is_absolute() && repo.git_dir().is_absolute());
}

#[test]
fn discover_outside_a_repo_is_not_a_repo() {
    let tmp = tempfile::tempdir().expect("a temporary directory can be made");
    match Repo::discover(tmp.path()) {
        Err(GitError::NotARepo { path }) => assert_eq!(path, tmp.path()),
        other => panic!("expected NotARepo, got {other:?}"),
    }
}

#[test]
fn discover_in_a_bare_repo_is_bare() {
    let fx = Fixture::with_init(&["init", "-q", "--bare", "-b", "main"]);
    match Repo::discover(&fx.root) {
        Err(GitError::Bare { path }) => {
            assert_eq!(path, std::fs::canonicalize(&fx.root).expect("exists"));
        }
        other => panic!("expected Bare, got {other:?}"),
    }
}

#[test]
fn author_comes_from_override_then_config() {
    let fx = Fixture::new();
    let repo = fx.repo();
    assert_eq!(
        repo.author(Some("Ada Lovelace <ada@example.com>"))
            .expect("override parses"),
        ada()
    );
    assert_eq!(
        repo.author(None).expect("user.* is configured"),
        Identity {
            name: "Config User".into(),
            email: "config@example.com".into()
        }
    );
    match repo.author(Some("no email here")) {
        Err(GitError::BadIdentity { value }) => assert_eq!(value, "no email here"),
        other => panic!("expected BadIdentity, got {other:?}"),
    }
    let repo = fx.open_isolated(&[
        "user.name=Config User",
        "user.email=config@example.com",
        "author.name=Config Author",
    ]);
    assert_eq!(
        repo.author(None).expect("configured").name,
        "Config Author",
        "author.* wins over user.*"
    );
}

#[test]
fn no_identity_is_an_error_with_a_hint() {
    let fx = Fixture::new();
    let repo = fx.open_isolated(&[]);
    let err = repo.author(None).expect_err("nothing is configured");
    assert!(matches!(err, GitError::NoIdentity { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("git config user.name"), "{msg}");
    assert!(msg.contains("git config user.email"), "{msg}");
    let repo = fx.open_isolated(&["user.name=Only Name"]);
    assert!(matches!(
        repo.author(None),
        Err(GitError::NoIdentity { .. })
    ));
}

#[test]
fn committer_falls_back_to_the_author() {
    let fx = Fixture::new();
    assert_eq!(fx.open_isolated(&[]).committer_or(&ada()), ada());
    let repo = fx.open_isolated(&[
        "user.name=Config User",
        "user.email=config@example.com",
        "committer.name=The Bot",
    ]);
    assert_eq!(
        repo.committer_or(&ada()),
        Identity {
            name: "The Bot".into(),
            email: "config@example.com".into()
        }
    );
}

#[test]
fn discover_honours_git_dir_work_tree_and_index_file() {
    // The process environment cannot be changed safely in-process: re-run this test binary.
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    let elsewhere = tempfile::tempdir().expect("a temporary directory can be made");
    let alt_index = fx.home.join("alt-index");
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let out = Command::new(exe)
        .args([
            "--exact",
            "git::tests::discover::child_discover_from_env",
            "--ignored",
            "--test-threads=1",
        ])
        .env("GIT_DIR", fx.root.join(".git"))
        .env("GIT_WORK_TREE", &fx.root)
        .env("GIT_INDEX_FILE", &alt_index)
        .env("DOCKET_TEST_CHILD_START", elsewhere.path())
        .env(
            "DOCKET_TEST_CHILD_ROOT",
            std::fs::canonicalize(&fx.root).expect("exists"),
        )
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(alt_index.exists(), "GIT_INDEX_FILE was written");
    assert!(!fx.root.join(".git/index").exists(), ".git/index untouched");
    assert_eq!(fx.git(&["log", "--format=%s"]), "docket: from a hook\n");
}

#[test]
#[ignore = "run in a child process by discover_honours_git_dir_work_tree_and_index_file"]
fn child_discover_from_env() {
    let (Some(start), Some(root)) = (
        std::env::var_os("DOCKET_TEST_CHILD_START"),
        std::env::var_os("DOCKET_TEST_CHILD_ROOT"),
    ) else {
        return;
    };
    let repo = Repo::discover(Path::new(&start)).expect("GIT_DIR names the repo");
    assert_eq!(repo.workdir(), Path::new(&root));
    repo.commit_paths(&paths(&["t/1.md"]), "docket: from a hook", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
}

#[test]
fn init_makes_a_repository_git_accepts() {
    let fx = Fixture::new();
    let dir = fx.home.join("fresh");
    let repo = Repo::init(&dir).expect("init works");
    std::fs::write(dir.join("a.md"), "a\n").expect("write");
    repo.commit_paths(&paths(&["a.md"]), "docket: first", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(fx.git_in(&dir, &["log", "--format=%s"]), "docket: first\n");
    assert_eq!(fx.git_in(&dir, &["status", "--porcelain"]), "");
    let err = Repo::discover(fx.home.parent().expect("has a parent"))
        .expect_err("the temporary directory itself is no repository");
    assert!(matches!(err, GitError::NotARepo { .. }), "{err:?}");
    assert!(err.hint().is_some());
}
