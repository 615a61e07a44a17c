//! Symbolic links and paths that lead outside the work tree: no read, write, delete or
//! commit may reach a file outside it (or outside the private customers folder). Each
//! test pins a case a hostile-input probe found, with a real link in a temporary
//! repository, and checks that the file outside kept its bytes and mtime and that the
//! other repository's HEAD did not move.

mod common;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use common::Repo;

/// A file's bytes and modification time.
fn snapshot(path: &Path) -> (Vec<u8>, SystemTime) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mtime = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime");
    (bytes, mtime)
}

/// Runs git in `dir` with the test's hermetic environment.
fn git_in(r: &Repo, dir: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new("git");
    common::hermetic(&mut cmd, r.home());
    let out = cmd
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Another git repository next to the test's, with one commit.
fn other_repo(r: &Repo) -> PathBuf {
    let other = r.root.parent().expect("parent").join("other");
    std::fs::create_dir_all(&other).expect("mkdir");
    git_in(r, &other, &["init", "-q", "-b", "main"]);
    git_in(r, &other, &["config", "user.name", "Other"]);
    git_in(r, &other, &["config", "user.email", "other@example.org"]);
    std::fs::write(other.join("README"), "another project\n").expect("write");
    git_in(r, &other, &["add", "."]);
    git_in(r, &other, &["commit", "-q", "-m", "other project"]);
    other
}

/// Every file under a folder, with its bytes, not following links.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    out.sort();
    out
}

/// Moves a folder of the work tree into `dest` and leaves a link to it in its place.
fn replace_with_link(r: &Repo, rel: &str, dest: &Path) {
    std::fs::rename(r.root.join(rel), dest).expect("move the folder out");
    symlink(dest, r.root.join(rel)).expect("symlink");
}

#[test]
fn a_symlinked_shard_folder_is_not_read_written_or_committed_through() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Crash on start");
    let rel = r.ticket_path(&id);
    let shard = Path::new(&rel)
        .parent()
        .expect("shard")
        .to_str()
        .expect("utf-8");
    let other = other_repo(&r);
    // The shard now lives in another repository, committed there.
    replace_with_link(&r, shard, &other.join("AB"));
    git_in(&r, &other, &["add", "."]);
    git_in(&r, &other, &["commit", "-q", "-m", "tickets"]);
    let outside_file = other
        .join("AB")
        .join(Path::new(&rel).file_name().expect("name"));
    let before = snapshot(&outside_file);
    let other_head = git_in(&r, &other, &["log", "--format=%H"]);
    let own_head = r.git(&["rev-parse", "HEAD"]).ok().to_string();

    let err = r.docket(&["show", &id]).fails(1).to_string();
    assert!(
        err.contains(&rel) && err.contains(&format!("symbolic link {shard}")),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    let check = r.docket(&["check"]);
    assert!(
        check
            .stdout
            .contains(&format!("{shard}:1:1: is a symbolic link"))
            || check
                .stderr
                .contains(&format!("{shard}:1:1: is a symbolic link")),
        "check names the linked shard: {check:?}"
    );

    for args in [
        vec!["set", id.as_str(), "status=pending"],
        vec!["comment", id.as_str(), "-m", "written through the link?"],
        vec!["close", id.as_str()],
        vec!["--no-commit", "set", id.as_str(), "priority=high"],
    ] {
        let err = r.docket(&args).fails(1).to_string();
        assert!(err.contains("symbolic link"), "{args:?}: {err}");
    }
    assert_eq!(
        snapshot(&outside_file),
        before,
        "the file outside is untouched"
    );
    assert_eq!(
        tree(&other.join("AB")).len(),
        1,
        "no comment was written there"
    );
    assert_eq!(
        git_in(&r, &other, &["log", "--format=%H"]),
        other_head,
        "no commit in the other repository"
    );
    assert_eq!(git_in(&r, &other, &["status", "--porcelain"]), "");
    assert_eq!(r.git(&["rev-parse", "HEAD"]).ok(), own_head);
    r.fsck();
}

