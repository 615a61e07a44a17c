//! Any bytes as `.docket/config.yaml`: validation and the loader never panic, the
//! loader refuses exactly what validation reports, and every problem has a line and a
//! hint.
#![no_main]

use docket::model::Config;
use docket::store::{CONFIG_PATH, Store, validate_config};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static DIR: tempfile::TempDir = {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join(".docket")).expect("mkdir");
        dir
    };
}

fuzz_target!(|data: &[u8]| {
    let problems = validate_config(data);
    for p in &problems {
        assert!(p.line >= 1 && p.col >= 1, "{p}");
        assert!(p.hint.is_some(), "{p}");
    }
    if let Ok(config) = docket::doc::parse_yaml::<Config>(data) {
        assert_eq!(config.workflow.problems().is_empty(), problems.is_empty());
    }
    DIR.with(|dir| {
        std::fs::write(dir.path().join(CONFIG_PATH), data).expect("write config");
        let opened = Store::open(dir.path());
        assert_eq!(
            opened.is_ok(),
            problems.is_empty(),
            "{:?} vs {problems:?}",
            opened.err()
        );
    });
});
