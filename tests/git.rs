//! docket's commits as git sees them: exactly the files changed, a clean `git status`, the
//! user's own work untouched, odd repository states, concurrent writers and plain merges.

mod common;

use common::Repo;

#[test]
fn the_users_staged_and_unstaged_work_is_left_alone() {
    let r = Repo::with_desk();
    r.write("README.md", "v1\n");
    r.write("notes.txt", "v1\n");
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-qm", "user files"]).ok();
    r.write("README.md", "v2 staged\n");
    r.git(&["add", "README.md"]).ok();
    r.write("notes.txt", "v2 unstaged\n");
    r.write("scratch.txt", "untracked\n");
    let id = r.new_ticket("Crash");
    r.docket(&["comment", &id, "-m", "ack"]).ok();
    for rev in ["HEAD", "HEAD~1"] {
        let files = r
            .git(&["show", "--name-only", "--format=", rev])
            .ok()
            .to_string();
        assert!(
            files.lines().all(|f| f.starts_with("support/tickets/")),
            "{rev}: {files}"
        );
    }
    assert_eq!(r.status(), "M  README.md\n M notes.txt\n?? scratch.txt\n");
    assert_eq!(
        r.git(&["diff", "--cached", "--name-only"]).ok(),
        "README.md\n"
    );
    assert_eq!(r.read("notes.txt"), "v2 unstaged\n");
    // The user's own commit afterwards records what they staged, and nothing of docket's.
    r.git(&["commit", "-qm", "user commit"]).ok();
    assert_eq!(
        r.git(&["show", "--name-only", "--format=", "HEAD"]).ok(),
        "README.md\n"
    );
    assert_eq!(r.git(&["show", "HEAD:README.md"]).ok(), "v2 staged\n");
    r.fsck();
}

#[test]
fn hand_edits_are_not_overwritten() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Crash");
    let path = r.ticket_path(&id);
    let edited = r
        .read(&path)
        .replace("Steps to reproduce.", "Steps, edited by hand.");
    r.write(&path, &edited);
    let err = r
        .docket(&["set", &id, "status=pending"])
        .fails(1)
        .to_string();
    assert!(
        err.contains(&format!("error: {path} has uncommitted changes")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "hint: commit the changes with `git commit {path}`"
        )),
        "{err}"
    );
    assert_eq!(r.read(&path), edited, "the hand edit is intact");
    // Staged hand edits count too.
    r.git(&["add", &path]).ok();
    r.docket(&["close", &id]).fails(1);
    // --no-commit edits in place, keeping the hand edit, and commits nothing.
    let before = r.commit_count();
    r.docket(&["--no-commit", "set", &id, "status=pending"])
        .ok();
    assert_eq!(r.commit_count(), before);
    let text = r.read(&path);
    assert!(
        text.contains("status: pending") && text.contains("edited by hand"),
        "{text}"
    );
    // The status change also wrote its event file, left for the user to commit too.
    let folder = path.trim_end_matches(".md");
    assert_eq!(r.status(), format!("MM {path}\n?? {folder}/\n"));
}

