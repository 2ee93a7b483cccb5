//! The AWS provider schema, and checks of Terraform JSON and Rust argument shapes against it.
//!
//! [`Schema::aws`] is the full `hashicorp/aws` 6.66.0 schema the generated layer is generated
//! from (`tools/schema/aws-6.66.0.json.gz`, embedded compressed; each type is parsed on its
//! first lookup), and [`Schema::aws_5_100`] the full 5.100.0 one. [`validate`] checks a whole
//! synthesized root module against it (types, arguments, blocks, providers, and every reference
//! inside `${…}` templates); [`check_shape`] checks the arguments a Rust type declares
//! ([`crate::shape::BlockShape`]) without synthesizing anything. Both return a [`Report`] that
//! lists every problem found, not just the first.
//!
//! The 6.66.0 schema is what the CDK bindings of the provider could tell (see
//! `tools/schema/README.md`): `max_items` is known only when it is 1, so a larger count is never
//! reported as too many.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde_json::Value;
use serde_json::value::RawValue;

mod conformance;
mod differences;
mod document;
mod parse;
mod report;
mod versions;

pub use conformance::{argument_paths, check_shape, missing_arguments};
pub use differences::{VersionNote, differences};
pub use document::validate;
pub use report::{Problem, ProblemKind, Report};
pub use versions::{NEWER_THAN_5_100, NewerArgument, argument_of, unknown_to};

/// The full committed 6.66.0 schema (`tools/schema/aws-6.66.0.json.gz`, the one the generated
/// layer is generated from): every resource and data source, in the standard
/// `terraform providers schema -json` format, gzipped. The library reads it through its index
/// ([`AWS_6_66_INDEX`]); the tests check that both say the same.
#[cfg(test)]
const AWS_6_66_GZ: &[u8] = include_bytes!("../../tools/schema/aws-6.66.0.json.gz");

/// The same schema as an index written by infra-codegen (`tools/codegen/src/index.rs` documents
/// the format): a table of contents, then each type's schema as its own deflate stream, so a
/// synth inflates only the few dozen types its stack uses.
const AWS_6_66_INDEX: &[u8] = include_bytes!("aws/generated/schema.idx");

/// The first line of an index, with the format version this reader knows.
const INDEX_MAGIC: &str = "infra-core schema index 1";

/// The full schema of the real provider 5.100.0 (`tools/schema/aws-5.100.0.json.gz`,
/// `terraform providers schema -json`): the version of the local provider mirror that the
/// emulator run of the suite uses.
const AWS_5_100_GZ: &[u8] = include_bytes!("../../tools/schema/aws-5.100.0.json.gz");

/// The provider address inside the committed schema files.
const AWS_ADDRESS: &str = "registry.terraform.io/hashicorp/aws";

/// Decompresses one of the committed full schemas and reads its list of types; each type's own
/// schema is parsed on its first lookup (a stack uses a few dozen of the ~2,400 types, and
/// parsing all of them is most of a debug build's synth time). The decompressed text is kept for
/// the life of the process, as the schema that borrows it is (a `static`).
fn committed(gz: &[u8], version: &str) -> Result<Schema, SchemaError> {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut text)
        .map_err(|e| SchemaError::Format {
            path: String::new(),
            message: format!("not a gzipped schema: {e}"),
        })?;
    let text: &'static str = Box::leak(text.into_boxed_str());
    let top = parse::raw_members(text, "")?;
    let schemas = top
        .get("provider_schemas")
        .ok_or_else(|| parse::missing("provider_schemas", ""))?;
    let provider = parse::raw_members(schemas.get(), "provider_schemas")?
        .remove(AWS_ADDRESS)
        .ok_or_else(|| SchemaError::Format {
            path: "provider_schemas".to_owned(),
            message: format!("no provider `{AWS_ADDRESS}`"),
        })?;
    let provider = parse::raw_members(provider.get(), AWS_ADDRESS)?;
    let lazy = |kind: &'static str| -> Result<Types, SchemaError> {
        let types = match provider.get(kind) {
            Some(raw) => parse::raw_members(raw.get(), kind)?,
            None => BTreeMap::new(),
        };
        Ok(Types {
            kind,
            map: types
                .into_iter()
                .map(|(name, raw)| (name, Entry::lazy(raw)))
                .collect(),
        })
    };
    let config = provider
        .get("provider")
        .ok_or_else(|| parse::missing("provider", AWS_ADDRESS))?;
    let config: Value = serde_json::from_str(config.get())?;
    Ok(Schema {
        source: source_of(AWS_ADDRESS),
        version: version.to_owned(),
        config: parse::tf_type(&config, "provider")?,
        resources: lazy("resource_schemas")?,
        data_sources: lazy("data_source_schemas")?,
    })
}

