//! `IC-SCHEMA-001`: every resource and data source conforms to the provider schema.
//!
//! It runs [`crate::schema::validate`] against [`Schema::aws`] and reports each problem on the
//! resource it is in. Three kinds are left to others: a type the committed schema subset does
//! not know (a user's own resource type is not wrong for that), a dangling reference
//! (`IC-REF-001` reports it), and a pasted reference (building reports it,
//! [`crate::StackProblem::PastedReference`]). Outputs and local values are checked too (an undeclared
//! `var.…`, an attribute a resource does not export); problems in providers or the
//! `terraform` block are the validator's to report (`testing::assert_valid`).

use super::{Check, Model, Rule};
use crate::schema::{ProblemKind, Schema, validate};

/// The schema rule.
pub(crate) const CONFORMS: Rule = Rule::new(
    "IC-SCHEMA-001",
    "every resource conforms to the provider schema: known arguments of the right types, required arguments and blocks present, exported attributes that exist",
    conforms,
);

fn conforms(model: &Model<'_>, check: &mut Check) {
    let schema = Schema::aws();
    for r in model.resources() {
        let known = if r.address().starts_with("data.") {
            schema.data_source(r.type_name()).is_some()
        } else {
            schema.resource(r.type_name()).is_some()
        };
        if known {
            check.checked(r);
        }
    }
    for problem in validate(model.document(), schema).problems {
        if matches!(
            problem.kind,
            ProblemKind::UnknownResourceType { .. }
                | ProblemKind::UnknownDataSource { .. }
                | ProblemKind::DanglingReference { .. }
                | ProblemKind::PastedReference { .. }
        ) {
            continue;
        }
        if let Some((address, argument)) = named(&problem.path) {
            // An output or a local value: `var.nope`, `aws_kms_key.k.no_such_attribute`.
            check.at(&address, argument, Some(format!("{}", problem.kind)));
            continue;
        }
        let Some((address, argument)) = split(&problem.path) else {
            continue;
        };
        if let Some(r) = model.get(&address) {
            check.fail(
                r,
                argument,
                format!(
                    "{}: the hashicorp/aws {} schema says so; fix the field, or the raw override that wrote it",
                    problem.kind,
                    schema.provider_version()
                ),
            );
        }
    }
}

/// `output.name.value` → (`output.name`, `value`); `locals.name` → (`local.name`, `value`).
fn named(path: &str) -> Option<(String, &str)> {
    if let Some(rest) = path.strip_prefix("output.") {
        let (name, argument) = rest.split_once('.').unwrap_or((rest, ""));
        Some((format!("output.{name}"), argument))
    } else {
        let rest = path.strip_prefix("locals.")?;
        let name = rest.split(['.', '[']).next().unwrap_or(rest);
        Some((format!("local.{name}"), "value"))
    }
}

/// `resource.aws_x.name.arg.sub` → (`aws_x.name`, `arg.sub`); `data.aws_x.name.arg` →
/// (`data.aws_x.name`, `arg`).
fn split(path: &str) -> Option<(String, &str)> {
    let (prefix, rest) = if let Some(rest) = path.strip_prefix("resource.") {
        ("", rest)
    } else {
        ("data.", path.strip_prefix("data.")?)
    };
    let (type_name, rest) = rest.split_once('.')?;
    let (name, argument) = match rest.find(['.', '[']) {
        Some(i) => (&rest[..i], rest[i..].trim_start_matches('.')),
        None => (rest, ""),
    };
    Some((format!("{prefix}{type_name}.{name}"), argument))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{doc, failures};
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_split_into_address_and_argument() {
        assert_eq!(
            split("resource.aws_kms_key.k.enable_key_rotation"),
            Some(("aws_kms_key.k".to_owned(), "enable_key_rotation"))
        );
        assert_eq!(
            split("data.aws_iam_policy_document.d.statement[0].actions"),
            Some((
                "data.aws_iam_policy_document.d".to_owned(),
                "statement[0].actions"
            ))
        );
        assert_eq!(
            split("resource.aws_kms_key.k"),
            Some(("aws_kms_key.k".to_owned(), ""))
        );
        assert_eq!(split("output.x.value"), None);
    }

    #[test]
    fn a_wrong_argument_fails_and_an_unknown_type_is_left_alone() {
        let d = doc(json!({
            "aws_kms_key": {"bad": {"provider": "aws.primary", "enable_key_rotation": "yes"},
                            "good": {"provider": "aws.primary", "enable_key_rotation": true}},
            "acme_widget": {"w": {"anything": 1}},
        }));
        let found = failures(&d, &[CONFORMS]);
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|f| (f.address.as_str(), f.argument.as_str()))
            .collect();
        assert_eq!(
            got,
            [("aws_kms_key.bad", "enable_key_rotation")],
            "{found:?}"
        );
        assert!(
            found[0].message.contains("expected `bool`"),
            "{}",
            found[0].message
        );
    }
}