#[test]
fn no_commit_writes_files_for_the_user_to_commit() {
    let r = Repo::with_desk();
    let before = r.commit_count();
    let run = r.docket(&["--no-commit", "new", "-t", "Draft", "-b", "x"]);
    let id = run.ok().trim().to_string();
    assert!(run.stderr.contains("(not committed)"), "{}", run.stderr);
    assert_eq!(r.commit_count(), before);
    assert_eq!(r.status(), "?? support/\n");
    assert!(
        r.root
            .join(format!("support/tickets/{}/{id}.md", &id[2..4]))
            .exists()
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-qm", "by hand"]).ok();
    r.docket(&["comment", &id, "-m", "now committed by docket"])
        .ok();
    assert_eq!(r.status(), "");
}

#[test]
fn author_comes_from_flag_env_or_config() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Who");
    assert_eq!(
        r.git(&["log", "-1", "--format=%an <%ae>|%cn"]).ok().trim(),
        "Alice Ng <alice@example.org>|Alice Ng"
    );
    r.docket(&[
        "--author",
        "Dana Whitfield <dana@acme.example>",
        "comment",
        &id,
        "-m",
        "hi",
    ])
    .ok();
    assert_eq!(
        r.git(&["log", "-1", "--format=%an <%ae>|%cn"]).ok().trim(),
        "Dana Whitfield <dana@acme.example>|Alice Ng"
    );
    r.docket_env(
        &["comment", &id, "-m", "hi"],
        &[("DOCKET_AUTHOR", "Bob Marsh <bob@example.org>")],
    )
    .ok();
    assert_eq!(
        r.git(&["log", "-1", "--format=%an"]).ok().trim(),
        "Bob Marsh"
    );
    let v: serde_json::Value =
        serde_json::from_str(r.docket(&["show", &id, "--json"]).ok()).expect("json");
    assert_eq!(
        v["comments"][0]["author"],
        "Dana Whitfield <dana@acme.example>"
    );
    let err = r
        .docket(&["--author", "nobody", "comment", &id, "-m", "x"])
        .fails(2)
        .to_string();
    assert!(
        err.contains("bad identity") && err.contains("hint:"),
        "{err}"
    );
}

#[test]
fn a_repo_without_identity_gets_a_clear_error() {
    let r = Repo::bare_dir();
    r.git(&["init", "-q", "-b", "main"]).ok();
    let err = r
        .docket(&["new", "-t", "x", "-b", "y"])
        .fails(1)
        .to_string();
    assert!(
        err.contains("user.name") && err.contains("--author"),
        "{err}"
    );
    assert_eq!(r.status(), "", "nothing was written");
}

#[test]
fn unborn_head_gets_a_first_commit() {
    let r = Repo::new();
    let id = r.new_ticket("First ever");
    assert_eq!(r.commit_count(), 1);
    assert_eq!(
        r.git(&["log", "--format=%s"]).ok().trim(),
        format!("docket: new {id} \"First ever\"")
    );
    assert_eq!(
        r.git(&["rev-parse", "--abbrev-ref", "HEAD"]).ok().trim(),
        "main"
    );
    assert_eq!(r.status(), "");
    r.fsck();
}

#[test]
fn detached_head_moves_head_not_the_branch() {
    let r = Repo::with_desk();
    let id = r.new_ticket("On a branch");
    let main = r.git(&["rev-parse", "main"]).ok().trim().to_string();
    r.git(&["checkout", "-q", "--detach"]).ok();
    let run = r.docket(&["comment", &id, "-m", "detached"]);
    run.ok();
    assert!(run.stderr.contains("[detached "), "{}", run.stderr);
    assert_eq!(r.git(&["rev-parse", "main"]).ok().trim(), main);
    assert_eq!(r.git(&["rev-parse", "HEAD~1"]).ok().trim(), main);
    assert_eq!(r.status(), "");
}

#[test]
fn outside_a_repo_and_in_a_bare_repo_are_clear_errors() {
    let r = Repo::bare_dir();
    let err = r.docket(&["list"]).fails(1).to_string();
    assert!(
        err.contains("not inside a git repository") && err.contains("hint:"),
        "{err}"
    );
    r.git(&["init", "-q", "--bare"]).ok();
    let err = r.docket(&["list"]).fails(1).to_string();
    assert!(err.contains("bare repository"), "{err}");
}

