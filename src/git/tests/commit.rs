//! Committing exactly the given paths: first commits, branches, detached HEAD, worktrees,
//! file kinds, removals, and the index kept in step.

use super::*;

#[test]
fn first_commit_on_an_unborn_branch() {
    let fx = Fixture::new();
    let repo = fx.repo();
    assert_eq!(repo.head_commit().expect("readable"), None);
    assert_eq!(repo.head_tree().expect("readable"), None);
    fx.write("support/tickets/00/T-1/ticket.md", "# one\n");
    fx.write("support/tickets/00/T-2/ticket.md", "# two\n");
    fx.write("unrelated.txt", "leave me\n");
    let info = repo
        .commit_paths(
            &paths(&[
                "support/tickets/00/T-1/ticket.md",
                "support/tickets/00/T-2/ticket.md",
            ]),
            "docket: new T-1\n\nDocket-Ticket: T-1\n",
            &ada(),
            when(),
        )
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(info.branch.as_deref(), Some("main"));
    assert_eq!(fx.git(&["rev-parse", "HEAD"]).trim(), info.id);
    assert_eq!(repo.head_commit().expect("readable"), Some(info.id.clone()));
    assert_eq!(
        repo.head_tree().expect("readable"),
        Some(fx.git(&["rev-parse", "HEAD^{tree}"]).trim().to_owned())
    );
    assert_eq!(
        fx.git(&["log", "-1", "--format=%s%n%an <%ae>%n%cn <%ce>"]),
        "docket: new T-1\nAda Lovelace <ada@example.com>\nConfig User <config@example.com>\n"
    );
    assert_eq!(
        fx.git(&["log", "-1", "--format=%at %ct"]).trim(),
        "1714979289 1714979289"
    );
    assert_eq!(
        fx.git(&[
            "log",
            "-1",
            "--format=%(trailers:key=Docket-Ticket,valueonly)"
        ])
        .trim(),
        "T-1"
    );
    assert_eq!(
        fx.changed_in("HEAD"),
        paths(&[
            "support/tickets/00/T-1/ticket.md",
            "support/tickets/00/T-2/ticket.md"
        ])
    );
    assert_eq!(fx.status(), "?? unrelated.txt\n");
    assert!(
        fx.git(&["reflog", "-1"])
            .contains("commit (initial): docket: new T-1")
    );
    fx.fsck();
}

