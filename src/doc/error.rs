//! Errors of the frontmatter layer: each one knows the line and column it is about, so
//! the caller only has to add the file path to print `path:line:col: message`.

use thiserror::Error;

/// Why a Markdown+YAML file could not be read or edited.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DocError {
    /// Oversized files are refused before any parsing so memory stays bounded.
    #[error(
        "file is {size} bytes, over docket's limit of {limit} bytes ({} MiB) for one file",
        limit / (1024 * 1024)
    )]
    TooLarge { size: usize, limit: usize },
    /// NUL bytes mean this is not a text file at all.
    #[error("file is binary (NUL byte at line {line})")]
    Binary { line: usize },
    /// Text must be UTF-8; the position points at the first bad byte.
    #[error("file is not valid UTF-8 (line {line}, column {col})")]
    NotUtf8 { line: usize, col: usize },
    /// `git merge` left conflict markers in the file; the line is the first marker's.
    #[error("unresolved merge conflict: git's conflict markers start on line {line}")]
    Conflict { line: usize },
    /// The opening `---` has no closing `---` or `...` line.
    #[error("unclosed frontmatter: the `---` on line {line} has no closing `---` line")]
    Unclosed { line: usize },
    /// The YAML between the fences does not parse.
    #[error("{message}")]
    Yaml {
        line: usize,
        col: usize,
        message: String,
    },
    /// Lists and mappings nested deeper than docket reads (libyaml is slow on them).
    #[error("nesting is too deep: more than {limit} levels of lists and mappings")]
    TooDeep {
        line: usize,
        col: usize,
        limit: usize,
    },
    /// Frontmatter must be a mapping of keys to values.
    #[error("frontmatter is not a mapping of keys to values")]
    NotAMapping { line: usize },
    /// An edit would have produced YAML that does not say what was asked; nothing was changed.
    #[error("cannot edit `{key}` safely in this file: {reason}")]
    Edit {
        key: String,
        line: usize,
        reason: String,
    },
}

impl DocError {
    /// The 1-based line and column in the file the error points at.
    pub fn position(&self) -> (usize, usize) {
        match self {
            DocError::TooLarge { .. } => (1, 1),
            DocError::Binary { line } => (*line, 1),
            DocError::NotUtf8 { line, col } => (*line, *col),
            DocError::Conflict { line } => (*line, 1),
            DocError::Unclosed { line } => (*line, 1),
            DocError::Yaml { line, col, .. } => (*line, *col),
            DocError::TooDeep { line, col, .. } => (*line, *col),
            DocError::NotAMapping { line } => (*line, 1),
            DocError::Edit { line, .. } => (*line, 1),
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            DocError::TooLarge { .. } => {
                "split the text or move attachments out of the data folders"
            }
            DocError::Binary { .. } | DocError::NotUtf8 { .. } => {
                "save the file as UTF-8 text, or move it out of the data folders"
            }
            DocError::Conflict { .. } => {
                "resolve the conflict: keep the lines you want, delete the `<<<<<<<`, `=======` and `>>>>>>>` lines, then `git add` the file"
            }
            DocError::Unclosed { .. } => "end the frontmatter with a line holding only `---`",
            DocError::Yaml { .. } => {
                "fix the YAML at that position; quote values that contain `: ` or start with `@`, `*`, `&` or `!`"
            }
            DocError::TooDeep { .. } => {
                "flatten the value there, or quote it if the brackets are text (docket reads at most 64 levels)"
            }
            DocError::NotAMapping { .. } => "write the frontmatter as `key: value` lines",
            DocError::Edit { .. } => "edit the file by hand, or rewrite that key as `key: value`",
        }
    }
}
