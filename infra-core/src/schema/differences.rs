//! Where two provider versions differ for what a document uses: notes, not failures.
//!
//! The stack targets the provider its types conform to ([`super::Schema::aws`], 6.66.0); it may
//! also run on another version (the 5.100.0 mirror of this machine, [`super::Schema::aws_5_100`]).
//! [`differences`] walks every resource and data source a document declares and, for each
//! argument and block it sets, compares the two versions' shapes: unknown to one of them, a
//! different type, required in one and optional in the other, a block whose nesting or item
//! limits differ (where both versions know the limit), an attribute in one and a block in the
//! other; and it names the arguments the
//! other version requires that the document does not set. Each is a [`VersionNote`]: a reason
//! to read the other version's documentation, not a problem of the document ([`super::validate`]
//! checks that against its own version).

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value};

use super::{BlockSchema, Kind, Schema};

/// One difference between two provider versions, at a path the document uses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct VersionNote {
    /// The argument or block, without element indexes (`resource.aws_dynamodb_table.payments.replica.deletion_protection_enabled`).
    pub path: String,
    /// How the versions differ there, in the versions' own words (`only in 6.66.0`).
    pub difference: String,
}

impl fmt::Display for VersionNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.difference)
    }
}

/// The notes for `doc`, comparing the version it targets (`target`) with `other`, sorted and
/// each path once.
///
/// ```
/// use infra_core::schema::{differences, Schema};
///
/// let doc = serde_json::json!({"resource": {"aws_dynamodb_table": {"t": {
///     "name": "t", "hash_key": "id",
///     "attribute": [{"name": "id", "type": "S"}],
///     "replica": [{"region_name": "us-west-2", "deletion_protection_enabled": true}]
/// }}}});
/// let notes = differences(&doc, Schema::aws(), Schema::aws_5_100());
/// assert!(notes.iter().any(|n| n.to_string()
///     == "resource.aws_dynamodb_table.t.replica.deletion_protection_enabled: only in 6.66.0, unknown to 5.100.0"));
/// ```
pub fn differences(doc: &Value, target: &Schema, other: &Schema) -> Vec<VersionNote> {
    let mut notes = BTreeSet::new();
    let versions = Versions {
        target: target.provider_version(),
        other: other.provider_version(),
    };
    for (key, kind) in [("resource", Kind::Resource), ("data", Kind::DataSource)] {
        let Some(types) = doc.get(key).and_then(Value::as_object) else {
            continue;
        };
        for (type_name, by_name) in types {
            for (name, body) in by_name.as_object().into_iter().flatten() {
                let path = format!("{key}.{type_name}.{name}");
                match (target.block(kind, type_name), other.block(kind, type_name)) {
                    (Some(t), Some(o)) => {
                        for body in objects(body) {
                            versions.block(t, o, body, &path, true, &mut notes);
                        }
                    }
                    (Some(_), None) => {
                        notes.insert(VersionNote {
                            path,
                            difference: format!("the type is unknown to {}", versions.other),
                        });
                    }
                    // Unknown to the version it targets: `validate` reports that.
                    (None, _) => {}
                }
            }
        }
    }
    notes.into_iter().collect()
}

struct Versions<'a> {
    target: &'a str,
    other: &'a str,
}

/// Meta-arguments of resources and data sources: Terraform's, not the provider's.
const META: &[&str] = &[
    "provider",
    "depends_on",
    "count",
    "for_each",
    "lifecycle",
    "//",
];

impl Versions<'_> {
    fn block(
        &self,
        target: &BlockSchema,
        other: &BlockSchema,
        body: &Map<String, Value>,
        path: &str,
        top: bool,
        notes: &mut BTreeSet<VersionNote>,
    ) {
        for (name, value) in body {
            if top && META.contains(&name.as_str()) {
                continue;
            }
            if let Some(t) = target.attributes.get(name) {
                match (other.attributes.get(name), other.blocks.contains_key(name)) {
                    (Some(o), _) => {
                        if t.ty != o.ty {
                            let (here, there) = (format!("type `{}`", t.ty), format!("`{}`", o.ty));
                            add(notes, path, name, self.contrast(&here, &there));
                        }
                        if t.required != o.required {
                            add(notes, path, name, self.required(t.required, o.required));
                        }
                    }
                    (None, true) => add(notes, path, name, self.contrast("an argument", "a block")),
                    (None, false) => add(notes, path, name, self.only()),
                }
            } else if let Some(t) = target.blocks.get(name) {
                match (other.blocks.get(name), other.attributes.contains_key(name)) {
                    (Some(o), _) => {
                        // An unknown limit (`None`: the 6.66.0 subset knows `max_items` only
                        // when it is 1) is not a difference; a known one on both sides is.
                        let max_differs =
                            matches!((t.max(), o.max()), (Some(a), Some(b)) if a != b);
                        let shape = |b: &super::NestedBlockSchema| {
                            format!(
                                "{:?} nesting, {}..{}",
                                b.nesting,
                                b.min_items,
                                b.max().map_or("any".to_owned(), |m| m.to_string())
                            )
                            .to_lowercase()
                        };
                        if t.nesting != o.nesting || t.min_items != o.min_items || max_differs {
                            let (here, there) =
                                (format!("block of {}", shape(t)), format!("of {}", shape(o)));
                            add(notes, path, name, self.contrast(&here, &there));
                        }
                        let at = format!("{path}.{name}");
                        for inner in objects(value) {
                            self.block(&t.block, &o.block, inner, &at, false, notes);
                        }
                    }
                    (None, true) => add(notes, path, name, self.contrast("a block", "an argument")),
                    (None, false) => add(notes, path, name, self.only()),
                }
            }
            // Unknown to the target version: `validate` reports it.
        }
        // What the other version requires that the document leaves out.
        for (name, o) in &other.attributes {
            let unset = !body.contains_key(name);
            let also_required_here = target.attributes.get(name).is_some_and(|t| t.required);
            if o.required && unset && !also_required_here {
                notes.insert(VersionNote {
                    path: format!("{path}.{name}"),
                    difference: format!(
                        "required by {}, not set (not required by {})",
                        self.other, self.target
                    ),
                });
            }
        }
    }

    fn only(&self) -> String {
        format!("only in {}, unknown to {}", self.target, self.other)
    }

    fn required(&self, target: bool, other: bool) -> String {
        let word = |r: bool| if r { "required" } else { "optional" };
        self.contrast(word(target), word(other))
    }

    /// `{here} in <target>, {there} in <other>`.
    fn contrast(&self, here: &str, there: &str) -> String {
        format!("{here} in {}, {there} in {}", self.target, self.other)
    }
}