/// Reads an index's table of contents; each type's stream is inflated and parsed on its first
/// lookup. The provider's configuration is read at once.
fn indexed(index: &'static [u8], version: &str) -> Result<Schema, SchemaError> {
    let bad = |message: String| SchemaError::Format {
        path: "schema index".to_owned(),
        message,
    };
    let toc_end = index
        .windows(5)
        .position(|w| w == b"\nend\n")
        .ok_or_else(|| bad("no `end` line closes the table of contents".to_owned()))?;
    let toc = std::str::from_utf8(&index[..toc_end])
        .map_err(|e| bad(format!("the table of contents is not UTF-8: {e}")))?;
    let payload = &index[toc_end + 5..];
    let mut lines = toc.lines();
    if lines.next() != Some(INDEX_MAGIC) {
        return Err(bad(format!("the first line is not `{INDEX_MAGIC}`")));
    }
    let mut address = None;
    let mut config = None;
    let (mut resources, mut data_sources) = (BTreeMap::new(), BTreeMap::new());
    for line in lines {
        let words: Vec<&str> = line.split(' ').collect();
        let stream = |offset: &str, len: &str| -> Result<&'static [u8], SchemaError> {
            let (Ok(offset), Ok(len)) = (offset.parse::<usize>(), len.parse::<usize>()) else {
                return Err(bad(format!(
                    "`{line}`: the offset and length are not numbers"
                )));
            };
            offset
                .checked_add(len)
                .and_then(|end| payload.get(offset..end))
                .ok_or_else(|| bad(format!("`{line}`: the stream lies outside the index")))
        };
        match words[..] {
            ["provider", a] => address = Some(a),
            ["version", v] if v == version => {}
            ["version", v] => {
                return Err(bad(format!("the index is of version {v}, not {version}")));
            }
            ["config", offset, len] => config = Some(stream(offset, len)?),
            ["resource", name, offset, len] => {
                resources.insert(name.to_owned(), Entry::deflated(stream(offset, len)?));
            }
            ["data", name, offset, len] => {
                data_sources.insert(name.to_owned(), Entry::deflated(stream(offset, len)?));
            }
            _ => {
                return Err(bad(format!(
                    "`{line}` is not an entry of the table of contents"
                )));
            }
        }
    }
    let address = address.ok_or_else(|| bad("no `provider` line".to_owned()))?;
    let config = config.ok_or_else(|| bad("no `config` line".to_owned()))?;
    let config: Value = serde_json::from_str(&inflate(config)?)?;
    Ok(Schema {
        source: source_of(address),
        version: version.to_owned(),
        config: parse::tf_type(&config, "provider")?,
        resources: Types {
            kind: "resource_schemas",
            map: resources,
        },
        data_sources: Types {
            kind: "data_source_schemas",
            map: data_sources,
        },
    })
}

/// One stream of an index, inflated.
fn inflate(stream: &[u8]) -> Result<String, SchemaError> {
    use std::io::Read;
    let mut json = String::new();
    flate2::read::DeflateDecoder::new(stream)
        .read_to_string(&mut json)
        .map_err(|e| SchemaError::Format {
            path: "schema index".to_owned(),
            message: format!("a stream does not inflate: {e}"),
        })?;
    Ok(json)
}

/// `hashicorp/aws` of `registry.terraform.io/hashicorp/aws`.
fn source_of(address: &str) -> String {
    address
        .split_once('/')
        .map_or(address, |(_, rest)| rest)
        .to_owned()
}

/// The resource or the data source types of a schema, by name: parsed up front when the schema
/// comes from the caller (so that every error is reported at once), on first lookup when it is a
/// committed one (checked whole by the unit tests).
#[derive(Debug, Clone)]
struct Types {
    /// `resource_schemas` or `data_source_schemas`, for the path of an error.
    kind: &'static str,
    map: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    raw: Option<Unparsed>,
    parsed: OnceLock<BlockSchema>,
}

