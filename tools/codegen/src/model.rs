//! From a provider schema to the Rust model the emitter writes: services, type and field names,
//! Rust types, nested block structs (deduplicated per type), exported attributes, counts.
//!
//! Everything is sorted (schema maps are `BTreeMap`s, and each list is built in sorted order),
//! so the same schema always gives the same model.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::handwritten::HandWritten;
use crate::overlay::{ArgDecision, BlockDecision, BlockDecisions, Overlay, TypeEntry};
use crate::schema::{Attribute, Block, BlockType, ProviderSchema};

/// Managed resource or data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `resource`.
    Resource,
    /// `data`.
    Data,
}

impl Kind {
    /// How a type of this kind is written in lists: `aws_x` or `data.aws_x`.
    pub fn qualified(self, tf_name: &str) -> String {
        match self {
            Kind::Resource => tf_name.to_owned(),
            Kind::Data => format!("data.{tf_name}"),
        }
    }
}

/// The generated layer of one provider.
#[derive(Debug)]
pub struct Model {
    /// Services by name (the module and Cargo feature name).
    pub services: BTreeMap<String, Service>,
    /// The overlay-typed types by module of `infra_core::aws` (compiled without features).
    pub typed: BTreeMap<String, TypedModule>,
}

/// The overlay-typed types of one module of `infra_core::aws`.
#[derive(Debug, Default)]
pub struct TypedModule {
    /// What the overlay file imports.
    pub uses: Vec<String>,
    /// The types, sorted by kind then Terraform name.
    pub types: Vec<TypeDef>,
    /// The union kinds declared here (their references type arguments of these types).
    pub unions: Vec<crate::references::Union>,
}

/// One service: a module, a feature.
#[derive(Debug, Default)]
pub struct Service {
    /// The module and feature name (`sqs`).
    pub name: String,
    /// The generated types, sorted by kind then Terraform name.
    pub types: Vec<TypeDef>,
    /// What the schema has for the service, hand-written types included.
    pub schema_counts: Counts,
    /// What the generated types cover.
    pub generated_counts: Counts,
    /// The hand-written types of this service (Terraform type, Rust path).
    pub handwritten: Vec<(Kind, String, String)>,
    /// The overlay-typed types of this service (Terraform type, Rust path).
    pub typed: Vec<(Kind, String, String)>,
    /// The other services whose generated types its typed references name (their features).
    pub requires: BTreeSet<String>,
    /// Listed under `complete` in `not-references.toml`: every reference-shaped `Text`
    /// argument of its managed resources is typed or reviewed as a non-reference.
    pub complete: bool,
    /// The union kinds of its typed references (markers with conversions), in rule order.
    pub unions: Vec<crate::references::Union>,
}

/// Numbers for the coverage report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Managed resource types.
    pub resources: usize,
    /// Data source types.
    pub data_sources: usize,
    /// Settable arguments and nested blocks, at every level.
    pub arguments: usize,
    /// Settable string arguments of managed resources whose names say they refer to another
    /// resource, less the reviewed non-references (`not-references.toml`).
    pub references: usize,
    /// Of those, the ones typed as `Arn<K>`, `Id<K>`, `Name<K>` or `Url<K>`.
    pub typed: usize,
    /// Reviewed non-references: a managed resource's own name or ID.
    pub own: usize,
    /// Reviewed non-references: names or IDs of things that are not Terraform resources.
    pub value: usize,
    /// Reference-shaped string arguments of data sources (look-up keys, never typed).
    pub lookup: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.resources += other.resources;
        self.data_sources += other.data_sources;
        self.arguments += other.arguments;
        self.references += other.references;
        self.typed += other.typed;
        self.own += other.own;
        self.value += other.value;
        self.lookup += other.lookup;
    }
}

/// One generated resource or data source.
#[derive(Debug)]
pub struct TypeDef {
    /// `aws_sqs_queue`.
    pub tf_name: String,
    /// Managed or data.
    pub kind: Kind,
    /// `Queue`, `DataQueue`.
    pub rust_name: String,
    /// The module holding its nested blocks (`queue`, `data_queue`), possibly raw (`r#type`).
    pub module: String,
    /// Generic over `R: Region`.
    pub regional: bool,
    /// The schema's description.
    pub description: Option<String>,
    /// Required arguments (fields of the struct itself).
    pub required: Vec<Field>,
    /// Optional arguments (in `…Opts` when there are required ones).
    pub optional: Vec<Field>,
    /// Exported attributes, as accessors.
    pub exports: Vec<Export>,
    /// Nested block structs.
    pub blocks: Vec<BlockDef>,
    /// Typed by the overlay (compiled without features; `_region` only where `R` is unused).
    pub typed: bool,
    /// Optional arguments go into `…Opts` when there are required ones (the overlay may say no).
    pub opts: bool,
    /// Extra doc text from the overlay (markdown, written verbatim).
    pub extra_doc: Option<String>,
    /// The overlay's own type parameters for a global type (`T: Trust = AnyTrust`): only
    /// `Block` is derived, the module implements `Resource`.
    pub generics: Option<String>,
}

impl TypeDef {
    /// The optional arguments live in an `…Opts` struct.
    pub fn has_opts(&self) -> bool {
        self.opts && !self.required.is_empty()
    }

    /// `QueueOpts`.
    pub fn opts_name(&self) -> String {
        format!("{}Opts", self.rust_name)
    }
}

/// One field: a Terraform argument or nested block.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Terraform name.
    pub tf_name: String,
    /// The Rust field name (`r#type`, or `self_` with a rename).
    pub ident: String,
    /// The Rust type, with names the emitted module imports.
    pub ty: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// A hand-written block flattened into the struct (`#[resource(flatten)]`).
    pub flatten: bool,
}

impl Field {
    /// The Rust name differs from the Terraform name (beyond `r#`).
    pub fn renamed(&self) -> bool {
        self.ident.trim_start_matches("r#") != self.tf_name
    }
}

/// One exported attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// The accessor name.
    pub ident: String,
    /// Its return type (`Arn<Self>`, `Id<Self>`, `Text`, `Sensitive<Text>`).
    pub ty: String,
}

/// A nested block struct.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockDef {
    /// Its name inside the type's module.
    pub rust_name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Fields, required ones first.
    pub fields: Vec<Field>,
    /// Whether every field is optional (the struct derives `Default`).
    pub default: bool,
    /// Every schema path (`statement.ip_set_reference_statement`, from the type's top) whose
    /// block has this struct's shape: a typed-reference rule on a block path types a field
    /// only where every one of them matches.
    pub paths: Vec<String>,
}