#[test]
fn a_symlinked_tickets_folder_is_refused_by_list_search_and_new() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Outside secret title");
    let outside = r.root.parent().expect("parent").join("outside-tickets");
    replace_with_link(&r, "support/tickets", &outside);
    let before = tree(&outside);
    let commits = r.commit_count();

    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["search", "secret"],
        vec!["show", id.as_str()],
        vec!["new", "--title", "Through the link", "--body", "x"],
    ] {
        let run = r.docket(&args);
        let err = run.fails(1);
        assert!(
            err.contains("paths.tickets") && err.contains("symbolic link support/tickets"),
            "{args:?}: {err}"
        );
        assert!(
            !run.stdout.contains("Outside secret"),
            "{args:?}: {}",
            run.stdout
        );
    }
    assert_eq!(tree(&outside), before, "nothing written outside");
    assert_eq!(r.commit_count(), commits);
}

/// A published article, fit for export.
const ARTICLE: &str =
    "---\ntitle: Outside article\nstatus: published\naudience: public\n---\nOutside text.\n";

#[test]
fn a_symlinked_kb_folder_is_neither_listed_nor_exported() {
    let r = Repo::with_desk();
    let outside = r.root.parent().expect("parent").join("outside-kb");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(outside.join("outside.md"), ARTICLE).expect("write");
    std::fs::create_dir_all(r.root.join("support")).expect("mkdir");
    symlink(&outside, r.root.join("support/kb")).expect("symlink");
    let site = r.root.parent().expect("parent").join("site");

    for args in [
        vec!["kb", "list"],
        vec!["kb", "show", "outside"],
        vec![
            "export",
            "--format",
            "hugo",
            "--out",
            site.to_str().expect("utf-8"),
        ],
    ] {
        let run = r.docket(&args);
        let err = run.fails(1);
        assert!(
            err.contains("paths.kb") && err.contains("symbolic link support/kb"),
            "{args:?}: {err}"
        );
        assert!(!run.stdout.contains("Outside"), "{args:?}: {}", run.stdout);
    }
    assert!(!site.exists(), "no export was written");
}

