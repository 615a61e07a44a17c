//! Running the user's editor, as git does: $DOCKET_EDITOR, $VISUAL, $EDITOR, else `vi`,
//! through the shell so that editors with arguments (`code --wait`) work.

use std::path::Path;
use std::process::Command;

use super::Failure;

fn editor() -> String {
    ["DOCKET_EDITOR", "VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Opens a file in the editor and waits for it to exit successfully.
pub fn open(path: &Path) -> Result<(), Failure> {
    let ed = editor();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{ed} \"$@\""))
        .arg(&ed)
        .arg(path)
        .status()
        .map_err(|e| {
            Failure::new(
                format!("cannot start the editor `{ed}`: {e}"),
                Some("set EDITOR (or DOCKET_EDITOR) to an editor on your PATH".into()),
            )
        })?;
    if !status.success() {
        return Err(Failure::new(
            format!("the editor `{ed}` exited with {status}; nothing was committed"),
            Some(format!("your text is still in {}", path.display())),
        ));
    }
    Ok(())
}

/// Lets the user write a text in the editor, starting from a template; HTML comments
/// (the template's instructions) are removed.
pub fn compose(template: &str) -> Result<String, Failure> {
    let file = tempfile::Builder::new()
        .prefix("docket-")
        .suffix(".md")
        .tempfile()?;
    std::fs::write(file.path(), template)?;
    open(file.path())?;
    let text = std::fs::read_to_string(file.path())?;
    Ok(strip_comments(&text).trim().to_string() + "\n")
}

/// On a terminal (standard input and standard error), the text the user writes in the
/// editor after the instruction `prompt` (shown as a comment and removed); `None` when
/// docket does not run on a terminal, so no editor can be opened.
pub fn compose_on_terminal(prompt: &str) -> Result<Option<String>, Failure> {
    use std::io::IsTerminal as _;
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Ok(None);
    }
    compose(&format!(
        "\n<!-- {prompt} above. Lines in this comment are removed. -->\n"
    ))
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
    #[test]
    fn template_comments_are_removed() {
        assert_eq!(super::strip_comments("a\n<!-- x -->\nb"), "a\n\nb");
        assert_eq!(super::strip_comments("a <!-- open"), "a ");
    }
}