/// A type's schema not parsed yet: JSON inside a decompressed schema, or a stream of an index.
#[derive(Debug, Clone, Copy)]
enum Unparsed {
    Json(&'static RawValue),
    Deflated(&'static [u8]),
}

impl Entry {
    fn lazy(raw: &'static RawValue) -> Entry {
        Entry {
            raw: Some(Unparsed::Json(raw)),
            parsed: OnceLock::new(),
        }
    }

    fn deflated(stream: &'static [u8]) -> Entry {
        Entry {
            raw: Some(Unparsed::Deflated(stream)),
            parsed: OnceLock::new(),
        }
    }

    fn parsed(block: BlockSchema) -> Entry {
        Entry {
            raw: None,
            parsed: OnceLock::from(block),
        }
    }
}

impl Types {
    fn parsed(kind: &'static str, map: BTreeMap<String, BlockSchema>) -> Types {
        let map = map
            .into_iter()
            .map(|(n, b)| (n, Entry::parsed(b)))
            .collect();
        Types { kind, map }
    }

    fn get(&self, name: &str) -> Option<&BlockSchema> {
        let entry = self.map.get(name)?;
        Some(entry.parsed.get_or_init(|| {
            let raw = entry
                .raw
                .expect("an entry without its block is parsed up front");
            Self::parse(self.kind, name, raw).expect(
                "the committed schemas parse whole (unit-tested: `committed_schema_parses`)",
            )
        }))
    }

    fn parse(kind: &str, name: &str, raw: Unparsed) -> Result<BlockSchema, SchemaError> {
        let t: Value = match raw {
            Unparsed::Json(raw) => serde_json::from_str(raw.get())?,
            Unparsed::Deflated(stream) => serde_json::from_str(&inflate(stream)?)?,
        };
        parse::tf_type(&t, &format!("{kind}.{name}"))
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }
}

impl PartialEq for Types {
    fn eq(&self, other: &Types) -> bool {
        self.map.len() == other.map.len()
            && self
                .map
                .keys()
                .zip(other.map.keys())
                .all(|(a, b)| a == b && self.get(a) == other.get(b))
    }
}

/// A parsed provider schema: the provider's own configuration block, and the resources and data
/// sources it defines.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    source: String,
    version: String,
    config: BlockSchema,
    resources: Types,
    data_sources: Types,
}

impl Schema {
    /// The `hashicorp/aws` provider 6.66.0 schema, every resource and data source (the full
    /// committed `tools/schema/aws-6.66.0.json.gz`, embedded as the index infra-codegen writes
    /// from it): its table of contents is read once, and each type is inflated and parsed on
    /// its first lookup.
    ///
    /// ```
    /// use infra_core::schema::Schema;
    ///
    /// let aws = Schema::aws();
    /// assert_eq!(aws.provider_version(), "6.66.0");
    /// let key = aws.resource("aws_kms_key").unwrap();
    /// assert!(key.attributes["arn"].is_computed_only());
    /// // Not only the types infra-core writes by hand: every type of the provider.
    /// assert_eq!(aws.resource_types().count(), 1725);
    /// assert!(aws.resource("aws_ecs_service").is_some());
    /// ```
    pub fn aws() -> &'static Schema {
        static AWS: OnceLock<Schema> = OnceLock::new();
        AWS.get_or_init(|| {
            indexed(AWS_6_66_INDEX, "6.66.0")
                .expect("the committed index of aws-6.66.0.json.gz reads (unit-tested)")
        })
    }

