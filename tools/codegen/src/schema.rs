//! The standard `terraform providers schema -json` format: parsing, and enrichment of one
//! provider version's schema with the details another version's schema knows.
//!
//! Only what the generator needs is read; unknown keys (`description_kind`, `deprecated`,
//! `write_only`, functions, ephemeral resources) are ignored, as Terraform adds keys over time.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

/// A schema file that cannot be used.
#[derive(Debug)]
pub struct SchemaError(pub String);

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The whole file.
#[derive(Debug, Deserialize)]
pub struct ProviderSchemas {
    /// `1.0`.
    pub format_version: String,
    /// By provider address (`registry.terraform.io/hashicorp/aws`).
    pub provider_schemas: BTreeMap<String, ProviderSchema>,
}

/// One provider's schema.
#[derive(Debug, Deserialize, Clone)]
pub struct ProviderSchema {
    /// Managed resources by type name.
    #[serde(default)]
    pub resource_schemas: BTreeMap<String, TypeSchema>,
    /// Data sources by type name.
    #[serde(default)]
    pub data_source_schemas: BTreeMap<String, TypeSchema>,
}

/// A resource, data source or provider schema.
#[derive(Debug, Deserialize, Clone)]
pub struct TypeSchema {
    /// The block of arguments.
    pub block: Block,
}

/// A block: attributes and nested block types.
#[derive(Debug, Deserialize, Clone, Default, PartialEq)]
pub struct Block {
    /// Attributes by name.
    #[serde(default)]
    pub attributes: BTreeMap<String, Attribute>,
    /// Nested blocks by name.
    #[serde(default)]
    pub block_types: BTreeMap<String, BlockType>,
    /// Documentation, when the provider gives it.
    #[serde(default)]
    pub description: Option<String>,
}

/// One attribute.
#[derive(Debug, Deserialize, Clone, PartialEq)]
pub struct Attribute {
    /// Terraform's type expression (`"string"`, `["list", "string"]`, …).
    #[serde(rename = "type")]
    pub ty: Value,
    /// The configuration must set it.
    #[serde(default)]
    pub required: bool,
    /// The configuration may set it.
    #[serde(default)]
    pub optional: bool,
    /// The provider computes it.
    #[serde(default)]
    pub computed: bool,
    /// The value is secret.
    #[serde(default)]
    pub sensitive: bool,
    /// Documentation, when the provider gives it.
    #[serde(default)]
    pub description: Option<String>,
}

impl Block {
    /// Every settable argument at any depth with its path (`arg`, `block.arg`): a block's own
    /// arguments first, then each nested block's, by name.
    pub fn settable_arguments(&self) -> Vec<(String, &Attribute)> {
        let mut out = Vec::new();
        self.collect_settable("", &mut out);
        out
    }

    fn collect_settable<'a>(&'a self, prefix: &str, out: &mut Vec<(String, &'a Attribute)>) {
        let path = |name: &str| {
            if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}.{name}")
            }
        };
        for (name, a) in &self.attributes {
            if a.settable() {
                out.push((path(name), a));
            }
        }
        for (name, bt) in &self.block_types {
            bt.block.collect_settable(&path(name), out);
        }
    }
}

impl Attribute {
    /// The configuration can set it.
    pub fn settable(&self) -> bool {
        self.required || self.optional
    }
}

/// One nested block type.
#[derive(Debug, Deserialize, Clone, PartialEq)]
pub struct BlockType {
    /// `list`, `set`, `single`, `group` or `map`.
    pub nesting_mode: String,
    /// The block's own arguments.
    pub block: Block,
    /// The fewest instances (absent = 0).
    #[serde(default)]
    pub min_items: u64,
    /// The most instances (absent or 0 = unbounded).
    #[serde(default)]
    pub max_items: u64,
}

impl BlockType {
    /// At most one instance.
    pub fn single(&self) -> bool {
        matches!(self.nesting_mode.as_str(), "single" | "group") || self.max_items == 1
    }
}

/// Reads a schema file, gzip-compressed when its name ends in `.gz`.
pub fn read(path: &Path) -> Result<String, SchemaError> {
    let bytes = std::fs::read(path)
        .map_err(|e| SchemaError(format!("cannot read `{}`: {e}", path.display())))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .map_err(|e| SchemaError(format!("cannot decompress `{}`: {e}", path.display())))?;
        Ok(text)
    } else {
        String::from_utf8(bytes)
            .map_err(|e| SchemaError(format!("`{}` is not UTF-8: {e}", path.display())))
    }
}

/// Parses the text of a schema file and returns the schema of `provider`
/// (`registry.terraform.io/hashicorp/aws`).
pub fn parse(text: &str, provider: &str) -> Result<ProviderSchema, SchemaError> {
    let mut all: ProviderSchemas =
        serde_json::from_str(text).map_err(|e| SchemaError(format!("invalid schema json: {e}")))?;
    if !all.format_version.starts_with("1.") {
        return Err(SchemaError(format!(
            "unsupported format_version `{}`, expected 1.x",
            all.format_version
        )));
    }
    let known: Vec<String> = all.provider_schemas.keys().cloned().collect();
    all.provider_schemas.remove(provider).ok_or_else(|| {
        SchemaError(format!(
            "the schema has no provider `{provider}` (it has: {})",
            known.join(", ")
        ))
    })
}

