//! The README's shell blocks, pasted into one shell in order, as a new user would: from
//! `docket demo` through the walkthrough to the export. The script keeps every README
//! line in its place (other lines become blank), so a failing command is reported by its
//! README line number. Only `cargo` lines are left out: the test already runs the
//! binary they build, and `cargo run --release -- demo` runs as `docket demo`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The README as a bash script, and how many commands of it run.
fn readme_script(readme: &str) -> (String, usize) {
    let mut script = Vec::new();
    let mut in_sh = false;
    let mut commands = 0;
    let mut continued = false;
    for line in readme.lines() {
        let fence = line.trim_start().starts_with("```");
        if fence {
            in_sh = !in_sh && line.trim() == "```sh";
            script.push(String::new());
            continue;
        }
        if !in_sh {
            script.push(String::new());
            continue;
        }
        let code = line.trim();
        let starts_command = !continued && !code.is_empty() && !code.starts_with('#');
        continued = code.ends_with('\\');
        if let Some(rest) = code.strip_prefix("cargo run --release -- ") {
            commands += 1;
            script.push(format!("docket {rest}"));
        } else if code.starts_with("cargo ") {
            script.push(String::new());
        } else {
            commands += usize::from(starts_command);
            script.push(line.to_string());
        }
    }
    (script.join("\n") + "\n", commands)
}

/// An editor for `docket edit` and `docket kb edit`: it appends a line to the body.
fn write_editor(dir: &Path) -> PathBuf {
    let path = dir.join("editor.sh");
    std::fs::write(
        &path,
        "#!/bin/sh\nprintf '\\nEdited in the walkthrough.\\n' >> \"$1\"\n",
    )
    .expect("write editor");
    let mut perms = std::fs::metadata(&path).expect("stat").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&path, perms).expect("chmod");
    path
}

#[test]
fn every_readme_command_runs_when_pasted() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("read README");
    let (script, commands) = readme_script(&readme);
    assert!(commands >= 30, "only {commands} README commands found");

    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&home).expect("home");
    std::fs::create_dir_all(&work).expect("work");
    std::fs::write(
        home.join(".gitconfig"),
        "[user]\n\tname = Robin Newcomer\n\temail = robin@example.org\n[init]\n\tdefaultBranch = main\n",
    )
    .expect("gitconfig");
    let editor = write_editor(tmp.path());
    let script_path = tmp.path().join("readme.sh");
    let prelude =
        "set -eEuo pipefail; trap 'echo \"README line $LINENO failed: $BASH_COMMAND\" >&2' ERR\n";
    // The prelude shares the first line with the README's title, so line numbers match.
    std::fs::write(
        &script_path,
        format!("{}{}", prelude.trim_end(), &script[..]),
    )
    .expect("script");

    let bin = PathBuf::from(env!("CARGO_BIN_EXE_docket"));
    let path = format!(
        "{}:{}",
        bin.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg(&script_path)
        .current_dir(&work)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("EDITOR", &editor)
        .env("LANG", "C.UTF-8")
        .env("DOCKET_WATCH", "0");
    let out = cmd.output().expect("run bash");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the README walkthrough failed:\n{stderr}\nstdout:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    eprintln!("ran {commands} README commands");

    // Everything the walkthrough changed is committed, and the history is sound.
    let demo = work.join("docket-demo");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&demo)
            .env("HOME", &home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?} failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(git(&["status", "--porcelain"]), "");
    git(&["fsck", "--strict"]);
    let log = git(&["log", "--format=%s"]);
    assert!(log.contains("docket: close"), "{log}");
    assert!(log.contains("docket: edit"), "{log}");
    assert!(work.join("kb-html/index.html").is_file());
    assert!(home.join(".local/share/man/man1/docket.1").is_file());
}

#[test]
fn the_script_keeps_readme_line_numbers_and_skips_cargo() {
    let readme = "# t\n```sh\ncargo run --release -- demo\ncargo test\n```\ntext\n```sh\ndocket a \\\n  b\n# c\n```\n";
    let (script, commands) = readme_script(readme);
    let lines: Vec<&str> = script.lines().collect();
    assert_eq!(lines[2], "docket demo");
    assert_eq!(lines[3], "");
    assert_eq!(lines[7], "docket a \\");
    assert_eq!(commands, 2);
}