#[test]
fn works_from_a_subdirectory_and_with_dash_c() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Anywhere");
    std::fs::create_dir_all(r.root.join("src/deep")).expect("mkdir");
    let out = r
        .command(
            std::path::Path::new(env!("CARGO_BIN_EXE_docket")),
            &["show", &id],
        )
        .current_dir(r.root.join("src/deep"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let elsewhere = Repo::bare_dir();
    let root = r.root.to_str().expect("utf-8 path");
    assert!(
        elsewhere
            .docket(&["-C", root, "show", &id])
            .ok()
            .contains("Anywhere")
    );
}

#[test]
fn parallel_comments_lose_nothing() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Busy ticket");
    let before = r.commit_count();
    let handles: Vec<_> = (0..8)
        .map(|p| {
            let root = r.root.clone();
            let home = r.home().to_path_buf();
            let id = id.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_docket"));
                    common::hermetic(&mut cmd, &home);
                    // One seed and one clock for all 200: the same millisecond in every
                    // file name, and HEAD plus the existence check keep them apart.
                    let out = cmd
                        .env("DOCKET_SEED", "1")
                        .env("DOCKET_NOW", common::CLOCK_START)
                        .current_dir(&root)
                        .args(["comment", &id, "-m", &format!("comment {p}-{i}")])
                        .output()
                        .expect("docket runs");
                    assert!(
                        out.status.success(),
                        "{p}-{i}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("writer thread");
    }
    assert_eq!(r.commit_count(), before + 200);
    let v: serde_json::Value =
        serde_json::from_str(r.docket(&["show", &id, "--json"]).ok()).expect("json");
    let mut bodies: Vec<String> = v["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .map(|c| c["body"].as_str().expect("body").trim().to_string())
        .collect();
    bodies.sort();
    bodies.dedup();
    assert_eq!(bodies.len(), 200);
    // Each comment file arrived in exactly one commit.
    let log = r
        .git(&[
            "log",
            "--format=",
            "--name-only",
            "--diff-filter=A",
            "HEAD~200..HEAD",
        ])
        .ok()
        .to_string();
    let added: Vec<&str> = log.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(added.len(), 200);
    let unique: std::collections::BTreeSet<&&str> = added.iter().collect();
    assert_eq!(unique.len(), 200);
    assert_eq!(r.status(), "");
    r.fsck();
}

#[test]
fn branches_that_comment_on_one_ticket_merge_cleanly() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Shared ticket");
    r.git(&["checkout", "-q", "-b", "a"]).ok();
    r.docket(&["comment", &id, "-m", "from branch a"]).ok();
    r.docket(&["comment", &id, "-m", "more from a"]).ok();
    r.git(&["checkout", "-q", "main"]).ok();
    r.git(&["checkout", "-q", "-b", "b"]).ok();
    r.docket(&["comment", &id, "-m", "from branch b"]).ok();
    r.docket(&["set", &id, "labels+=triaged"]).ok();
    r.git(&["checkout", "-q", "main"]).ok();
    r.git(&["merge", "-q", "--no-edit", "a"]).ok();
    let merge = r.git(&["merge", "--no-edit", "b"]);
    assert_eq!(
        merge.code, 0,
        "merge conflicted: {}{}",
        merge.stdout, merge.stderr
    );
    let v: serde_json::Value =
        serde_json::from_str(r.docket(&["show", &id, "--json"]).ok()).expect("json");
    assert_eq!(v["comments"].as_array().expect("comments").len(), 3);
    assert_eq!(v["labels"][0], "triaged");
    r.fsck();
}

#[test]
fn branches_that_open_tickets_merge_cleanly() {
    let r = Repo::with_desk();
    r.git(&["checkout", "-q", "-b", "a"]).ok();
    let mut ids: Vec<String> = (0..5)
        .map(|i| r.new_ticket(&format!("from a {i}")))
        .collect();
    r.git(&["checkout", "-q", "main"]).ok();
    r.git(&["checkout", "-q", "-b", "b"]).ok();
    ids.extend((0..5).map(|i| r.new_ticket(&format!("from b {i}"))));
    r.git(&["checkout", "-q", "main"]).ok();
    r.git(&["merge", "-q", "--no-edit", "a"]).ok();
    let merge = r.git(&["merge", "--no-edit", "b"]);
    assert_eq!(
        merge.code, 0,
        "merge conflicted: {}{}",
        merge.stdout, merge.stderr
    );
    let listed = r.docket(&["list", "--json"]).ok().to_string();
    for id in &ids {
        assert!(listed.contains(id.as_str()), "{id} missing after the merge");
    }
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), 10, "ids never collide");
    r.fsck();
}

#[test]
fn no_temporary_files_are_left_behind() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Atomic");
    for i in 0..5 {
        r.docket(&["set", "--force", &id, &format!("x-step={i}")])
            .ok();
    }
    let leftovers: Vec<_> = walkdir::WalkDir::new(r.root.join("support"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(r.status(), "");
}
