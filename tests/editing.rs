//! Editing through the user's editor, with real editor scripts: which editor docket runs
//! (git's order), editor command lines with arguments, the recovery of a failed
//! `docket edit` and `docket kb edit`, editors that fail or change nothing; and the
//! conventions that came with them: `watch --status --json`, write options only in the
//! help of commands that write.

mod common;

use std::path::{Path, PathBuf};

use common::Repo;

/// A shell script in the test's home that edits a ticket or article file (`$1`): it sets
/// the title to `title`.
fn titling_editor(r: &Repo, name: &str, title: &str) -> String {
    let script = r.home().join(format!("{name}.sh"));
    std::fs::write(
        &script,
        format!("#!/bin/sh\nsed -i 's/^title: .*/title: {title}/' \"$1\"\n"),
    )
    .expect("editor script");
    format!("sh {}", script.display())
}

/// An editor that copies what it was given to `seen.md` and replaces it with the text of
/// `next.md` (both in the test's home), so a test says what the user writes and checks
/// what the user was shown.
struct ScriptedEditor {
    home: PathBuf,
    command: String,
}

impl ScriptedEditor {
    fn new(r: &Repo) -> ScriptedEditor {
        let home = r.home().to_path_buf();
        let script = home.join("scripted.sh");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\ncp \"$1\" {seen}\ncat {next} > \"$1\"\n",
                seen = home.join("seen.md").display(),
                next = home.join("next.md").display()
            ),
        )
        .expect("editor script");
        ScriptedEditor {
            command: format!("sh {}", script.display()),
            home,
        }
    }

    /// Sets what the user writes in the next run.
    fn will_write(&self, text: &str) {
        std::fs::write(self.home.join("next.md"), text).expect("next text");
    }

    /// What the editor was given in the last run.
    fn saw(&self) -> String {
        std::fs::read_to_string(self.home.join("seen.md")).expect("the editor ran")
    }

    fn env(&self) -> [(&str, &str); 1] {
        [("EDITOR", self.command.as_str())]
    }
}

fn last_subject(r: &Repo) -> String {
    r.git(&["log", "-1", "--format=%s"]).ok().trim().to_string()
}

fn edit_commits(r: &Repo) -> usize {
    r.git(&["log", "--format=%s"])
        .ok()
        .lines()
        .filter(|l| l.starts_with("docket: edit ") || l.starts_with("docket: kb-edit "))
        .count()
}

#[test]
fn the_editor_is_chosen_in_gits_order() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Editor order");
    let mut env: Vec<(&str, String)> = ["DOCKET_EDITOR", "GIT_EDITOR", "VISUAL", "EDITOR"]
        .iter()
        .map(|&name| (name, titling_editor(&r, name, &format!("by {name}"))))
        .collect();
    r.git(&[
        "config",
        "core.editor",
        &titling_editor(&r, "core", "by core.editor"),
    ])
    .ok();
    // Each setting wins over the ones after it; removing it lets the next one win.
    for expected in [
        "DOCKET_EDITOR",
        "GIT_EDITOR",
        "core.editor",
        "VISUAL",
        "EDITOR",
    ] {
        let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        r.docket_env(&["edit", &id], &pairs).ok();
        assert_eq!(
            last_subject(&r),
            format!("docket: edit {id} \"by {expected}\""),
            "with {:?} and core.editor",
            env.iter().map(|(k, _)| k).collect::<Vec<_>>()
        );
        if expected == "core.editor" {
            r.git(&["config", "--unset", "core.editor"]).ok();
        } else {
            env.retain(|(k, _)| *k != expected);
        }
    }
    // A blank setting counts as unset; with none left, docket runs `vi` (here a script
    // of that name, first on the PATH).
    let bin = r.home().join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let vi = titling_editor(&r, "vi-script", "by vi");
    std::fs::write(bin.join("vi"), format!("#!/bin/sh\n{vi} \"$@\"\n")).expect("vi");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").expect("PATH"));
    make_executable(&bin.join("vi"));
    r.docket_env(
        &["edit", &id],
        &[("PATH", &path), ("EDITOR", " "), ("VISUAL", "")],
    )
    .ok();
    assert_eq!(last_subject(&r), format!("docket: edit {id} \"by vi\""));
    assert_eq!(r.status(), "");
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn an_editor_setting_is_a_shell_command_line() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Arguments");
    let script = r.home().join("with-args.sh");
    // Like `code --wait`: an option, then a quoted argument with a space, then the file.
    std::fs::write(
        &script,
        "#!/bin/sh\n[ \"$1\" = --wait ] || exit 9\nsed -i \"s/^title: .*/title: $2/\" \"$3\"\n",
    )
    .expect("script");
    let editor = format!("sh {} --wait 'two words'", script.display());
    r.docket_env(&["edit", &id], &[("GIT_EDITOR", &editor)])
        .ok();
    assert_eq!(last_subject(&r), format!("docket: edit {id} \"two words\""));
}

