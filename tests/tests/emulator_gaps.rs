//! The Terraform stage's emulator-gap list (`tests/terraform/emulator-gaps.json`) matches the
//! stack and the harness: every entry names something that exists, the schema exclusions are
//! exactly what the 5.100.0 schema does not know, and every probe and skipped test is real.
//! The stage itself (scripts/terraform-stage) checks the rest against moto at every run.

use std::collections::BTreeSet;

use infra_core::Document;
use infra_core::schema::{NEWER_THAN_5_100, Schema, argument_of, unknown_to};
use payment_stack::{Config, EnvironmentKind, build};
use serde_json::Value;

const GAPS: &str = include_str!("../terraform/emulator-gaps.json");
const STUBS: &str = include_str!("../terraform/moto_stubbed.py");
const DEPLOYED_TESTS: &str = include_str!("../../lambda/tests/deployed.rs");

fn gaps() -> Vec<Value> {
    let doc: Value = serde_json::from_str(GAPS).expect("emulator-gaps.json is JSON");
    assert_eq!(doc["provider"], "5.100.0");
    doc["entries"].as_array().unwrap().clone()
}

fn synth(kind: EnvironmentKind) -> Document {
    build(
        &Config::new("tfstage", "payments.example.com")
            .unwrap()
            .with_environment_kind(kind),
    )
    .synth()
    .unwrap()
}

fn field<'e>(entry: &'e Value, key: &str) -> &'e str {
    entry[key]
        .as_str()
        .unwrap_or_else(|| panic!("entry {entry} lacks `{key}`"))
}

#[test]
fn every_entry_is_complete_and_of_a_known_kind() {
    let mut ids = BTreeSet::new();
    for entry in gaps() {
        assert!(
            ids.insert(field(&entry, "id").to_owned()),
            "duplicate {entry}"
        );
        for key in ["call", "moto", "what_we_do"] {
            assert!(!field(&entry, key).is_empty(), "{entry}");
        }
        let kind = field(&entry, "kind");
        let needs: &[&str] = match kind {
            "stub" => &["resource_type", "probe"],
            "exclude" => &["resource_type", "probe"],
            "perpetual_diff" => &["resource_type", "attribute"],
            "schema_exclusion" | "provider_5x" => &["resource_type", "argument"],
            "deployed_test" => &["test"],
            other => panic!("unknown kind `{other}` in {entry}"),
        };
        for key in needs {
            field(&entry, key);
        }
    }
}

#[test]
fn every_listed_resource_type_is_in_the_stack() {
    let doc = synth(EnvironmentKind::NonProduction);
    let declared = doc.value()["resource"].as_object().unwrap();
    for entry in gaps() {
        if let Some(ty) = entry["resource_type"].as_str() {
            assert!(
                declared.contains_key(ty),
                "{}: the stack has no `{ty}`: remove or update the entry",
                entry["id"]
            );
        }
        for address in entry["addresses"].as_array().into_iter().flatten() {
            let (ty, name) = address.as_str().unwrap().split_once('.').unwrap();
            assert!(
                declared[ty].get(name).is_some(),
                "{}: the stack has no `{address}`",
                entry["id"]
            );
        }
    }
}

#[test]
fn schema_exclusions_are_exactly_what_5_100_does_not_know() {
    let mut unknown = BTreeSet::new();
    for kind in [EnvironmentKind::Production, EnvironmentKind::NonProduction] {
        let doc = synth(kind);
        let report = unknown_to(doc.value(), Schema::aws_5_100());
        for problem in &report.problems {
            let (ty, _, argument) = argument_of(problem)
                .unwrap_or_else(|| panic!("not an argument the override can drop: {problem}"));
            unknown.insert((ty, argument));
        }
    }
    let listed: BTreeSet<(String, String)> = gaps()
        .iter()
        .filter(|e| e["kind"] == "schema_exclusion")
        .map(|e| {
            (
                field(e, "resource_type").to_owned(),
                field(e, "argument").to_owned(),
            )
        })
        .collect();
    assert_eq!(listed, unknown, "the gap list's schema exclusions");
    assert!(!unknown.is_empty(), "the check has something to find");
    for (ty, argument) in &unknown {
        assert!(
            NEWER_THAN_5_100
                .iter()
                .any(|n| n.resource_type == ty && n.argument == argument),
            "{ty}.{argument} is not in infra_core::schema::NEWER_THAN_5_100"
        );
    }
}

#[test]
fn provider_5x_settings_exist_only_in_5_x() {
    for entry in gaps().iter().filter(|e| e["kind"] == "provider_5x") {
        let (ty, argument) = (field(entry, "resource_type"), field(entry, "argument"));
        let has = |s: &Schema| s.resource(ty).unwrap().attributes.contains_key(argument);
        assert!(has(Schema::aws_5_100()), "{ty}.{argument} in 5.100.0");
        assert!(!has(Schema::aws()), "{ty}.{argument} is gone from 6.x");
    }
}

#[test]
fn perpetual_diffs_name_real_arguments() {
    for entry in gaps().iter().filter(|e| e["kind"] == "perpetual_diff") {
        let ty = field(entry, "resource_type");
        let mut block = Schema::aws_5_100().resource(ty).unwrap();
        let path: Vec<&str> = field(entry, "attribute").split('.').collect();
        let (last, blocks) = path.split_last().unwrap();
        for step in blocks {
            block = &block
                .blocks
                .get(*step)
                .unwrap_or_else(|| panic!("{entry}"))
                .block;
        }
        assert!(
            block.attributes.contains_key(*last) || block.blocks.contains_key(*last),
            "{ty} has no `{}`",
            field(entry, "attribute")
        );
    }
}

#[test]
fn every_probe_and_skipped_test_exists() {
    for entry in gaps() {
        if let Some(probe) = entry["probe"].as_str() {
            assert!(
                STUBS.contains(&format!("\ndef probe_{probe}(")),
                "moto_stubbed.py has no probe_{probe}"
            );
        }
        if let Some(test) = entry["test"].as_str() {
            assert!(
                DEPLOYED_TESTS.contains(&format!("fn {test}(")),
                "lambda/tests/deployed.rs has no test `{test}`"
            );
        }
    }
}
