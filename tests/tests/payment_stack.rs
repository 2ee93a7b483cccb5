//! The payment platform as synthesized: services, regions, naming, tags, encryption, IAM,
//! schema conformance, errors and the reviewed snapshot.

use infra_core::Document;
use infra_core::schema::{Schema, validate};
use infra_core::testing::{self, assert_has_resource};
use payment_stack::{Config, build};
use serde_json::{Value, json};

fn synth(suffix: &str) -> Document {
    build(&Config::new(suffix, "payments.example.com").unwrap())
        .synth()
        .expect("the payment stack synthesizes")
}

#[test]
fn the_synthesized_stack_conforms_to_the_provider_schema() {
    let doc = synth("dev");
    let report = validate(doc.value(), Schema::aws());
    assert!(report.is_ok(), "{report}");
}