/// The ticket file of `id`, from its id alone (the file may not parse).
fn ticket_file(id: &str) -> String {
    format!("support/tickets/{}/{id}.md", &id[2..4])
}

#[test]
fn a_failed_edit_reopens_the_kept_text_and_commits_it_once_it_parses() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Crash on start");
    let rel = ticket_file(&id);
    let committed = r.read(&rel);
    let editor = ScriptedEditor::new(&r);
    let broken = committed.replace("title: Crash on start", "title: \"Crash on exit");
    editor.will_write(&broken);
    let err = r
        .docket_env(&["edit", &id], &editor.env())
        .fails(2)
        .to_string();
    assert!(
        err.contains(&format!("{rel}:"))
            && err.contains("your text is kept in the file")
            && err.contains(&format!("`docket edit {id}`")),
        "{err}"
    );
    assert_eq!(editor.saw(), committed);
    assert_eq!(r.read(&rel), broken, "the broken text is kept");

    // Found by a prefix while the file does not parse; fails again, the text kept again.
    let still_broken = broken.replace("status: open", "status: [open");
    editor.will_write(&still_broken);
    let run = r.docket_env(&["edit", &id[..6]], &editor.env());
    let err = run.fails(2);
    assert!(
        err.contains("has uncommitted changes: the editor shows them"),
        "{err}"
    );
    assert!(err.contains("your text is kept in the file"), "{err}");
    assert_eq!(editor.saw(), broken, "the editor opened the kept text");
    assert_eq!(r.read(&rel), still_broken);

    let fixed = committed.replace("title: Crash on start", "title: Crash on exit");
    editor.will_write(&fixed);
    let run = r.docket_env(&["edit", &id], &editor.env());
    run.ok();
    assert!(run.stderr.contains(&format!("edit {id} [main ")), "{run:?}");
    assert_eq!(editor.saw(), still_broken);
    assert_eq!(edit_commits(&r), 1, "one commit for the whole edit");
    assert_eq!(
        last_subject(&r),
        format!("docket: edit {id} \"Crash on exit\"")
    );
    let diff = r
        .git(&["diff", "HEAD~1", "HEAD", "--unified=0"])
        .ok()
        .to_string();
    assert!(
        diff.contains("-title: Crash on start\n+title: Crash on exit\n"),
        "the change against HEAD: {diff}"
    );
    assert_eq!(r.status(), "");
}

#[test]
fn kept_text_fixed_by_hand_is_committed_by_the_next_edit() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Slow search");
    let rel = ticket_file(&id);
    let committed = r.read(&rel);
    let broken = committed.replace("status: open", "status: \"open");
    let editor = ScriptedEditor::new(&r);
    editor.will_write(&broken);
    r.docket_env(&["edit", &id], &editor.env()).fails(2);
    // Fixed in another editor; the plain `docket edit` refused it before.
    let fixed = committed.replace("Slow search", "Slow search on big desks");
    r.write(&rel, &fixed);
    let run = r.docket_env(&["edit", &id], &[("EDITOR", "true")]);
    run.ok();
    assert_eq!(
        last_subject(&r),
        format!("docket: edit {id} \"Slow search on big desks\"")
    );
    assert_eq!(r.read(&rel), fixed);
    assert_eq!(edit_commits(&r), 1);
    assert_eq!(r.status(), "");
    // With --no-commit, the hand edit stays as it is and nothing is committed.
    let before = r.commit_count();
    r.write(&rel, &committed);
    r.docket_env(&["edit", &id, "--no-commit"], &[("EDITOR", "true")])
        .ok();
    assert_eq!(r.commit_count(), before);
    assert_eq!(r.read(&rel), committed);
}

