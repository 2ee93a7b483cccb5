//! The lazy graph and scoped names: nodes stay typed until synth, handles amend them, scopes
//! compose logical names, duplicates name both places.

use infra_core::aws::{iam, kms, sns};
use infra_core::policy::{PolicyDocument, service};
use infra_core::{Aws, Ref, Region, Stack, StackProblem, SynthError, UsEast1, UsWest2, testing};

/// A component written once: a key and a topic encrypted with it.
fn alarms<R: Region>(aws: &Aws<R>) -> Ref<sns::Topic<R>> {
    let key = aws.add("key", kms::Key::default());
    aws.add(
        "alarms",
        sns::Topic {
            kms_master_key_id: Some(key.key_id()),
            ..Default::default()
        },
    )
}

#[test]
fn an_amended_node_synthesizes_with_everything_added_before_synth() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add("key", kms::Key::default());
    let role = east.add(
        "role",
        iam::Role {
            assume_role_policy: PolicyDocument::trust(service::Lambda),
            opts: Default::default(),
        },
    );
    let policy = east.add(
        "policy",
        iam::RolePolicy {
            role: role.id(),
            name: "grants".into(),
            policy: PolicyDocument::new(),
            opts: Default::default(),
        },
    );
    // Added after the policy: the policy still gains a statement naming it.
    let later = east.add("later", kms::Key::default());
    for k in [&key, &later] {
        stack.amend(&policy, |p| {
            p.policy = std::mem::take(&mut p.policy).allow([kms::Decrypt], k.arn());
        });
    }
    let doc = stack.synth().unwrap();
    let body = testing::resource(&doc, "aws_iam_role_policy", "primary_policy").unwrap();
    let text = body["policy"].as_str().unwrap();
    assert!(text.contains("${aws_kms_key.primary_key.arn}"), "{text}");
    assert!(text.contains("${aws_kms_key.primary_later.arn}"), "{text}");
    // Synthesis reads the graph, it does not consume it: a second synth is byte-identical.
    assert_eq!(
        doc.to_json_string(),
        stack.synth().unwrap().to_json_string()
    );
}

#[test]
fn amending_a_handle_of_another_stack_is_reported() {
    let other = Stack::new();
    let topic = other
        .aws::<UsEast1>("primary")
        .add("t", sns::Topic::default());
    let stack = Stack::new();
    let _ = stack.aws::<UsEast1>("primary");
    stack.amend(&topic, |t| t.name = Some("x".into()));
    let Err(SynthError::Invalid(problems)) = stack.synth() else {
        panic!("synth accepted an amendment of a foreign node")
    };
    assert_eq!(
        problems,
        [StackProblem::NotInStack {
            address: "aws_sns_topic.primary_t".into()
        }]
    );
}

#[test]
fn scopes_compose_logical_names_so_a_component_runs_twice_in_one_region() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let audit = alarms(&east.scope("audit"));
    let ops = alarms(&east.scope("ops"));
    let nested = alarms(&east.scope("ops").scope("inner"));
    let west = alarms(&stack.aws::<UsWest2>("secondary").scope("audit"));
    assert_eq!(audit.node().name(), "primary_audit_alarms");
    assert_eq!(ops.node().name(), "primary_ops_alarms");
    assert_eq!(nested.node().name(), "primary_ops_inner_alarms");
    assert_eq!(west.node().name(), "secondary_audit_alarms");
    let doc = stack.synth().unwrap();
    assert_eq!(testing::count(&doc, "aws_kms_key"), 4);
    let topic = testing::resource(&doc, "aws_sns_topic", "primary_ops_alarms").unwrap();
    assert_eq!(
        topic["kms_master_key_id"],
        "${aws_kms_key.primary_ops_key.key_id}"
    );
}

#[test]
fn a_component_twice_in_one_scope_is_a_duplicate_naming_both_calls() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let scope = east.scope("audit");
    alarms(&scope);
    alarms(&scope);
    let Err(SynthError::Invalid(problems)) = stack.synth() else {
        panic!("a duplicate was accepted")
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
    for p in &problems {
        let StackProblem::DuplicateName { first, second, .. } = p else {
            panic!("{p:?}")
        };
        // `alarms` has no `#[track_caller]`: both places are its `add` lines, in this file.
        assert!(first.starts_with("infra-core/tests/graph.rs:"), "{first}");
        assert_eq!(first, second, "the same line added both");
    }
}

#[test]
fn a_scope_name_that_is_not_an_identifier_is_reported() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let _ = east.scope("two words");
    let Err(SynthError::Invalid(problems)) = stack.synth() else {
        panic!()
    };
    assert!(
        matches!(&problems[..], [StackProblem::InvalidName { type_name: "scope", name }] if name == "two words"),
        "{problems:?}"
    );
}

#[test]
fn a_raw_override_is_applied_at_synth_after_amendments() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let topic = east.add_with(
        "t",
        sns::Topic::default(),
        infra_core::Meta::new().raw_override("name", serde_json::json!("raw")),
    );
    stack.amend(&topic, |t| t.name = Some("typed".into()));
    let doc = stack.synth().unwrap();
    let body = testing::resource(&doc, "aws_sns_topic", "primary_t").unwrap();
    assert_eq!(body["name"], "raw");
}