    /// The real `hashicorp/aws` provider 5.100.0 schema, every resource and data source (the
    /// full committed `tools/schema/aws-5.100.0.json.gz`, embedded), decompressed and parsed
    /// once. [`unknown_to`] and [`differences`] compare a stack with it.
    ///
    /// ```
    /// use infra_core::schema::Schema;
    ///
    /// let old = Schema::aws_5_100();
    /// assert_eq!(old.provider_version(), "5.100.0");
    /// assert!(old.resource("aws_dynamodb_table").is_some());
    /// assert_eq!(old.resource_types().count(), 1526);
    /// ```
    pub fn aws_5_100() -> &'static Schema {
        static AWS: OnceLock<Schema> = OnceLock::new();
        AWS.get_or_init(|| {
            committed(AWS_5_100_GZ, "5.100.0")
                .expect("the committed tools/schema/aws-5.100.0.json.gz parses (unit-tested)")
        })
    }

    /// Parses a schema in the format of `infra-core/schema/aws-provider.json`.
    ///
    /// ```
    /// use infra_core::schema::Schema;
    ///
    /// let schema = Schema::from_json(r#"{
    ///     "format_version": "1",
    ///     "provider": {"source": "hashicorp/aws", "version": "6.66.0",
    ///                  "config": {"attributes": {}, "blocks": {}}},
    ///     "resources": {"aws_sqs_queue": {"attributes": {
    ///         "name": {"type": "string", "required": false, "optional": true, "computed": true}
    ///     }, "blocks": {}}},
    ///     "data_sources": {}
    /// }"#)?;
    /// assert!(schema.resource("aws_sqs_queue").is_some());
    /// # Ok::<(), infra_core::schema::SchemaError>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Schema, SchemaError> {
        let value: Value = serde_json::from_str(text)?;
        let top = parse::object(&value, "")?;
        parse::only(
            top,
            &["format_version", "provider", "resources", "data_sources"],
            "",
        )?;
        let format_version = parse::string(top, "format_version", "")?;
        if format_version != "1" {
            return Err(SchemaError::Format {
                path: "format_version".to_owned(),
                message: format!("expected `1`, found `{format_version}`"),
            });
        }
        let provider = parse::object(parse::required(top, "provider", "")?, "provider")?;
        // `bindings` is recorded for people; the schema does not depend on it.
        parse::only(
            provider,
            &["source", "version", "bindings", "config"],
            "provider",
        )?;
        let convert = |kind: &str| {
            parse::required(top, kind, "")?;
            parse::members(top, kind, "")?
                .into_iter()
                .map(|(name, raw)| {
                    let block = parse::own_block(raw, &format!("{kind}.{name}"))?;
                    Ok((name.clone(), block))
                })
                .collect::<Result<BTreeMap<_, _>, SchemaError>>()
        };
        Ok(Schema {
            config: parse::own_block(
                parse::required(provider, "config", "provider")?,
                "provider.config",
            )?,
            source: parse::string(provider, "source", "provider")?.to_owned(),
            version: parse::string(provider, "version", "provider")?.to_owned(),
            resources: Types::parsed("resources", convert("resources")?),
            data_sources: Types::parsed("data_sources", convert("data_sources")?),
        })
    }

    /// Parses the standard `terraform providers schema -json` format (what
    /// `tools/schema/aws-<version>.json.gz` hold), taking the schema of the provider at
    /// `address` (`registry.terraform.io/hashicorp/aws`), which describes version `version`.
    ///
    /// ```
    /// use infra_core::schema::Schema;
    ///
    /// let schema = Schema::from_terraform_json(r#"{
    ///     "format_version": "1.0",
    ///     "provider_schemas": {"registry.terraform.io/hashicorp/aws": {
    ///         "provider": {"version": 0, "block": {}},
    ///         "resource_schemas": {"aws_sqs_queue": {"version": 0, "block": {
    ///             "attributes": {"name": {"type": "string", "optional": true, "computed": true}},
    ///             "block_types": {"timeouts": {"nesting_mode": "single", "block": {}}}
    ///         }}}
    ///     }}
    /// }"#, "registry.terraform.io/hashicorp/aws", "6.66.0")?;
    /// let queue = schema.resource("aws_sqs_queue").unwrap();
    /// assert_eq!(queue.blocks["timeouts"].max(), Some(1));
    /// assert_eq!(schema.provider_source(), "hashicorp/aws");
    /// # Ok::<(), infra_core::schema::SchemaError>(())
    /// ```
    pub fn from_terraform_json(
        text: &str,
        address: &str,
        version: &str,
    ) -> Result<Schema, SchemaError> {
        let value: Value = serde_json::from_str(text)?;
        let top = parse::object(&value, "")?;
        let format_version = parse::string(top, "format_version", "")?;
        if !format_version.starts_with("1.") {
            return Err(SchemaError::Format {
                path: "format_version".to_owned(),
                message: format!("expected `1.x`, found `{format_version}`"),
            });
        }
        let provider = parse::members(top, "provider_schemas", "")?
            .into_iter()
            .find(|(name, _)| *name == address)
            .map(|(_, provider)| provider)
            .ok_or_else(|| SchemaError::Format {
                path: "provider_schemas".to_owned(),
                message: format!("no provider `{address}`"),
            })?;
        let provider = parse::object(provider, address)?;
        let convert = |kind: &str| {
            parse::members(provider, kind, address)?
                .into_iter()
                .map(|(name, t)| {
                    let block = parse::tf_type(t, &format!("{kind}.{name}"))?;
                    Ok((name.clone(), block))
                })
                .collect::<Result<BTreeMap<_, _>, SchemaError>>()
        };
        Ok(Schema {
            source: source_of(address),
            version: version.to_owned(),
            config: parse::tf_type(parse::required(provider, "provider", address)?, "provider")?,
            resources: Types::parsed("resource_schemas", convert("resource_schemas")?),
            data_sources: Types::parsed("data_source_schemas", convert("data_source_schemas")?),
        })
    }

    /// The provider's source address, `hashicorp/aws`.
    pub fn provider_source(&self) -> &str {
        &self.source
    }

    /// The local name of the provider in a root module: the part after the last `/` of its source
    /// (`aws`).
    pub fn provider_name(&self) -> &str {
        self.source.rsplit('/').next().unwrap_or(&self.source)
    }

    /// The provider version the schema was taken from (`6.66.0`).
    pub fn provider_version(&self) -> &str {
        &self.version
    }

    /// The provider's own configuration block (`region`, `default_tags`, `assume_role`, …).
    pub fn provider_config(&self) -> &BlockSchema {
        &self.config
    }

    /// The schema of a resource type, such as `aws_kms_key`.
    ///
    /// ```
    /// use infra_core::schema::Schema;
    ///
    /// let table = Schema::aws().resource("aws_dynamodb_table").unwrap();
    /// assert!(table.blocks.contains_key("attribute"));
    /// assert!(Schema::aws().resource("aws_kms_keys").is_none());
    /// ```
    pub fn resource(&self, type_name: &str) -> Option<&BlockSchema> {
        self.resources.get(type_name)
    }

    /// The schema of a data source type, such as `aws_caller_identity` (without `data.`).
    pub fn data_source(&self, type_name: &str) -> Option<&BlockSchema> {
        self.data_sources.get(type_name)
    }

    /// The names of every resource type in the schema, sorted.
    pub fn resource_types(&self) -> impl Iterator<Item = &str> {
        self.resources.names()
    }

    /// The names of every data source type in the schema, sorted.
    pub fn data_source_types(&self) -> impl Iterator<Item = &str> {
        self.data_sources.names()
    }

    /// The schema of a resource or a data source.
    pub fn block(&self, kind: Kind, type_name: &str) -> Option<&BlockSchema> {
        match kind {
            Kind::Resource => self.resource(type_name),
            Kind::DataSource => self.data_source(type_name),
        }
    }
}

