//! Pending changes: the record a transaction writes before it touches the work tree, so
//! that a writer killed before its commit is finished by the next one instead of leaving
//! an uncommitted ticket behind (an orphan that `list` shows and `comment` accepts, or a
//! `set` that HEAD never got).
//!
//! Under the write lock, before writing any work-tree file, a committing transaction
//! writes `<git_dir>/docket/pending/<time>-<pid>.json`: the commit message, author and
//! time, and per file its store path, the repository that commits it, the full intended
//! text (none for a file the change deletes, as `rm` does) and the blob id of what the
//! file held before (or that it was absent). The record is removed once every commit (and
//! its index update) is done.
//!
//! The next docket writer holds the write lock, so the writer of any record it finds is
//! gone. For each record, oldest first, it looks at the files:
//! - all still as before: nothing was written, the record is dropped;
//! - each either as before or as intended: the missing files are written (or deleted)
//!   and the whole change is committed with its own message ([`Repo::commit_paths`] does nothing when
//!   HEAD already has it), then the record is dropped and the command says so;
//! - a file holds something else (edited since): nothing is touched, the command says so
//!   and names the file and the fix; the record stays until the file is committed or
//!   restored (once every such file is clean in git, the record is dropped).
//!
//! Temporary files of the atomic writes (`.docket-*.tmp`) in the record's folders are
//! removed too. Read commands only look (one `readdir`) and print a one-line notice.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Desk, DeskError, Home};
use crate::git::{Identity, PathState, Repo};

/// The record of one transaction not yet fully committed.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    /// The format of this record.
    version: u32,
    /// The commit message, verbatim.
    message: String,
    /// The author, `Name <email>`.
    author: String,
    /// The author and committer time.
    time: jiff::Timestamp,
    files: Vec<RecordFile>,
}

/// One file of a pending change.
#[derive(Debug, Serialize, Deserialize)]
struct RecordFile {
    /// Store-relative path.
    path: String,
    /// The work tree of the repository that commits it.
    repo: PathBuf,
    /// Blob id of the content before the change; `None`: the file did not exist.
    before: Option<String>,
    /// The full intended content; `None`: the change deletes the file (a record of an
    /// older docket, which cannot read this, then reports it instead of writing it).
    text: Option<String>,
}

/// A record written for a transaction in progress; [`Intent::done`] removes it.
#[derive(Debug)]
pub(super) struct Intent {
    path: PathBuf,
}

impl Intent {
    /// The transaction's commits are made: forget it.
    pub(super) fn done(self) -> Result<(), DeskError> {
        remove(&self.path)
    }
}

/// What became of one record.
enum Finished {
    /// Nothing to tell: nothing had been written, HEAD already had the change, or the
    /// user committed or dropped the files meanwhile. The record goes.
    Quietly,
    /// The change was committed now (the line says so). The record goes.
    Committed(String),
    /// A file changed since; the line names it and the fix. The record stays.
    Stuck(String),
}

/// How a file of a record compares with the work tree now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileState {
    Before,
    Intended,
    Other,
}

fn pending_dir(repo: &Repo) -> PathBuf {
    repo.git_dir().join("docket").join("pending")
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DeskError + '_ {
    move |e| DeskError::Store(crate::store::StoreError::io(path, e))
}

fn remove(path: &Path) -> Result<(), DeskError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path)(e)),
    }
}

