//! Running the user's editor as git does, so that one setting serves both: the first of
//! `$DOCKET_EDITOR`, `$GIT_EDITOR`, git's `core.editor`, `$VISUAL`, `$EDITOR`, else `vi`
//! (git's order with docket's own variable in front; unlike git, `$VISUAL` is read on a
//! dumb terminal too). The value is a shell command line, run as git runs it
//! (`sh -c '<editor> "$@"' <editor> FILE`), so `code --wait` and `emacsclient -t` work.
//! Every command that opens an editor (`new`, `comment`, `edit`, `kb edit`) goes through
//! [`open`].

use std::path::Path;
use std::process::Command;

use super::Failure;
use super::context::report_record;
use crate::desk::{Desk, HandEdit};
use crate::git::Repo;

/// The editor to run and the setting it came from (named in errors, so the user knows
/// what to change).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Editor {
    command: String,
    from: &'static str,
}

/// The variables in the order they are read, with `core.editor` after `GIT_EDITOR`.
const BEFORE_CONFIG: [&str; 2] = ["DOCKET_EDITOR", "GIT_EDITOR"];
const AFTER_CONFIG: [&str; 2] = ["VISUAL", "EDITOR"];

/// The first editor set (an empty or blank value counts as unset), with `var` reading
/// the environment and `core_editor` git's config.
fn choose(var: impl Fn(&str) -> Option<String>, core_editor: Option<String>) -> Editor {
    let set = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    let from_env = |names: &[&'static str]| {
        names.iter().find_map(|&name| {
            set(var(name)).map(|command| Editor {
                command,
                from: name,
            })
        })
    };
    from_env(&BEFORE_CONFIG)
        .or_else(|| {
            set(core_editor).map(|command| Editor {
                command,
                from: "core.editor",
            })
        })
        .or_else(|| from_env(&AFTER_CONFIG))
        .unwrap_or_else(|| Editor {
            command: "vi".into(),
            from: "the default",
        })
}

/// Opens a file in the user's editor (see the module) and waits for it to exit
/// successfully; an editor that fails or cannot be found is an error naming the setting
/// it came from.
pub fn open(repo: &Repo, path: &Path) -> Result<(), Failure> {
    let ed = choose(|k| std::env::var(k).ok(), repo.core_editor());
    let change =
        "set DOCKET_EDITOR (or GIT_EDITOR, core.editor, VISUAL, EDITOR) to an editor on your PATH";
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{} \"$@\"", ed.command))
        .arg(&ed.command)
        .arg(path)
        .status()
        .map_err(|e| {
            Failure::new(
                format!("cannot run the shell `sh`: {e}"),
                Some(change.into()),
            )
        })?;
    if status.code() == Some(127) {
        return Err(Failure::new(
            format!(
                "the editor `{}` (from {}) was not found; nothing was committed",
                ed.command, ed.from
            ),
            Some(change.into()),
        ));
    }
    if !status.success() {
        return Err(Failure::new(
            format!(
                "the editor `{}` (from {}) exited with {status}; nothing was committed",
                ed.command, ed.from
            ),
            Some(format!("your text is still in {}", path.display())),
        ));
    }
    Ok(())
}

/// A hand edit of a ticket or an article: opens its file in the editor, then commits
/// what the editor left (see [`Desk::edit_begin`] for a file with uncommitted text).
pub fn edit_in_place(desk: &Desk, edit: &HandEdit) -> Result<(), Failure> {
    if edit.kept {
        eprintln!(
            "note: {} has uncommitted changes: the editor shows them, and what you save is committed (to commit nothing, make the editor exit with an error, as `:cq` does in vi)",
            edit.rel
        );
    }
    open(desk.repo(), &desk.store().abs(&edit.rel))?;
    let outcome = desk.edit_finish(edit)?;
    report_record(&outcome, edit.name());
    Ok(())
}

/// Lets the user write a text in the editor, starting from a template; HTML comments
/// (the template's instructions) are removed. When the editor fails, its file is kept
/// (the error names it), so nothing written is lost.
pub fn compose(repo: &Repo, template: &str) -> Result<String, Failure> {
    let file = tempfile::Builder::new()
        .prefix("docket-")
        .suffix(".md")
        .tempfile()?;
    std::fs::write(file.path(), template)?;
    if let Err(failure) = open(repo, file.path()) {
        // Kept, so that the hint's "your text is still in" holds.
        let _ = file.keep();
        return Err(failure);
    }
    let text = std::fs::read_to_string(file.path())?;
    Ok(strip_comments(&text).trim().to_string() + "\n")
}

/// On a terminal (standard input and standard error), the text the user writes in the
/// editor after the instruction `prompt` (shown as a comment and removed); `None` when
/// docket does not run on a terminal, so no editor can be opened.
pub fn compose_on_terminal(repo: &Repo, prompt: &str) -> Result<Option<String>, Failure> {
    use std::io::IsTerminal as _;
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Ok(None);
    }
    compose(
        repo,
        &format!("\n<!-- {prompt} above. Lines in this comment are removed. -->\n"),
    )
    .map(Some)
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{Editor, choose};

    #[test]
    fn template_comments_are_removed() {
        assert_eq!(super::strip_comments("a\n<!-- x -->\nb"), "a\n\nb");
        assert_eq!(super::strip_comments("a <!-- open"), "a ");
    }

    #[test]
    fn blank_settings_are_skipped() {
        let env = |k: &str| match k {
            "DOCKET_EDITOR" => Some("  ".to_string()),
            "EDITOR" => Some("nano".to_string()),
            _ => None,
        };
        assert_eq!(
            choose(env, Some(String::new())),
            Editor {
                command: "nano".into(),
                from: "EDITOR"
            }
        );
        assert_eq!(choose(|_| None, None).command, "vi");
    }
}