/// Whether a type name is a resource or a data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A managed resource (`resource` in Terraform).
    Resource,
    /// A data source (`data` in Terraform).
    DataSource,
}

/// The arguments and nested blocks of a resource, a data source, the provider or a nested block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BlockSchema {
    /// Attributes by name, computed-only ones (such as `arn`) included.
    pub attributes: BTreeMap<String, AttributeSchema>,
    /// Nested blocks by name.
    pub blocks: BTreeMap<String, NestedBlockSchema>,
}

/// One attribute of a [`BlockSchema`].
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeSchema {
    /// The value type.
    pub ty: AttrType,
    /// The configuration must set it.
    pub required: bool,
    /// The configuration may set it.
    pub optional: bool,
    /// The provider computes it (when not set, for an optional one).
    pub computed: bool,
}

impl AttributeSchema {
    /// An exported attribute that the configuration cannot set (`arn`, `key_id`, …).
    pub fn is_computed_only(&self) -> bool {
        self.computed && !self.required && !self.optional
    }
}

/// One nested block of a [`BlockSchema`].
#[derive(Debug, Clone, PartialEq)]
pub struct NestedBlockSchema {
    /// How instances of the block are collected.
    pub nesting: Nesting,
    /// The fewest instances allowed (0 or 1: the exact minimum above 1 is not known).
    pub min_items: u64,
    /// The most instances allowed; `None` when unbounded or not known.
    pub max_items: Option<u64>,
    /// The block's own arguments.
    pub block: BlockSchema,
}

impl NestedBlockSchema {
    /// The most instances allowed, a `single` block counting as at most one.
    pub fn max(&self) -> Option<u64> {
        match self.nesting {
            Nesting::Single => Some(1),
            Nesting::List | Nesting::Set => self.max_items,
        }
    }
}

/// How the instances of a nested block are collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// An ordered list of blocks.
    List,
    /// An unordered set of blocks.
    Set,
    /// At most one block, as an object.
    Single,
}

