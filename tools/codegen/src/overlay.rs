//! The typed overlay (`infra-core/overlay/types/<module>.toml`): the typing decisions the
//! generator merges into the types it emits, checked against the schema.
//!
//! One file per module of `infra_core::aws` (`sns.toml` for `aws::sns`). A table per Terraform
//! type (`[aws_sns_topic]`, `["data.aws_region"]`) declares:
//!
//! ```toml
//! use = ["crate::aws::kms"]            # what the types below name, beyond the module's items
//!
//! [aws_sns_topic]
//! rust = "Topic"                       # the Rust name (required)
//! doc = "A topic. (markdown, examples)" # added to the schema's description
//! opts = false                         # optional arguments inline, not in `TopicOpts` (default true)
//! global = true                        # no region parameter `R` though the schema has a `region`
//!                                      # argument (`data.aws_region`: any provider reads its own
//!                                      # region); `region` is then an ordinary argument
//! generics = "T: Trust = AnyTrust"     # a global type's own parameters (`iam::Role<T>`, typed by
//!                                      # its trust): only `Block` is derived, and the module
//!                                      # implements `Resource` and the attributes by hand
//! exports = { name = "Name<Self>" }    # the kinds of exported attributes (default `Text`,
//!                                      # `arn` → `Arn<Self>`, `id` → `Id<Self>`); an argument
//!                                      # listed here is exported too
//! args = { kms_master_key_id = "Id<kms::Key<R>>", delivery_policy = { type = "PolicyDocument", doc = "…", rename = "…" },
//!          domain_name = { required = true },   # an optional argument the Rust type requires
//!          response_parameters = { option = true } }  # an optional map or list kept as `Option<…>`
//! flatten = { value = { type = "ParameterValue<R>", args = ["type", "value", "key_id"], doc = "…" } }
//!                                      # arguments set together by a hand-written block with safe constructors
//! blocks = { retry_policy = "Option<RetryPolicy>",              # a hand-written block, its field type whole
//!            rule = { rename = "LifecycleRule", args = { … }, blocks = { … } } }  # the generated one, adjusted
//! ```
//!
//! An argument's type replaces the schema's scalar (`Text`, `f64`, `bool`) or object type: the
//! generator still wraps it in `Option`, `Vec`, `Sensitive`… as the schema says. With
//! `whole = true` it replaces the whole type, collection included
//! (`dimensions = { type = "Dimensions<R>", whole = true }` for a `map(string)`), and is only
//! wrapped in `Option` when the argument is optional. A reused block's
//! type is the field type whole, so that its shape can be checked: `X` (one, required),
//! `Option<X>` (at most one), `Vec<X>` (a list or set).
//!
//! Every entry is checked against the schema: a type, argument, attribute or block the schema
//! does not have, or a block of the wrong shape, is an error naming the file and line and the
//! nearest schema names. All errors are collected.

use std::collections::BTreeMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::handwritten::nearest_hint;
use crate::model::Kind;
use crate::schema::{Block, BlockType, ProviderSchema};

/// Every overlay file, parsed and checked.
#[derive(Debug, Default)]
pub struct Overlay {
    /// `(kind, terraform type)` → its entry.
    pub types: BTreeMap<(Kind, String), TypeEntry>,
    /// Module → the `use` paths of its file.
    pub uses: BTreeMap<String, Vec<String>>,
}

/// The decisions for one Terraform type.
#[derive(Debug, Clone, Default)]
pub struct TypeEntry {
    /// The module of `infra_core::aws` (the file's stem).
    pub module: String,
    /// The Rust name, without generics.
    pub rust: String,
    /// Extra doc text (markdown, verbatim).
    pub doc: Option<String>,
    /// Whether optional arguments go into `…Opts` (when there are required ones).
    pub opts: bool,
    /// Typed without a region parameter though the schema gives the type a `region` argument
    /// (a data source answering for its own provider's region, readable from any provider).
    pub global: bool,
    /// The type parameters of a global type that is typed by something other than a region
    /// (`T: Trust = AnyTrust`, a role typed by who may assume it). The generator then derives
    /// only `Block`: the module implements `Resource` and the attributes by hand, as the derive
    /// reads a type parameter as the region.
    pub generics: Option<String>,
    /// Attribute → accessor type.
    pub exports: BTreeMap<String, String>,
    /// The arguments and blocks of the type's top level.
    pub body: BlockDecisions,
    /// Hand-written blocks flattened into the type, each setting several arguments.
    pub flatten: Vec<Flatten>,
}