fn add(notes: &mut BTreeSet<VersionNote>, path: &str, name: &str, difference: String) {
    notes.insert(VersionNote {
        path: format!("{path}.{name}"),
        difference,
    });
}

/// An object, or the objects of an array (a block body's forms).
fn objects(value: &Value) -> Vec<&Map<String, Value>> {
    match value {
        Value::Object(m) => vec![m],
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(version: &str, resources: Value) -> Schema {
        Schema::from_json(
            &json!({
                "format_version": "1",
                "provider": {"source": "hashicorp/aws", "version": version,
                             "config": {"attributes": {}, "blocks": {}}},
                "resources": resources,
                "data_sources": {}
            })
            .to_string(),
        )
        .unwrap()
    }

    fn attr(ty: Value, required: bool) -> Value {
        json!({"type": ty, "required": required, "optional": !required, "computed": false})
    }

    #[test]
    fn every_kind_of_difference_is_a_note_at_the_path_used() {
        let newer = schema(
            "6.0.0",
            json!({"aws_thing": {
                "attributes": {
                    "name": attr(json!("string"), true),
                    "tags": attr(json!(["map", "string"]), false),
                    "ids": attr(json!(["set", "string"]), false),
                    "mode": attr(json!("string"), false),
                    "same": attr(json!("string"), false),
                    "fresh": attr(json!("string"), false)
                },
                "blocks": {
                    "rule": {"nesting": "list", "min_items": 0, "max_items": 1, "block": {
                        "attributes": {"kind": attr(json!("string"), false)}, "blocks": {}}},
                    "setting": {"nesting": "list", "min_items": 0, "max_items": null, "block": {
                        "attributes": {}, "blocks": {}}}
                }
            }, "aws_new": {"attributes": {}, "blocks": {}}}),
        );
        let older = schema(
            "5.0.0",
            json!({"aws_thing": {
                "attributes": {
                    "name": attr(json!("string"), false),
                    "tags": attr(json!(["map", "string"]), false),
                    "ids": attr(json!(["list", "string"]), false),
                    "setting": attr(json!(["list", "string"]), false),
                    "same": attr(json!("string"), false),
                    "legacy": attr(json!("string"), true)
                },
                "blocks": {
                    "mode": {"nesting": "list", "min_items": 0, "max_items": null, "block": {
                        "attributes": {}, "blocks": {}}},
                    "rule": {"nesting": "set", "min_items": 0, "max_items": null, "block": {
                        "attributes": {"kind": attr(json!("number"), false)}, "blocks": {}}}
                }
            }}),
        );
        let doc = json!({"resource": {
            "aws_thing": {"t": {
                "name": "x", "ids": ["a"], "mode": "m", "same": "s", "fresh": "f",
                "provider": "aws.west", "depends_on": [],
                "rule": [{"kind": "k"}, {"kind": "l"}], "setting": [{}]
            }},
            "aws_new": {"n": {}}
        }});
        let notes: Vec<String> = differences(&doc, &newer, &older)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            notes,
            [
                "resource.aws_new.n: the type is unknown to 5.0.0",
                "resource.aws_thing.t.fresh: only in 6.0.0, unknown to 5.0.0",
                "resource.aws_thing.t.ids: type `set(string)` in 6.0.0, `list(string)` in 5.0.0",
                "resource.aws_thing.t.legacy: required by 5.0.0, not set (not required by 6.0.0)",
                "resource.aws_thing.t.mode: an argument in 6.0.0, a block in 5.0.0",
                "resource.aws_thing.t.name: required in 6.0.0, optional in 5.0.0",
                "resource.aws_thing.t.rule: block of list nesting, 0..1 in 6.0.0, of set nesting, 0..any in 5.0.0",
                "resource.aws_thing.t.rule.kind: type `string` in 6.0.0, `number` in 5.0.0",
                "resource.aws_thing.t.setting: a block in 6.0.0, an argument in 5.0.0",
            ]
        );
        // Unused arguments (`tags`) and identical ones (`same`) say nothing; the same schema
        // on both sides says nothing at all.
        assert!(differences(&doc, &newer, &newer).is_empty());
    }
}
