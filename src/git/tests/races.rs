//! Locks and races: the write lock, held git locks, concurrent writers, and refs that
//! move under a commit.

use super::*;

#[test]
fn write_lock_is_exclusive_and_released_on_drop() {
    let fx = Fixture::new();
    let repo = fx.repo();
    let lock_file = repo.git_dir().join("docket/write.lock");
    let held = repo.lock_writes().expect("free lock");
    assert!(lock_file.exists());
    let root = fx.root.clone();
    let waiter = std::thread::spawn(move || {
        let start = Instant::now();
        let repo = Repo::discover(&root).expect("repo");
        let _lock = repo.lock_writes().expect("lock after the holder lets go");
        start.elapsed()
    });
    std::thread::sleep(Duration::from_millis(400));
    drop(held);
    let waited = waiter.join().expect("waiter thread ends");
    assert!(waited >= Duration::from_millis(300), "waited {waited:?}");
    // The file stays (a kernel lock on it is what counts), and is free again at once.
    assert!(lock_file.exists());
    let start = Instant::now();
    drop(repo.lock_writes().expect("free again"));
    assert!(start.elapsed() < Duration::from_millis(100));
}

#[test]
fn a_held_index_lock_delays_the_commit() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    let index_lock = fx.root.join(".git/index.lock");
    std::fs::write(&index_lock, "").expect("simulate a running git add");
    let path = index_lock.clone();
    let remover = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        std::fs::remove_file(path).expect("lock exists");
    });
    fx.repo()
        .commit_paths(&paths(&["t/1.md"]), "docket: waited", &ada(), when())
        .expect("commit works once the lock is gone")
        .expect("a commit was made");
    remover.join().expect("remover thread ends");
    assert_eq!(fx.status(), "");
}

