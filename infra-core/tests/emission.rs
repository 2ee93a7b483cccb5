//! Terraform JSON emission through the public API: escaping, determinism, atomic writes,
//! raw overrides, outputs, variables, meta-arguments, backends and collected problems.

use infra_core::aws::{kms, sns};
use infra_core::{
    Backend, Meta, S3Backend, Stack, StackProblem, SynthError, Text, UsEast1, UsWest2, Variable,
    interpolate,
};
use serde_json::json;

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("infra-emission-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn user_text_is_escaped_and_references_are_not() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add(
        "key",
        kms::Key {
            description: Some("costs ${var.x} and %{ if } stays literal".into()),
            ..Default::default()
        },
    );
    east.add(
        "topic",
        sns::Topic {
            name: Some(interpolate!("t-{}-${{literal}}", key.key_id())),
            kms_master_key_id: Some(key.key_id()),
            ..Default::default()
        },
    );
    let doc = stack.synth().unwrap();
    let r = &doc.value()["resource"];
    assert_eq!(
        r["aws_kms_key"]["primary_key"]["description"],
        "costs $${var.x} and %%{ if } stays literal"
    );
    assert_eq!(
        r["aws_sns_topic"]["primary_topic"]["name"],
        "t-${aws_kms_key.primary_key.key_id}-$${literal}"
    );
    assert_eq!(
        r["aws_sns_topic"]["primary_topic"]["kms_master_key_id"],
        "${aws_kms_key.primary_key.key_id}"
    );
}

fn build(order: &[&str]) -> String {
    let stack = Stack::new();
    stack.default_tags([("b", "2"), ("a", "1")]);
    let west = stack.aws::<UsWest2>("secondary");
    let east = stack.aws::<UsEast1>("primary");
    for name in order {
        east.add(
            name,
            sns::Topic {
                name: Some((*name).into()),
                ..Default::default()
            },
        );
        west.add(name, kms::Key::default());
        stack.output(name, Text::from(*name));
    }
    stack.synth().unwrap().to_json_string()
}

#[test]
fn output_is_byte_identical_whatever_the_declaration_order() {
    let a = build(&["x", "y", "z"]);
    let b = build(&["z", "x", "y"]);
    assert_eq!(a, b);
    assert_eq!(a, build(&["x", "y", "z"]));
    // Providers are sorted by alias and tags by key.
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["provider"]["aws"][0]["alias"], "primary");
    assert_eq!(
        v["provider"]["aws"][0]["default_tags"]["tags"],
        json!({"a": "1", "b": "2"})
    );
    assert!(a.ends_with("}\n"));
}

#[test]
fn problems_are_all_reported_and_nothing_is_written() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    east.add("dup", sns::Topic::default());
    east.add("dup", sns::Topic::default());
    east.add("bad name", sns::Topic::default());
    stack.output("o", Text::from("1"));
    stack.output("o", Text::from("2"));
    let _ = stack.aws::<UsWest2>("primary");
    let dir = scratch("invalid");
    let err = stack.write(&dir).unwrap_err();
    let SynthError::Invalid(problems) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        problems,
        &vec![
            StackProblem::DuplicateName {
                type_name: "aws_sns_topic",
                name: "primary_dup".into()
            },
            StackProblem::InvalidName {
                type_name: "aws_sns_topic",
                name: "primary_bad name".into()
            },
            StackProblem::Duplicate {
                what: "output",
                name: "o".into()
            },
            StackProblem::DuplicateProvider("primary".into()),
        ]
    );
    assert!(
        err.to_string().starts_with("the stack has 4 problem(s):"),
        "{err}"
    );
    assert!(!dir.exists(), "a failed synth must write nothing");
}

