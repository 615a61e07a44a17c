//! The path guard: every file docket reads, lists, writes or deletes goes through
//! [`inside`] first, so no path given by a file, an argument, the config or an export
//! manifest can resolve outside the folder it belongs to. A path is refused when it is
//! absolute, climbs with `..`, holds a NUL or a backslash, or when any component that
//! exists (folder or file) is a symbolic link: a link is never followed, wherever it
//! points, so the check needs no canonicalisation and costs one `lstat` per component.
//!
//! Uses the standard library only; callers turn a [`Refusal`] into their own error.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Why a path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The text itself is unsafe: absolute, `..`, NUL, backslash or nothing at all.
    Unsafe {
        /// What is wrong, lower-case.
        reason: &'static str,
    },
    /// A component is a symbolic link.
    Link {
        /// The link, relative to the root (`/`-separated).
        link: String,
        /// Where it points, as stored in the link.
        target: PathBuf,
        /// Whether the link is the whole path (not a folder on the way).
        whole: bool,
    },
    /// A component could not be examined.
    Io {
        /// The component that failed.
        path: PathBuf,
        /// The OS error, as text (keeps the type `Clone`).
        message: String,
    },
}

/// The path's text, checked without touching the disk: relative, no `..`, no NUL, no
/// backslash. `.` and empty components are skipped. Returns the normal components.
pub fn components(rel: &str) -> Result<Vec<&str>, Refusal> {
    let unsafe_ = |reason| Err(Refusal::Unsafe { reason });
    if rel.contains('\0') {
        return unsafe_("it contains a NUL character");
    }
    if rel.contains('\\') {
        return unsafe_("it contains a backslash");
    }
    if rel.starts_with('/') {
        return unsafe_("it is absolute");
    }
    let parts: Vec<&str> = rel
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    if parts.contains(&"..") {
        return unsafe_("it climbs out of its folder with `..`");
    }
    if parts.is_empty() {
        return unsafe_("it names no file");
    }
    Ok(parts)
}

/// `root` joined with `rel`, after checking that `rel` is safe text and that no existing
/// component of it (the last one included) is a symbolic link. Components that do not
/// exist yet are fine: a writer creates them as real folders. `root` itself is trusted
/// (the work tree, or a folder the user configured).
pub fn inside(root: &Path, rel: &str) -> Result<PathBuf, Refusal> {
    walk(root, rel, None).map(|(path, _)| path)
}

/// Folders recently found to be real folders, so that reading many files of one folder
/// (100,000 tickets in 1,024 shards) costs one `lstat` per file, not one per component.
/// An entry is trusted for [`Checked::TTL`] only, so a long-running process (the
/// watcher) sees a folder that was replaced by a link after at most that long. Only
/// reads use it; writes and deletes check every component every time.
#[derive(Debug)]
pub struct Checked {
    ttl: Duration,
    folders: Mutex<HashMap<PathBuf, Instant>>,
}

impl Default for Checked {
    fn default() -> Self {
        Checked::new(Checked::TTL)
    }
}

impl Checked {
    /// How long a folder's check is trusted.
    pub const TTL: Duration = Duration::from_secs(1);

    /// An empty set whose entries are trusted for `ttl`.
    pub fn new(ttl: Duration) -> Checked {
        Checked {
            ttl,
            folders: Mutex::new(HashMap::new()),
        }
    }

    fn fresh(&self, dir: &Path) -> bool {
        let folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        folders.get(dir).is_some_and(|t| t.elapsed() < self.ttl)
    }

    fn record(&self, dir: &Path) {
        let mut folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        if folders.len() > 65_536 {
            folders.clear();
        }
        folders.insert(dir.to_path_buf(), Instant::now());
    }
}

/// Like [`inside`], trusting folders `cache` checked recently, and also returning the
/// last component's metadata when it exists (taken without following a link).
pub fn inside_cached(
    root: &Path,
    rel: &str,
    cache: &Checked,
) -> Result<(PathBuf, Option<fs::Metadata>), Refusal> {
    walk(root, rel, Some(cache))
}

