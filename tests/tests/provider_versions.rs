//! Where provider 6.66.0 (the version the stack targets) and 5.100.0 (the machine's mirror)
//! differ for what the payment stack uses: the schema validator's notes. They are notes, not
//! failures: the stack still validates against its own version.

use std::collections::BTreeSet;

use infra_core::schema::{
    NEWER_THAN_5_100, Schema, VersionNote, argument_of, differences, unknown_to, validate,
};
use payment_stack::{Config, EnvironmentKind, build};

fn synth(kind: EnvironmentKind) -> infra_core::Document {
    build(
        &Config::new("dev", "payments.example.com")
            .unwrap()
            .with_environment_kind(kind),
    )
    .synth()
    .unwrap()
}

fn notes(doc: &infra_core::Document) -> Vec<VersionNote> {
    differences(doc.value(), Schema::aws(), Schema::aws_5_100())
}

/// `resource.aws_x.name.a.b` → (`aws_x`, `a.b`).
fn type_and_argument(path: &str) -> (String, String) {
    let mut parts = path.splitn(4, '.');
    let _resource = parts.next();
    let ty = parts.next().unwrap().to_owned();
    let _name = parts.next();
    (ty, parts.next().unwrap_or("").to_owned())
}

#[test]
fn version_differences_are_notes_and_the_stack_still_validates() {
    for kind in [EnvironmentKind::Production, EnvironmentKind::NonProduction] {
        let doc = synth(kind);
        let notes = notes(&doc);
        assert!(
            !notes.is_empty(),
            "the stack uses arguments whose shape differs"
        );
        assert!(validate(doc.value(), Schema::aws()).is_ok());
    }
}

#[test]
fn arguments_unknown_to_5_100_are_noted_as_such_and_listed() {
    let doc = synth(EnvironmentKind::Production);
    let noted: BTreeSet<(String, String)> = notes(&doc)
        .iter()
        .filter(|n| n.difference == "only in 6.66.0, unknown to 5.100.0")
        .map(|n| type_and_argument(&n.path))
        .collect();
    let unknown: BTreeSet<(String, String)> = unknown_to(doc.value(), Schema::aws_5_100())
        .problems
        .iter()
        .filter_map(argument_of)
        .map(|(ty, _, argument)| (ty, argument))
        .collect();
    assert_eq!(noted, unknown);
    assert!(noted.contains(&(
        "aws_dynamodb_table".to_owned(),
        "replica.deletion_protection_enabled".to_owned()
    )));
    for (ty, argument) in &noted {
        assert!(
            NEWER_THAN_5_100
                .iter()
                .any(|n| n.resource_type == ty && n.argument == argument),
            "{ty}.{argument}"
        );
    }
}

#[test]
fn arguments_whose_requiredness_differs_are_noted_where_the_stack_sets_them() {
    let doc = synth(EnvironmentKind::Production);
    let notes = notes(&doc);
    // Every argument the alarms set whose `required` flag differs between the two schemas.
    let alarm = |s: &'static Schema| s.resource("aws_cloudwatch_metric_alarm").unwrap();
    let (new, old) = (alarm(Schema::aws()), alarm(Schema::aws_5_100()));
    let alarms = doc.value()["resource"]["aws_cloudwatch_metric_alarm"]
        .as_object()
        .unwrap();
    let mut expected = 0;
    for (name, body) in alarms {
        for argument in body.as_object().unwrap().keys() {
            let (Some(n), Some(o)) = (new.attributes.get(argument), old.attributes.get(argument))
            else {
                continue;
            };
            if n.required != o.required {
                expected += 1;
                let path = format!("resource.aws_cloudwatch_metric_alarm.{name}.{argument}");
                assert!(
                    notes.iter().any(|note| note.path == path
                        && note.difference.contains("in 6.66.0")
                        && note.difference.contains("in 5.100.0")),
                    "no note for {path}"
                );
            }
        }
    }
    assert!(
        expected > 0,
        "the alarms set an argument whose requiredness differs"
    );
}