/// A Terraform value type.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrType {
    /// A string.
    String,
    /// A number.
    Number,
    /// A boolean.
    Bool,
    /// Any value, decided by the provider at run time.
    Dynamic,
    /// An ordered list.
    List(Box<AttrType>),
    /// An unordered set.
    Set(Box<AttrType>),
    /// A map from string keys.
    Map(Box<AttrType>),
    /// An object with named attributes.
    Object(BTreeMap<String, AttrType>),
}

impl AttrType {
    fn from_json(value: &Value, path: &str) -> Result<AttrType, SchemaError> {
        let error = || SchemaError::Format {
            path: path.to_owned(),
            message: format!("unrecognised type `{value}`"),
        };
        match value {
            Value::String(s) => match s.as_str() {
                "string" => Ok(AttrType::String),
                "number" => Ok(AttrType::Number),
                "bool" => Ok(AttrType::Bool),
                "dynamic" => Ok(AttrType::Dynamic),
                _ => Err(error()),
            },
            Value::Array(items) => match items.as_slice() {
                [Value::String(kind), inner] => match kind.as_str() {
                    "list" => Ok(AttrType::List(Box::new(AttrType::from_json(inner, path)?))),
                    "set" => Ok(AttrType::Set(Box::new(AttrType::from_json(inner, path)?))),
                    "map" => Ok(AttrType::Map(Box::new(AttrType::from_json(inner, path)?))),
                    "object" => {
                        let Value::Object(fields) = inner else {
                            return Err(error());
                        };
                        fields
                            .iter()
                            .map(|(name, ty)| Ok((name.clone(), AttrType::from_json(ty, path)?)))
                            .collect::<Result<_, _>>()
                            .map(AttrType::Object)
                    }
                    _ => Err(error()),
                },
                _ => Err(error()),
            },
            _ => Err(error()),
        }
    }
}

/// Terraform's own type syntax: `string`, `list(string)`, `object({ name = string })`.
impl fmt::Display for AttrType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttrType::String => f.write_str("string"),
            AttrType::Number => f.write_str("number"),
            AttrType::Bool => f.write_str("bool"),
            AttrType::Dynamic => f.write_str("any"),
            AttrType::List(inner) => write!(f, "list({inner})"),
            AttrType::Set(inner) => write!(f, "set({inner})"),
            AttrType::Map(inner) => write!(f, "map({inner})"),
            AttrType::Object(fields) => {
                f.write_str("object({")?;
                for (i, (name, ty)) in fields.iter().enumerate() {
                    let sep = if i == 0 { " " } else { ", " };
                    write!(f, "{sep}{name} = {ty}")?;
                }
                f.write_str(" })")
            }
        }
    }
}