#[test]
fn commit_on_a_branch_leaves_the_users_changes_alone() {
    let fx = Fixture::new();
    fx.write("a.txt", "a1\n");
    fx.write("b.txt", "b1\n");
    fx.write("t/1.md", "one v1\n");
    fx.write("t/2.md", "two v1\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "init"]);
    let before = fx.git(&["rev-parse", "HEAD"]);

    // The user's work in progress: a staged edit, an unstaged edit.
    fx.write("a.txt", "a2 staged\n");
    fx.git(&["add", "a.txt"]);
    fx.write("b.txt", "b2 unstaged\n");

    let repo = fx.repo();
    fx.write("t/1.md", "one v2\n");
    fx.write("t/3.md", "three\n");
    let info = repo
        .commit_paths(
            &paths(&["t/1.md", "t/3.md"]),
            "docket: edit",
            &ada(),
            when(),
        )
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(fx.git(&["rev-parse", "HEAD~1"]), before);
    assert_eq!(fx.changed_in("HEAD"), paths(&["t/1.md", "t/3.md"]));
    assert_eq!(
        fx.git(&["show", "HEAD:a.txt"]),
        "a1\n",
        "staged change not swept in"
    );
    assert_eq!(fx.git(&["diff", "--cached", "--name-only"]), "a.txt\n");
    assert_eq!(fx.git(&["diff", "--name-only"]), "b.txt\n");
    assert_eq!(fx.status(), "M  a.txt\n M b.txt\n");
    assert_eq!(info.branch.as_deref(), Some("main"));
    assert_eq!(
        fx.git(&["log", "-1", "--format=%s%n%an"]),
        "docket: edit\nAda Lovelace\n"
    );
    fx.fsck();

    // A plain `git commit` afterwards records the right content (stale cache-tree check).
    fx.git(&["commit", "-q", "-m", "user commit"]);
    assert_eq!(fx.changed_in("HEAD"), paths(&["a.txt"]));
    assert_eq!(fx.git(&["show", "HEAD:t/1.md"]), "one v2\n");
    assert_eq!(fx.git(&["show", "HEAD:t/3.md"]), "three\n");
    assert_eq!(fx.git(&["show", "HEAD:a.txt"]), "a2 staged\n");
    fx.git(&["commit", "-q", "-a", "-m", "user commit 2"]);
    assert_eq!(fx.changed_in("HEAD"), paths(&["b.txt"]));
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[test]
fn a_file_missing_from_the_work_tree_is_removed() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    fx.write("t/2.md", "two\n");
    fx.write("d/x/y.md", "y\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "init"]);
    std::fs::remove_file(fx.root.join("t/1.md")).expect("file exists");
    std::fs::remove_dir_all(fx.root.join("d")).expect("dir exists");
    let repo = fx.repo();
    repo.commit_paths(&paths(&["t/1.md", "d/x"]), "docket: delete", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(
        fx.git(&["ls-tree", "-r", "--name-only", "HEAD"]),
        "t/2.md\n"
    );
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[test]
fn an_unchanged_tree_makes_no_commit() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    let repo = fx.repo();
    let first = repo
        .commit_paths(&paths(&["t/1.md"]), "docket: one", &ada(), when())
        .expect("commit works");
    assert!(first.is_some());
    let again = repo
        .commit_paths(&paths(&["t/1.md"]), "docket: one again", &ada(), when())
        .expect("no-op works");
    assert_eq!(again, None);
    let gone = repo
        .commit_paths(
            &paths(&["never/existed.md"]),
            "docket: nothing",
            &ada(),
            when(),
        )
        .expect("no-op works");
    assert_eq!(gone, None);
    assert_eq!(
        repo.commit_paths(&[], "empty", &ada(), when()).expect("ok"),
        None
    );
    assert_eq!(fx.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    assert_eq!(fx.status(), "");
}

#[test]
fn detached_head_moves_head_but_not_the_branch() {
    let fx = Fixture::new();
    fx.write("a.txt", "a\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "init"]);
    let main_before = fx.git(&["rev-parse", "main"]);
    fx.git(&["checkout", "-q", "--detach"]);
    fx.write("t/1.md", "one\n");
    let info = fx
        .repo()
        .commit_paths(&paths(&["t/1.md"]), "docket: detached", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(info.branch, None);
    assert_eq!(fx.git(&["rev-parse", "HEAD"]).trim(), info.id);
    assert_eq!(fx.git(&["rev-parse", "main"]), main_before);
    assert_eq!(fx.git(&["rev-parse", "HEAD~1"]), main_before);
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[test]
fn a_linked_worktree_commits_on_its_own_branch_and_index() {
    let fx = Fixture::new();
    fx.write("a.txt", "a\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "init"]);
    let main_before = fx.git(&["rev-parse", "main"]);
    let wt = fx.root.parent().expect("has a parent").join("wt");
    let wt_str = wt.to_str().expect("temp paths are UTF-8 here");
    fx.git(&["worktree", "add", "-q", "-b", "feature", wt_str]);
    std::fs::write(wt.join("new.md"), "in worktree\n").expect("writable");
    let repo = Repo::discover(&wt).expect("a linked worktree is a repo");
    assert_eq!(repo.workdir(), std::fs::canonicalize(&wt).expect("exists"));
    let info = repo
        .commit_paths(&paths(&["new.md"]), "docket: wt", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(info.branch.as_deref(), Some("feature"));
    assert_eq!(fx.git(&["rev-parse", "main"]), main_before);
    assert_eq!(fx.git(&["rev-parse", "feature"]).trim(), info.id);
    assert_eq!(fx.git_in(&wt, &["status", "--porcelain"]), "");
    assert_eq!(fx.status(), "", "the main worktree's index is untouched");
    fx.fsck();
}

#[cfg(unix)]
#[test]
fn executable_files_and_symlinks_keep_their_kind() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::new();
    fx.write("bin/run.sh", "#!/bin/sh\n");
    let script = fx.root.join("bin/run.sh");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::os::unix::fs::symlink("run.sh", fx.root.join("bin/link")).expect("symlink");
    fx.repo()
        .commit_paths(
            &paths(&["bin/run.sh", "bin/link"]),
            "docket: modes",
            &ada(),
            when(),
        )
        .expect("commit works")
        .expect("a commit was made");
    let tree = fx.git(&["ls-tree", "-r", "HEAD"]);
    assert!(tree.contains("100755 blob"), "{tree}");
    assert!(tree.contains("120000 blob"), "{tree}");
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[test]
fn removing_the_last_file_commits_an_empty_tree() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    let repo = fx.repo();
    repo.commit_paths(&paths(&["t/1.md"]), "docket: add", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
    std::fs::remove_file(fx.root.join("t/1.md")).expect("exists");
    repo.commit_paths(&paths(&["t/1.md"]), "docket: remove", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(fx.git(&["ls-tree", "-r", "HEAD"]), "");
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[cfg(unix)]
#[test]
fn paths_beyond_a_symlinked_directory_are_refused() {
    let fx = Fixture::new();
    let outside = fx.home.join("outside");
    std::fs::create_dir(&outside).expect("dir");
    std::fs::write(outside.join("secret.md"), "secret\n").expect("write");
    std::os::unix::fs::symlink(&outside, fx.root.join("t")).expect("symlink");
    let repo = fx.repo();
    assert!(matches!(
        repo.path_state("t/secret.md"),
        Err(GitError::BadPath { .. })
    ));
    assert!(matches!(
        repo.commit_paths(&paths(&["t/secret.md"]), "docket: no", &ada(), when()),
        Err(GitError::BadPath { .. })
    ));
    assert!(!fx.root.join(".git/index.lock").exists());
}

#[test]
fn a_no_op_commit_still_refreshes_the_index_for_its_paths() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    fx.write("other.md", "o1\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "init"]);
    fx.write("t/1.md", "staged draft\n");
    fx.write("other.md", "o2\n");
    fx.git(&["add", "."]);
    fx.write("t/1.md", "one\n");
    let result = fx
        .repo()
        .commit_paths(&paths(&["t/1.md"]), "docket: same", &ada(), when())
        .expect("works");
    assert_eq!(result, None);
    assert_eq!(
        fx.status(),
        "M  other.md\n",
        "only the user's other change remains"
    );
}
