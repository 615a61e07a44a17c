//! Any bytes: parsing never panics, a parsed file round-trips byte for byte, and an edit
//! either fails cleanly or reads back as the values it was asked to write.
#![no_main]

use docket::doc::{Document, Edit, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
        .apply(&Edit::Push(vec!["labels".into()], Value::String("x".into())))
        .is_ok()
    {
        let reparsed = Document::parse(pushed.text().as_bytes()).expect("edits write YAML that parses");
        assert_eq!(reparsed.values(), pushed.values());
    }
});