#[test]
fn an_editor_that_fails_or_changes_nothing_commits_nothing() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Nothing to do");
    let rel = ticket_file(&id);
    let before = r.commit_count();
    let run = r.docket_env(&["edit", &id], &[("EDITOR", "true")]);
    assert!(
        run.ok().is_empty() && run.stderr.contains("nothing to change"),
        "{run:?}"
    );
    let script = r.home().join("fail.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\necho 'half a thought' >> \"$1\"\nexit 3\n",
    )
    .expect("script");
    let editor = format!("sh {}", script.display());
    let err = r
        .docket_env(&["edit", &id], &[("EDITOR", &editor)])
        .fails(1)
        .to_string();
    assert!(
        err.contains("(from EDITOR) exited with exit status: 3; nothing was committed")
            && err.contains(&format!(
                "your text is still in {}",
                r.root.join(&rel).display()
            )),
        "{err}"
    );
    assert!(
        r.read(&rel).ends_with("half a thought\n"),
        "the text is kept"
    );
    r.git(&["checkout", "--", &rel]).ok();
    let err = r
        .docket_env(
            &["edit", &id],
            &[("DOCKET_EDITOR", "no-such-editor --wait")],
        )
        .fails(1)
        .to_string();
    assert!(
        err.contains("the editor `no-such-editor --wait` (from DOCKET_EDITOR) was not found")
            && err.contains("hint: set DOCKET_EDITOR"),
        "{err}"
    );
    assert_eq!(r.commit_count(), before);
    assert_eq!(r.status(), "");
}

#[test]
fn a_failed_kb_edit_is_recovered_the_same_way() {
    let r = Repo::with_desk();
    r.docket(&[
        "kb",
        "new",
        "--title",
        "Config reference",
        "--slug",
        "config-reference",
        "--body",
        "Every key.",
    ])
    .ok();
    let rel = "support/kb/config-reference.md";
    let committed = r.read(rel);
    let editor = ScriptedEditor::new(&r);
    let broken = committed.replace("title: Config reference", "title: [Config");
    editor.will_write(&broken);
    let err = r
        .docket_env(&["kb", "edit", "config-reference"], &editor.env())
        .fails(2)
        .to_string();
    assert!(
        err.contains("`docket kb edit config-reference`"),
        "the hint names the kb command: {err}"
    );
    let fixed = committed.replace("title: Config reference", "title: Configuration reference");
    editor.will_write(&fixed);
    r.docket_env(&["kb", "edit", "config-reference"], &editor.env())
        .ok();
    assert_eq!(
        editor.saw(),
        broken,
        "the broken article was found by its path"
    );
    assert_eq!(edit_commits(&r), 1);
    assert!(last_subject(&r).starts_with("docket: kb-edit config-reference"));
    assert_eq!(r.status(), "");
}

#[test]
fn watch_status_json_is_one_object_with_every_key() {
    let r = Repo::with_desk();
    let status = |r: &Repo| -> serde_json::Value {
        let run = r.docket(&["watch", "--status", "--json"]);
        serde_json::from_str(run.ok()).unwrap_or_else(|e| panic!("{e}: {run:?}"))
    };
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
        k.sort();
        k
    };
    let stopped = status(&r);
    assert_eq!(stopped["state"], "stopped");
    assert_eq!(stopped["running"], false);
    assert!(stopped["pid"].is_null() && stopped["journal_bytes"].is_null());
    // A read on a "large" desk (every desk, with this limit) starts a watcher.
    r.new_ticket("Watched");
    let env = [("DOCKET_INDEX_FULL_SCAN_LIMIT", "0")];
    r.docket_env(&["list"], &env).ok();
    r.docket_env(&["list"], &env).ok();
    let running = status(&r);
    assert_eq!(running["state"], "running", "{running}");
    assert_eq!(running["running"], true);
    assert!(running["pid"].as_u64().is_some_and(|p| p > 0), "{running}");
    assert!(
        running["folders"].as_u64().is_some_and(|n| n > 0),
        "{running}"
    );
    assert!(running["journal_bytes"].is_u64(), "{running}");
    assert!(
        running["roots"]
            .as_array()
            .expect("roots")
            .contains(&"support/tickets".into()),
        "{running}"
    );
    assert_eq!(
        keys(&running),
        keys(&stopped),
        "the same keys in every state"
    );
    assert_eq!(
        r.docket(&["watch", "--json"]).code,
        2,
        "--json needs --status"
    );
}

/// Whether a command's help offers the write options.
fn offers_write_options(r: &Repo, command: &[&str]) -> (bool, bool) {
    let mut args = command.to_vec();
    args.push("--help");
    let help = r.docket(&args).ok().to_string();
    (help.contains("--author"), help.contains("--no-commit"))
}