impl Desk {
    /// Write the record of a transaction about to write `files` (store path, text) and
    /// delete `removals` (store paths), each committed in the repository of its `homes`
    /// entry. Call under the write lock.
    pub(super) fn record_intent(
        &self,
        files: &[(String, String)],
        removals: &[String],
        homes: &[Home],
        message: &str,
        author: &Identity,
        time: jiff::Timestamp,
    ) -> Result<Intent, DeskError> {
        let mut out = Vec::with_capacity(files.len() + removals.len());
        let intended = files
            .iter()
            .map(|(rel, text)| (rel, Some(text)))
            .chain(removals.iter().map(|rel| (rel, None)));
        for (rel, text) in intended {
            let before = match std::fs::read(self.store.abs(rel)) {
                Ok(bytes) => Some(self.repo.blob_id(&bytes)?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(io(&self.store.abs(rel))(e)),
            };
            let repo = homes
                .iter()
                .find(|h| h.store_paths.contains(rel))
                .and_then(|h| h.repo.as_ref())
                .unwrap_or(&self.repo)
                .workdir()
                .to_path_buf();
            out.push(RecordFile {
                path: rel.clone(),
                repo,
                before,
                text: text.cloned(),
            });
        }
        let record = Record {
            // 2: a file may be deleted (`text` is null).
            version: if removals.is_empty() { 1 } else { 2 },
            message: message.to_string(),
            author: author.to_string(),
            time,
            files: out,
        };
        let dir = pending_dir(&self.repo);
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let now = jiff::Timestamp::now();
        let path = dir.join(format!(
            "{}{:09}-{}.json",
            now.as_second(),
            now.subsec_nanosecond(),
            std::process::id()
        ));
        let json = serde_json::to_vec(&record).map_err(|error| DeskError::Record {
            path: path.clone(),
            error,
        })?;
        crate::atomic::replace(&path, &json, crate::atomic::Durability::Synced)
            .map_err(io(&path))?;
        Ok(Intent { path })
    }

    /// Finish or report every pending change (see the module documentation), returning
    /// one line for each that the user should know about. Call under the write lock.
    pub(super) fn finish_pending(&self) -> Result<Vec<String>, DeskError> {
        let mut notes = Vec::new();
        self.remove_partial_records();
        for path in self.pending_records() {
            let record: Record = match std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
            {
                Ok(r) => r,
                Err(e) => {
                    notes.push(format!(
                        "cannot read the record of an interrupted change {}: {e} (remove it if its change is in git)",
                        path.display()
                    ));
                    continue;
                }
            };
            let finished = self.finish_one(&record)?;
            self.remove_temporaries(&record);
            match finished {
                Finished::Quietly => remove(&path)?,
                Finished::Committed(note) => {
                    notes.push(note);
                    remove(&path)?;
                }
                Finished::Stuck(note) => notes.push(note),
            }
        }
        Ok(notes)
    }

    /// The pending records, oldest first (their names start with the time).
    fn pending_records(&self) -> Vec<PathBuf> {
        self.pending_files(|p| p.extension().is_some_and(|x| x == "json"))
    }

    /// Remove half-written records (temporary files of a record write that was killed).
    fn remove_partial_records(&self) {
        for p in self.pending_files(|p| p.extension().is_none_or(|x| x != "json")) {
            let _ = std::fs::remove_file(p);
        }
    }

    /// The files of the pending folder that `keep` accepts, sorted by name.
    fn pending_files(&self, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(pending_dir(&self.repo)) else {
            return Vec::new();
        };
        let mut out: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| keep(p))
            .collect();
        out.sort();
        out
    }

