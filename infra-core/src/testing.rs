//! Assertions for stack tests: count resources of a type, find one, check its properties.
//!
//! They work on the synthesized JSON, so they test exactly what Terraform will read. The
//! invariant assertions (a TLS-only deny on every bucket, `aws:SourceAccount` in a trust
//! policy, `kms:ViaService` on a key statement, no action patterns…) check the properties
//! components and grants promise.
//!
//! ```
//! use infra_core::{Stack, UsEast1, aws::sns, testing};
//! let stack = Stack::new();
//! stack.aws::<UsEast1>("primary").add("alarms", sns::Topic { name: Some("alarms".into()), ..Default::default() });
//! let doc = stack.synth().unwrap();
//! assert_eq!(testing::count(&doc, "aws_sns_topic"), 1);
//! testing::assert_has_resource(&doc, "aws_sns_topic", &serde_json::json!({"name": "alarms"}));
//! ```

use serde_json::Value;

mod invariants;
pub use invariants::*;

use crate::schema::{Kind, ProblemKind, Schema, check_shape, validate};
use crate::{Document, NodeKind, Resource};

/// The resources of `type_name`, as `(logical name, body)` pairs.
pub fn resources<'d>(doc: &'d Document, type_name: &str) -> Vec<(&'d str, &'d Value)> {
    doc.value()["resource"][type_name]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default()
}

/// How many resources of `type_name` the document declares.
pub fn count(doc: &Document, type_name: &str) -> usize {
    resources(doc, type_name).len()
}

/// The body of one resource.
pub fn resource<'d>(doc: &'d Document, type_name: &str, name: &str) -> Option<&'d Value> {
    doc.value()["resource"][type_name].get(name)
}

/// `true` when `actual` contains everything in `expected` (objects recursively; arrays and
/// scalars must be equal).
pub fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e
            .iter()
            .all(|(k, ev)| a.get(k).is_some_and(|av| contains(av, ev))),
        _ => actual == expected,
    }
}

/// Panics with the candidates unless some resource of `type_name` contains `properties`.
#[track_caller]
pub fn assert_has_resource(doc: &Document, type_name: &str, properties: &Value) {
    let candidates = resources(doc, type_name);
    if !candidates
        .iter()
        .any(|(_, body)| contains(body, properties))
    {
        panic!(
            "no `{type_name}` has {properties}; the {} candidate(s): {}",
            candidates.len(),
            serde_json::to_string_pretty(&candidates.iter().map(|(n, _)| *n).collect::<Vec<_>>())
                .unwrap_or_default()
        );
    }
}

/// Panics unless every resource of `type_name` contains `properties`.
#[track_caller]
pub fn assert_all_resources(doc: &Document, type_name: &str, properties: &Value) {
    for (name, body) in resources(doc, type_name) {
        assert!(
            contains(body, properties),
            "`{type_name}.{name}` lacks {properties}: {body}"
        );
    }
}

/// Panics unless `T`'s declared arguments conform to the committed AWS provider schema.
///
/// ```
/// infra_core::testing::assert_conforms::<infra_core::aws::sns::Topic<infra_core::UsEast1>>();
/// ```
#[track_caller]
pub fn assert_conforms<T: Resource>() {
    let kind = match T::KIND {
        NodeKind::Resource => Kind::Resource,
        NodeKind::Data => Kind::DataSource,
    };
    let report = check_shape(Schema::aws(), kind, T::TYPE, &T::shape());
    assert!(report.is_ok(), "{}: {report}", T::TYPE);
}

/// Panics unless the document validates against the committed AWS provider schema.
#[track_caller]
pub fn assert_valid(doc: &Document) {
    assert_valid_ignoring(doc, &[]);
}

/// Like [`assert_valid`], ignoring references to the addresses in `outside`: for testing a
/// fragment of a stack that refers to resources it does not declare.
#[track_caller]
pub fn assert_valid_ignoring(doc: &Document, outside: &[&str]) {
    let report = validate(doc.value(), Schema::aws());
    let problems: Vec<String> = report
        .problems
        .iter()
        .filter(|p| {
            !matches!(&p.kind, ProblemKind::DanglingReference { reference }
                if outside.contains(&reference.as_str()))
        })
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Checks a resource with given properties exists (a macro, to pass JSON literally).
///
/// ```
/// # use infra_core::{Stack, UsEast1, aws::sns, assert_resource};
/// # let stack = Stack::new();
/// # stack.aws::<UsEast1>("p").add("t", sns::Topic { name: Some("t".into()), ..Default::default() });
/// # let doc = stack.synth().unwrap();
/// assert_resource!(doc, "aws_sns_topic", { "name": "t" });
/// ```
#[macro_export]
macro_rules! assert_resource {
    ($doc:expr, $type_name:expr, $($json:tt)+) => {
        $crate::testing::assert_has_resource(&$doc, $type_name, &::serde_json::json!($($json)+))
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn contains_is_a_recursive_subset() {
        let a = json!({"a": {"b": 1, "c": [1, 2]}, "d": true});
        assert!(contains(&a, &json!({"a": {"b": 1}})));
        assert!(contains(&a, &json!({"a": {"c": [1, 2]}, "d": true})));
        assert!(!contains(&a, &json!({"a": {"c": [1]}})));
        assert!(!contains(&a, &json!({"x": 1})));
    }
}