/// A hand-written `#[resource(flatten)]` field that sets several top-level arguments at once
/// (an SSM parameter's type, value and key, made only by safe constructors).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flatten {
    /// The field's name.
    pub field: String,
    /// Its type.
    pub ty: String,
    /// The arguments it sets (the generator leaves them out of the struct).
    pub args: Vec<String>,
    /// Doc text.
    pub doc: Option<String>,
}

/// The decisions for one block (the type's top level or a nested block).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BlockDecisions {
    /// Argument → decision.
    pub args: BTreeMap<String, ArgDecision>,
    /// Block → decision.
    pub blocks: BTreeMap<String, BlockDecision>,
}

/// An argument's type, doc and Rust name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArgDecision {
    /// The type replacing the schema's scalar type.
    pub ty: Option<String>,
    /// Extra doc text.
    pub doc: Option<String>,
    /// The Rust field name (`unit` for `type`).
    pub rename: Option<String>,
    /// The Rust type requires the argument though the schema does not.
    pub required: bool,
    /// An optional map or list stays `Option<…>` (the hand-written API set it with `Some(…)`).
    pub option: bool,
    /// `ty` stands for the whole argument, collection included (a `map(string)` of metric
    /// dimensions typed as `Dimensions<R>`), not for its scalar.
    pub whole: bool,
}

/// A block: a hand-written struct, or the generated one adjusted.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockDecision {
    /// The whole field type (`Option<RetryPolicy>`), naming a hand-written struct.
    Reuse {
        /// The field type.
        ty: String,
        /// The Rust type requires it though the schema does not (a table's key attributes).
        required: bool,
    },
    /// The generated struct, with another name and decisions of its own.
    Generated {
        /// The struct's name instead of the generated one.
        rename: Option<String>,
        /// Its arguments and blocks.
        body: BlockDecisions,
    },
}

/// Where an entry is, for messages.
struct At<'a> {
    file: &'a str,
    text: &'a str,
}

impl At<'_> {
    fn line(&self, span: std::ops::Range<usize>) -> String {
        let line = self.text[..span.start.min(self.text.len())]
            .matches('\n')
            .count()
            + 1;
        format!("{}:{line}", self.file)
    }
}

impl Overlay {
    /// Parses and checks the overlay files `(path for messages, module, text)`; every error of
    /// every file is reported at once.
    pub fn parse(
        files: &[(String, String, String)],
        schema: &ProviderSchema,
    ) -> Result<Overlay, String> {
        let mut overlay = Overlay::default();
        let mut errors = Vec::new();
        for (path, module, text) in files {
            let at = At { file: path, text };
            let table = match DeTable::parse(text) {
                Ok(t) => t.into_inner(),
                Err(e) => {
                    let line = e.span().map(|s| at.line(s)).unwrap_or_else(|| path.clone());
                    errors.push(format!("{line}: {}", e.message()));
                    continue;
                }
            };
            let mut uses = Vec::new();
            for (key, value) in table.iter() {
                let name = key.get_ref().as_ref();
                if name == "use" {
                    match strings(value) {
                        Some(list) => uses = list,
                        None => errors.push(format!(
                            "{}: `use` must be a list of paths",
                            at.line(value.span())
                        )),
                    }
                    continue;
                }
                let (kind, tf_name) = match name.strip_prefix("data.") {
                    Some(n) => (Kind::Data, n),
                    None => (Kind::Resource, name),
                };
                let types = match kind {
                    Kind::Resource => &schema.resource_schemas,
                    Kind::Data => &schema.data_source_schemas,
                };
                let Some(ts) = types.get(tf_name) else {
                    let names: Vec<String> = types.keys().map(|n| kind.qualified(n)).collect();
                    errors.push(format!(
                        "{}: the schema has no type `{name}`{}",
                        at.line(key.span()),
                        nearest_hint(name, &names)
                    ));
                    continue;
                };
                let Some(entry) = type_entry(&at, name, module, value, &ts.block, &mut errors)
                else {
                    continue;
                };
                if let Some(first) = overlay.types.get(&(kind, tf_name.to_owned())) {
                    errors.push(format!(
                        "{}: `{name}` is already declared in `{}.toml`",
                        at.line(key.span()),
                        first.module
                    ));
                    continue;
                }
                overlay.types.insert((kind, tf_name.to_owned()), entry);
            }
            overlay.uses.insert(module.clone(), uses);
        }
        // In file and line order, whatever the order of the maps.
        errors.sort_by_key(|e| {
            let mut parts = e.splitn(3, ':');
            let file = parts.next().unwrap_or("").to_owned();
            let line: usize = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
            (file, line)
        });
        if errors.is_empty() {
            Ok(overlay)
        } else {
            Err(errors.join("\n"))
        }
    }

