//! Every generated type of the enabled features conforms to the schema it was generated from
//! (`tools/schema/aws-6.66.0.json.gz`), found through the generator's own registry
//! (`infra_core::aws::generated_types()`), not a hand-kept list. With `--features full`
//! (as `scripts/test` runs it) that is every resource and data source of the provider but the
//! hand-written ones.

use std::io::Read;
use std::sync::OnceLock;

use infra_core::NodeKind;
use infra_core::schema::{Kind, Schema, check_shape, missing_arguments};

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tools/schema/aws-6.66.0.json.gz"
        );
        let bytes = std::fs::read(path).expect("the committed 6.66.0 schema");
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .expect("a gzip file");
        Schema::from_terraform_json(&text, "registry.terraform.io/hashicorp/aws", "6.66.0")
            .expect("the standard format")
    })
}

fn kind(kind: NodeKind) -> Kind {
    match kind {
        NodeKind::Resource => Kind::Resource,
        NodeKind::Data => Kind::DataSource,
    }
}

#[test]
fn every_generated_type_conforms_to_the_schema() {
    let types = infra_core::aws::generated_types();
    let mut problems = Vec::new();
    for t in &types {
        if (t.declared_type, t.declared_kind) != (t.type_name, t.kind) {
            problems.push(format!(
                "`{}` was generated for `{}` but declares `{}`: another item took its path",
                t.rust_path, t.type_name, t.declared_type
            ));
            continue;
        }
        let report = check_shape(schema(), kind(t.kind), t.type_name, &(t.shape)());
        if !report.is_ok() {
            problems.push(format!("{} ({}):\n{report}", t.type_name, t.rust_path));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_registry_lists_each_type_once() {
    let types = infra_core::aws::generated_types();
    let mut names: Vec<(bool, &str)> = types
        .iter()
        .map(|t| (t.kind == NodeKind::Data, t.type_name))
        .collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "a type is registered twice");
}

/// With every service enabled, the registry and the hand-written types together are the
/// whole schema.
#[cfg(feature = "full")]
#[test]
fn with_every_feature_every_schema_type_is_generated_or_hand_written() {
    let hand = tests::handwritten_types();
    let mut covered: Vec<(bool, String)> = infra_core::aws::generated_types()
        .iter()
        .map(|t| (t.kind == NodeKind::Data, t.type_name.to_owned()))
        .chain(hand)
        .collect();
    covered.sort();
    let mut all: Vec<(bool, String)> = schema()
        .resource_types()
        .map(|n| (false, n.to_owned()))
        .chain(schema().data_source_types().map(|n| (true, n.to_owned())))
        .collect();
    all.sort();
    assert_eq!(covered.len(), 1725 + 683);
    assert_eq!(covered, all);
}

#[test]
fn every_type_has_every_argument_of_the_schema() {
    // The overlay's hand-written blocks included: each is checked against the schema block it
    // stands for, at every depth it declares.
    let mut missing = Vec::new();
    for t in &infra_core::aws::generated_types() {
        missing.extend(missing_arguments(
            schema(),
            kind(t.kind),
            t.type_name,
            &(t.shape)(),
        ));
    }
    assert!(
        missing.is_empty(),
        "{} schema arguments have no field:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