/// A schema file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The text is not JSON, or not shaped like a schema file.
    #[error("invalid schema json: {0}")]
    Json(#[from] serde_json::Error),
    /// The JSON is shaped like a schema file but a value in it is not valid.
    #[error("invalid schema at `{path}`: {message}")]
    Format {
        /// Where, as dotted names (`resources.aws_kms_key.arn`).
        path: String,
        /// What is wrong.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_schema_parses() {
        let schema = committed(AWS_6_66_GZ, "6.66.0").expect("committed schema parses");
        assert_eq!(schema.provider_source(), "hashicorp/aws");
        assert_eq!(schema.provider_name(), "aws");
        assert_eq!(schema.provider_version(), "6.66.0");
        assert!(schema.provider_config().attributes.contains_key("region"));
        assert_eq!(&schema, Schema::aws());
        // Parsed on lookup, it says what the whole file parsed up front says, type by type.
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(AWS_6_66_GZ), &mut text)
            .unwrap();
        let eager = Schema::from_terraform_json(&text, AWS_ADDRESS, "6.66.0").unwrap();
        assert!(eager.resources.map.values().all(|e| e.raw.is_none()));
        assert!(
            Schema::aws()
                .resources
                .map
                .values()
                .all(|e| e.raw.is_some())
        );
        assert_eq!(&eager, Schema::aws());
        let err = committed(b"not gzip", "6.66.0").unwrap_err();
        assert!(err.to_string().contains("not a gzipped schema"), "{err}");
    }

    /// The index the generator writes says what the gzipped schema says, type by type (the
    /// library reads only the index; `Schema::aws()` above is read from it).
    #[test]
    fn the_index_reads_as_the_gzipped_schema() {
        let from_index = indexed(AWS_6_66_INDEX, "6.66.0").unwrap();
        let from_gz = committed(AWS_6_66_GZ, "6.66.0").unwrap();
        assert!(
            from_index
                .resources
                .map
                .values()
                .all(|e| matches!(e.raw, Some(Unparsed::Deflated(_))))
        );
        assert_eq!(from_index.resource_types().count(), 1725);
        assert_eq!(from_index, from_gz);
    }

    #[test]
    fn a_damaged_index_is_an_error_that_says_what_is_wrong() {
        let leak = |bytes: Vec<u8>| -> &'static [u8] { Box::leak(bytes.into_boxed_slice()) };
        let case = |index: &'static [u8], version: &str, expected: &str| {
            let err = indexed(index, version).unwrap_err().to_string();
            assert!(err.contains(expected), "expected `{expected}` in: {err}");
        };
        case(b"garbage", "6.66.0", "no `end` line");
        case(
            b"some other index\nend\n",
            "6.66.0",
            "the first line is not",
        );
        case(
            AWS_6_66_INDEX,
            "6.67.0",
            "the index is of version 6.66.0, not 6.67.0",
        );
        let toc_end = AWS_6_66_INDEX
            .windows(5)
            .position(|w| w == b"\nend\n")
            .unwrap();
        // Cut inside the payload: the last streams lie outside what is left.
        case(
            leak(AWS_6_66_INDEX[..toc_end + 100].to_vec()),
            "6.66.0",
            "outside the index",
        );
        let bad =
            String::from_utf8_lossy(&AWS_6_66_INDEX[..toc_end]).replace("config 0", "config zero");
        case(
            leak(format!("{bad}\nend\n").into_bytes()),
            "6.66.0",
            "not numbers",
        );
    }

    /// A block with every limit as the validator reads it (`single` counts as at most one).
    fn normalized(block: &BlockSchema) -> BlockSchema {
        let mut out = block.clone();
        for nested in out.blocks.values_mut() {
            nested.max_items = nested.max();
            nested.block = normalized(&nested.block);
        }
        out
    }

    /// The subsets `tools/schema/extract.mjs` and `from-terraform.py` write
    /// (`infra-core/schema/*.json`, no longer embedded) say what the full schemas say for
    /// their types: two extraction paths, one answer.
    #[test]
    fn the_committed_subsets_agree_with_the_full_schemas() {
        for (subset, full) in [
            (include_str!("../schema/aws-provider.json"), Schema::aws()),
            (
                include_str!("../schema/aws-provider-5.100.0.json"),
                Schema::aws_5_100(),
            ),
        ] {
            let subset = Schema::from_json(subset).expect("a subset parses");
            assert_eq!(subset.provider_version(), full.provider_version());
            for kind in [Kind::Resource, Kind::DataSource] {
                let names: Vec<&str> = match kind {
                    Kind::Resource => subset.resource_types().collect(),
                    Kind::DataSource => subset.data_source_types().collect(),
                };
                assert!(!names.is_empty());
                // The subset writes the web ACL's recursive rule `statement` as `dynamic`
                // (`tools/schema/README.md`); the full schema has its blocks, and checks them.
                for name in names.into_iter().filter(|n| *n != "aws_wafv2_web_acl") {
                    let (a, b) = (subset.block(kind, name).unwrap(), full.block(kind, name));
                    assert_eq!(Some(normalized(a)), b.map(normalized), "{name}");
                }
            }
        }
    }

    #[test]
    fn committed_5_100_schema_parses_and_has_the_listed_types() {
        let old = committed(AWS_5_100_GZ, "5.100.0").expect("5.100.0 schema parses");
        assert_eq!(old.provider_version(), "5.100.0");
        assert_eq!(&old, Schema::aws_5_100());
        assert_eq!(
            (
                old.resource_types().count(),
                old.data_source_types().count()
            ),
            (1526, 608)
        );
        let new = Schema::aws();
        // Every type infra-core writes by hand is in both versions.
        for line in include_str!("../../tools/schema/types.txt")
            .lines()
            .map(str::trim)
        {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let has = |s: &Schema| match line.strip_prefix("data.") {
                Some(name) => s.data_source(name).is_some(),
                None => s.resource(line).is_some(),
            };
            assert!(has(&old) && has(new), "{line}");
        }
        // 5.100 still has the opt-in reset of API Gateway account settings; 6.x resets always.
        let account = |s: &Schema| s.resource("aws_api_gateway_account").unwrap().clone();
        assert!(account(&old).attributes.contains_key("reset_on_delete"));
        assert!(!account(new).attributes.contains_key("reset_on_delete"));
    }

    #[test]
    fn every_newer_argument_is_unknown_to_5_100_and_known_to_the_pinned_schema() {
        for newer in NEWER_THAN_5_100 {
            let find = |schema: &Schema| {
                let mut block = schema.resource(newer.resource_type)?;
                let mut steps: Vec<&str> = newer.argument.split('.').collect();
                let last = steps.pop()?;
                for step in steps {
                    block = &block.blocks.get(step)?.block;
                }
                Some(block.attributes.contains_key(last) || block.blocks.contains_key(last))
            };
            assert_eq!(find(Schema::aws()), Some(true), "{newer:?}");
            assert_eq!(find(Schema::aws_5_100()), Some(false), "{newer:?}");
        }
    }

    #[test]
    fn committed_schema_has_every_listed_type() {
        let list = include_str!("../../tools/schema/types.txt");
        let aws = Schema::aws();
        let mut count = 0;
        for line in list.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            count += 1;
            let found = match line.strip_prefix("data.") {
                Some(name) => aws.data_source(name).is_some(),
                None => aws.resource(line).is_some(),
            };
            assert!(
                found,
                "`{line}` is listed in types.txt but missing from the schema"
            );
        }
        assert!(count > 0);
        // The validator knows every type of the provider, not only the listed ones.
        assert_eq!(
            (
                aws.resource_types().count(),
                aws.data_source_types().count()
            ),
            (1725, 683)
        );
    }

    #[test]
    fn committed_schema_knows_well_known_arguments() {
        let aws = Schema::aws();
        let key = aws.resource("aws_kms_key").unwrap();
        assert_eq!(key.attributes["enable_key_rotation"].ty, AttrType::Bool);
        assert!(key.attributes["arn"].is_computed_only());
        let lambda = aws.resource("aws_lambda_function").unwrap();
        assert!(lambda.attributes["function_name"].required);
        assert_eq!(lambda.blocks["vpc_config"].max(), Some(1));
        let sg = aws.resource("aws_security_group").unwrap();
        assert!(
            matches!(&sg.attributes["ingress"].ty, AttrType::Set(inner) if matches!(**inner, AttrType::Object(_)))
        );
        let config = aws.provider_config();
        assert_eq!(config.attributes["region"].ty, AttrType::String);
        assert!(config.blocks.contains_key("default_tags"));
        let identity = aws.data_source("aws_caller_identity").unwrap();
        assert!(identity.attributes["account_id"].is_computed_only());
    }

    #[test]
    fn rejects_unknown_types_and_versions() {
        let bad_type = r#"{"format_version": "1",
            "provider": {"source": "hashicorp/aws", "version": "1", "config": {}},
            "resources": {"aws_x": {"attributes": {"a": {"type": "strin", "required": true, "optional": false, "computed": false}}}},
            "data_sources": {}}"#;
        let err = Schema::from_json(bad_type).unwrap_err();
        assert!(err.to_string().contains("resources.aws_x.a"), "{err}");

        let bad_version = bad_type.replace(r#""format_version": "1""#, r#""format_version": "2""#);
        assert!(matches!(
            Schema::from_json(&bad_version),
            Err(SchemaError::Format { .. })
        ));
        assert!(matches!(Schema::from_json("{"), Err(SchemaError::Json(_))));
        let not_an_object = Schema::from_json("[]").unwrap_err();
        assert_eq!(
            not_an_object.to_string(),
            "invalid schema at ``: expected an object, found an array"
        );
        let unknown =
            bad_type.replace(r#""data_sources": {}"#, r#""data_sources": {}, "extra": 1"#);
        assert!(
            Schema::from_json(&unknown)
                .unwrap_err()
                .to_string()
                .contains("unknown field `extra`"),
            "the crate's own format is strict"
        );
        let no_flag = bad_type.replace(r#", "computed": false"#, "");
        let err = Schema::from_json(&no_flag).unwrap_err().to_string();
        assert!(
            err.contains("resources.aws_x.a") && err.contains("missing field `computed`"),
            "{err}"
        );
    }

    #[test]
    fn types_display_in_terraform_syntax() {
        let ty = AttrType::Set(Box::new(AttrType::Object(BTreeMap::from([
            ("from_port".to_owned(), AttrType::Number),
            (
                "cidr_blocks".to_owned(),
                AttrType::List(Box::new(AttrType::String)),
            ),
        ]))));
        assert_eq!(
            ty.to_string(),
            "set(object({ cidr_blocks = list(string), from_port = number }))"
        );
    }
}