#[test]
fn a_write_that_fails_leaves_no_partial_file() {
    let stack = Stack::new();
    stack
        .aws::<UsEast1>("primary")
        .add("t", sns::Topic::default());
    let dir = scratch("blocked");
    std::fs::create_dir_all(dir.join("main.tf.json").join("occupied")).unwrap();
    assert!(matches!(stack.write(&dir), Err(SynthError::Write { .. })));
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("main.tf.json")]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn raw_overrides_are_applied_and_visible() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    east.add_with(
        "key",
        kms::Key {
            enable_key_rotation: Some(true),
            ..Default::default()
        },
        Meta::new()
            .raw_override("bypass_policy_lockout_safety_check", json!(false))
            .raw_override("tags.Team", json!("payments")),
    );
    let doc = stack.synth().unwrap();
    let key = &doc.value()["resource"]["aws_kms_key"]["primary_key"];
    assert_eq!(key["bypass_policy_lockout_safety_check"], false);
    assert_eq!(key["tags"], json!({"Team": "payments"}));
    assert_eq!(
        key["//"],
        "raw overrides: bypass_policy_lockout_safety_check, tags.Team"
    );

    let bad = Stack::new();
    bad.aws::<UsEast1>("primary").add_with(
        "key",
        kms::Key {
            enable_key_rotation: Some(true),
            ..Default::default()
        },
        Meta::new().raw_override("enable_key_rotation.nested", json!(1)),
    );
    let err = bad.synth().unwrap_err().to_string();
    assert!(
        err.contains(
            "override `enable_key_rotation.nested` on `aws_kms_key.primary_key` does not fit"
        ),
        "{err}"
    );
}

#[test]
fn meta_arguments_render_as_terraform_expects() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add("key", kms::Key::default());
    east.add_with(
        "topic",
        sns::Topic::default(),
        Meta::new()
            .depends_on(&key)
            .create_before_destroy()
            .prevent_destroy()
            .ignore_changes(["tags"]),
    );
    let doc = stack.synth().unwrap();
    assert_eq!(
        doc.value()["resource"]["aws_sns_topic"]["primary_topic"],
        json!({
            "provider": "aws.primary",
            "depends_on": ["aws_kms_key.primary_key"],
            "lifecycle": {"create_before_destroy": true, "prevent_destroy": true, "ignore_changes": ["tags"]}
        })
    );
}

#[test]
fn outputs_variables_and_locals() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let topic = east.add("alarms", sns::Topic::default());
    let domain = stack.variable(
        "domain",
        Variable::string("the domain")
            .default("example.com")
            .validation("length(var.domain) > 3", "too short"),
    );
    let secret = stack.sensitive_variable("secret", Variable::string("a secret"));
    let greeting = stack.local("greeting", interpolate!("hello {}", domain));
    stack.output("topic", topic.arn());
    stack.output_described("greeting", greeting, "a greeting");
    east.output("topic_id", topic.id());
    stack.sensitive_output("secret", secret);
    let v = stack.synth().unwrap().value().clone();
    assert_eq!(
        v["variable"],
        json!({
            "domain": {"type": "string", "description": "the domain", "default": "example.com",
                       "validation": [{"condition": "${length(var.domain) > 3}", "error_message": "too short"}]},
            "secret": {"type": "string", "description": "a secret", "sensitive": true}
        })
    );
    assert_eq!(v["locals"], json!({"greeting": "hello ${var.domain}"}));
    assert_eq!(
        v["output"],
        json!({
            "topic": {"value": "${aws_sns_topic.primary_alarms.arn}"},
            "greeting": {"value": "${local.greeting}", "description": "a greeting"},
            "primary_topic_id": {"value": "${aws_sns_topic.primary_alarms.id}"},
            "secret": {"value": "${var.secret}", "sensitive": true}
        })
    );
}

#[test]
fn backends_local_by_default_s3_by_configuration() {
    let stack = Stack::new();
    assert_eq!(
        stack.synth().unwrap().value()["terraform"]["backend"],
        json!({"local": {"path": "terraform.tfstate"}})
    );
    stack.backend(Backend::S3(
        S3Backend::new("acme-state", "payments/dev.tfstate", "us-east-1").unwrap(),
    ));
    assert_eq!(
        stack.synth().unwrap().value()["terraform"],
        json!({
            "required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 6.9.0, < 7.0.0"}},
            "backend": {"s3": {"bucket": "acme-state", "key": "payments/dev.tfstate", "region": "us-east-1",
                               "encrypt": true, "use_lockfile": true}}
        })
    );
}