/// Names a generated item must not take: the prelude's and those the emitted modules import.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Arn",
    "AsMut",
    "AsRef",
    "Block",
    "Box",
    "BTreeMap",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Id",
    "Into",
    "IntoIterator",
    "Iterator",
    "JsonValue",
    "None",
    "Ok",
    "OneOrMore",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "PhantomData",
    "Region",
    "Required",
    "Resource",
    "Result",
    "Self",
    "Send",
    "Sensitive",
    "Sized",
    "Some",
    "String",
    "Sync",
    "Text",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Rust keywords (2024 edition, reserved ones included).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// `EventBus` → `event_bus` (a Rust type name as a variable name, for docs).
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A Rust identifier for a Terraform name: verbatim, `r#…` for a keyword, `…_` for the few that
/// cannot be raw (the caller then renames).
pub fn ident(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// `lifecycle_rule` → `LifecycleRule`.
pub fn camel(name: &str) -> String {
    name.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Irregular names: `(tokens after "aws_", service, how many of those tokens the Rust name
/// drops)`. The longest matching entry wins; a name matches when its tokens start with the
/// entry's, the last one possibly plural (`aws_vpcs`). Anything else belongs to the service
/// named by its first token (`aws_sqs_queue` → `sqs`, `Queue`).
const PREFIXES: &[(&str, &str, usize)] = &[
    // EC2 and VPC resources that predate the `aws_ec2_` prefix.
    ("ami", "ec2", 0),
    ("availability zone", "ec2", 0),
    ("customer gateway", "ec2", 0),
    ("default network acl", "ec2", 0),
    ("default route table", "ec2", 0),
    ("default security group", "ec2", 0),
    ("default subnet", "ec2", 0),
    ("default vpc", "ec2", 0),
    ("ebs", "ec2", 0),
    ("egress only internet gateway", "ec2", 0),
    ("eip", "ec2", 0),
    ("flow log", "ec2", 0),
    ("instance", "ec2", 0),
    ("internet gateway", "ec2", 0),
    ("key pair", "ec2", 0),
    ("launch template", "ec2", 0),
    ("main route table association", "ec2", 0),
    ("nat gateway", "ec2", 0),
    ("network acl", "ec2", 0),
    ("network interface", "ec2", 0),
    ("placement group", "ec2", 0),
    ("prefix list", "ec2", 0),
    ("route", "ec2", 0),
    ("security group", "ec2", 0),
    ("snapshot create volume permission", "ec2", 0),
    ("spot", "ec2", 0),
    ("subnet", "ec2", 0),
    ("volume attachment", "ec2", 0),
    ("vpc", "ec2", 0),
    ("vpn", "ec2", 0),
    // Auto Scaling's launch configurations.
    ("launch configuration", "autoscaling", 0),
    // Load balancers: `aws_lb`/`aws_alb` are ELBv2; the classic ELB's policies are spelled oddly.
    ("alb", "elbv2", 0),
    ("lb", "elbv2", 0),
    ("app cookie stickiness policy", "elb", 0),
    ("lb cookie stickiness policy", "elb", 0),
    ("lb ssl negotiation policy", "elb", 0),
    ("load balancer", "elb", 0),
    ("proxy protocol policy", "elb", 0),
    // Services whose prefix is two words.
    ("api gateway", "apigateway", 2),
    ("cloudwatch event", "events", 1),
    ("cloudwatch log", "logs", 1),
    ("db", "rds", 0),
    ("elastic beanstalk", "elasticbeanstalk", 2),
    ("kinesis analytics", "kinesisanalytics", 2),
    ("kinesis firehose", "firehose", 2),
    ("kinesis video", "kinesisvideo", 2),
    ("route53 resolver", "route53resolver", 2),
    ("service discovery", "servicediscovery", 2),
    // Account-wide facts that belong to no service.
    ("arn", "meta", 0),
    ("billing service account", "meta", 0),
    ("caller identity", "meta", 0),
    ("default tags", "meta", 0),
    ("ip ranges", "meta", 0),
    ("partition", "meta", 0),
    ("region", "meta", 0),
    ("service", "meta", 0),
    // S3's canonical user.
    ("canonical user id", "s3", 0),
];

/// Services whose types are global when the schema does not say (provider 5.x has no
/// per-resource `region` argument; 6.x adds one to every regional type, and that is used instead).
const GLOBAL_SERVICES: &[&str] = &[
    "account",
    "budgets",
    "ce",
    "cloudfront",
    "globalaccelerator",
    "iam",
    "meta",
    "networkmanager",
    "organizations",
    "route53",
    "route53domains",
    "shield",
    "waf",
];

/// The service of a Terraform type and the tokens its Rust name is made of.
pub fn service_of(tf_name: &str) -> (String, Vec<String>) {
    let tokens: Vec<&str> = tf_name.split('_').skip(1).collect();
    let mut best: Option<(&str, usize, usize)> = None;
    for (prefix, service, strip) in PREFIXES {
        let want: Vec<&str> = prefix.split(' ').collect();
        if want.len() > tokens.len() {
            continue;
        }
        let last = want.len() - 1;
        let matches = want
            .iter()
            .enumerate()
            .all(|(i, w)| tokens[i] == *w || (i == last && tokens[i].strip_suffix('s') == Some(w)));
        if matches && best.is_none_or(|(_, n, _)| want.len() > n) {
            best = Some((service, want.len(), *strip));
        }
    }
    let (service, strip) = match best {
        Some((service, _, strip)) => (service.to_owned(), strip),
        None => (tokens.first().copied().unwrap_or("aws").to_owned(), 1),
    };
    let rest: Vec<String> = tokens.iter().skip(strip).map(|t| (*t).to_owned()).collect();
    let rest = if rest.is_empty() {
        vec![service.clone()]
    } else {
        rest
    };
    (service, rest)
}

/// Whether an argument name says it refers to another resource (`kms_key_arn`, `subnet_ids`,
/// `function_name`, `queue_url`, `role`, `bucket`).
pub fn reference_shaped(name: &str) -> bool {
    REFERENCE_SUFFIXES.iter().any(|s| name.ends_with(s)) || REFERENCE_NAMES.contains(&name)
}

/// Name endings of reference-shaped arguments (the coverage example gets the same list).
pub const REFERENCE_SUFFIXES: &[&str] = &[
    "_arn",
    "_arns",
    "_id",
    "_ids",
    "_identifier",
    "_identifiers",
    "_name",
    "_names",
    "_url",
    "_urls",
];
/// Whole names of reference-shaped arguments.
pub const REFERENCE_NAMES: &[&str] = &["arn", "role", "bucket"];

/// A generator error (bad input, a name clash): the message says what and where.
#[derive(Debug)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The names an overlay-typed type takes in its module: the type, its `…Attrs` and `…Opts`,
/// its blocks' module.
fn typed_names(kind: Kind, tf_name: &str, entry: &TypeEntry) -> [String; 4] {
    let (_, rest) = service_of(tf_name);
    let module = match kind {
        Kind::Resource => ident(&rest.join("_")),
        Kind::Data => format!("data_{}", rest.join("_")),
    };
    [
        entry.rust.clone(),
        format!("{}Attrs", entry.rust),
        format!("{}Opts", entry.rust),
        format!("mod {module}"),
    ]
}

/// Builds the model of every type of `schema`, leaving out the hand-written ones and typing
/// those the overlay declares with its decisions.
pub fn build(
    schema: &ProviderSchema,
    hand: &HandWritten,
    overlay: &Overlay,
) -> Result<Model, ModelError> {
    // What the overlay-typed types take in their modules, which a generated type of the same
    // module must not take (the two are glob re-exported side by side).
    let mut taken: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for ((kind, tf_name), entry) in &overlay.types {
        if hand.rust_path(*kind, tf_name).is_some() {
            return Err(ModelError(format!(
                "`{}` is both hand-written (infra-core/overlay/handwritten.txt) and in the overlay (`{}.toml`)",
                kind.qualified(tf_name),
                entry.module
            )));
        }
        taken
            .entry(entry.module.clone())
            .or_default()
            .extend(typed_names(*kind, tf_name, entry));
    }
    let mut typed: BTreeMap<String, TypedModule> = BTreeMap::new();
    // Provider 6.x gives every regional type an optional `region`; 5.x none.
    let has_region_arguments = schema
        .resource_schemas
        .values()
        .any(|t| t.block.attributes.get("region").is_some_and(|a| a.optional));
    let mut services: BTreeMap<String, Service> = BTreeMap::new();
    let all = schema
        .resource_schemas
        .iter()
        .map(|(n, t)| (Kind::Resource, n, t))
        .chain(
            schema
                .data_source_schemas
                .iter()
                .map(|(n, t)| (Kind::Data, n, t)),
        );
    for (kind, tf_name, ts) in all {
        let (service_name, rest) = service_of(tf_name);
        let regional = if has_region_arguments {
            ts.block
                .attributes
                .get("region")
                .is_some_and(|a| a.optional)
        } else {
            !GLOBAL_SERVICES.contains(&service_name.as_str())
        } && !overlay.get(kind, tf_name).is_some_and(|e| e.global);
        let service = services
            .entry(service_name.clone())
            .or_insert_with(|| Service {
                name: service_name.clone(),
                ..Service::default()
            });
        let counts = type_counts(kind, &ts.block, regional);
        service.schema_counts.add(counts);
        if let Some(rust_path) = hand.rust_path(kind, tf_name) {
            service
                .handwritten
                .push((kind, tf_name.clone(), rust_path.to_owned()));
            continue;
        }
        if let Some(entry) = overlay.get(kind, tf_name) {
            if regional && entry.generics.is_some() {
                return Err(ModelError(format!(
                    "`{}` (`{}.toml`): `generics` is for global types; a regional type's only parameter is its region",
                    kind.qualified(tf_name),
                    entry.module
                )));
            }
            // Counted from its shape by the coverage example, as the hand-written types are
            // (its typed references are the overlay's).
            let def = type_def(kind, tf_name, &rest, &ts.block, regional, Some(entry))?;
            let generics = if regional { "<R>" } else { "" };
            service.typed.push((
                kind,
                tf_name.clone(),
                format!("{}::{}{generics}", entry.module, def.rust_name),
            ));
            typed
                .entry(entry.module.clone())
                .or_default()
                .types
                .push(def);
            continue;
        }
        service.generated_counts.add(counts);
        let mut def = type_def(kind, tf_name, &rest, &ts.block, regional, None)?;
        // A hand-written module of the service re-exports this type with a glob, which its own
        // items of the same name would hide (`dynamodb::GlobalSecondaryIndex` is a block of
        // the hand-written table; `aws_dynamodb_global_secondary_index` becomes
        // `GlobalSecondaryIndexResource`).
        let clashes = |d: &TypeDef| {
            [
                d.rust_name.clone(),
                format!("{}Attrs", d.rust_name),
                d.opts_name(),
            ]
            .iter()
            .any(|n| {
                hand.module_has(&service_name, n)
                    || taken.get(&service_name).is_some_and(|t| t.contains(n))
            })
        };
        if clashes(&def) {
            def.rust_name.push_str(match kind {
                Kind::Resource => "Resource",
                Kind::Data => "Source",
            });
        }
        service.types.push(def);
    }
    for service in services.values_mut() {
        service
            .types
            .sort_by(|a, b| (a.kind, &a.tf_name).cmp(&(b.kind, &b.tf_name)));
        check_service_names(service, hand)?;
    }
    for (module, m) in &mut typed {
        m.types
            .sort_by(|a, b| (a.kind, &a.tf_name).cmp(&(b.kind, &b.tf_name)));
        m.uses = overlay.uses.get(module).cloned().unwrap_or_default();
    }
    Ok(Model { services, typed })
}

/// Two items of one module may not share a name (and a hand-written name wins silently over a
/// glob re-export, which would hide the generated one).
fn check_service_names(service: &Service, hand: &HandWritten) -> Result<(), ModelError> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |name: String, owner: String| match seen.get(&name) {
        Some(first) => Err(ModelError(format!(
            "service `{}`: `{name}` would name both {first} and {owner}",
            service.name
        ))),
        None => {
            seen.insert(name, owner);
            Ok(())
        }
    };
    for rust_name in hand.rust_names_in_module(&service.name) {
        claim(rust_name.to_owned(), "a hand-written type".to_owned())?;
    }
    for t in &service.types {
        let owner = format!("`{}`", t.kind.qualified(&t.tf_name));
        if hand.module_has(&service.name, &t.rust_name) {
            return Err(ModelError(format!(
                "service `{}`: `{}` would name both a hand-written item and {owner}",
                service.name, t.rust_name
            )));
        }
        claim(t.rust_name.clone(), owner.clone())?;
        claim(format!("{}Attrs", t.rust_name), owner.clone())?;
        if t.has_opts() {
            claim(t.opts_name(), owner.clone())?;
        }
        claim(format!("mod {}", t.module), owner)?;
    }
    Ok(())
}

/// Counts one type's arguments as the coverage report does.
fn type_counts(kind: Kind, block: &Block, regional: bool) -> Counts {
    let mut counts = Counts {
        resources: usize::from(kind == Kind::Resource),
        data_sources: usize::from(kind == Kind::Data),
        ..Counts::default()
    };
    count_block(block, true, regional, &mut counts);
    // A data source's reference-shaped arguments are look-up keys of things outside the stack:
    // counted apart, never typed.
    let sites = reference_sites(block, regional).len();
    match kind {
        Kind::Resource => counts.references = sites,
        Kind::Data => counts.lookup = sites,
    }
    counts
}

/// The paths (`arg`, `block.arg`) of a type's reference-shaped string arguments, at any depth:
/// what the coverage report counts and a complete service must type or list.
pub fn reference_sites(block: &Block, regional: bool) -> Vec<String> {
    block
        .settable_arguments()
        .into_iter()
        .filter(|(path, a)| {
            let name = path.rsplit('.').next().unwrap_or(path);
            let top = !path.contains('.');
            !(top && skipped_top_level(name, a, regional))
                && reference_shaped(name)
                && string_like(&a.ty)
        })
        .map(|(path, _)| path)
        .collect()
}

fn count_block(block: &Block, top: bool, regional: bool, counts: &mut Counts) {
    for (name, a) in &block.attributes {
        if a.settable() && !(top && skipped_top_level(name, a, regional)) {
            counts.arguments += 1;
        }
    }
    for bt in block.block_types.values() {
        counts.arguments += 1;
        count_block(&bt.block, false, regional, counts);
    }
}

/// `id` is exported, never set (unless a data source requires it to look the object up); a
/// regional type's `region` is its provider's (`R`).
fn skipped_top_level(name: &str, a: &Attribute, regional: bool) -> bool {
    (name == "id" && !a.required) || (regional && name == "region" && a.optional)
}

/// A string, or a list or set of strings (what a typed reference may replace).
fn string_like(ty: &Value) -> bool {
    match ty {
        Value::String(s) => s == "string",
        Value::Array(items) => matches!(items.as_slice(),
            [Value::String(k), inner] if (k == "list" || k == "set") && string_like(inner)),
        _ => false,
    }
}

fn type_def(
    kind: Kind,
    tf_name: &str,
    rest: &[String],
    block: &Block,
    regional: bool,
    entry: Option<&TypeEntry>,
) -> Result<TypeDef, ModelError> {
    let none = BlockDecisions::default();
    let decisions = entry.map_or(&none, |e| &e.body);
    let base = camel(&rest.join("_"));
    let (rust_name, module) = match kind {
        Kind::Resource => {
            let name = if RESERVED_TYPE_NAMES.contains(&base.as_str()) {
                format!("{base}Resource")
            } else {
                base
            };
            (name, ident(&rest.join("_")))
        }
        Kind::Data => (format!("Data{base}"), format!("data_{}", rest.join("_"))),
    };
    let rust_name = entry.map_or(rust_name, |e| e.rust.clone());
    let flattened = |name: &str| {
        entry.is_some_and(|e| e.flatten.iter().any(|f| f.args.iter().any(|a| a == name)))
    };
    let mut blocks = BlockNamer::default();
    let mut required = Vec::new();
    let mut optional = Vec::new();
    let mut exports = vec![];
    for (name, a) in &block.attributes {
        let declared = entry.and_then(|e| e.exports.get(name));
        if (a.computed || name == "id" || declared.is_some())
            && let Some(mut export) = export(name, a)
        {
            if let Some(ty) = declared {
                export.ty = ty.clone();
            }
            exports.push(export);
        }
        if !a.settable() || skipped_top_level(name, a, regional) || flattened(name) {
            continue;
        }
        let decision = decisions.args.get(name);
        let field = attribute_field(tf_name, name, a, decision)?;
        if a.required || decision.is_some_and(|d| d.required) {
            required.push(field)
        } else {
            optional.push(field)
        }
    }
    if !exports.iter().any(|e| e.ident == "id") {
        exports.push(Export {
            ident: "id".to_owned(),
            ty: "Id<Self>".to_owned(),
        });
        exports.sort_by(|a, b| a.ident.cmp(&b.ident));
    }
    for (name, bt) in &block.block_types {
        let field = match decisions.blocks.get(name) {
            Some(BlockDecision::Reuse { ty, .. }) => Field {
                ty: ty.clone(),
                ..block_field(tf_name, name, bt, ty)
            },
            decision => {
                let struct_name = blocks.name(tf_name, &[name.as_str()], bt, decision)?;
                block_field(tf_name, name, bt, &format!("{module}::{struct_name}"))
            }
        };
        let decided = matches!(
            decisions.blocks.get(name),
            Some(BlockDecision::Reuse { required: true, .. })
        );
        if bt.min_items > 0 || decided {
            required.push(field)
        } else {
            optional.push(field)
        }
    }
    for f in entry.map_or(&[][..], |e| &e.flatten[..]) {
        let mut doc = vec![format!(
            "Sets {} of `{tf_name}` together.",
            f.args
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )];
        if let Some(d) = &f.doc {
            doc.push(String::new());
            doc.push(d.clone());
        }
        required.push(Field {
            tf_name: f.field.clone(),
            ident: ident(&f.field),
            ty: f.ty.clone(),
            doc,
            flatten: true,
        });
    }
    // A type without an opts struct may flatten a hand-written one called `opts` (the rule
    // options shared by a security group's ingress and egress rules).
    let no_opts = entry.is_some_and(|e| !e.opts);
    for f in required.iter_mut().chain(optional.iter_mut()) {
        if f.ident == "_region" || (f.ident == "opts" && !(f.flatten && no_opts)) {
            f.ident = format!("{}_", f.ident);
        }
    }
    required.sort_by(|a, b| a.tf_name.cmp(&b.tf_name));
    optional.sort_by(|a, b| a.tf_name.cmp(&b.tf_name));
    Ok(TypeDef {
        tf_name: tf_name.to_owned(),
        kind,
        rust_name,
        module,
        regional,
        description: block.description.clone(),
        required,
        optional,
        exports,
        blocks: blocks.finish(tf_name)?,
        typed: entry.is_some(),
        opts: entry.is_none_or(|e| e.opts),
        extra_doc: entry.and_then(|e| e.doc.clone()),
        generics: entry.and_then(|e| e.generics.clone()),
    })
}

fn export(name: &str, a: &Attribute) -> Option<Export> {
    // `node` is the handle's own accessor; a name that cannot be raw cannot be a method.
    if name == "node" || NOT_RAW.contains(&name) {
        return None;
    }
    let ty = match name {
        "arn" => "Arn<Self>",
        "id" => "Id<Self>",
        _ if a.sensitive => "Sensitive<Text>",
        _ => "Text",
    };
    Some(Export {
        ident: ident(name),
        ty: ty.to_owned(),
    })
}

/// The Rust type of a Terraform type expression.
#[cfg(test)]
pub fn rust_type(ty: &Value) -> Result<String, String> {
    rust_type_with(ty, None)
}

/// The Rust type of a Terraform type expression, `leaf` standing for its scalar or object
/// type when given (`Id<kms::Key<R>>` for a string, `Vec<Id<…>>` for a list of strings).
fn rust_type_with(ty: &Value, leaf: Option<&str>) -> Result<String, String> {
    let err = || format!("unrecognised type `{ty}`");
    let scalar = |rust: &str| Ok(leaf.unwrap_or(rust).to_owned());
    match ty {
        Value::String(s) => match s.as_str() {
            "string" => scalar("Text"),
            "number" => scalar("f64"),
            "bool" => scalar("bool"),
            "dynamic" => scalar("JsonValue"),
            _ => Err(err()),
        },
        Value::Array(items) => match items.as_slice() {
            [Value::String(k), inner] => match k.as_str() {
                "list" | "set" => Ok(format!("Vec<{}>", rust_type_with(inner, leaf)?)),
                "map" => Ok(format!(
                    "BTreeMap<String, {}>",
                    rust_type_with(inner, leaf)?
                )),
                // An object attribute is written whole; its JSON is the honest model until the
                // overlay gives it a struct.
                "object" => scalar("JsonValue"),
                _ => Err(err()),
            },
            _ => Err(err()),
        },
        _ => Err(err()),
    }
}

/// The one place an argument's Rust type is chosen: the schema's type, with the overlay's
/// decision (`decided`) for its scalar (or, when `whole`, for the whole type, collection
/// included), wrapped as required, optional, sensitive say.
pub fn argument_type(
    tf_name: &str,
    name: &str,
    a: &Attribute,
    required: bool,
    decided: Option<&str>,
    whole: bool,
) -> Result<String, ModelError> {
    let inner = match decided {
        Some(ty) if whole => Ok(ty.to_owned()),
        _ => rust_type_with(&a.ty, decided),
    }
    .map_err(|e| ModelError(format!("`{tf_name}.{name}`: {e}")))?;
    let collection = inner.starts_with("Vec<") || inner.starts_with("BTreeMap<");
    let ty = match (required, a.sensitive, collection) {
        (true, false, false) => inner,
        (true, true, false) => format!("Sensitive<{inner}>"),
        (true, sensitive, true) => {
            // A required collection must not be empty (`OneOrMore`) or must be written even
            // when empty (`Required`), so that it counts as set.
            let required = match inner.strip_prefix("Vec<") {
                Some(element) => format!("OneOrMore<{}", element),
                None => format!("Required<{inner}>"),
            };
            if sensitive {
                format!("Sensitive<{required}>")
            } else {
                required
            }
        }
        (false, false, true) => inner,
        (false, true, _) => format!("Option<Sensitive<{inner}>>"),
        (false, false, false) => format!("Option<{inner}>"),
    };
    Ok(ty)
}

fn attribute_field(
    tf_name: &str,
    name: &str,
    a: &Attribute,
    decision: Option<&ArgDecision>,
) -> Result<Field, ModelError> {
    let required = a.required || decision.is_some_and(|d| d.required);
    let mut ty = argument_type(
        tf_name,
        name,
        a,
        required,
        decision.and_then(|d| d.ty.as_deref()),
        decision.is_some_and(|d| d.whole),
    )?;
    if decision.is_some_and(|d| d.option) && !ty.starts_with("Option<") {
        ty = format!("Option<{ty}>");
    }
    let what = match (required, a.optional, a.computed) {
        (true, _, _) if !a.required => "optional in the schema, required here",
        (true, _, _) => "required",
        (_, _, true) => "optional; the provider computes it when unset",
        _ => "optional",
    };
    let mut doc = vec![format!("`{name}` of `{tf_name}` ({what}).")];
    if let Some(extra) = decision.and_then(|d| d.doc.as_deref()) {
        doc.push(String::new());
        doc.push(extra.to_owned());
    }
    if a.sensitive {
        doc.push("Sensitive: the value never appears in plain outputs.".to_owned());
    }
    if let Some(d) = &a.description {
        doc.push(String::new());
        doc.push(d.clone());
    }
    Ok(Field {
        tf_name: name.to_owned(),
        ident: decision
            .and_then(|d| d.rename.clone())
            .unwrap_or_else(|| ident(name)),
        ty,
        doc,
        flatten: false,
    })
}

fn block_field(tf_name: &str, name: &str, bt: &BlockType, struct_path: &str) -> Field {
    let ty = match (bt.single(), bt.min_items > 0) {
        (true, true) => struct_path.to_owned(),
        (true, false) => format!("Option<{struct_path}>"),
        (false, _) => format!("Vec<{struct_path}>"),
    };
    let count = match (bt.min_items, bt.max_items, bt.single()) {
        (_, _, true) => "at most one".to_owned(),
        (0, 0, _) => "any number".to_owned(),
        (min, 0, _) => format!("at least {min}"),
        (min, max, _) => format!("{min} to {max}"),
    };
    let mut doc = vec![format!(
        "`{name}` blocks of `{tf_name}` ({} nesting, {count}).",
        bt.nesting_mode
    )];
    if let Some(d) = &bt.block.description {
        doc.push(String::new());
        doc.push(d.clone());
    }
    Field {
        tf_name: name.to_owned(),
        ident: ident(name),
        ty,
        doc,
        flatten: false,
    }
}

/// Names the nested block structs of one type, sharing one struct between blocks of identical
/// structure (the schema repeats the same sub-blocks many times: `aws_quicksight_analysis` has
/// 8,600 nested blocks and about 420 distinct ones).
#[derive(Default)]
struct BlockNamer {
    /// Structure key → index in `defs`.
    by_key: BTreeMap<String, usize>,
    taken: BTreeSet<String>,
    defs: Vec<(BlockDef, Vec<String>)>,
    /// Blocks still to describe: (index, path, block, the overlay's decisions for it).
    pending: Vec<(usize, Vec<String>, BlockType, BlockDecisions)>,
    /// (parent struct, block name, child struct): a shared parent's children are described
    /// once, so their other paths come from these edges.
    edges: Vec<(usize, String, usize)>,
}

impl BlockNamer {
    /// The struct name of the block at `path` (below the type), declaring it when new. A block
    /// the overlay adjusts gets a struct of its own.
    fn name(
        &mut self,
        tf_name: &str,
        path: &[&str],
        bt: &BlockType,
        decision: Option<&BlockDecision>,
    ) -> Result<String, ModelError> {
        let (rename, decisions) = match decision {
            Some(BlockDecision::Generated { rename, body }) => (rename.clone(), body.clone()),
            _ => (None, BlockDecisions::default()),
        };
        let mut key = structure_key(&bt.block);
        if decision.is_some() {
            key = format!("{}@{key}", path.join("."));
        }
        if let Some(&i) = self.by_key.get(&key) {
            let joined = path.join(".");
            let (def, paths) = &mut self.defs[i];
            paths.push(joined);
            return Ok(def.rust_name.clone());
        }
        let mut name = String::new();
        if let Some(rename) = rename {
            if self.taken.contains(&rename) || RESERVED_TYPE_NAMES.contains(&rename.as_str()) {
                return Err(ModelError(format!(
                    "`{tf_name}.{}`: the overlay's `rename = \"{rename}\"` is taken by another block or a reserved name",
                    path.join(".")
                )));
            }
            name = rename;
        }
        for start in (0..path.len()).rev() {
            if !name.is_empty() {
                break;
            }
            let candidate = camel(&path[start..].join("_"));
            if !self.taken.contains(&candidate)
                && !RESERVED_TYPE_NAMES.contains(&candidate.as_str())
            {
                name = candidate;
                break;
            }
        }
        if name.is_empty() {
            let base = format!("{}Block", camel(&path.join("_")));
            name = base.clone();
            let mut n = 2;
            while self.taken.contains(&name) {
                name = format!("{base}{n}");
                n += 1;
            }
        }
        let _ = tf_name;
        self.taken.insert(name.clone());
        let i = self.defs.len();
        self.by_key.insert(key, i);
        self.defs.push((
            BlockDef {
                rust_name: name.clone(),
                doc: vec![],
                fields: vec![],
                default: true,
                paths: vec![],
            },
            vec![path.join(".")],
        ));
        self.pending.push((
            i,
            path.iter().map(|s| (*s).to_owned()).collect(),
            bt.clone(),
            decisions,
        ));
        Ok(name)
    }

    /// Describes every pending block (breadth first, so the shortest paths name the structs).
    fn finish(mut self, tf_name: &str) -> Result<Vec<BlockDef>, ModelError> {
        let mut next = 0;
        while next < self.pending.len() {
            let (i, path, bt, decisions) = self.pending[next].clone();
            next += 1;
            let mut required = Vec::new();
            let mut optional = Vec::new();
            let at = format!("{tf_name}.{}", path.join("."));
            for (name, a) in &bt.block.attributes {
                if !a.settable() {
                    continue;
                }
                let field = attribute_field(&at, name, a, decisions.args.get(name))?;
                if a.required {
                    required.push(field)
                } else {
                    optional.push(field)
                }
            }
            for (name, child) in &bt.block.block_types {
                let mut child_path: Vec<&str> = path.iter().map(String::as_str).collect();
                child_path.push(name);
                let field = match decisions.blocks.get(name) {
                    Some(BlockDecision::Reuse { ty, .. }) => Field {
                        ty: ty.clone(),
                        ..block_field(&at, name, child, ty)
                    },
                    decision => {
                        let struct_name = self.name(tf_name, &child_path, child, decision)?;
                        if let Some(c) = self
                            .defs
                            .iter()
                            .position(|(d, _)| d.rust_name == struct_name)
                        {
                            self.edges.push((i, name.clone(), c));
                        }
                        block_field(&at, name, child, &struct_name)
                    }
                };
                if child.min_items > 0 {
                    required.push(field)
                } else {
                    optional.push(field)
                }
            }
            let default = required.is_empty();
            required.sort_by(|a, b| a.tf_name.cmp(&b.tf_name));
            optional.sort_by(|a, b| a.tf_name.cmp(&b.tf_name));
            let def = &mut self.defs[i].0;
            def.fields = required.into_iter().chain(optional).collect();
            def.default = default;
        }
        // Every path of every struct: the ones met, and those under a shared parent's other
        // paths (a fixed point; the blocks nest without cycles).
        let mut all: Vec<BTreeSet<String>> = self
            .defs
            .iter()
            .map(|(_, paths)| paths.iter().cloned().collect())
            .collect();
        loop {
            let mut changed = false;
            for (parent, name, child) in &self.edges {
                let more: Vec<String> =
                    all[*parent].iter().map(|p| format!("{p}.{name}")).collect();
                for m in more {
                    changed |= all[*child].insert(m);
                }
            }
            if !changed {
                break;
            }
        }
        Ok(self
            .defs
            .into_iter()
            .zip(all)
            .map(|((mut def, paths), all)| {
                let mut doc = vec![format!("The `{}` block of `{tf_name}`.", paths[0])];
                if paths.len() > 1 {
                    let others: Vec<String> = paths[1..]
                        .iter()
                        .take(3)
                        .map(|p| format!("`{p}`"))
                        .collect();
                    let more = if paths.len() > 4 {
                        format!(" and {} more", paths.len() - 4)
                    } else {
                        String::new()
                    };
                    doc.push(String::new());
                    doc.push(format!("Also the shape of {}{more}.", others.join(", ")));
                }
                def.doc = doc;
                def.paths = all.into_iter().collect();
                def
            })
            .collect())
    }
}

/// A string that is equal for blocks of identical structure (names, types, flags, limits),
/// whatever their descriptions.
fn structure_key(block: &Block) -> String {
    let mut out = String::from("{");
    for (name, a) in &block.attributes {
        if a.settable() {
            out.push_str(&format!("{name}:{}:{}:{};", a.ty, a.required, a.sensitive));
        }
    }
    for (name, bt) in &block.block_types {
        out.push_str(&format!(
            "{name}:{}:{}:{}:{}",
            bt.nesting_mode,
            bt.min_items,
            bt.max_items,
            structure_key(&bt.block)
        ));
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::parse;

    #[test]
    fn services_and_names_follow_the_prefix_table() {
        let cases = [
            ("aws_sqs_queue", "sqs", "queue"),
            ("aws_instance", "ec2", "instance"),
            ("aws_vpc_endpoint", "ec2", "vpc_endpoint"),
            ("aws_vpcs", "ec2", "vpcs"),
            ("aws_vpclattice_service", "vpclattice", "service"),
            ("aws_security_group_rule", "ec2", "security_group_rule"),
            ("aws_lb_listener", "elbv2", "lb_listener"),
            (
                "aws_lb_cookie_stickiness_policy",
                "elb",
                "lb_cookie_stickiness_policy",
            ),
            ("aws_db_instance", "rds", "db_instance"),
            ("aws_rds_cluster", "rds", "cluster"),
            ("aws_cloudwatch_log_group", "logs", "log_group"),
            ("aws_cloudwatch_event_rule", "events", "event_rule"),
            ("aws_cloudwatch_metric_alarm", "cloudwatch", "metric_alarm"),
            ("aws_api_gateway_rest_api", "apigateway", "rest_api"),
            ("aws_route", "ec2", "route"),
            ("aws_route53_zone", "route53", "zone"),
            ("aws_route53_resolver_rule", "route53resolver", "rule"),
            (
                "aws_service_discovery_service",
                "servicediscovery",
                "service",
            ),
            ("aws_service_principal", "meta", "service_principal"),
            ("aws_caller_identity", "meta", "caller_identity"),
            ("aws_elb", "elb", "elb"),
        ];
        for (tf, service, rest) in cases {
            let (s, r) = service_of(tf);
            assert_eq!((s.as_str(), r.join("_").as_str()), (service, rest), "{tf}");
        }
    }

    #[test]
    fn identifiers_and_camel_case() {
        assert_eq!(ident("type"), "r#type");
        assert_eq!(ident("self"), "self_");
        assert_eq!(ident("gen"), "r#gen");
        assert_eq!(ident("name"), "name");
        assert_eq!(camel("ipv6_cidr_block"), "Ipv6CidrBlock");
        assert_eq!(camel("s3_destination"), "S3Destination");
    }

    #[test]
    fn types_map_to_rust() {
        let t = |s: &str| rust_type(&serde_json::from_str(s).unwrap());
        assert_eq!(t(r#""string""#).unwrap(), "Text");
        assert_eq!(t(r#""number""#).unwrap(), "f64");
        assert_eq!(
            t(r#"["set", ["list", "string"]]"#).unwrap(),
            "Vec<Vec<Text>>"
        );
        assert_eq!(t(r#"["map", "bool"]"#).unwrap(), "BTreeMap<String, bool>");
        assert_eq!(
            t(r#"["list", ["object", {"a": "string"}]]"#).unwrap(),
            "Vec<JsonValue>"
        );
        assert_eq!(t(r#""dynamic""#).unwrap(), "JsonValue");
        assert!(t(r#""strin""#).unwrap_err().contains("unrecognised type"));
    }

    const SCHEMA: &str = r#"{"format_version": "1.0", "provider_schemas": {"p": {
        "provider": {"version": 0, "block": {}},
        "resource_schemas": {
            "aws_thing_widget": {"version": 0, "block": {
                "attributes": {
                    "arn": {"type": "string", "computed": true},
                    "id": {"type": "string", "optional": true, "computed": true},
                    "region": {"type": "string", "optional": true, "computed": true},
                    "name": {"type": "string", "required": true},
                    "type": {"type": "string", "optional": true},
                    "password": {"type": "string", "optional": true, "sensitive": true},
                    "subnet_ids": {"type": ["set", "string"], "required": true},
                    "labels": {"type": ["map", "string"], "required": true}
                },
                "block_types": {
                    "rule": {"nesting_mode": "list", "min_items": 1, "block": {
                        "attributes": {"kind": {"type": "string", "required": true}},
                        "block_types": {"filter": {"nesting_mode": "list", "max_items": 1, "block": {
                            "attributes": {"prefix": {"type": "string", "optional": true}}
                        }}}
                    }},
                    "default_filter": {"nesting_mode": "list", "max_items": 1, "block": {
                        "attributes": {"prefix": {"type": "string", "optional": true}}
                    }}
                }
            }},
            "aws_thing_gadget": {"version": 0, "block": {
                "attributes": {"note": {"type": "string", "optional": true}}
            }}
        },
        "data_source_schemas": {"aws_thing_widget": {"version": 0, "block": {
            "attributes": {"id": {"type": "string", "required": true}, "arn": {"type": "string", "computed": true}}
        }}}
    }}}"#;

    #[test]
    fn a_type_becomes_required_fields_opts_exports_and_shared_blocks() {
        let schema = parse(SCHEMA, "p").unwrap();
        let model = build(&schema, &HandWritten::default(), &Overlay::default()).unwrap();
        let thing = &model.services["thing"];
        let widget = thing
            .types
            .iter()
            .find(|t| t.rust_name == "Widget")
            .unwrap();
        let required: Vec<(&str, &str)> = widget
            .required
            .iter()
            .map(|f| (f.ident.as_str(), f.ty.as_str()))
            .collect();
        assert_eq!(
            required,
            [
                ("labels", "Required<BTreeMap<String, Text>>"),
                ("name", "Text"),
                ("rule", "Vec<widget::Rule>"),
                ("subnet_ids", "OneOrMore<Text>"),
            ]
        );
        let optional: Vec<(&str, &str)> = widget
            .optional
            .iter()
            .map(|f| (f.ident.as_str(), f.ty.as_str()))
            .collect();
        // `id` and the provider-injected `region` are not arguments.
        assert_eq!(
            optional,
            [
                ("default_filter", "Option<widget::DefaultFilter>"),
                ("password", "Option<Sensitive<Text>>"),
                ("r#type", "Option<Text>"),
            ]
        );
        assert!(widget.regional && widget.has_opts());
        let exports: Vec<&str> = widget.exports.iter().map(|e| e.ty.as_str()).collect();
        assert_eq!(exports, ["Arn<Self>", "Id<Self>", "Text"]);
        // `rule.filter` has the structure of `default_filter`: one struct for both.
        let names: Vec<&str> = widget.blocks.iter().map(|b| b.rust_name.as_str()).collect();
        assert_eq!(names, ["DefaultFilter", "Rule"]);
        assert_eq!(widget.blocks[1].fields[1].ty, "Option<DefaultFilter>");
        assert!(widget.blocks[0].default && !widget.blocks[1].default);
        // No `region` argument: a global type under a 6.x schema.
        let gadget = thing
            .types
            .iter()
            .find(|t| t.rust_name == "Gadget")
            .unwrap();
        assert!(!gadget.regional && !gadget.has_opts());
        assert!(
            thing
                .types
                .iter()
                .any(|t| t.rust_name == "DataWidget" && t.kind == Kind::Data)
        );
        assert_eq!(thing.schema_counts.resources, 2);
        assert_eq!(thing.schema_counts.data_sources, 1);
        // widget: name, type, password, subnet_ids, labels, rule, rule.kind, rule.filter,
        // rule.filter.prefix, default_filter, default_filter.prefix; gadget: note; data: id.
        assert_eq!(thing.schema_counts.arguments, 13);
        // Only `subnet_ids` is reference-shaped (`name` is a type's own name).
        assert_eq!(thing.schema_counts.references, 1);
    }

    #[test]
    fn a_global_overlay_entry_has_no_region_parameter_and_a_whole_type_is_not_wrapped() {
        let schema = parse(SCHEMA, "p").unwrap();
        let overlay = Overlay::parse(
            &[(
                "thing.toml".to_owned(),
                "thing".to_owned(),
                "[aws_thing_widget]\nrust = \"Widget\"\nglobal = true\nargs = { labels = { type = \"Labels\", whole = true } }\n".to_owned(),
            )],
            &schema,
        )
        .unwrap();
        let model = build(&schema, &HandWritten::default(), &overlay).unwrap();
        let widget = &model.typed["thing"].types[0];
        assert_eq!(widget.rust_name, "Widget");
        assert!(!widget.regional);
        // Global: the schema's `region` is an argument like any other.
        let field = |name: &str| {
            widget
                .required
                .iter()
                .chain(&widget.optional)
                .find(|f| f.ident == name)
                .map(|f| f.ty.as_str())
        };
        assert_eq!(field("region"), Some("Option<Text>"));
        // Required, and not `Required<BTreeMap<String, Labels>>`.
        assert_eq!(field("labels"), Some("Labels"));
        // The service's counts take the type as global too (its `region` is an argument).
        let regional = build(&schema, &HandWritten::default(), &Overlay::default()).unwrap();
        assert_eq!(
            model.services["thing"].schema_counts.arguments,
            regional.services["thing"].schema_counts.arguments + 1
        );
    }

    #[test]
    fn a_global_type_with_its_own_parameters_derives_only_block() {
        let schema = parse(SCHEMA, "p").unwrap();
        let overlay = |text: &str| {
            Overlay::parse(
                &[("thing.toml".to_owned(), "thing".to_owned(), text.to_owned())],
                &schema,
            )
            .unwrap()
        };
        let typed = overlay(
            "[aws_thing_gadget]\nrust = \"Gadget\"\ngenerics = \"T: Tag = Untagged\"\nargs = { note = { type = \"Note<T>\", required = true } }\n",
        );
        let model = build(&schema, &HandWritten::default(), &typed).unwrap();
        let origin = crate::emit::Origin {
            schema: "s.json".to_owned(),
            enriched_from: None,
            provider: "p".to_owned(),
        };
        let files = crate::emit::files(&model, &origin);
        let (_, text) = files
            .iter()
            .find(|(p, _)| p.ends_with("overlay/thing.rs"))
            .unwrap();
        assert!(
            text.contains("#[derive(Block, Debug, Clone)]\npub struct Gadget<T: Tag = Untagged> {"),
            "{text}"
        );
        assert!(text.contains("pub note: Note<T>,"), "{text}");
        // The module implements `Resource`: no derive attributes for it.
        assert!(!text.contains("type = \"aws_thing_gadget\""), "{text}");
        // A regional type's only parameter is its region.
        let regional = overlay("[aws_thing_widget]\nrust = \"Widget\"\ngenerics = \"T: Tag\"\n");
        let err = build(&schema, &HandWritten::default(), &regional).unwrap_err();
        assert!(err.0.contains("`generics` is for global types"), "{err}");
    }

    #[test]
    fn hand_written_types_are_left_out_and_claim_their_names() {
        let schema = parse(SCHEMA, "p").unwrap();
        let hand = HandWritten::parse("thing Widget<R> aws_thing_widget\n", &schema).unwrap();
        let model = build(&schema, &hand, &Overlay::default()).unwrap();
        let thing = &model.services["thing"];
        assert!(
            !thing
                .types
                .iter()
                .any(|t| t.tf_name == "aws_thing_widget" && t.kind == Kind::Resource)
        );
        assert_eq!(thing.handwritten.len(), 1);
        assert_eq!(thing.generated_counts.resources, 1);

        // A hand-written item of the service's module with a generated type's name: the
        // generated one is renamed, so the glob re-export does not hide it.
        let mut hand = HandWritten::parse("thing Widget<R> aws_thing_widget\n", &schema).unwrap();
        hand.add_module_source("thing", "pub struct Gadget {}\n");
        let model = build(&schema, &hand, &Overlay::default()).unwrap();
        let names: Vec<&str> = model.services["thing"]
            .types
            .iter()
            .map(|t| t.rust_name.as_str())
            .collect();
        assert_eq!(names, ["GadgetResource", "DataWidget"]);

        let clash = HandWritten::parse("thing Gadget aws_thing_widget\n", &schema).unwrap();
        let err = build(&schema, &clash, &Overlay::default()).unwrap_err();
        assert!(
            err.0
                .contains("`Gadget` would name both a hand-written type and `aws_thing_gadget`"),
            "{err}"
        );
    }
}
