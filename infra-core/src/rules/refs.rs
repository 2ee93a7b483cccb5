//! `IC-REF-001`: every reference names a resource or data source of this stack.

use serde_json::Value;

use super::{Check, Model, Rule, traversal_address};
use crate::template;

/// A `${aws_…}` reference to an address the stack does not declare: most often a handle of
/// another [`crate::Stack`], which renders an address Terraform cannot find.
pub(crate) const DANGLING_REFERENCE: Rule = Rule::new(
    "IC-REF-001",
    "every reference names a resource or data source of this stack",
    dangling,
);

fn message(address: &str) -> String {
    format!(
        "refers to `{address}`, which this stack does not declare (a handle from another `Stack`?): add the resource to this stack, or pass the value in with `Stack::variable`"
    )
}

fn dangling(model: &Model<'_>, check: &mut Check) {
    // Outputs and local values: a reference pasted from another stack dangles there too.
    let doc = model.document();
    for (key, prefix, arg) in [("output", "output", "value"), ("locals", "local", "value")] {
        for (name, body) in doc[key].as_object().into_iter().flatten() {
            let address = format!("{prefix}.{name}");
            let value = if key == "output" {
                &body["value"]
            } else {
                body
            };
            check.at(&address, arg, None);
            super::strings(value, &mut |s| {
                for target in super::addresses(s) {
                    if model.get(&target).is_none() {
                        check.at(&address, arg, Some(message(&target)));
                    }
                }
            });
        }
    }
    for r in model.resources() {
        check.checked(r);
        let mut path = String::new();
        walk(r.body(), &mut path, &mut |argument, text| {
            let found = if argument == "depends_on" || argument.starts_with("depends_on[") {
                template::expression_traversals(text)
            } else if template::has_template(text) {
                template::template_traversals(text)
            } else {
                return;
            };
            for address in found
                .unwrap_or_default()
                .iter()
                .filter_map(traversal_address)
            {
                if model.get(&address).is_none() {
                    check.fail(r, argument, message(&address));
                }
            }
        });
    }
}

/// Calls `f` with the dotted path and text of every string in `value`, skipping `provider`
/// and `lifecycle` (which hold no references to resources).
fn walk(value: &Value, path: &mut String, f: &mut impl FnMut(&str, &str)) {
    let len = path.len();
    match value {
        Value::String(s) => f(path, s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                walk(item, path, f);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                if len == 0 && matches!(k.as_str(), "provider" | "lifecycle" | "//") {
                    continue;
                }
                if len > 0 {
                    path.push('.');
                }
                path.push_str(k);
                walk(v, path, f);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{doc, failures};
    use super::*;
    use serde_json::json;

    #[test]
    fn a_reference_to_an_undeclared_resource_fails_and_a_declared_one_passes() {
        let bad = doc(json!({
            "aws_sns_topic": {"t": {"kms_master_key_id": "${aws_kms_key.elsewhere.arn}",
                                     "depends_on": ["aws_kms_key.gone"]}},
        }));
        let found = failures(&bad, &[DANGLING_REFERENCE]);
        let args: Vec<&str> = found.iter().map(|f| f.argument.as_str()).collect();
        assert_eq!(args, ["depends_on[0]", "kms_master_key_id"], "{found:?}");
        assert!(found[1].message.contains("`aws_kms_key.elsewhere`"));

        let good = doc(json!({
            "aws_kms_key": {"elsewhere": {}, "gone": {}},
            "aws_sns_topic": {"t": {"kms_master_key_id": "${aws_kms_key.elsewhere.arn}",
                                     "depends_on": ["aws_kms_key.gone"]}},
        }));
        assert_eq!(failures(&good, &[DANGLING_REFERENCE]), []);
    }
}
