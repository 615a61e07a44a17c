//! Any query text: parsing never panics, a query that parses runs, and one that does
//! not parse is an error that quotes it. The index holds the demo desk's KB and a few
//! tickets, so highlighting and snippets run on real text.
#![no_main]

use std::path::Path;

use docket::index::{Quiet, SearchIndex, SearchOptions};
use docket::store::Store;
use libfuzzer_sys::fuzz_target;

struct Fixture {
    _dir: tempfile::TempDir,
    index: SearchIndex,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo");
    std::fs::create_dir_all(root.join(".docket")).expect("mkdir");
    std::fs::copy(demo.join("config.yaml"), root.join(".docket/config.yaml")).expect("config");
    std::fs::create_dir_all(root.join("support/kb")).expect("mkdir");
    for e in std::fs::read_dir(demo.join("kb")).expect("demo kb") {
        let p = e.expect("entry").path();
        std::fs::copy(
            &p,
            root.join("support/kb").join(p.file_name().expect("name")),
        )
        .expect("copy");
    }
    for (id, title, body) in [
        (
            "T-4K7QX2M9AB",
            "Crash on start: empty config",
            "The WAL replay fails after an upgrade to 2.4.",
        ),
        (
            "T-4K7RAAAAAA",
            "数据 连接 超时",
            "TLS handshake times out on port 443; NOT a proxy problem.",
        ),
    ] {
        let rel = format!("support/tickets/{}/{id}.md", &id[2..4]);
        std::fs::create_dir_all(root.join(&rel).parent().expect("parent")).expect("mkdir");
        std::fs::write(
            root.join(&rel),
            format!("---\nid: {id}\ntitle: \"{title}\"\nstatus: open\ncreated: 2026-11-02T09:14:00Z\nlabels: [crash]\n---\n{body}\n"),
        )
        .expect("ticket");
    }
    let store = Store::open(root).expect("store");
    let git_dir = root.join(".git");
    let mut index = SearchIndex::recreate(&git_dir, String::new()).expect("index");
    index.sync(&store, &Quiet).expect("sync");
    Fixture { _dir: dir, index }
}

thread_local! {
    static FIXTURE: Fixture = fixture();
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    FIXTURE.with(|f| {
        let opts = SearchOptions {
            limit: 5,
            ..SearchOptions::default()
        };
        match f.index.parse_user_query(query) {
            Ok(_) => {
                f.index.search(query, &opts).expect("a parsed query runs");
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    });
});
