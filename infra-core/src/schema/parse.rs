//! Reading schema files: the crate's own format ([`super::Schema::from_json`]) and the standard
//! `terraform providers schema -json` format, from parsed JSON values.
//!
//! Written by hand over [`serde_json::Value`] rather than with serde's derives, so that
//! infra-core (which every stack compiles) needs neither `serde` nor `serde_derive`: only
//! `serde_json`, which builds on `serde_core`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::document::describe;
use super::{AttrType, AttributeSchema, BlockSchema, NestedBlockSchema, Nesting, SchemaError};

/// A JSON object, or an error at `path`.
pub(super) fn object<'a>(
    value: &'a Value,
    path: &str,
) -> Result<&'a Map<String, Value>, SchemaError> {
    value.as_object().ok_or_else(|| {
        format(
            path,
            format!("expected an object, found {}", describe(value)),
        )
    })
}

/// A string member of `object`, required.
pub(super) fn string<'a>(
    object: &'a Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<&'a str, SchemaError> {
    let value = required(object, key, path)?;
    value.as_str().ok_or_else(|| {
        format(
            &at(path, key),
            format!("expected a string, found {}", describe(value)),
        )
    })
}

/// The members of an object member of `object`, none when it is absent.
pub(super) fn members<'a>(
    object: &'a Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Vec<(&'a String, &'a Value)>, SchemaError> {
    match object.get(key) {
        None => Ok(Vec::new()),
        Some(value) => Ok(self::object(value, &at(path, key))?.iter().collect()),
    }
}

