//! Editing through the user's editor, and the conventions that came with it:
//! `watch --status --json`.

mod common;

use common::Repo;

#[test]
fn watch_status_json_is_one_object_with_every_key() {
    let r = Repo::with_desk();
    let status = |r: &Repo| -> serde_json::Value {
        let run = r.docket(&["watch", "--status", "--json"]);
        serde_json::from_str(run.ok()).unwrap_or_else(|e| panic!("{e}: {run:?}"))
    };
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
        k.sort();
        k
    };
    let stopped = status(&r);
    assert_eq!(stopped["state"], "stopped");
    assert_eq!(stopped["running"], false);
    assert!(stopped["pid"].is_null() && stopped["journal_bytes"].is_null());
    // A read on a "large" desk (every desk, with this limit) starts a watcher.
    r.new_ticket("Watched");
    let env = [("DOCKET_INDEX_FULL_SCAN_LIMIT", "0")];
    r.docket_env(&["list"], &env).ok();
    r.docket_env(&["list"], &env).ok();
    let running = status(&r);
    assert_eq!(running["state"], "running", "{running}");
    assert_eq!(running["running"], true);
    assert!(running["pid"].as_u64().is_some_and(|p| p > 0), "{running}");
    assert!(
        running["folders"].as_u64().is_some_and(|n| n > 0),
        "{running}"
    );
    assert!(running["journal_bytes"].is_u64(), "{running}");
    assert!(
        running["roots"]
            .as_array()
            .expect("roots")
            .contains(&"support/tickets".into()),
        "{running}"
    );
    assert_eq!(
        keys(&running),
        keys(&stopped),
        "the same keys in every state"
    );
    assert_eq!(
        r.docket(&["watch", "--json"]).code,
        2,
        "--json needs --status"
    );
}