#[test]
fn only_commands_that_write_take_author_and_no_commit() {
    let r = Repo::with_desk();
    let reads: [&[&str]; 14] = [
        &["list"],
        &["show"],
        &["search"],
        &["check"],
        &["history"],
        &["suggest"],
        &["dupes"],
        &["export"],
        &["index"],
        &["watch"],
        &["kb", "list"],
        &["kb", "show"],
        &["customer", "list"],
        &["customer", "show"],
    ];
    for command in reads {
        assert_eq!(
            offers_write_options(&r, command),
            (false, false),
            "{command:?}"
        );
    }
    let writes: [&[&str]; 15] = [
        &["init"],
        &["new"],
        &["edit"],
        &["set"],
        &["comment"],
        &["assign"],
        &["close"],
        &["resolve"],
        &["reopen"],
        &["link"],
        &["kb", "new"],
        &["kb", "edit"],
        &["kb", "set"],
        &["customer", "new"],
        &["customer", "set"],
    ];
    for command in writes {
        assert_eq!(
            offers_write_options(&r, command),
            (true, true),
            "{command:?}"
        );
    }
    // The top level names them once, in its closing note (which the man page shows).
    let help = r.docket(&["--help"]).ok().to_string();
    assert_eq!(help.matches("--no-commit").count(), 1, "{help}");
    assert!(help.contains("also take --author WHO"), "{help}");
    assert!(r.docket(&["man"]).ok().contains("\\-\\-no\\-commit"));
    // A read command refuses them, after it or before it.
    assert_eq!(r.docket(&["list", "--no-commit"]).code, 2);
    assert_eq!(r.docket(&["list", "--author", "A <a@b.example>"]).code, 2);
    let err = r.docket(&["--no-commit", "list"]).fails(2).to_string();
    assert!(
        err.contains("--no-commit is for commands that write"),
        "{err}"
    );
    // A write command takes them after it, and before it as earlier versions did.
    let id = r.new_ticket("Options");
    let before = r.commit_count();
    r.docket(&["set", &id, "--no-commit", "priority=high"]).ok();
    assert_eq!(r.commit_count(), before);
    r.git(&["checkout", "--", "."]).ok();
    r.docket(&["--no-commit", "set", &id, "priority=high"]).ok();
    assert_eq!(r.commit_count(), before);
    r.git(&["checkout", "--", "."]).ok();
    r.docket_env(
        &["set", &id, "priority=high"],
        &[("DOCKET_AUTHOR", "Bob Marsh <bob@example.org>")],
    )
    .ok();
    assert_eq!(
        r.git(&["log", "-1", "--format=%an"]).ok().trim(),
        "Bob Marsh"
    );
    r.docket_env(
        &[
            "--author",
            "Dana Whitfield <dana@acme.example>",
            "set",
            &id,
            "priority=low",
        ],
        &[("DOCKET_AUTHOR", "Bob Marsh <bob@example.org>")],
    )
    .ok();
    assert_eq!(
        r.git(&["log", "-1", "--format=%an"]).ok().trim(),
        "Dana Whitfield",
        "a flag wins over DOCKET_AUTHOR"
    );
}

#[test]
fn the_text_of_a_failed_comment_editor_is_kept_where_the_hint_says() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Comment in the editor");
    let before = r.commit_count();
    let script = r.home().join("write-then-fail.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nprintf 'A long reply.\\n' >> \"$1\"\nexit 1\n",
    )
    .expect("script");
    let tmp = r.home().join("tmp");
    std::fs::create_dir_all(&tmp).expect("tmp");
    // `script` gives docket a terminal, so that `comment` without text opens the editor.
    let docket = env!("CARGO_BIN_EXE_docket");
    let mut cmd = std::process::Command::new("script");
    common::hermetic(&mut cmd, r.home());
    let out = cmd
        .current_dir(&r.root)
        .env("EDITOR", format!("sh {}", script.display()))
        .env("TMPDIR", &tmp)
        .args(["-qec", &format!("{docket} comment {id}"), "/dev/null"])
        .output()
        .expect("script runs");
    let shown = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(!out.status.success(), "{shown}");
    let kept = shown
        .split("your text is still in ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_else(|| panic!("no hint: {shown}"));
    assert!(kept.starts_with(tmp.to_str().expect("utf-8")), "{kept}");
    let text = std::fs::read_to_string(kept).expect("the kept file exists");
    assert!(text.contains("A long reply."), "{text}");
    assert_eq!(r.commit_count(), before);
}

#[test]
fn a_status_changed_in_the_editor_is_recorded_as_an_event_in_the_same_commit() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Crash on start");
    let rel = ticket_file(&id);
    let editor = ScriptedEditor::new(&r);
    editor.will_write(&r.read(&rel).replace("status: open", "status: pending"));
    r.docket_env(&["edit", &id], &editor.env()).ok();
    let files = r
        .git(&["show", "--name-status", "--format=", "HEAD"])
        .ok()
        .to_string();
    let event = files
        .lines()
        .find_map(|l| l.strip_prefix("A\t"))
        .expect("an added event file");
    assert!(files.contains(&format!("M\t{rel}")), "{files}");
    assert!(
        r.read(event)
            .contains("event: status\nfrom: open\nto: pending\n"),
        "{}",
        r.read(event)
    );
    assert_eq!(r.status(), "");
}
