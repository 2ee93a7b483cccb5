//! Compile-fail rules of the typed core, and the correct versions that must compile.
//!
//! Each `ui/<area>/<rule>.rs` breaks one rule; its `.stderr` holds the reviewed error. Regenerate
//! with `TRYBUILD=overwrite cargo test -p tests --test ui` and read the diff before committing.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    for area in [
        "derive",
        "refs",
        "region",
        "policy",
        "sensitive",
        "stack",
        "grants",
    ] {
        t.compile_fail(format!("tests/ui/{area}/*.rs"));
    }
    t.pass("tests/ui/pass/*.rs");
}
