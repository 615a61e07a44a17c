//! Any text as a reply template: rendering never panics, a failure names a line inside
//! the text and a placeholder, and text with no `{{` renders as it is.
#![no_main]

use docket::support::template::{Lookup, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lookup = |name: &str| match name {
        "ticket.id" => Lookup::Value("T-4K7QX2M9AB".into()),
        "ticket.title" => Lookup::Value("{{ticket.id}} in a title".into()),
        "customer.name" => Lookup::Missing("no customer".into()),
        _ => Lookup::Unknown("ticket.id, ticket.title, customer.name".into()),
    };
    match render(text, &lookup) {
        Ok(out) => {
            if !text.contains("{{") {
                assert_eq!(out, text);
            }
        }
        Err(e) => {
            assert!(e.line >= 1 && e.line <= text.lines().count().max(1), "{e:?}");
            assert!(!e.message.is_empty() && !e.hint.is_empty(), "{e:?}");
        }
    }
});