/// Takes from `source` what `target` cannot tell, for the types both have.
///
/// For an attribute of the same name and the same settability: `sensitive` and the
/// description. For a nested block of the same name and nesting mode: the description, an
/// exact `min_items` when `target` only knows "at least one", and a `max_items` above 1 when
/// `target` records it as unknown (0). A `max_items` of 1 is never taken: the bindings record
/// every block limited to one, so a block that they record as a list is not one in `target`'s
/// version. Returns how many values were taken.
pub fn enrich(target: &mut ProviderSchema, source: &ProviderSchema) -> usize {
    let mut taken = 0;
    for (name, t) in &mut target.resource_schemas {
        if let Some(s) = source.resource_schemas.get(name) {
            taken += enrich_block(&mut t.block, &s.block);
        }
    }
    for (name, t) in &mut target.data_source_schemas {
        if let Some(s) = source.data_source_schemas.get(name) {
            taken += enrich_block(&mut t.block, &s.block);
        }
    }
    taken
}

fn enrich_block(target: &mut Block, source: &Block) -> usize {
    let mut taken = 0;
    if target.description.is_none() && source.description.is_some() {
        target.description.clone_from(&source.description);
        taken += 1;
    }
    for (name, t) in &mut target.attributes {
        let Some(s) = source.attributes.get(name) else {
            continue;
        };
        if t.settable() != s.settable() {
            continue;
        }
        if s.sensitive && !t.sensitive {
            t.sensitive = true;
            taken += 1;
        }
        if t.description.is_none() && s.description.is_some() {
            t.description.clone_from(&s.description);
            taken += 1;
        }
    }
    for (name, t) in &mut target.block_types {
        let Some(s) = source.block_types.get(name) else {
            continue;
        };
        if t.nesting_mode != s.nesting_mode {
            continue;
        }
        if t.min_items == 1 && s.min_items > 1 {
            t.min_items = s.min_items;
            taken += 1;
        }
        if t.max_items == 0 && s.max_items > 1 {
            t.max_items = s.max_items;
            taken += 1;
        }
        taken += enrich_block(&mut t.block, &s.block);
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARGET: &str = r#"{"format_version": "1.0", "provider_schemas": {"p": {
        "provider": {"version": 0, "block": {}},
        "resource_schemas": {"x_thing": {"version": 0, "block": {
            "attributes": {
                "password": {"type": "string", "optional": true},
                "arn": {"type": "string", "computed": true}
            },
            "block_types": {
                "rule": {"nesting_mode": "list", "min_items": 1, "block": {}},
                "one": {"nesting_mode": "list", "block": {}}
            }
        }}},
        "data_source_schemas": {}
    }}}"#;

    const SOURCE: &str = r#"{"format_version": "1.0", "provider_schemas": {"p": {
        "provider": {"version": 0, "block": {}},
        "resource_schemas": {"x_thing": {"version": 3, "block": {
            "attributes": {
                "password": {"type": "string", "optional": true, "sensitive": true, "description": "The secret."},
                "arn": {"type": "string", "optional": true, "sensitive": true}
            },
            "block_types": {
                "rule": {"nesting_mode": "list", "min_items": 2, "max_items": 5, "block": {}},
                "one": {"nesting_mode": "list", "max_items": 1, "block": {}}
            }
        }}},
        "data_source_schemas": {}
    }}}"#;

    #[test]
    fn enrichment_takes_what_the_target_cannot_tell() {
        let mut target = parse(TARGET, "p").unwrap();
        let source = parse(SOURCE, "p").unwrap();
        let taken = enrich(&mut target, &source);
        let thing = &target.resource_schemas["x_thing"].block;
        assert!(thing.attributes["password"].sensitive);
        assert_eq!(
            thing.attributes["password"].description.as_deref(),
            Some("The secret.")
        );
        // Not the same settability: not the same attribute.
        assert!(!thing.attributes["arn"].sensitive);
        assert_eq!(
            (
                thing.block_types["rule"].min_items,
                thing.block_types["rule"].max_items
            ),
            (2, 5)
        );
        // A limit of one is never taken from the other version.
        assert_eq!(thing.block_types["one"].max_items, 0);
        assert_eq!(taken, 4);
    }

    #[test]
    fn errors_name_what_is_wrong() {
        let err = parse(TARGET, "registry.terraform.io/hashicorp/aws").unwrap_err();
        assert!(err.0.contains("has no provider"), "{err}");
        assert!(err.0.contains("(it has: p)"), "{err}");
        let err = parse(&TARGET.replace("\"1.0\"", "\"2.0\""), "p").unwrap_err();
        assert!(err.0.contains("format_version `2.0`"), "{err}");
        assert!(
            parse("{", "p")
                .unwrap_err()
                .0
                .contains("invalid schema json")
        );
    }
}