fn walk(
    root: &Path,
    rel: &str,
    cache: Option<&Checked>,
) -> Result<(PathBuf, Option<fs::Metadata>), Refusal> {
    let parts = components(rel)?;
    let mut path = root.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        let last = i + 1 == parts.len();
        if !last && cache.is_some_and(|c| c.fresh(&path)) {
            continue;
        }
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Refusal::Link {
                    link: parts[..=i].join("/"),
                    target: fs::read_link(&path).unwrap_or_default(),
                    whole: last,
                });
            }
            Ok(meta) if last => return Ok((path, Some(meta))),
            Ok(meta) if meta.is_dir() => {
                if let Some(c) = cache {
                    c.record(&path);
                }
            }
            // A file (or other non-folder) before the end: nothing lies beyond it, so the
            // rest cannot lead anywhere; opening it fails with "not a directory".
            Ok(_) => return Ok((root_join(root, &parts), None)),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                return Ok((root_join(root, &parts), None));
            }
            Err(e) => {
                return Err(Refusal::Io {
                    path,
                    message: e.to_string(),
                });
            }
        }
    }
    Ok((path, None))
}

fn root_join(root: &Path, parts: &[&str]) -> PathBuf {
    let mut p = root.to_path_buf();
    p.extend(parts);
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `path` with its existing part resolved (links followed) and the rest appended.
    fn canonical(path: &Path) -> PathBuf {
        let mut base = path.to_path_buf();
        let mut rest = Vec::new();
        loop {
            if let Ok(c) = fs::canonicalize(&base) {
                let mut out = c;
                out.extend(rest.iter().rev());
                return crate::store::lexical(&out);
            }
            match (base.file_name().map(|n| n.to_os_string()), base.pop()) {
                (Some(name), true) => rest.push(name),
                _ => return path.to_path_buf(),
            }
        }
    }

    #[test]
    fn unsafe_text_is_refused_with_a_reason() {
        for (rel, why) in [
            ("../x", "`..`"),
            ("a/../../x", "`..`"),
            ("/etc/passwd", "absolute"),
            ("a\\..\\b", "backslash"),
            ("a\0b", "NUL"),
            ("", "no file"),
            ("./", "no file"),
        ] {
            match components(rel) {
                Err(Refusal::Unsafe { reason }) => assert!(reason.contains(why), "{rel}: {reason}"),
                other => panic!("{rel:?} admitted: {other:?}"),
            }
        }
        assert_eq!(components("a//./b").expect("plain"), vec!["a", "b"]);
    }

    #[test]
    fn a_link_anywhere_on_the_path_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("root");
        fs::create_dir_all(root.join("a")).expect("mkdir");
        std::os::unix::fs::symlink("/tmp", root.join("a/l")).expect("link");
        match inside(&root, "a/l/x.md") {
            Err(Refusal::Link {
                link,
                target,
                whole,
            }) => {
                assert!(!whole);
                assert_eq!(link, "a/l");
                assert_eq!(target, Path::new("/tmp"));
            }
            other => panic!("admitted: {other:?}"),
        }
        assert!(matches!(inside(&root, "a/l"), Err(Refusal::Link { .. })));
        assert_eq!(
            inside(&root, "a/new/x.md").expect("plain"),
            root.join("a/new/x.md")
        );
    }

    #[test]
    fn a_folder_replaced_by_a_link_is_seen_once_its_check_expires() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("root");
        fs::create_dir_all(root.join("t/AB")).expect("mkdir");
        fs::write(root.join("t/AB/x.md"), "x").expect("write");
        fs::create_dir_all(dir.path().join("out")).expect("mkdir");
        fs::write(dir.path().join("out/x.md"), "secret").expect("write");
        for (ttl, expired) in [(Duration::ZERO, true), (Duration::from_secs(3600), false)] {
            let cache = Checked::new(ttl);
            let (_, meta) = inside_cached(&root, "t/AB/x.md", &cache).expect("plain");
            assert!(meta.is_some_and(|m| m.is_file()));
            fs::rename(root.join("t/AB"), dir.path().join("old")).expect("move");
            std::os::unix::fs::symlink(dir.path().join("out"), root.join("t/AB")).expect("link");
            let again = inside_cached(&root, "t/AB/x.md", &cache);
            assert_eq!(
                matches!(again, Err(Refusal::Link { .. })),
                expired,
                "{again:?}"
            );
            // Uncached checks never trust an earlier look.
            assert!(matches!(
                inside(&root, "t/AB/x.md"),
                Err(Refusal::Link { .. })
            ));
            fs::remove_file(root.join("t/AB")).expect("unlink");
            fs::rename(dir.path().join("old"), root.join("t/AB")).expect("move back");
        }
    }

    /// One component of a generated path.
    fn component() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[a-c]{1,2}".prop_map(String::from),
            2 => Just("..".to_string()),
            1 => Just(".".to_string()),
            1 => Just(String::new()),
            1 => Just("x\\..".to_string()),
            1 => Just("n\0ul".to_string()),
            1 => Just("l1".to_string()),
            1 => Just("l2".to_string()),
        ]
    }

    fn any_rel() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just(""), Just("/"), Just("//"), Just("/tmp/")],
            prop::collection::vec(component(), 0..6),
        )
            .prop_map(|(prefix, parts)| format!("{prefix}{}", parts.join("/")))
    }

    /// A tree under `root`: folders and files from `dirs`, and links named `l1`/`l2` in
    /// some folders, pointing outside, at the root, or at a sibling.
    fn build_tree(root: &Path, outside: &Path, dirs: &[String], links: &[(usize, u8)]) {
        fs::create_dir_all(root).expect("root");
        fs::create_dir_all(outside.join("a/b")).expect("outside");
        for d in dirs {
            let _ = fs::create_dir_all(root.join(d));
            let _ = fs::write(root.join(d).join("f.md"), "x");
        }
        for (n, (at, kind)) in links.iter().enumerate() {
            // Index `dirs.len()` (and any index when there are no folders) is the root.
            let folder = dirs
                .get(at % (dirs.len() + 1))
                .map_or(root.to_path_buf(), |d| root.join(d));
            let target: PathBuf = match kind % 4 {
                0 => outside.to_path_buf(),
                1 => PathBuf::from("../../../.."),
                2 => root.to_path_buf(),
                _ => PathBuf::from("a"),
            };
            let name = if n % 2 == 0 { "l1" } else { "l2" };
            let _ = std::os::unix::fs::symlink(target, folder.join(name));
        }
    }

    // 256 cases each by default; `PROPTEST_CASES=5000` for a longer run.
    proptest! {
        /// Whatever the text and whatever links the tree holds, an admitted path resolves
        /// inside the root.
        #[test]
        fn never_admits_a_path_that_resolves_outside(
            dirs in prop::collection::vec("[a-c]{1,2}(/[a-c]{1,2}){0,2}", 0..6),
            links in prop::collection::vec((0usize..8, 0u8..4), 0..6),
            rels in prop::collection::vec((0usize..8, any_rel()), 1..24),
        ) {
            let dir = tempfile::tempdir().expect("tempdir");
            let root = dir.path().join("root");
            build_tree(&root, &dir.path().join("outside"), &dirs, &links);
            let canon_root = fs::canonicalize(&root).expect("root exists");
            // Half the paths start in a generated folder, so they meet its links.
            let rels = rels.iter().map(|(i, rel)| match dirs.get(*i) {
                Some(d) if !rel.starts_with('/') => format!("{d}/{rel}"),
                _ => rel.clone(),
            });
            let cache = Checked::default();
            for rel in rels {
                // The cached walk (reads) answers as the full one on a tree that holds still.
                prop_assert_eq!(
                    inside_cached(&root, &rel, &cache).map(|(p, _)| p),
                    inside(&root, &rel)
                );
                if let Ok(p) = inside(&root, &rel) {
                    let c = canonical(&p);
                    prop_assert!(c.starts_with(&canon_root), "{rel:?} -> {}", c.display());
                }
            }
        }

        /// Every plain path (normal components that cross no link) is admitted, and names
        /// the same place as the root joined with it.
        #[test]
        fn admits_every_plain_path_inside(
            dirs in prop::collection::vec("[a-c]{1,2}(/[a-c]{1,2}){0,2}", 0..6),
            links in prop::collection::vec((0usize..8, 0u8..4), 0..6),
            rels in prop::collection::vec("[a-c]{1,2}(/[a-c]{1,2}){0,3}(/f\\.md)?", 1..16),
        ) {
            let dir = tempfile::tempdir().expect("tempdir");
            let root = dir.path().join("root");
            build_tree(&root, &dir.path().join("outside"), &dirs, &links);
            for rel in &rels {
                prop_assert_eq!(inside(&root, rel), Ok(root.join(rel)), "{}", rel);
            }
        }
    }
}
