//! Finding things in the generated repository: its ticket folder, the ticket the rows
//! show and comment on, and the files of a ticket's folder.

use std::fs;
use std::path::Path;

/// The ticket the runner reads and comments on, with text to reuse for writes.
pub(super) struct Target {
    pub(super) id: String,
    pub(super) rel: String,
    pub(super) title: String,
    pub(super) body: String,
    pub(super) comment: String,
}

/// The ticket folder from the repository's docket config.
pub(super) fn tickets_dir(repo: &Path) -> Result<String, String> {
    let path = repo.join(".docket/config.yaml");
    let text = fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (give a repository made by `docket-bench gen`)",
            path.display()
        )
    })?;
    let v: docket::doc::Value =
        docket::doc::parse_yaml(text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(v.get("paths")
        .and_then(|p| p.get("tickets"))
        .and_then(|t| t.as_str())
        .unwrap_or("support/tickets")
        .trim_end_matches('/')
        .to_string())
}

/// The given ticket; else the first (by path) with a full timeline (three comments, two
/// events and a rating), else the first with three comments (a desk made before the
/// generator wrote events).
pub(super) fn pick_target(
    repo: &Path,
    tickets: &str,
    want: Option<&str>,
) -> Result<Target, String> {
    let mut shards = sorted_dirs(&repo.join(tickets))?;
    shards.retain(|s| s.len() == 2);
    let mut fallback = None;
    for shard in shards {
        let rel_dir = format!("{tickets}/{shard}");
        for f in md_files(repo, &rel_dir) {
            let id = f
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".md")
                .to_string();
            let files = Timeline::of(repo, f.trim_end_matches(".md"));
            let full = files.comments.len() >= 3 && files.events >= 2 && files.ratings > 0;
            let fits = match want {
                Some(w) => id.eq_ignore_ascii_case(w),
                None => full,
            };
            if fits {
                return load_target(repo, id, f, files.comments.first());
            }
            if want.is_none() && fallback.is_none() && files.comments.len() >= 3 {
                fallback = Some((id, f, files.comments.first().cloned()));
            }
        }
    }
    if let Some((id, f, comment)) = fallback {
        return load_target(repo, id, f, comment.as_ref());
    }
    Err(format!(
        "{}: no ticket {} under {tickets}",
        repo.display(),
        want.map_or("with three comments".to_string(), |w| format!("`{w}`"))
    ))
}

/// A ticket folder's files by kind.
struct Timeline {
    /// Comment files, by path.
    comments: Vec<String>,
    /// How many event files.
    events: usize,
    /// How many rating files.
    ratings: usize,
}

impl Timeline {
    /// Reads the frontmatter of every file in the folder `rel_dir`.
    fn of(repo: &Path, rel_dir: &str) -> Timeline {
        let mut t = Timeline {
            comments: Vec::new(),
            events: 0,
            ratings: 0,
        };
        for f in md_files(repo, rel_dir) {
            let Ok((front, _)) = split_file(&repo.join(&f)) else {
                continue;
            };
            if front.contains_key("event") {
                t.events += 1;
            } else if front.contains_key("rating") {
                t.ratings += 1;
            } else {
                t.comments.push(f);
            }
        }
        t
    }
}

/// Reads the target's title, body and first comment (reused as the write payloads).
pub(super) fn load_target(
    repo: &Path,
    id: String,
    rel: String,
    comment: Option<&String>,
) -> Result<Target, String> {
    let (front, body) = split_file(&repo.join(&rel))?;
    let title = front
        .get("title")
        .and_then(|t| t.as_str())
        .unwrap_or("A ticket")
        .to_string();
    let comment = match comment {
        Some(c) => split_file(&repo.join(c))?.1,
        None => "Thanks, we are looking into it.".to_string(),
    };
    Ok(Target {
        id,
        rel,
        title,
        body,
        comment,
    })
}

/// Frontmatter values and body of a generated file.
pub(super) fn split_file(path: &Path) -> Result<(docket::doc::Mapping, String), String> {
    let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc =
        docket::doc::Document::parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    if !doc.has_frontmatter() {
        return Err(format!("{}: no frontmatter", path.display()));
    }
    Ok((doc.values().clone(), doc.body().trim().to_string()))
}

/// Names of the sub-folders of `dir`, sorted.
pub(super) fn sorted_dirs(dir: &Path) -> Result<Vec<String>, String> {
    let rd = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out: Vec<String> = rd
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    Ok(out)
}

/// Repository-relative paths of the `.md` files directly in `rel_dir`, sorted.
pub(super) fn md_files(repo: &Path, rel_dir: &str) -> Vec<String> {
    let Ok(rd) = fs::read_dir(repo.join(rel_dir)) else {
        return Vec::new();
    };
    let mut out: Vec<String> = rd
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("{rel_dir}/{n}"))
        .collect();
    out.sort();
    out
}

/// How many ticket files the repository has.
pub(super) fn count_tickets(repo: &Path) -> Result<usize, String> {
    let tickets = tickets_dir(repo)?;
    Ok(sorted_dirs(&repo.join(&tickets))?
        .iter()
        .map(|s| md_files(repo, &format!("{tickets}/{s}")).len())
        .sum())
}
