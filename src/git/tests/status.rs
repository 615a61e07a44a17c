//! Whether a work-tree path is clean, and the history of paths.

use super::*;

#[test]
fn path_state_tells_clean_modified_untracked_and_missing() {
    let fx = Fixture::new();
    fx.write("clean.md", "c\n");
    fx.write("unstaged.md", "u1\n");
    fx.write("staged.md", "s1\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "init"]);
    fx.write("unstaged.md", "u2\n");
    fx.write("staged.md", "s2\n");
    fx.git(&["add", "staged.md"]);
    fx.write("new.md", "n\n");
    fx.write("added.md", "a\n");
    fx.git(&["add", "added.md"]);
    let repo = fx.repo();
    let state = |p: &str| repo.path_state(p).expect("state is readable");
    assert_eq!(state("clean.md"), PathState::Clean);
    assert_eq!(state("unstaged.md"), PathState::Modified);
    assert_eq!(state("staged.md"), PathState::Modified);
    assert_eq!(state("added.md"), PathState::Modified);
    assert_eq!(state("new.md"), PathState::Untracked);
    assert_eq!(state("gone.md"), PathState::Missing);
    assert_eq!(state("clean.md/below"), PathState::Missing);
    std::fs::remove_file(fx.root.join("clean.md")).expect("exists");
    assert_eq!(state("clean.md"), PathState::Missing);
    // Same bytes rewritten (new mtime) are still clean: content decides, not stat.
    fx.write("unstaged.md", "u1\n");
    assert_eq!(state("unstaged.md"), PathState::Clean);
    for bad in ["", "/abs", "a/../b", "./a", ".git/config", "a//b", "a\\b"] {
        assert!(
            matches!(repo.path_state(bad), Err(GitError::BadPath { .. })),
            "{bad:?} must be rejected"
        );
    }
    assert!(matches!(
        repo.path_state("."),
        Err(GitError::BadPath { .. })
    ));
}

#[test]
fn path_state_on_an_unborn_branch_and_after_a_docket_commit() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    let repo = fx.repo();
    assert_eq!(repo.path_state("t/1.md").expect("ok"), PathState::Untracked);
    repo.commit_paths(&paths(&["t/1.md"]), "docket: one", &ada(), when())
        .expect("commit works");
    assert_eq!(repo.path_state("t/1.md").expect("ok"), PathState::Clean);
    assert!(matches!(
        repo.path_state("t"),
        Err(GitError::NotAFile { .. })
    ));
}

#[test]
fn history_of_a_file_and_of_a_directory() {
    let fx = Fixture::new();
    let repo = fx.repo();
    let at = |s: i64| jiff::Timestamp::from_second(1_700_000_000 + s).expect("in range");
    let commit = |p: &str, content: &str, msg: &str, t| {
        fx.write(p, content);
        repo.commit_paths(&paths(&[p]), msg, &ada(), t)
            .expect("commit works")
            .expect("a commit was made")
            .id
    };
    let c1 = commit("t/A/ticket.md", "a1\n", "docket: new A\n\nbody\n", at(1));
    let c2 = commit("t/B/ticket.md", "b1\n", "docket: new B", at(2));
    let c3 = commit("t/A/c1.md", "comment\n", "docket: comment A", at(3));
    fx.write("other.txt", "x\n");
    fx.git(&["add", "other.txt"]);
    fx.git(&["commit", "-q", "-m", "unrelated"]);
    let c5 = commit("t/A/ticket.md", "a2\n", "docket: close A", at(5));

    let ids = |h: Vec<crate::git::HistoryEntry>| h.into_iter().map(|e| e.id).collect::<Vec<_>>();
    let file = repo.history(&paths(&["t/A/ticket.md"])).expect("history");
    assert_eq!(file[0].summary, "docket: close A");
    assert_eq!(file[0].author, ada());
    assert_eq!(file[0].time, at(5));
    assert_eq!(file[1].message, "docket: new A\n\nbody\n");
    assert_eq!(file[1].summary, "docket: new A");
    assert_eq!(ids(file), vec![c5.clone(), c1.clone()]);
    assert_eq!(
        ids(repo.history(&paths(&["t/A"])).expect("history")),
        vec![c5.clone(), c3.clone(), c1.clone()]
    );
    assert_eq!(
        ids(repo
            .history(&paths(&["t/B", "t/A/c1.md"]))
            .expect("history")),
        vec![c3, c2]
    );
    assert!(repo.history(&paths(&["nope"])).expect("history").is_empty());
    let empty = Fixture::new();
    assert!(
        empty
            .repo()
            .history(&paths(&["t"]))
            .expect("unborn")
            .is_empty()
    );
}
