//! Any bytes: parsing and validation never panic, a parsed file round-trips byte for
//! byte, and an edit either fails cleanly or reads back as the values it was asked to
//! write.
#![no_main]

use docket::doc::{Document, Edit, Value};
use docket::model::Config;
use docket::store::{FileKind, Known, validate_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = Config::default();
    for kind in [
        FileKind::Ticket,
        FileKind::Comment,
        FileKind::Article,
        FileKind::Customer,
    ] {
        for p in validate_bytes(kind, data, &config, &Known::default(), Some("T-4K7QX2M9AB")) {
            assert!(p.line >= 1 && p.hint.is_some(), "{p}");
        }
    }
    let Ok(doc) = Document::parse(data) else {
        return;
    };
    assert_eq!(doc.text().as_bytes(), data);
    let mut edited = doc.clone();
    let value = Value::String("pending: yes # not a comment".into());
    if edited
        .apply(&Edit::Set(vec!["status".into()], value.clone()))
        .is_ok()
    {
        assert_eq!(edited.get(&["status"]), Some(&value));
        assert_eq!(edited.body(), doc.body());
    }
    let mut pushed = doc.clone();
    if pushed
        .apply(&Edit::Push(
            vec!["labels".into()],
            Value::String("x".into()),
        ))
        .is_ok()
    {
        let reparsed =
            Document::parse(pushed.text().as_bytes()).expect("edits write YAML that parses");
        assert_eq!(reparsed.values(), pushed.values());
    }
});