    /// Finish one record, or say why it must wait.
    fn finish_one(&self, record: &Record) -> Result<Finished, DeskError> {
        let subject = record
            .message
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        let mut states = Vec::with_capacity(record.files.len());
        for f in &record.files {
            states.push(self.file_state(f)?);
        }
        if states.iter().all(|s| *s == FileState::Before) {
            return Ok(Finished::Quietly);
        }
        let changed: Vec<&RecordFile> = record
            .files
            .iter()
            .zip(&states)
            .filter(|(_, s)| **s == FileState::Other)
            .map(|(f, _)| f)
            .collect();
        if !changed.is_empty() {
            let homes = self.homes(&changed.iter().map(|f| f.path.clone()).collect::<Vec<_>>())?;
            let mut dirty = Vec::new();
            for home in &homes {
                let repo = home.repo.as_ref().unwrap_or(&self.repo);
                for rel in &home.rels {
                    if repo.path_state(rel)? != PathState::Clean {
                        dirty.push(rel.clone());
                    }
                }
            }
            if dirty.is_empty() {
                return Ok(Finished::Quietly);
            }
            let list = dirty.join(" ");
            return Ok(Finished::Stuck(format!(
                "not finished: an interrupted change ({subject}) was left as it is because {list} changed since; check it with `git diff -- {list}`, then commit it with `git commit {list}` or drop it with `git checkout -- {list}`"
            )));
        }
        for (f, s) in record.files.iter().zip(&states) {
            match (s, &f.text) {
                (FileState::Before, Some(text)) => self.store.write(&f.path, text)?,
                (FileState::Before, None) => self.store.remove(&f.path)?,
                _ => {}
            }
        }
        let author = Identity::parse(&record.author).ok_or_else(|| DeskError::RecordAuthor {
            subject: subject.to_string(),
        })?;
        let paths: Vec<String> = record.files.iter().map(|f| f.path.clone()).collect();
        let homes = self.homes(&paths)?;
        let _locks = homes
            .iter()
            .filter_map(|h| h.repo.as_ref().map(Repo::lock_writes))
            .collect::<Result<Vec<_>, _>>()?;
        let mut made = None;
        for home in &homes {
            let repo = home.repo.as_ref().unwrap_or(&self.repo);
            let info = repo
                .commit_paths(&home.rels, &record.message, &author, record.time)
                .map_err(|source| DeskError::CommitFailed {
                    paths: paths.clone(),
                    source,
                })?;
            made = info.or(made);
        }
        Ok(match made {
            Some(c) => Finished::Committed(format!(
                "finished an interrupted change: {subject} [{} {}]",
                c.branch.as_deref().unwrap_or("detached"),
                &c.id[..c.id.len().min(7)]
            )),
            None => Finished::Quietly,
        })
    }

    /// What a record's file holds now compared with the record.
    fn file_state(&self, f: &RecordFile) -> Result<FileState, DeskError> {
        let abs = self.store.abs(&f.path);
        let now = match std::fs::read(&abs) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(&abs)(e)),
        };
        if now.as_deref() == f.text.as_ref().map(String::as_bytes) {
            return Ok(FileState::Intended);
        }
        let now_id = match &now {
            Some(bytes) => Some(self.repo.blob_id(bytes)?),
            None => None,
        };
        Ok(if now_id == f.before {
            FileState::Before
        } else {
            FileState::Other
        })
    }

    /// Remove the temporary files an interrupted atomic write left in the record's folders
    /// (only docket's writers, which hold the write lock, make them).
    fn remove_temporaries(&self, record: &Record) {
        let mut dirs: Vec<PathBuf> = record
            .files
            .iter()
            .filter_map(|f| self.store.abs(&f.path).parent().map(Path::to_path_buf))
            .collect();
        dirs.sort();
        dirs.dedup();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.filter_map(Result::ok) {
                let name = e.file_name().to_string_lossy().into_owned();
                let is_file = e.file_type().is_ok_and(|t| t.is_file());
                if is_file && name.starts_with(".docket-") && name.ends_with(".tmp") {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }

    /// Finishes the changes earlier, killed commands recorded, under the write lock (one
    /// `readdir` when there are none). A batch command that may end up changing nothing
    /// (`automate`, `triage --apply`) calls it first: what it decides from the files must
    /// not rest on files a killed run wrote but did not commit. The lines say what was
    /// done, for the user.
    pub fn recover(&self) -> Result<Vec<String>, DeskError> {
        if self.pending_records().is_empty() {
            return Ok(Vec::new());
        }
        let _critical = crate::interrupt::critical();
        let _lock = self.repo.lock_writes()?;
        self.finish_pending()
    }

    /// A one-line notice for read commands when an interrupted change waits to be
    /// finished (and no writer is at work on it), from one `readdir`.
    pub fn pending_notice(&self) -> Option<String> {
        let n = self.pending_records().len();
        if n == 0 || self.repo.writer_active() {
            return None;
        }
        Some(format!(
            "{n} change{} interrupted before {} committed: the next docket command that changes something finishes it",
            if n == 1 { " was" } else { "s were" },
            if n == 1 { "it was" } else { "they were" }
        ))
    }
}