#[test]
fn eight_threads_commit_eighty_files() {
    let fx = Fixture::new();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let root = fx.root.clone();
            std::thread::spawn(move || {
                let repo = Repo::discover(&root).expect("repo");
                for i in 0..10 {
                    let rel = format!("t/{t}/{i}.md");
                    let _lock = repo.lock_writes().expect("lock");
                    let path = root.join(&rel);
                    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("dir");
                    std::fs::write(&path, format!("thread {t} file {i}\n")).expect("write");
                    repo.commit_paths(&[rel], &format!("docket: {t}/{i}"), &ada(), when())
                        .expect("commit works")
                        .expect("a commit was made");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread ends");
    }
    let files = fx.git(&["ls-tree", "-r", "--name-only", "HEAD"]);
    for t in 0..8 {
        for i in 0..10 {
            assert!(files.contains(&format!("t/{t}/{i}.md\n")), "t/{t}/{i}.md");
        }
    }
    assert_eq!(fx.git(&["log", "--oneline"]).lines().count(), 80);
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[test]
fn docket_retries_when_git_moves_the_branch_meanwhile() {
    let fx = Fixture::new();
    fx.write("seed.txt", "seed\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "seed"]);
    let root = fx.root.clone();
    let home = fx.home.clone();
    // Another writer that moves `main` with plumbing (no index.lock), compare-and-swap style.
    let other = std::thread::spawn(move || {
        let fx = Fixture {
            _tmp: tempfile::tempdir().expect("scratch"),
            home,
            root,
        };
        let scratch_index = fx._tmp.path().join("plumbing-index");
        let with_index = |args: &[&str]| {
            let out = fx
                .command(&fx.root, args)
                .env("GIT_INDEX_FILE", &scratch_index)
                .output()
                .expect("git runs");
            assert!(out.status.success(), "git {args:?} failed");
            String::from_utf8(out.stdout)
                .expect("utf-8")
                .trim()
                .to_owned()
        };
        let mut made = 0;
        while made < 20 {
            let parent = fx.git(&["rev-parse", "main"]).trim().to_owned();
            let blob = fx.git(&["hash-object", "-w", "--stdin"]).trim().to_owned();
            with_index(&["read-tree", &parent]);
            let entry = format!("100644,{blob},other-{made}.txt");
            with_index(&["update-index", "--add", "--cacheinfo", &entry]);
            let tree = with_index(&["write-tree"]);
            let commit = fx
                .git(&["commit-tree", &tree, "-p", &parent, "-m", "plumbing"])
                .trim()
                .to_owned();
            let ok = fx
                .command(
                    &fx.root,
                    &["update-ref", "refs/heads/main", &commit, &parent],
                )
                .output()
                .expect("update-ref runs")
                .status
                .success();
            if ok {
                made += 1;
            }
        }
    });
    let repo = fx.repo();
    for i in 0..20 {
        let rel = format!("d/{i}.md");
        fx.write(&rel, &format!("{i}\n"));
        repo.commit_paths(&[rel], "docket: race", &ada(), when())
            .expect("commit works despite the race")
            .expect("a commit was made");
    }
    other.join().expect("plumbing thread ends");
    assert_eq!(fx.git(&["rev-list", "--count", "HEAD"]).trim(), "41");
    assert_eq!(
        fx.git(&["log", "--format=%s"])
            .lines()
            .filter(|l| *l == "docket: race")
            .count(),
        20
    );
    let files = fx.git(&["ls-tree", "-r", "--name-only", "HEAD", "d"]);
    assert_eq!(files.lines().count(), 20, "{files}");
    fx.fsck();
}

/// Move `main` forward by one commit adding `name`, with plumbing only (no index.lock).
fn plumbing_commit(fx: &Fixture, name: &str) {
    let scratch_index = fx.home.join("plumbing-index");
    let run = |args: &[&str]| {
        let out = fx
            .command(&fx.root, args)
            .env("GIT_INDEX_FILE", &scratch_index)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?} failed");
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .trim()
            .to_owned()
    };
    let parent = run(&["rev-parse", "main"]);
    let blob = run(&["hash-object", "-w", "--stdin"]);
    run(&["read-tree", &parent]);
    run(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("100644,{blob},{name}"),
    ]);
    let tree = run(&["write-tree"]);
    let commit = run(&["commit-tree", &tree, "-p", &parent, "-m", name]);
    run(&["update-ref", "refs/heads/main", &commit, &parent]);
}

#[test]
fn a_ref_moved_between_tree_and_commit_is_retried() {
    let fx = Fixture::new();
    fx.write("seed.txt", "seed\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "seed"]);
    fx.write("t/1.md", "one\n");
    let repo = fx.repo();
    let root = fx.root.clone();
    let home = fx.home.clone();
    let mut raced = 0;
    crate::git::commit::BEFORE_REF_UPDATE.with_borrow_mut(|hook| {
        *hook = Some(Box::new(move || {
            if raced < 2 {
                let fx = Fixture {
                    _tmp: tempfile::tempdir().expect("scratch"),
                    home: home.clone(),
                    root: root.clone(),
                };
                plumbing_commit(&fx, &format!("other-{raced}.txt"));
                raced += 1;
            }
        }));
    });
    let info = repo.commit_paths(&paths(&["t/1.md"]), "docket: raced", &ada(), when());
    crate::git::commit::BEFORE_REF_UPDATE.with_borrow_mut(|hook| *hook = None);
    let info = info.expect("commit works").expect("a commit was made");
    assert_eq!(fx.git(&["rev-parse", "main"]).trim(), info.id);
    assert_eq!(
        fx.git(&["log", "--format=%s"]),
        "docket: raced\nother-1.txt\nother-0.txt\nseed\n"
    );
    assert_eq!(
        fx.git(&["ls-tree", "-r", "--name-only", "HEAD"]),
        "other-0.txt\nother-1.txt\nseed.txt\nt/1.md\n"
    );
    assert_eq!(fx.changed_in("HEAD"), paths(&["t/1.md"]));
    fx.fsck();
}

#[test]
fn a_ref_that_keeps_moving_gives_up_cleanly() {
    let fx = Fixture::new();
    fx.write("seed.txt", "seed\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "seed"]);
    fx.write("t/1.md", "one\n");
    let repo = fx.repo();
    let root = fx.root.clone();
    let home = fx.home.clone();
    let mut n = 0;
    crate::git::commit::BEFORE_REF_UPDATE.with_borrow_mut(|hook| {
        *hook = Some(Box::new(move || {
            let fx = Fixture {
                _tmp: tempfile::tempdir().expect("scratch"),
                home: home.clone(),
                root: root.clone(),
            };
            plumbing_commit(&fx, &format!("other-{n}.txt"));
            n += 1;
        }));
    });
    let result = repo.commit_paths(&paths(&["t/1.md"]), "docket: never", &ada(), when());
    crate::git::commit::BEFORE_REF_UPDATE.with_borrow_mut(|hook| *hook = None);
    match result {
        Err(GitError::Contended { attempts, .. }) => assert!(attempts > 1),
        other => panic!("expected Contended, got {other:?}"),
    }
    assert!(
        !fx.root.join(".git/index.lock").exists(),
        "index.lock released"
    );
    assert!(!fx.git(&["log", "--format=%s"]).contains("docket: never"));
    // The index is updated before HEAD moves: the file stays staged, so the user's next
    // commit includes it and nothing is lost.
    assert_eq!(fx.git(&["status", "--porcelain", "t"]), "A  t/1.md\n");
    fx.fsck();
}

#[test]
fn a_racing_first_commit_on_an_unborn_branch_is_retried() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    let repo = fx.repo();
    let root = fx.root.clone();
    let home = fx.home.clone();
    let mut raced = false;
    crate::git::commit::BEFORE_REF_UPDATE.with_borrow_mut(|hook| {
        *hook = Some(Box::new(move || {
            if !raced {
                raced = true;
                let fx = Fixture {
                    _tmp: tempfile::tempdir().expect("scratch"),
                    home: home.clone(),
                    root: root.clone(),
                };
                let empty = fx.git(&["hash-object", "-w", "-t", "tree", "--stdin"]);
                let c = fx.git(&["commit-tree", empty.trim(), "-m", "root by git"]);
                fx.git(&["update-ref", "refs/heads/main", c.trim(), ""]);
            }
        }));
    });
    let info = repo.commit_paths(&paths(&["t/1.md"]), "docket: first", &ada(), when());
    crate::git::commit::BEFORE_REF_UPDATE.with_borrow_mut(|hook| *hook = None);
    info.expect("commit works").expect("a commit was made");
    assert_eq!(
        fx.git(&["log", "--format=%s"]),
        "docket: first\nroot by git\n"
    );
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[test]
fn errors_and_locks_can_cross_threads() {
    // `Repo` cannot (gix without its "parallel" feature uses `Rc`): each thread discovers its own.
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send>() {}
    send_sync::<GitError>();
    send::<crate::git::WriteLock>();
}
