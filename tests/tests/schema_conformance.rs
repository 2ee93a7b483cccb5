//! Every resource type infra-core declares conforms to the committed AWS provider schema:
//! no argument the provider does not know, no wrong type or block shape, every argument the
//! provider requires is a required field.

// No type is hand-written today (every one is overlay-typed, `infra-core/overlay/types/`, and
// checked by generated_conformance.rs); the list below is where the next type goes that the
// overlay cannot express, with these imports (`infra_core::aws::*`, `UsEast1`) back.
use infra_core::Resource;
use infra_core::schema::{Kind, Schema, check_shape};

#[allow(
    dead_code,
    reason = "used by the list below, empty while no type is hand-written"
)]
fn check<T: Resource>(kind: Kind) -> Option<String> {
    let report = check_shape(Schema::aws(), kind, T::TYPE, &T::shape());
    (!report.is_ok()).then(|| format!("{} ({}):\n{report}", T::TYPE, std::any::type_name::<T>()))
}

macro_rules! declared {
    ($($kind:ident $ty:ty,)*) => {
        /// `(kind and Terraform type, problems)` for every declared type.
        fn all() -> Vec<(String, Option<String>)> {
            vec![$((format!("{} {}", stringify!($kind), <$ty as Resource>::TYPE), declared!(@check $kind $ty))),*]
        }
    };
    (@check resource $ty:ty) => { check::<$ty>(Kind::Resource) };
    (@check data $ty:ty) => { check::<$ty>(Kind::DataSource) };
}

declared! {}

#[test]
fn every_declared_type_conforms_to_the_provider_schema() {
    let problems: Vec<String> = all().into_iter().filter_map(|(_, p)| p).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_list_above_covers_every_declared_type() {
    // Counts the derives in the sources, so a new resource type cannot skip this test.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra-core/src/aws");
    // The overlay-typed types' Rust names: a module may implement `Resource` by hand for one
    // of them (`iam::Role<T>`, typed by its trust), which generated_conformance.rs checks.
    let overlay = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra-core/overlay/types");
    let mut typed = Vec::new();
    for entry in std::fs::read_dir(overlay).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some(name) = line
                .strip_prefix("rust = \"")
                .and_then(|l| l.strip_suffix('"'))
            {
                typed.push(name.to_owned());
            }
        }
    }
    let mut derived = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        // `generated/` is checked without a list (tests/tests/generated_conformance.rs).
        if path.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        derived += text.matches("#[derive(Resource").count();
        // Written by hand where the derive does not fit.
        derived += text
            .split(" Resource for ")
            .skip(1)
            .filter(|rest| {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
                !typed.contains(&name)
            })
            .count();
    }
    let listed = all();
    assert_eq!(
        listed.len(),
        derived,
        "declare the new type in tests/tests/schema_conformance.rs"
    );
    let mut types: Vec<&str> = listed.iter().map(|(t, _)| t.as_str()).collect();
    types.sort_unstable();
    types.dedup();
    assert_eq!(
        types.len(),
        listed.len(),
        "a Terraform type is declared twice"
    );
}

#[test]
fn the_generators_list_of_hand_written_types_is_the_list_above() {
    // infra-codegen leaves out the types infra-core/overlay/handwritten.txt lists; a type
    // missing there would be generated a second time (and hidden behind the hand-written one).
    let mut from_file: Vec<String> = tests::handwritten_types()
        .into_iter()
        .map(|(data, name)| format!("{} {name}", if data { "data" } else { "resource" }))
        .collect();
    from_file.sort();
    let mut declared: Vec<String> = all().into_iter().map(|(t, _)| t).collect();
    declared.sort();
    assert_eq!(from_file, declared);
}
