//! Terraform JSON emission through the public API: escaping, determinism, atomic writes,
//! raw overrides, outputs, variables, meta-arguments, backends and collected problems.

use infra_core::aws::{kms, route53, sns};
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
    // A duplicate names both places in the user's code: the two `add` lines above.
    let StackProblem::DuplicateName { first, second, .. } = &problems[0] else {
        panic!("{problems:?}")
    };
    let line = |l: &str| l.split(':').nth(1).unwrap().parse::<u32>().unwrap();
    assert!(
        first.starts_with("infra-core/tests/emission.rs:"),
        "{first}"
    );
    assert_eq!(line(second), line(first) + 1, "{first} {second}");
    assert!(
        err.to_string()
            .contains(&format!("added at {first} and again at {second}"))
    );
    assert_eq!(
        problems,
        &vec![
            StackProblem::DuplicateName {
                type_name: "aws_sns_topic",
                name: "primary_dup".into(),
                first: first.clone(),
                second: second.clone(),
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

// Every way a user string reaches the JSON. Where Terraform reads the string as a template
// (provider arguments, resource arguments and map keys, locals, output values, validation
// messages, raw overrides) a literal `${`/`%{` must come out escaped; where Terraform reads it
// literally (the `terraform` block, a variable's description and default, an output's
// description) it must come out as given, or the description would show `$${`. Both kinds
// were checked against Terraform 1.11.4. References and argument names (`depends_on`,
// `ignore_changes`) cannot be escaped, so anything else there is a reported problem.

const RAW: &str = "a ${b} %{c}";
const ESCAPED: &str = "a $${b} %%{c}";

#[test]
fn default_tags_keys_and_values_are_escaped() {
    let stack = Stack::new();
    stack.default_tags([("NamingRule", "payment-${env}-x"), (RAW, "v")]);
    stack.aws::<UsEast1>("primary");
    stack.aws::<UsWest2>("secondary");
    let doc = stack.synth().unwrap();
    for provider in doc.value()["provider"]["aws"].as_array().unwrap() {
        assert_eq!(
            provider["default_tags"]["tags"],
            json!({"NamingRule": "payment-$${env}-x", ESCAPED: "v"})
        );
    }
}

#[test]
fn map_argument_keys_are_escaped() {
    let stack = Stack::new();
    stack.aws::<UsEast1>("primary").add(
        "zone",
        route53::Zone {
            name: "example.com".into(),
            opts: route53::ZoneOpts {
                tags: std::collections::BTreeMap::from([(RAW.to_owned(), Text::from(RAW))]),
                ..Default::default()
            },
        },
    );
    let doc = stack.synth().unwrap();
    assert_eq!(
        doc.value()["resource"]["aws_route53_zone"]["primary_zone"]["tags"],
        json!({ESCAPED: ESCAPED})
    );
}

#[test]
fn locals_are_escaped() {
    let stack = Stack::new();
    stack.local("text", Text::from(RAW));
    stack.local(
        "map",
        std::collections::BTreeMap::from([(RAW.to_owned(), RAW.to_owned())]),
    );
    let doc = stack.synth().unwrap();
    assert_eq!(
        doc.value()["locals"],
        json!({"text": ESCAPED, "map": {ESCAPED: ESCAPED}})
    );
}

#[test]
fn output_values_are_escaped_and_descriptions_are_literal() {
    let stack = Stack::new();
    stack.output_described("o", Text::from(RAW), RAW);
    let doc = stack.synth().unwrap();
    assert_eq!(
        doc.value()["output"]["o"],
        json!({"value": ESCAPED, "description": RAW})
    );
}

#[test]
fn validation_messages_are_escaped_and_descriptions_and_defaults_are_literal() {
    let stack = Stack::new();
    let domain = stack.variable(
        "domain",
        Variable::string(RAW)
            .default(RAW)
            .validation("length(var.domain) > 3", RAW),
    );
    stack.variable(
        "other",
        Variable::string("d")
            .validation("var.other != \"\"", interpolate!("{} or {}", domain, RAW)),
    );
    let v = stack.synth().unwrap().value()["variable"].clone();
    assert_eq!(v["domain"]["description"], RAW);
    assert_eq!(v["domain"]["default"], RAW);
    assert_eq!(v["domain"]["validation"][0]["error_message"], ESCAPED);
    assert_eq!(
        v["other"]["validation"][0]["error_message"],
        format!("${{var.domain}} or {ESCAPED}")
    );
}

#[test]
fn backend_settings_are_literal() {
    let stack = Stack::new();
    stack.backend(Backend::Local { path: RAW.into() });
    assert_eq!(
        stack.synth().unwrap().value()["terraform"]["backend"],
        json!({"local": {"path": RAW}})
    );
    stack.backend(Backend::S3(
        S3Backend::new("acme-state", "p/${x}.tfstate", "us-east-1").unwrap(),
    ));
    assert_eq!(
        stack.synth().unwrap().value()["terraform"]["backend"]["s3"]["key"],
        "p/${x}.tfstate"
    );
}

#[test]
fn raw_override_values_and_paths_are_escaped() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add("key", kms::Key::default());
    east.add_with(
        "topic",
        sns::Topic::default(),
        Meta::new()
            .raw_override("display_name", json!(RAW))
            .raw_override("tags", json!({RAW: [RAW, {"k": RAW}]}))
            .raw_override(format!("delivery_policy.{RAW}"), json!(1))
            .raw_override_arg("policy", interpolate!("{} {}", key.arn(), RAW)),
    );
    // The overrides are shaped to test escaping, not to fit the schema (IC-SCHEMA-001 would
    // refuse `tags` holding a list), so the rules are not run.
    let doc = stack.synth_unchecked().unwrap();
    let topic = &doc.value()["resource"]["aws_sns_topic"]["primary_topic"];
    assert_eq!(topic["display_name"], ESCAPED);
    assert_eq!(topic["tags"], json!({ESCAPED: [ESCAPED, {"k": ESCAPED}]}));
    assert_eq!(topic["delivery_policy"], json!({ESCAPED: 1}));
    assert_eq!(
        topic["policy"],
        format!("${{aws_kms_key.primary_key.arn}} {ESCAPED}")
    );
}

#[test]
fn depends_on_and_ignore_changes_take_only_names() {
    use infra_core::{Node, NodeKind, Ref};
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let pasted: Ref<kms::Key<UsEast1>> =
        Ref::new(Node::new(NodeKind::Resource, "aws_kms_key", "k${x}"));
    east.add_with(
        "topic",
        sns::Topic::default(),
        Meta::new().depends_on(&pasted).ignore_changes([
            "tags",
            "tags[\"Name\"]",
            "policy.0",
            "${x}",
            "a %{b}",
        ]),
    );
    let SynthError::Invalid(problems) = stack.synth().unwrap_err() else {
        panic!("expected problems")
    };
    let values: Vec<(&str, String)> = problems
        .iter()
        .map(|p| match p {
            StackProblem::InvalidMetaArgument {
                address,
                argument,
                value,
                ..
            } => {
                assert_eq!(address, "aws_sns_topic.primary_topic");
                (*argument, value.clone())
            }
            other => panic!("unexpected {other}"),
        })
        .collect();
    assert_eq!(
        values,
        [
            ("depends_on", "aws_kms_key.k${x}".to_owned()),
            ("ignore_changes", "${x}".to_owned()),
            ("ignore_changes", "a %{b}".to_owned()),
        ]
    );
}

#[test]
fn a_pasted_reference_fails_synth_naming_the_resource_and_argument() {
    let stack = Stack::new();
    stack.default_tags([(
        "Key",
        format!("{:?}", Text::expression("aws_kms_key.k.arn")),
    )]);
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add("key", kms::Key::default());
    // `{:?}` of a reference: what rustc suggests when `{}` does not compile.
    east.add(
        "debug",
        sns::Topic {
            name: Some(format!("alarms-{:?}", key.arn()).into()),
            ..Default::default()
        },
    );
    // A rendered reference glued into a `String`.
    east.add(
        "rendered",
        route53::Zone {
            name: "example.com".into(),
            opts: route53::ZoneOpts {
                tags: std::collections::BTreeMap::from([(
                    "Data".to_owned(),
                    Text::from(Text::expression("data.aws_region.r.name").render()),
                )]),
                ..Default::default()
            },
        },
    );
    east.add_with(
        "raw",
        sns::Topic::default(),
        Meta::new().raw_override("display_name", json!(key.key_id().text().render())),
    );
    stack.output("o", Text::from(key.arn().text().render()));
    stack.local("l", vec![Text::from(format!("{:?}", key.key_id()))]);
    stack.variable(
        "v",
        Variable::string("d").validation("true", key.arn().text().render()),
    );
    // Escaped text that is not a resource reference is fine.
    east.add(
        "fine",
        sns::Topic {
            name: Some("$${var.x} ${aws:username}".into()),
            ..Default::default()
        },
    );
    let dir = scratch("pasted");
    let SynthError::Invalid(problems) = stack.write(&dir).unwrap_err() else {
        panic!("expected problems")
    };
    assert!(!dir.exists(), "a failed synth must write nothing");
    let found: Vec<(String, String, String)> = problems
        .iter()
        .map(|p| match p {
            StackProblem::PastedReference {
                address,
                argument,
                reference,
            } => (address.clone(), argument.clone(), reference.clone()),
            other => panic!("unexpected {other}"),
        })
        .collect();
    let expected = [
        (
            "provider.aws.primary",
            "default_tags.tags",
            "aws_kms_key.k.arn",
        ),
        (
            "aws_route53_zone.primary_rendered",
            "tags.Data",
            "data.aws_region.r.name",
        ),
        (
            "aws_sns_topic.primary_debug",
            "name",
            "aws_kms_key.primary_key.arn",
        ),
        (
            "aws_sns_topic.primary_raw",
            "display_name",
            "aws_kms_key.primary_key.key_id",
        ),
        ("local.l", "value[0]", "aws_kms_key.primary_key.key_id"),
        ("output.o", "value", "aws_kms_key.primary_key.arn"),
        (
            "variable.v",
            "validation[0].error_message",
            "aws_kms_key.primary_key.arn",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(found, expected);
    let message = problems[2].to_string();
    assert!(
        message.starts_with(
            "`aws_sns_topic.primary_debug` argument `name` holds `aws_kms_key.primary_key.arn` as literal text"
        ) && message.contains("interpolate!"),
        "{message}"
    );
}