#[test]
fn a_kb_path_outside_the_work_tree_is_refused_at_config_load() {
    let r = Repo::with_desk();
    let outside = r.root.parent().expect("parent").join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(outside.join("outside.md"), ARTICLE).expect("write");
    let site = r.root.parent().expect("parent").join("site");
    for value in ["../outside", "support/../../outside", "/etc"] {
        let config = r
            .read(".docket/config.yaml")
            .lines()
            .map(|l| {
                if l.trim_start().starts_with("kb:") {
                    format!("  kb: {value}")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        r.write(".docket/config.yaml", &config);
        let line = config
            .lines()
            .position(|l| l.trim_start().starts_with("kb:"))
            .expect("kb line")
            + 1;
        for args in [
            vec!["list"],
            vec!["kb", "list"],
            vec![
                "export",
                "--format",
                "hugo",
                "--out",
                site.to_str().expect("utf-8"),
            ],
        ] {
            let run = r.docket(&args);
            let err = run.fails(1);
            assert!(
                err.contains(&format!(".docket/config.yaml:{line}:"))
                    && err.contains(&format!("`paths.kb: {value}` lies outside the work tree")),
                "{value} {args:?}: {err}"
            );
            assert!(
                err.contains("only `paths.customers` may lie outside"),
                "{err}"
            );
            assert!(!run.stdout.contains("Outside"), "{}", run.stdout);
        }
    }
    assert!(!site.exists(), "no export was written");
}

#[test]
fn a_tickets_path_outside_the_work_tree_is_refused_at_config_load() {
    let r = Repo::with_desk();
    let config = r
        .read(".docket/config.yaml")
        .replace("tickets: support/tickets", "tickets: ../elsewhere");
    assert!(
        config.contains("../elsewhere"),
        "the fixture names paths.tickets"
    );
    r.write(".docket/config.yaml", &config);
    let err = r
        .docket(&["new", "--title", "Lost", "--body", "x"])
        .fails(1)
        .to_string();
    assert!(err.contains("`paths.tickets: ../elsewhere`"), "{err}");
    assert!(!r.root.parent().expect("parent").join("elsewhere").exists());
}

/// A desk with one published article, and the file list of its hugo export.
fn desk_with_article() -> (Repo, Vec<String>) {
    let r = Repo::with_desk();
    r.write("support/kb/intro.md", ARTICLE);
    let first = r.root.parent().expect("parent").join("first");
    r.docket(&[
        "export",
        "--format",
        "hugo",
        "--out",
        first.to_str().expect("utf-8"),
    ])
    .ok();
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(first.join(".docket-export.json")).expect("manifest"),
    )
    .expect("json");
    let files = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f.as_str().expect("string").to_string())
        .collect();
    (r, files)
}

fn export_into(r: &Repo, out: &Path) -> common::Run {
    r.docket(&[
        "export",
        "--format",
        "hugo",
        "--out",
        out.to_str().expect("utf-8"),
    ])
}

#[test]
fn a_crafted_export_manifest_deletes_nothing_outside_out() {
    let (r, _) = desk_with_article();
    let parent = r.root.parent().expect("parent").to_path_buf();
    let victim = parent.join("victim.txt");
    std::fs::write(&victim, "keep me\n").expect("write");
    let outside = parent.join("outside-dir");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(outside.join("page.md"), "keep me too\n").expect("write");
    let before = (snapshot(&victim), snapshot(&outside.join("page.md")));

    let site = parent.join("site");
    std::fs::create_dir_all(&site).expect("mkdir");
    symlink(&outside, site.join("sub")).expect("symlink");
    std::fs::write(site.join("mine.md"), "an earlier page\n").expect("write");
    let absolute = victim.to_str().expect("utf-8").to_string();
    for (entry, why) in [
        ("../victim.txt", "`..`"),
        (absolute.as_str(), "absolute"),
        ("sub/page.md", "sub is a symbolic link"),
        ("sub", "sub is a symbolic link"),
        ("a//b.md", "not a plain relative path"),
    ] {
        let manifest =
            serde_json::json!({"generator": "docket export", "files": ["mine.md", entry]});
        std::fs::write(site.join(".docket-export.json"), manifest.to_string()).expect("write");
        let err = export_into(&r, &site).fails(1).to_string();
        assert!(
            err.contains(&format!("refused the manifest entry `{entry}`")) && err.contains(why),
            "{entry}: {err}"
        );
        assert!(
            site.join("mine.md").exists(),
            "{entry}: nothing removed before the check"
        );
        assert!(
            site.join("sub").is_symlink(),
            "{entry}: the link itself is kept"
        );
        assert_eq!(
            (snapshot(&victim), snapshot(&outside.join("page.md"))),
            before,
            "{entry}: files outside --out untouched"
        );
    }
}

#[test]
fn export_never_writes_through_a_symlink_inside_out() {
    let (r, files) = desk_with_article();
    let parent = r.root.parent().expect("parent").to_path_buf();
    let victim = parent.join("victim.txt");
    std::fs::write(&victim, "keep me\n").expect("write");
    let before = snapshot(&victim);
    let page = files
        .iter()
        .find(|f| f.ends_with(".md"))
        .expect("a page")
        .clone();

    // A link where a page goes, a link as the folder a page goes in, and a link as the
    // manifest: each in a folder that otherwise looks like a previous export.
    let mut cases: Vec<(PathBuf, String)> = Vec::new();
    let site = parent.join("site-file");
    std::fs::create_dir_all(site.join(&page).parent().expect("parent")).expect("mkdir");
    symlink(&victim, site.join(&page)).expect("symlink");
    cases.push((site, page.clone()));
    if let Some((top, _)) = page.split_once('/') {
        let site = parent.join("site-dir");
        std::fs::create_dir_all(&site).expect("mkdir");
        symlink(&parent, site.join(top)).expect("symlink");
        cases.push((site, top.to_string()));
    }
    let site = parent.join("site-manifest");
    std::fs::create_dir_all(&site).expect("mkdir");
    symlink(&victim, site.join(".docket-export.json")).expect("symlink");
    cases.push((site, ".docket-export.json".into()));

    for (site, link) in cases {
        if !site.join(".docket-export.json").is_symlink() {
            std::fs::write(site.join(".docket-export.json"), r#"{"files": []}"#).expect("write");
        }
        let err = export_into(&r, &site).fails(1).to_string();
        assert!(
            err.contains(&format!("{link} is a symbolic link")),
            "{}: {err}",
            site.display()
        );
        assert!(err.contains("hint:"), "{err}");
        assert_eq!(
            snapshot(&victim),
            before,
            "{}: victim untouched",
            site.display()
        );
        assert!(site.join(&link).is_symlink(), "the link is left alone");
    }
    assert_eq!(
        std::fs::read_dir(&parent)
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .count(),
        0,
        "no page written next to --out"
    );
}

#[test]
fn a_symlink_inside_the_private_customers_folder_is_not_followed() {
    let r = Repo::with_desk();
    let parent = r.root.parent().expect("parent").to_path_buf();
    let private = parent.join("private");
    std::fs::create_dir_all(private.join("customers")).expect("mkdir");
    git_in(&r, &private, &["init", "-q", "-b", "main"]);
    let config = r.read(".docket/config.yaml").replace(
        "customers: support/customers",
        "customers: ../private/customers",
    );
    r.write(".docket/config.yaml", &config);
    // The configured folder may lie outside; a link inside it may not be followed.
    let elsewhere = parent.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    std::fs::write(
        elsewhere.join("acme.md"),
        "---\nname: Acme\nslug: acme\ntier: enterprise\ncontacts: [dana@acme.example]\n---\n",
    )
    .expect("write");
    symlink(elsewhere.join("acme.md"), private.join("customers/acme.md")).expect("symlink");
    symlink(&elsewhere, private.join("customers/more")).expect("symlink");
    std::fs::copy(
        common::fixture("demo/customers/kestrel.md"),
        private.join("customers/kestrel.md"),
    )
    .expect("copy");
    let before = tree(&elsewhere);

    let run = r.docket(&["customer", "list"]);
    let list = run.ok().to_string();
    assert!(!list.contains("Acme"), "{list}");
    assert!(
        run.stderr
            .contains("../private/customers/acme.md:1:1: is a symbolic link"),
        "the link left out is named: {}",
        run.stderr
    );
    assert!(
        list.contains("kestrel"),
        "a plain record there is read: {list}"
    );
    r.docket(&["customer", "show", "kestrel"]).ok();
    // The linked record is left out, so nothing has that name.
    r.docket(&["customer", "show", "acme"]).fails(2);
    r.docket(&["customer", "set", "acme", "tier=community"])
        .fails(2);
    let run = r.docket(&[
        "customer",
        "new",
        "--name",
        "Acme",
        "--slug",
        "acme",
        "--tier",
        "enterprise",
    ]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("../private/customers/acme.md") || run.stderr.contains("acme"),
        "{}",
        run.stderr
    );
    assert_eq!(
        tree(&elsewhere),
        before,
        "nothing written through the links"
    );
}

#[test]
fn links_inside_the_kb_folder_are_left_out_of_list_and_export_and_named() {
    let r = Repo::with_desk();
    r.write(
        "support/kb/real.md",
        "---\ntitle: Real article\nstatus: published\naudience: public\n---\nIn the repo.\n",
    );
    let outside = r.root.parent().expect("parent").join("outside-kb");
    std::fs::create_dir_all(outside.join("docs")).expect("mkdir");
    std::fs::write(outside.join("outside.md"), ARTICLE).expect("write");
    std::fs::write(outside.join("docs/outside.md"), ARTICLE).expect("write");
    symlink(
        outside.join("outside.md"),
        r.root.join("support/kb/linked.md"),
    )
    .expect("symlink");
    symlink(outside.join("docs"), r.root.join("support/kb/docs")).expect("symlink");

    let run = r.docket(&["kb", "list"]);
    let list = run.ok().to_string();
    assert!(
        list.contains("Real article") && !list.contains("Outside"),
        "{list}"
    );
    for link in ["support/kb/linked.md", "support/kb/docs"] {
        assert!(
            run.stderr
                .contains(&format!("{link}:1:1: is a symbolic link")),
            "{link}: {}",
            run.stderr
        );
    }
    let site = r.root.parent().expect("parent").join("site");
    export_into(&r, &site).ok();
    let written = tree(&site);
    assert!(
        written.iter().any(|(p, _)| p.ends_with("real.md")),
        "{written:?}"
    );
    assert!(
        !written
            .iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains("Outside")),
        "nothing from outside is exported: {written:?}"
    );
}