/// Fails on a member of `object` that is not one of `known` (the crate's own format is strict).
pub(super) fn only(
    object: &Map<String, Value>,
    known: &[&str],
    path: &str,
) -> Result<(), SchemaError> {
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        None => Ok(()),
        Some(k) => Err(format(
            path,
            format!(
                "unknown field `{k}`, expected one of {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// A block in the crate's own format: `{"attributes": {name: {"type", "required", "optional",
/// "computed"}}, "blocks": {name: {"nesting", "min_items", "max_items", "block"}}}`.
pub(super) fn own_block(value: &Value, path: &str) -> Result<BlockSchema, SchemaError> {
    let o = object(value, path)?;
    only(o, &["attributes", "blocks"], path)?;
    let mut block = BlockSchema::default();
    for (name, a) in members(o, "attributes", path)? {
        let at = at(path, name);
        let a = object(a, &at)?;
        only(a, &["type", "required", "optional", "computed"], &at)?;
        let flag = |key: &str| {
            let value = required(a, key, &at)?;
            value.as_bool().ok_or_else(|| {
                format(
                    &self::at(&at, key),
                    format!("expected a bool, found {}", describe(value)),
                )
            })
        };
        let attribute = attribute(
            required(a, "type", &at)?,
            [flag("required")?, flag("optional")?, flag("computed")?],
            &at,
        )?;
        block.attributes.insert(name.clone(), attribute);
    }
    for (name, b) in members(o, "blocks", path)? {
        let at = at(path, name);
        let b = object(b, &at)?;
        only(b, &["nesting", "min_items", "max_items", "block"], &at)?;
        let nesting = match string(b, "nesting", &at)? {
            "list" => Nesting::List,
            "set" => Nesting::Set,
            "single" => Nesting::Single,
            other => {
                return Err(format(
                    &self::at(&at, "nesting"),
                    format!("unknown nesting `{other}`"),
                ));
            }
        };
        let nested = NestedBlockSchema {
            nesting,
            min_items: count(required(b, "min_items", &at)?, &self::at(&at, "min_items"))?,
            max_items: match b.get("max_items") {
                None | Some(Value::Null) => None,
                Some(v) => Some(count(v, &self::at(&at, "max_items"))?),
            },
            block: own_block(required(b, "block", &at)?, &at)?,
        };
        insert_block(&mut block, name, nested, &at)?;
    }
    Ok(block)
}

/// A type in the standard format: `{"block": {…}}`, other keys (`version`) ignored.
pub(super) fn tf_type(value: &Value, path: &str) -> Result<BlockSchema, SchemaError> {
    tf_block(required(object(value, path)?, "block", path)?, path)
}

/// A block in the standard format: `attributes` and `block_types`, unknown keys ignored (as
/// Terraform adds keys over time), absent flags `false`.
fn tf_block(value: &Value, path: &str) -> Result<BlockSchema, SchemaError> {
    let o = object(value, path)?;
    let mut block = BlockSchema::default();
    for (name, a) in members(o, "attributes", path)? {
        let at = at(path, name);
        let a = object(a, &at)?;
        let flag = |key: &str| a.get(key).and_then(Value::as_bool).unwrap_or(false);
        let attribute = attribute(
            required(a, "type", &at)?,
            [flag("required"), flag("optional"), flag("computed")],
            &at,
        )?;
        block.attributes.insert(name.clone(), attribute);
    }
    for (name, b) in members(o, "block_types", path)? {
        let at = at(path, name);
        let b = object(b, &at)?;
        let nesting = match string(b, "nesting_mode", &at)? {
            "list" => Nesting::List,
            "set" => Nesting::Set,
            "single" | "group" => Nesting::Single,
            other => return Err(format(&at, format!("unsupported nesting_mode `{other}`"))),
        };
        let number = |key: &str| match b.get(key) {
            None => Ok(0),
            Some(v) => count(v, &self::at(&at, key)),
        };
        let max_items = number("max_items")?;
        let nested = NestedBlockSchema {
            nesting,
            min_items: number("min_items")?,
            max_items: (max_items > 0).then_some(max_items),
            block: tf_block(required(b, "block", &at)?, &at)?,
        };
        insert_block(&mut block, name, nested, &at)?;
    }
    Ok(block)
}

/// An attribute from its type and its `[required, optional, computed]` flags.
fn attribute(
    ty: &Value,
    [required, optional, computed]: [bool; 3],
    path: &str,
) -> Result<AttributeSchema, SchemaError> {
    let ty = AttrType::from_json(ty, path)?;
    if !(required || optional || computed) || (required && optional) {
        return Err(format(
            path,
            "an attribute is exactly one of required, optional or computed-only".to_owned(),
        ));
    }
    Ok(AttributeSchema {
        ty,
        required,
        optional,
        computed,
    })
}

fn insert_block(
    block: &mut BlockSchema,
    name: &str,
    nested: NestedBlockSchema,
    path: &str,
) -> Result<(), SchemaError> {
    if block.attributes.contains_key(name) {
        return Err(format(
            path,
            "a name is both an attribute and a block".to_owned(),
        ));
    }
    block.blocks.insert(name.to_owned(), nested);
    Ok(())
}

/// A member of `object` that must be there.
pub(super) fn required<'a>(
    object: &'a Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<&'a Value, SchemaError> {
    object.get(key).ok_or_else(|| missing(key, path))
}

/// The error for a member `key` that the object at `path` lacks.
pub(super) fn missing(key: &str, path: &str) -> SchemaError {
    format(path, format!("missing field `{key}`"))
}

fn count(value: &Value, path: &str) -> Result<u64, SchemaError> {
    value.as_u64().ok_or_else(|| {
        format(
            path,
            format!("expected a whole number, found {}", describe(value)),
        )
    })
}

fn at(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn format(path: &str, message: String) -> SchemaError {
    SchemaError::Format {
        path: path.to_owned(),
        message,
    }
}

/// The members of a JSON object, each left unparsed (the committed schemas are parsed type by
/// type, on lookup).
pub(super) fn raw_members<'a>(
    text: &'a str,
    path: &str,
) -> Result<BTreeMap<String, &'a serde_json::value::RawValue>, SchemaError> {
    serde_json::from_str(text).map_err(|e| format(path, format!("expected an object: {e}")))
}