    /// The entry of a type, if the overlay has one.
    pub fn get(&self, kind: Kind, tf_name: &str) -> Option<&TypeEntry> {
        self.types.get(&(kind, tf_name.to_owned()))
    }
}

fn strings(value: &Spanned<DeValue<'_>>) -> Option<Vec<String>> {
    match value.get_ref() {
        DeValue::Array(items) => items
            .iter()
            .map(|i| match i.get_ref() {
                DeValue::String(s) => Some(s.to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

fn string(value: &Spanned<DeValue<'_>>) -> Option<String> {
    match value.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        _ => None,
    }
}

fn table<'a, 'i>(value: &'a Spanned<DeValue<'i>>) -> Option<&'a DeTable<'i>> {
    match value.get_ref() {
        DeValue::Table(t) => Some(t),
        _ => None,
    }
}

fn type_entry(
    at: &At<'_>,
    name: &str,
    module: &str,
    value: &Spanned<DeValue<'_>>,
    block: &Block,
    errors: &mut Vec<String>,
) -> Option<TypeEntry> {
    let Some(t) = table(value) else {
        errors.push(format!(
            "{}: `{name}` must be a table",
            at.line(value.span())
        ));
        return None;
    };
    let mut entry = TypeEntry {
        module: module.to_owned(),
        opts: true,
        ..TypeEntry::default()
    };
    let before = errors.len();
    let mut body = DeTable::default();
    for (key, v) in t.iter() {
        let k = key.get_ref().as_ref();
        let line = at.line(key.span());
        match k {
            "rust" => match string(v) {
                Some(s) => entry.rust = s,
                None => errors.push(format!("{line}: `{name}.rust` must be a string")),
            },
            "doc" => match string(v) {
                Some(s) => entry.doc = Some(s),
                None => errors.push(format!("{line}: `{name}.doc` must be a string")),
            },
            "opts" => match v.get_ref() {
                DeValue::Boolean(b) => entry.opts = *b,
                _ => errors.push(format!("{line}: `{name}.opts` must be `true` or `false`")),
            },
            "generics" => match string(v) {
                Some(s) => entry.generics = Some(s),
                None => errors.push(format!(
                    "{line}: `{name}.generics` must be the type parameters, as a string (`T: Trust = AnyTrust`)"
                )),
            },
            "global" => match v.get_ref() {
                DeValue::Boolean(b) => entry.global = *b,
                _ => errors.push(format!("{line}: `{name}.global` must be `true` or `false`")),
            },
            "exports" => {
                let Some(exports) = table(v) else {
                    errors.push(format!("{line}: `{name}.exports` must be a table"));
                    continue;
                };
                // Any attribute can be referred to (an argument too: a validation's
                // `certificate_arn` is the certificate's once it is issued).
                let exportable: Vec<String> = block.attributes.keys().cloned().collect();
                for (attr, ty) in exports.iter() {
                    let attr_name = attr.get_ref().as_ref();
                    let line = at.line(attr.span());
                    if !exportable.iter().any(|n| n == attr_name) {
                        errors.push(format!(
                            "{line}: `{name}` exports no attribute `{attr_name}`{}",
                            nearest_hint(attr_name, &exportable)
                        ));
                        continue;
                    }
                    match string(ty) {
                        Some(s) => {
                            entry.exports.insert(attr_name.to_owned(), s);
                        }
                        None => errors.push(format!(
                            "{line}: `{name}.exports.{attr_name}` must be a type, as a string"
                        )),
                    }
                }
            }
            "args" | "blocks" => {
                body.insert(key.clone(), v.clone());
            }
            "flatten" => {
                let Some(fields) = table(v) else {
                    errors.push(format!("{line}: `{name}.flatten` must be a table"));
                    continue;
                };
                for (field, f) in fields.iter() {
                    let field_name = field.get_ref().as_ref();
                    let line = at.line(field.span());
                    if let Some(f) = flatten(&line, name, field_name, f, block, errors) {
                        entry.flatten.push(f);
                    }
                }
            }
            _ => errors.push(format!(
                "{line}: `{name}` has no setting `{k}`{}",
                nearest_hint(
                    k,
                    &keys(&[
                        "rust", "doc", "opts", "global", "exports", "args", "blocks", "flatten"
                    ])
                )
            )),
        }
    }
    if entry.rust.is_empty() && errors.len() == before {
        errors.push(format!(
            "{}: `{name}` needs `rust = \"<RustName>\"`",
            at.line(value.span())
        ));
    }
    entry.body = block_decisions(at, name, &body, block, errors);
    (errors.len() == before).then_some(entry)
}

fn flatten(
    line: &str,
    name: &str,
    field: &str,
    f: &Spanned<DeValue<'_>>,
    block: &Block,
    errors: &mut Vec<String>,
) -> Option<Flatten> {
    let Some(t) = table(f) else {
        errors.push(format!(
            "{line}: `{name}.flatten.{field}` must be a table of `type`, `args`, `doc`"
        ));
        return None;
    };
    let mut out = Flatten {
        field: field.to_owned(),
        ..Flatten::default()
    };
    for (key, v) in t.iter() {
        match (key.get_ref().as_ref(), string(v), strings(v)) {
            ("type", Some(s), _) => out.ty = s,
            ("doc", Some(s), _) => out.doc = Some(s),
            ("args", _, Some(list)) => out.args = list,
            (k, _, _) => errors.push(format!(
                "{line}: `{name}.flatten.{field}.{k}`: expected `type` (a string), `args` (a list), `doc` (a string)"
            )),
        }
    }
    let settable = settable_names(block);
    let before = errors.len();
    for arg in &out.args {
        if !settable.contains(arg) {
            errors.push(format!(
                "{line}: `{name}.flatten.{field}` sets `{arg}`, which `{name}` has no argument of{}",
                nearest_hint(arg, &settable)
            ));
        }
    }
    if out.ty.is_empty() || out.args.is_empty() {
        errors.push(format!(
            "{line}: `{name}.flatten.{field}` needs a `type` and the `args` it sets"
        ));
    }
    (errors.len() == before).then_some(out)
}

/// The arguments of `block` a user may set.
fn settable_names(block: &Block) -> Vec<String> {
    block
        .attributes
        .iter()
        .filter(|(_, a)| a.settable())
        .map(|(n, _)| n.clone())
        .collect()
}

/// The hint of a name an entry declares in the wrong place, or not at all: where to declare it
/// when it is one of `elsewhere` (the `section` that takes those), else the nearest of `own`.
fn misplaced_or_nearest(name: &str, elsewhere: &[String], section: &str, own: &[String]) -> String {
    if elsewhere.iter().any(|n| n == name) {
        let kind = if section == "blocks" {
            "a block"
        } else {
            "an argument"
        };
        format!("; it is {kind}: declare it under `{section}`")
    } else {
        nearest_hint(name, own)
    }
}

fn keys(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// The `args` and `blocks` of a type or block table, checked against `block`.
fn block_decisions(
    at: &At<'_>,
    path: &str,
    t: &DeTable<'_>,
    block: &Block,
    errors: &mut Vec<String>,
) -> BlockDecisions {
    let mut out = BlockDecisions::default();
    let settable = settable_names(block);
    let block_names: Vec<String> = block.block_types.keys().cloned().collect();
    for (key, v) in t.iter() {
        let k = key.get_ref().as_ref();
        let line = at.line(key.span());
        let Some(items) = table(v) else {
            errors.push(format!("{line}: `{path}.{k}` must be a table"));
            continue;
        };
        match k {
            "args" => {
                for (arg, d) in items.iter() {
                    let arg_name = arg.get_ref().as_ref();
                    let line = at.line(arg.span());
                    if !settable.iter().any(|n| n == arg_name) {
                        let what =
                            misplaced_or_nearest(arg_name, &block_names, "blocks", &settable);
                        errors.push(format!(
                            "{line}: `{path}` has no argument `{arg_name}`{what}"
                        ));
                        continue;
                    }
                    if let Some(decision) = arg_decision(&line, path, arg_name, d, errors) {
                        let a = &block.attributes[arg_name];
                        let collection = a.ty.is_array();
                        if decision.option && (a.required || decision.required || !collection) {
                            errors.push(format!(
                                "{line}: `{path}.{arg_name}.option` keeps an optional map or list as `Option<…>`; `{arg_name}` is {}",
                                if collection { "required" } else { "not a map or list" }
                            ));
                            continue;
                        }
                        out.args.insert(arg_name.to_owned(), decision);
                    }
                }
            }
            "blocks" => {
                for (name, d) in items.iter() {
                    let block_name = name.get_ref().as_ref();
                    let line = at.line(name.span());
                    let Some(bt) = block.block_types.get(block_name) else {
                        let what =
                            misplaced_or_nearest(block_name, &settable, "args", &block_names);
                        errors.push(format!(
                            "{line}: `{path}` has no block `{block_name}`{what}"
                        ));
                        continue;
                    };
                    let inner = format!("{path}.{block_name}");
                    if let Some(decision) = block_decision(at, &line, &inner, d, bt, errors) {
                        out.blocks.insert(block_name.to_owned(), decision);
                    }
                }
            }
            _ => unreachable!("only `args` and `blocks` are passed on"),
        }
    }
    out
}

fn arg_decision(
    line: &str,
    path: &str,
    arg: &str,
    d: &Spanned<DeValue<'_>>,
    errors: &mut Vec<String>,
) -> Option<ArgDecision> {
    if let Some(ty) = string(d) {
        return Some(ArgDecision {
            ty: Some(ty),
            ..ArgDecision::default()
        });
    }
    let Some(t) = table(d) else {
        errors.push(format!(
            "{line}: `{path}.{arg}` must be a type (a string) or a table of `type`, `doc`, `rename`"
        ));
        return None;
    };
    let mut out = ArgDecision::default();
    for (key, v) in t.iter() {
        let k = key.get_ref().as_ref();
        if let Some(flag) = match k {
            "required" => Some(&mut out.required),
            "option" => Some(&mut out.option),
            "whole" => Some(&mut out.whole),
            _ => None,
        } {
            match v.get_ref() {
                DeValue::Boolean(b) => *flag = *b,
                _ => errors.push(format!(
                    "{line}: `{path}.{arg}.{k}` must be `true` or `false`"
                )),
            }
            continue;
        }
        let slot = match k {
            "type" => &mut out.ty,
            "doc" => &mut out.doc,
            "rename" => &mut out.rename,
            _ => {
                errors.push(format!(
                    "{line}: `{path}.{arg}` has no setting `{k}`{}",
                    nearest_hint(
                        k,
                        &keys(&["type", "doc", "rename", "required", "option", "whole"])
                    )
                ));
                continue;
            }
        };
        match string(v) {
            Some(s) => *slot = Some(s),
            None => errors.push(format!("{line}: `{path}.{arg}.{k}` must be a string")),
        }
    }
    if out.whole && out.ty.is_none() {
        errors.push(format!(
            "{line}: `{path}.{arg}.whole` needs the `type` that stands for the whole argument"
        ));
    }
    Some(out)
}

fn block_decision(
    at: &At<'_>,
    line: &str,
    path: &str,
    d: &Spanned<DeValue<'_>>,
    bt: &BlockType,
    errors: &mut Vec<String>,
) -> Option<BlockDecision> {
    let reuse =
        |ty: String, required: bool, errors: &mut Vec<String>| match check_shape(&ty, bt, required)
        {
            Ok(()) => Some(BlockDecision::Reuse { ty, required }),
            Err(why) => {
                errors.push(format!("{line}: `{path} = \"{ty}\"`: {why}"));
                None
            }
        };
    if let Some(ty) = string(d) {
        return reuse(ty, false, errors);
    }
    // `{ type = "Vec<Attribute>", required = true }`: a hand-written block the Rust type requires.
    if let Some(t) = table(d)
        && let Some(ty) = t.get("type").and_then(string)
    {
        let required = match t.get("required").map(|v| v.get_ref()) {
            None => false,
            Some(DeValue::Boolean(b)) => *b,
            Some(_) => {
                errors.push(format!(
                    "{line}: `{path}.required` must be `true` or `false`"
                ));
                false
            }
        };
        if let Some(k) = t
            .iter()
            .map(|(k, _)| k.get_ref().as_ref())
            .find(|k| !matches!(*k, "type" | "required"))
        {
            errors.push(format!(
                "{line}: `{path}` has no setting `{k}` beside `type` (a hand-written block takes `type` and `required`)"
            ));
        }
        return reuse(ty, required, errors);
    }
    let Some(t) = table(d) else {
        errors.push(format!(
            "{line}: `{path}` must be a field type (a string) or a table of `rename`, `args`, `blocks`"
        ));
        return None;
    };
    let mut rename = None;
    let mut body = DeTable::default();
    for (key, v) in t.iter() {
        match key.get_ref().as_ref() {
            "rename" => match string(v) {
                Some(s) => rename = Some(s),
                None => errors.push(format!("{line}: `{path}.rename` must be a string")),
            },
            "args" | "blocks" => {
                body.insert(key.clone(), v.clone());
            }
            k => errors.push(format!(
                "{}: `{path}` has no setting `{k}`{}",
                at.line(key.span()),
                nearest_hint(k, &keys(&["rename", "args", "blocks"]))
            )),
        }
    }
    let body = block_decisions(at, path, &body, &bt.block, errors);
    Some(BlockDecision::Generated { rename, body })
}

/// A reused block's field type against the schema's nesting: `X` for one required block,
/// `Option<X>` for at most one, `Vec<X>` for a list or set.
fn check_shape(ty: &str, bt: &BlockType, required: bool) -> Result<(), String> {
    let (written, want) = match (ty.strip_prefix("Vec<"), ty.strip_prefix("Option<")) {
        (Some(_), _) => ("a list of blocks", !bt.single()),
        (_, Some(_)) => (
            "at most one block",
            bt.single() && bt.min_items == 0 && !required,
        ),
        _ => (
            "exactly one block",
            bt.single() && (bt.min_items > 0 || required),
        ),
    };
    if want {
        return Ok(());
    }
    let (schema, fix) = match (bt.single(), bt.min_items > 0) {
        (true, true) => ("exactly one block", "X"),
        (true, false) => ("at most one block", "Option<X>"),
        (false, _) => ("a list of blocks", "Vec<X>"),
    };
    Err(format!(
        "wrong block shape: the type says {written}, the schema has {schema} ({} nesting, min {}, max {}); write `{fix}`",
        bt.nesting_mode, bt.min_items, bt.max_items
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::parse;

    const SCHEMA: &str = r#"{"format_version": "1.0", "provider_schemas": {"p": {
        "provider": {"version": 0, "block": {}},
        "resource_schemas": {
            "aws_thing_widget": {"version": 0, "block": {
                "attributes": {
                    "arn": {"type": "string", "computed": true},
                    "name": {"type": "string", "optional": true, "computed": true},
                    "kms_key_id": {"type": "string", "optional": true},
                    "retention_seconds": {"type": "number", "optional": true},
                    "tag_overrides_by_region": {"type": ["map", "string"], "optional": true}
                },
                "block_types": {
                    "retry": {"nesting_mode": "list", "max_items": 1, "block": {
                        "attributes": {"attempts": {"type": "number", "optional": true}}
                    }},
                    "rule": {"nesting_mode": "set", "block": {
                        "attributes": {"kind": {"type": "string", "required": true}}
                    }}
                }
            }}
        },
        "data_source_schemas": {"aws_thing_widget": {"version": 0, "block": {
            "attributes": {"arn": {"type": "string", "computed": true}}
        }}}
    }}}"#;

    fn parse_one(text: &str) -> Result<Overlay, String> {
        let schema = parse(SCHEMA, "p").unwrap();
        Overlay::parse(
            &[(
                "overlay/types/thing.toml".to_owned(),
                "thing".to_owned(),
                text.to_owned(),
            )],
            &schema,
        )
    }

    #[test]
    fn a_passing_entry_keeps_its_decisions() {
        let overlay = parse_one(
            r#"use = ["crate::aws::kms"]

[aws_thing_widget]
rust = "Widget"
opts = false
exports = { name = "Name<Self>" }
args = { kms_key_id = "Id<kms::Key<R>>", retention_seconds = { type = "u32", doc = "Seconds." } }
blocks = { retry = "Option<Retry>", rule = { rename = "WidgetRule", args = { kind = "RuleKind" } } }

["data.aws_thing_widget"]
rust = "DataWidget"
"#,
        )
        .unwrap();
        let w = overlay.get(Kind::Resource, "aws_thing_widget").unwrap();
        assert_eq!(
            (w.rust.as_str(), w.opts, w.module.as_str()),
            ("Widget", false, "thing")
        );
        assert_eq!(w.exports["name"], "Name<Self>");
        assert_eq!(
            w.body.args["kms_key_id"].ty.as_deref(),
            Some("Id<kms::Key<R>>")
        );
        assert_eq!(
            w.body.args["retention_seconds"].doc.as_deref(),
            Some("Seconds.")
        );
        assert_eq!(
            w.body.blocks["retry"],
            BlockDecision::Reuse {
                ty: "Option<Retry>".into(),
                required: false
            }
        );
        let BlockDecision::Generated { rename, body } = &w.body.blocks["rule"] else {
            panic!("a generated block");
        };
        assert_eq!(rename.as_deref(), Some("WidgetRule"));
        assert_eq!(body.args["kind"].ty.as_deref(), Some("RuleKind"));
        assert_eq!(
            overlay.get(Kind::Data, "aws_thing_widget").unwrap().rust,
            "DataWidget"
        );
        assert_eq!(overlay.uses["thing"], ["crate::aws::kms"]);
    }

    #[test]
    fn flattened_arguments_and_required_ones_are_checked() {
        let overlay = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\nargs = { name = { required = true } }\nflatten = { key = { type = \"KeyChoice<R>\", args = [\"kms_key_id\", \"name\"] } }\n",
        )
        .unwrap();
        let w = overlay.get(Kind::Resource, "aws_thing_widget").unwrap();
        assert!(w.body.args["name"].required);
        assert_eq!(w.flatten[0].args, ["kms_key_id", "name"]);
        // A hand-written block the Rust type requires: `X` for a single block is then right.
        let overlay = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\nblocks = { rule = { type = \"Vec<Rule>\", required = true }, retry = { type = \"Retry\", required = true } }\n",
        )
        .unwrap();
        let w = overlay.get(Kind::Resource, "aws_thing_widget").unwrap();
        assert_eq!(
            w.body.blocks["rule"],
            BlockDecision::Reuse {
                ty: "Vec<Rule>".into(),
                required: true
            }
        );
        let err = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\nblocks = { retry = { type = \"Retry\" } }\n",
        )
        .unwrap_err();
        assert!(err.contains("wrong block shape: the type says exactly one block, the schema has at most one block"), "{err}");
        let err = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\nflatten = { key = { type = \"K\", args = [\"kms_key\"] } }\n",
        )
        .unwrap_err();
        assert!(
            err.contains("thing.toml:3: `aws_thing_widget.flatten.key` sets `kms_key`, which `aws_thing_widget` has no argument of; nearest: `kms_key_id`"),
            "{err}"
        );
    }

    #[test]
    fn a_type_cannot_leave_an_argument_out() {
        // Every type has every argument of the schema: there is no `omit`.
        let err =
            parse_one("[aws_thing_widget]\nrust = \"Widget\"\nomit = [\"rule\"]\n").unwrap_err();
        assert!(
            err.contains("`aws_thing_widget` has no setting `omit`"),
            "{err}"
        );
    }

    #[test]
    fn option_keeps_an_optional_collection_optional_and_nothing_else() {
        let overlay = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\nargs = { tag_overrides_by_region = { option = true } }\n",
        )
        .unwrap();
        let w = overlay.get(Kind::Resource, "aws_thing_widget").unwrap();
        assert!(w.body.args["tag_overrides_by_region"].option);
        let err = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\nargs = { name = { option = true } }\n",
        )
        .unwrap_err();
        assert_eq!(
            err,
            "overlay/types/thing.toml:3: `aws_thing_widget.name.option` keeps an optional map or list as `Option<…>`; `name` is not a map or list"
        );
    }

    #[test]
    fn a_whole_type_and_the_global_switch_are_kept_and_checked() {
        let overlay = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\nglobal = true\nargs = { name = { type = \"Dimensions<R>\", whole = true } }\n",
        )
        .unwrap();
        let w = overlay.get(Kind::Resource, "aws_thing_widget").unwrap();
        assert!(w.global);
        let g = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\ngenerics = \"T: Trust = AnyTrust\"\n",
        )
        .unwrap();
        assert_eq!(
            g.get(Kind::Resource, "aws_thing_widget")
                .unwrap()
                .generics
                .as_deref(),
            Some("T: Trust = AnyTrust")
        );
        assert!(w.body.args["name"].whole);
        assert!(
            !parse_one("[aws_thing_widget]\nrust = \"Widget\"\n")
                .unwrap()
                .types[&(Kind::Resource, "aws_thing_widget".to_owned())]
                .global
        );
        let err = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\nglobal = \"yes\"\nargs = { name = { whole = true } }\n",
        )
        .unwrap_err();
        assert!(
            err.contains("thing.toml:3: `aws_thing_widget.global` must be `true` or `false`"),
            "{err}"
        );
        assert!(
            err.contains("thing.toml:4: `aws_thing_widget.name.whole` needs the `type` that stands for the whole argument"),
            "{err}"
        );
        let err = parse_one("[aws_thing_widget]\nrust = \"Widget\"\nglobl = true\n").unwrap_err();
        assert!(err.contains("nearest: `global`"), "{err}");
    }

    #[test]
    fn an_unknown_argument_names_the_file_line_and_nearest_arguments() {
        let err = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\nargs = { kms_key = \"Id<Key<R>>\" }\n",
        )
        .unwrap_err();
        assert_eq!(
            err,
            "overlay/types/thing.toml:3: `aws_thing_widget` has no argument `kms_key`; nearest: `kms_key_id`, `name`, `retention_seconds`"
        );
    }

    #[test]
    fn an_unknown_attribute_names_the_nearest_exported_ones() {
        let err = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\nexports = { nmae = \"Name<Self>\" }\n",
        )
        .unwrap_err();
        assert!(
            err.starts_with("overlay/types/thing.toml:3: `aws_thing_widget` exports no attribute `nmae`; nearest: `name`"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_block_or_type_is_an_error_and_all_errors_are_collected() {
        let err = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\n[aws_thing_widget.blocks]\nretries = \"Option<Retry>\"\nkms_key_id = \"Option<X>\"\n\n[aws_thing_widgit]\nrust = \"X\"\n",
        )
        .unwrap_err();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(
            lines,
            [
                "overlay/types/thing.toml:4: `aws_thing_widget` has no block `retries`; nearest: `retry`, `rule`",
                "overlay/types/thing.toml:5: `aws_thing_widget` has no block `kms_key_id`; it is an argument: declare it under `args`",
                "overlay/types/thing.toml:7: the schema has no type `aws_thing_widgit`; nearest: `aws_thing_widget`",
            ]
        );
    }

    #[test]
    fn a_block_of_the_wrong_shape_is_an_error() {
        let err = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\nblocks = { retry = \"Vec<Retry>\", rule = \"Option<Rule>\" }\n",
        )
        .unwrap_err();
        assert!(
            err.contains("thing.toml:3: `aws_thing_widget.retry = \"Vec<Retry>\"`: wrong block shape: the type says a list of blocks, the schema has at most one block (list nesting, min 0, max 1); write `Option<X>`"),
            "{err}"
        );
        assert!(
            err.contains("`aws_thing_widget.rule = \"Option<Rule>\"`: wrong block shape: the type says at most one block, the schema has a list of blocks (set nesting, min 0, max 0); write `Vec<X>`"),
            "{err}"
        );
    }

    #[test]
    fn a_nested_unknown_argument_and_bad_settings_are_errors() {
        let err = parse_one(
            "[aws_thing_widget]\nrust = \"Widget\"\nopt = false\nblocks = { rule = { args = { knd = \"K\" } } }\n",
        )
        .unwrap_err();
        assert!(
            err.contains("thing.toml:3: `aws_thing_widget` has no setting `opt`; nearest: `opts`"),
            "{err}"
        );
        assert!(
            err.contains(
                "thing.toml:4: `aws_thing_widget.rule` has no argument `knd`; nearest: `kind`"
            ),
            "{err}"
        );
        let err = parse_one("[aws_thing_widget]\nopts = false\n").unwrap_err();
        assert!(
            err.contains("thing.toml:1: `aws_thing_widget` needs `rust = \"<RustName>\"`"),
            "{err}"
        );
        let err = parse_one("[aws_thing_widget\n").unwrap_err();
        assert!(err.starts_with("overlay/types/thing.toml:1: "), "{err}");
    }
}
