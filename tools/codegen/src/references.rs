//! Typed references in the generated layer: rules (`infra-core/overlay/references.toml`) that
//! turn a reference-shaped `Text` argument into the kind it refers to (`vpc_id` →
//! `Id<ec2::Vpc<R>>`, `subnet_ids` → `Vec<Id<ec2::Subnet<R>>>`, `role_arn` → `Arn<iam::Role>`).
//!
//! A rule names argument names, the services whose managed resources it applies to, the
//! Terraform type referred to and how (`arn`, `id`, `name`, `url`). Regions follow the issue's
//! contract: a regional resource's reference to a regional kind takes the same `R`; a reference
//! to a global kind (IAM, Route 53) has none; a global resource's reference to a regional kind
//! is typed only where the rule fixes the region (`region = "UsEast1"`: CloudFront's
//! certificate), and otherwise stays `Text` (the coverage report counts it). Data sources are
//! left alone: their reference-shaped arguments are look-up keys of things outside the stack.
//!
//! Every rule is checked against the schema: an unknown service, target type, target attribute
//! or argument name, an exception the schema lacks, and a rule that types nothing are errors
//! naming the nearest names. [`apply`] is the one call the generator makes, after the model is
//! built (so that targets resolve to their final Rust names).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::handwritten::{HandWritten, nearest_hint};
use crate::model::{Export, Field, Kind, Model, TypeDef, ident, reference_shaped};
use crate::schema::ProviderSchema;

/// The parsed rules file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// The rules, applied in order; an argument may match one rule only.
    #[serde(default)]
    pub rule: Vec<Rule>,
    /// The service principal types a `trust` may name (`infra_core::policy::service`), read
    /// from the crate by the generator; empty: not checked.
    #[serde(skip)]
    pub trusts: BTreeSet<String>,
}

/// The role target a `trust` applies to.
const ROLE: &str = "aws_iam_role";

/// The service principal types of `service.rs` (`policy::service`): each `Name = "…",` line of
/// its `services!` list.
pub fn service_types(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter_map(|line| {
            let (name, rest) = line.trim().split_once(" = \"")?;
            let valid = name.chars().next()?.is_ascii_uppercase()
                && name.chars().all(|c| c.is_ascii_alphanumeric());
            (valid && rest.ends_with("\",")).then(|| name.to_owned())
        })
        .collect()
}

/// How a reference is written: which typed wrapper, from which exported attribute.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Wrapper {
    /// `Arn<K>`.
    Arn,
    /// `Id<K>`.
    Id,
    /// `Name<K>`.
    Name,
    /// `Url<K>`.
    Url,
}

impl Wrapper {
    fn rust(self) -> &'static str {
        match self {
            Wrapper::Arn => "crate::Arn",
            Wrapper::Id => "crate::Id",
            Wrapper::Name => "crate::Name",
            Wrapper::Url => "crate::Url",
        }
    }

    /// The exported attribute that gives it, unless the rule says otherwise.
    fn default_attribute(self) -> &'static str {
        match self {
            Wrapper::Arn => "arn",
            Wrapper::Id => "id",
            Wrapper::Name => "name",
            Wrapper::Url => "url",
        }
    }

    /// The export type the target must have for the attribute (`crate::Name<Self>`; the
    /// generated modules import `Arn` and `Id`, and a block may be called `Name`).
    fn export_type(self) -> &'static str {
        match self {
            Wrapper::Arn => "Arn<Self>",
            Wrapper::Id => "Id<Self>",
            Wrapper::Name => "crate::Name<Self>",
            Wrapper::Url => "crate::Url<Self>",
        }
    }
}

/// One rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Argument names it types, at any depth of a type's blocks (`vpc_id`), or block paths
    /// naming one argument inside a block (`load_balancer.target_group_arn`: the
    /// `target_group_arn` of every block whose schema path ends with `load_balancer`).
    pub arguments: Vec<String>,
    /// The services (generator module names) whose managed resources it applies to.
    pub services: Vec<String>,
    /// The Terraform type referred to (`aws_vpc`).
    pub target: String,
    /// How the reference is written.
    #[serde(rename = "as")]
    pub wrapper: Wrapper,
    /// The target's exported attribute that gives the reference (default: `arn`, `id`,
    /// `name` or `url`, after the wrapper).
    pub attribute: Option<String>,
    /// A region AWS fixes for the target (`UsEast1`), for references from global types.
    pub region: Option<String>,
    /// `aws_type.argument` pairs the rule leaves as `Text`.
    #[serde(default)]
    pub except: Vec<String>,
    /// For a role (`target = "aws_iam_role"`): the service that must be able to assume it
    /// (`States`: `Arn<iam::Role<service::States>>`, a role made with
    /// `PolicyDocument::trust(service::States)`).
    pub trust: Option<String>,
}

/// What [`apply`] did, for the log and the tests.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Arguments typed, per service.
    pub typed: BTreeMap<String, usize>,
    /// Arguments a rule matched but left `Text` (a global type referring to a regional kind).
    pub left_as_text: usize,
}

/// Parses the rules file.
pub fn parse(text: &str) -> Result<Rules, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}

/// Where a target type lives.
struct Target {
    /// `crate::aws::ec2::Vpc`.
    path: String,
    regional: bool,
    /// The generated service holding it (a feature), or `None` for a hand-written type.
    generated_service: Option<String>,
    /// The kinds an overlay-typed target's accessors give instead of its own, by attribute:
    /// `aws_iam_policy`'s `arn` is an `Arn<ManagedPolicy>` (AWS's managed policies share the
    /// kind), so a `policy_arn` takes `Arn<crate::aws::iam::ManagedPolicy>`.
    kinds: BTreeMap<String, (Wrapper, String)>,
}

/// The kinds of an overlay-typed type's exports that name another (global, unparameterised)
/// kind of its module: `arn: Arn<ManagedPolicy>`.
fn overlay_kinds(module: &str, t: &TypeDef) -> BTreeMap<String, (Wrapper, String)> {
    let wrappers = [
        ("Arn<", Wrapper::Arn),
        ("Id<", Wrapper::Id),
        ("Name<", Wrapper::Name),
        ("Url<", Wrapper::Url),
    ];
    let mut out = BTreeMap::new();
    for e in &t.exports {
        for (prefix, wrapper) in wrappers {
            if let Some(kind) = e.ty.strip_prefix(prefix).and_then(|k| k.strip_suffix('>'))
                && kind != "Self"
                && kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                out.insert(
                    e.ident.clone(),
                    (wrapper, format!("crate::aws::{module}::{kind}")),
                );
            }
        }
    }
    out
}

/// The regions a rule may fix (those `infra_core` names).
const REGIONS: &[&str] = &["UsEast1", "UsWest2"];

/// Applies `rules` to the generated types of `model`: retypes the matching fields, makes the
/// blocks that now hold a regional reference generic over `R`, types the exports the targets
/// need, records the features a service now needs and counts what was typed. Every error of
/// every rule is reported at once.
pub fn apply(
    model: &mut Model,
    rules: &Rules,
    schema: &ProviderSchema,
    hand: &HandWritten,
) -> Result<Applied, String> {
    let targets = targets(model, hand);
    let mut errors = Vec::new();
    let mut applied = Applied::default();
    // (service, type index, field path) already typed by a rule, to refuse overlaps.
    let mut claimed: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    let mut exports_needed: BTreeSet<(String, String, Wrapper)> = BTreeSet::new();
    for (index, rule) in rules.rule.iter().enumerate() {
        let at = format!(
            "rule {} (`{}` → `{}`)",
            index + 1,
            rule.arguments.join("`, `"),
            rule.target
        );
        let Some(target) = targets.get(&rule.target) else {
            let names: Vec<String> = schema.resource_schemas.keys().cloned().collect();
            errors.push(format!(
                "{at}: the schema has no managed resource `{}`{}",
                rule.target,
                nearest_hint(&rule.target, &names)
            ));
            continue;
        };
        let attribute = rule
            .attribute
            .clone()
            .unwrap_or_else(|| rule.wrapper.default_attribute().to_owned());
        let target_block = &schema.resource_schemas[&rule.target].block;
        // Every type exports `id`, whether or not its schema lists it.
        if attribute != "id" && !target_block.attributes.contains_key(&attribute) {
            let names: Vec<String> = target_block.attributes.keys().cloned().collect();
            errors.push(format!(
                "{at}: `{}` exports no attribute `{attribute}`{}",
                rule.target,
                nearest_hint(&attribute, &names)
            ));
            continue;
        }
        if let Some(region) = &rule.region
            && !REGIONS.contains(&region.as_str())
        {
            let names: Vec<String> = REGIONS.iter().map(|r| (*r).to_owned()).collect();
            errors.push(format!(
                "{at}: unknown region `{region}`{}",
                nearest_hint(region, &names)
            ));
            continue;
        }
        if let Some(trust) = &rule.trust {
            if rule.target != ROLE {
                errors.push(format!(
                    "{at}: `trust` types a role; the target is `{}`, not `{ROLE}`",
                    rule.target
                ));
                continue;
            }
            if !rules.trusts.is_empty() && !rules.trusts.contains(trust) {
                let names: Vec<String> = rules.trusts.iter().cloned().collect();
                errors.push(format!(
                    "{at}: `policy::service` has no service `{trust}`{}",
                    nearest_hint(trust, &names)
                ));
                continue;
            }
        }
        let mut bad = false;
        for service in &rule.services {
            if !model.services.contains_key(service) {
                let names: Vec<String> = model.services.keys().cloned().collect();
                errors.push(format!(
                    "{at}: unknown service `{service}`{}",
                    nearest_hint(service, &names)
                ));
                bad = true;
            }
        }
        // Every argument name exists in some managed resource of the rule's services.
        let known = argument_names(schema, model, &rule.services);
        for argument in &rule.arguments {
            if argument.contains('.') {
                if let Err(hint) = known_block_path(schema, model, &rule.services, argument) {
                    errors.push(format!(
                        "{at}: no managed resource of `{}` has a block path ending in `{argument}`{hint}",
                        rule.services.join("`, `"),
                    ));
                    bad = true;
                }
                continue;
            }
            if !known.contains(argument) {
                let names: Vec<String> = known.iter().cloned().collect();
                errors.push(format!(
                    "{at}: no managed resource of `{}` has an argument `{argument}`{}",
                    rule.services.join("`, `"),
                    nearest_hint(argument, &names)
                ));
                bad = true;
            }
        }
        for except in &rule.except {
            let found = except.split_once('.').is_some_and(|(ty, arg)| {
                schema.resource_schemas.get(ty).is_some_and(|t| {
                    if arg.contains('.') {
                        let mut paths = BTreeSet::new();
                        block_argument_paths(&t.block, "", &mut paths);
                        paths.iter().any(|p| ends_with_path(p, arg))
                    } else {
                        has_argument(&t.block, arg)
                    }
                })
            });
            if !found {
                errors.push(format!(
                    "{at}: exception `{except}` names no argument of a managed resource (write `aws_type.argument`)"
                ));
                bad = true;
            }
        }
        if bad {
            continue;
        }
        // The kind the target's accessor gives: its own, or the one its overlay declares.
        let (kind_path, kind_regional) = match target.kinds.get(&attribute) {
            Some((wrapper, path)) if *wrapper == rule.wrapper => (path.clone(), false),
            _ => (target.path.clone(), target.regional),
        };
        let mut matched = 0;
        for service_name in &rule.services {
            let service = model.services.get_mut(service_name).expect("checked above");
            for (ti, def) in service.types.iter_mut().enumerate() {
                if def.kind != Kind::Resource {
                    continue;
                }
                let region = match (kind_regional, &rule.region, def.regional) {
                    (false, _, _) => None,
                    (true, Some(fixed), _) => Some(format!("crate::{fixed}")),
                    (true, None, true) => Some("R".to_owned()),
                    (true, None, false) => {
                        // A global type referring to a regional kind whose region AWS does not
                        // fix: there is no `R` to tie it to.
                        let n = count_matches(def, rule);
                        applied.left_as_text += n;
                        matched += n;
                        continue;
                    }
                };
                let kind = match (&region, &rule.trust) {
                    (Some(r), _) => format!("{kind_path}<{r}>"),
                    (None, Some(t)) => format!("{kind_path}<crate::policy::service::{t}>"),
                    (None, None) => kind_path.clone(),
                };
                let typed = format!("{}<{kind}>", rule.wrapper.rust());
                let tf_name = def.tf_name.clone();
                for (path, field, sites) in fields_mut(def) {
                    match rule_match(rule, &tf_name, &field.tf_name, &sites) {
                        Ok(Some(_)) => {}
                        Ok(None) => continue,
                        Err(why) => {
                            errors.push(format!("{at}: `{tf_name}.{path}`: {why}"));
                            continue;
                        }
                    }
                    let key = (service_name.clone(), ti.to_string(), path.clone());
                    if let Some(first) = claimed.get(&key) {
                        errors.push(format!(
                            "{at}: `{tf_name}.{path}` is typed by rule {first} already"
                        ));
                        continue;
                    }
                    let Some(ty) = retype(&field.ty, &typed) else {
                        continue;
                    };
                    claimed.insert(key, index + 1);
                    field.ty = ty;
                    matched += 1;
                    // Counted at every schema path the (shared) block sits at, as the
                    // schema's reference arguments are.
                    if reference_shaped(&field.tf_name) {
                        service.generated_counts.typed += sites.len();
                    }
                    *applied.typed.entry(service_name.clone()).or_default() += 1;
                    if let Some(feature) = &target.generated_service
                        && feature != service_name
                    {
                        service.requires.insert(feature.clone());
                    }
                }
            }
        }
        if matched == 0 {
            errors.push(format!(
                "{at}: matches no `Text` argument of a managed resource of `{}`",
                rule.services.join("`, `")
            ));
        }
        if target.generated_service.is_some() {
            exports_needed.insert((rule.target.clone(), attribute, rule.wrapper));
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    type_exports(model, &exports_needed)?;
    for service in model.services.values_mut() {
        for def in &mut service.types {
            make_blocks_regional(def);
        }
    }
    // An overlay-typed type's nested block may hold a kind of its region too (`Id<Subnet<R>>`
    // in `aws_vpc_endpoint`'s `subnet_configuration`): the same rule makes its holders generic.
    for module in model.typed.values_mut() {
        for def in &mut module.types {
            make_blocks_regional(def);
        }
    }
    Ok(applied)
}

/// Every managed resource type, generated, overlay-typed or hand-written, by Terraform name.
fn targets(model: &Model, hand: &HandWritten) -> BTreeMap<String, Target> {
    let mut out = BTreeMap::new();
    // The overlay-typed types are compiled without features, like the hand-written ones.
    for (module, typed) in &model.typed {
        for t in typed.types.iter().filter(|t| t.kind == Kind::Resource) {
            out.insert(
                t.tf_name.clone(),
                Target {
                    path: format!("crate::aws::{module}::{}", t.rust_name),
                    regional: t.regional,
                    generated_service: None,
                    kinds: overlay_kinds(module, t),
                },
            );
        }
    }
    for service in model.services.values() {
        for t in service.types.iter().filter(|t| t.kind == Kind::Resource) {
            out.insert(
                t.tf_name.clone(),
                Target {
                    path: format!("crate::aws::{}::{}", service.name, t.rust_name),
                    regional: t.regional,
                    generated_service: Some(service.name.clone()),
                    kinds: BTreeMap::new(),
                },
            );
        }
        for (kind, tf_name, _) in &service.handwritten {
            if let (Kind::Resource, Some(rust)) = (kind, hand.rust_path(*kind, tf_name)) {
                let (path, regional) = match rust.strip_suffix("<R>") {
                    Some(p) => (p.to_owned(), true),
                    None => (rust.clone(), false),
                };
                out.insert(
                    tf_name.clone(),
                    Target {
                        path: format!("crate::aws::{path}"),
                        regional,
                        generated_service: None,
                        kinds: BTreeMap::new(),
                    },
                );
            }
        }
    }
    out
}

/// The settable argument names (any depth) of the managed resources of `services`.
pub(crate) fn argument_names(
    schema: &ProviderSchema,
    model: &Model,
    services: &[String],
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for tf in resource_names(model, services) {
        if let Some(t) = schema.resource_schemas.get(tf) {
            collect_names(&t.block, &mut out);
        }
    }
    out
}

/// The managed resources (hand-written, overlay-typed, generated) of `services`.
pub(crate) fn resource_names<'m>(model: &'m Model, services: &[String]) -> Vec<&'m String> {
    let mut out = Vec::new();
    for service in services.iter().filter_map(|s| model.services.get(s)) {
        let hand = service
            .handwritten
            .iter()
            .chain(&service.typed)
            .filter(|(k, _, _)| *k == Kind::Resource)
            .map(|(_, tf, _)| tf);
        let generated = service
            .types
            .iter()
            .filter(|t| t.kind == Kind::Resource)
            .map(|t| &t.tf_name);
        out.extend(hand.chain(generated));
    }
    out
}

fn collect_names(block: &crate::schema::Block, out: &mut BTreeSet<String>) {
    for (name, a) in &block.attributes {
        if a.settable() {
            out.insert(name.clone());
        }
    }
    for bt in block.block_types.values() {
        collect_names(&bt.block, out);
    }
}

fn has_argument(block: &crate::schema::Block, name: &str) -> bool {
    block.attributes.get(name).is_some_and(|a| a.settable())
        || block
            .block_types
            .values()
            .any(|bt| has_argument(&bt.block, name))
}

/// Every `block.….argument` path below the top of `block` (top-level arguments left out).
pub(crate) fn block_argument_paths(
    block: &crate::schema::Block,
    prefix: &str,
    out: &mut BTreeSet<String>,
) {
    for (name, a) in &block.attributes {
        if a.settable() && !prefix.is_empty() {
            out.insert(format!("{prefix}.{name}"));
        }
    }
    for (name, bt) in &block.block_types {
        let inner = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        block_argument_paths(&bt.block, &inner, out);
    }
}

/// `path` ends with the whole segments of `suffix` (`a.b.c` ends with `b.c`, not with `.c`'s
/// `x.c` nor with `b.c` inside `ab.c`).
pub(crate) fn ends_with_path(path: &str, suffix: &str) -> bool {
    path == suffix || path.ends_with(&format!(".{suffix}"))
}

/// Whether some managed resource of `services` has a block path ending in `spec`; otherwise
/// the nearest ones (as many segments as `spec`).
pub(crate) fn known_block_path(
    schema: &ProviderSchema,
    model: &Model,
    services: &[String],
    spec: &str,
) -> Result<(), String> {
    let mut paths = BTreeSet::new();
    for tf in resource_names(model, services) {
        if let Some(t) = schema.resource_schemas.get(tf) {
            block_argument_paths(&t.block, "", &mut paths);
        }
    }
    if paths.iter().any(|p| ends_with_path(p, spec)) {
        return Ok(());
    }
    let n = spec.split('.').count();
    let tails: BTreeSet<String> = paths
        .iter()
        .filter_map(|p| {
            let parts: Vec<&str> = p.split('.').collect();
            (parts.len() >= n).then(|| parts[parts.len() - n..].join("."))
        })
        .collect();
    Err(nearest_hint(spec, &tails.into_iter().collect::<Vec<_>>()))
}

/// Which of `rule`'s arguments types the field `name` whose block sits at `sites` (`[""]` at
/// the top level): a bare name anywhere, a block path where every site of the (shared) struct
/// ends with it. A block path that matches only some of a shared struct's sites is an error:
/// typing the struct would type the others too.
fn rule_match<'r>(
    rule: &'r Rule,
    tf_name: &str,
    name: &str,
    sites: &[String],
) -> Result<Option<&'r str>, String> {
    for spec in &rule.arguments {
        let matched = match spec.rsplit_once('.') {
            None => spec == name,
            Some((blocks, arg)) => {
                if arg != name {
                    continue;
                }
                let other: Vec<&String> = sites
                    .iter()
                    .filter(|p| !ends_with_path(p, blocks))
                    .collect();
                if other.len() == sites.len() {
                    continue;
                }
                if !other.is_empty() {
                    let shown: Vec<String> =
                        other.iter().take(3).map(|p| format!("`{p}`")).collect();
                    return Err(format!(
                        "`{spec}` matches a block whose shape is shared with {}, which it does not name; add those paths or narrow the rule",
                        shown.join(", ")
                    ));
                }
                true
            }
        };
        if matched && !rule.except.contains(&format!("{tf_name}.{spec}")) {
            return Ok(Some(spec));
        }
    }
    Ok(None)
}

/// The fields of a type and of its blocks, each with a path (`vpc_config.subnet_ids`, or the
/// block struct's name for a nested one: blocks are shared by structure, so the struct is the
/// unit that is typed) and the schema paths of its block (`[""]` at the top level).
fn fields_mut(def: &mut TypeDef) -> Vec<(String, &mut Field, Vec<String>)> {
    let mut out: Vec<(String, &mut Field, Vec<String>)> = Vec::new();
    for f in def.required.iter_mut().chain(def.optional.iter_mut()) {
        out.push((f.tf_name.clone(), f, vec![String::new()]));
    }
    for b in &mut def.blocks {
        let name = b.rust_name.clone();
        let sites = b.paths.clone();
        for f in &mut b.fields {
            out.push((format!("{name}.{}", f.tf_name), f, sites.clone()));
        }
    }
    out
}

fn count_matches(def: &mut TypeDef, rule: &Rule) -> usize {
    let tf_name = def.tf_name.clone();
    fields_mut(def)
        .into_iter()
        .filter(|(_, f, sites)| {
            matches!(rule_match(rule, &tf_name, &f.tf_name, sites), Ok(Some(_)))
                && retype(&f.ty, "X").is_some()
        })
        .count()
}

/// `Text` → `typed` in a plain, optional or list argument's type; `None` for any other type
/// (sensitive values, maps, numbers, arguments another overlay already typed).
pub(crate) fn retype(ty: &str, typed: &str) -> Option<String> {
    for (prefix, suffix) in [
        ("", ""),
        ("Option<", ">"),
        ("Vec<", ">"),
        ("OneOrMore<", ">"),
    ] {
        if ty.strip_prefix(prefix).and_then(|t| t.strip_suffix(suffix)) == Some("Text") {
            return Some(format!("{prefix}{typed}{suffix}"));
        }
    }
    None
}

/// Types the exports of generated targets that rules refer to by name or URL (`name: Name<Self>`).
/// An argument the target does not export (a required `name`, which the schema does not mark
/// computed) gets an accessor: Terraform reads any argument back (`${aws_ecs_cluster.x.name}`).
fn type_exports(
    model: &mut Model,
    needed: &BTreeSet<(String, String, Wrapper)>,
) -> Result<(), String> {
    let mut errors = Vec::new();
    for (tf_name, attribute, wrapper) in needed {
        let def = model
            .services
            .values_mut()
            .flat_map(|s| s.types.iter_mut())
            .find(|t| t.kind == Kind::Resource && &t.tf_name == tf_name)
            .expect("targets come from the model");
        let want = wrapper.export_type();
        match def.exports.iter_mut().find(|e| e.ident == *attribute) {
            Some(e) if e.ty == "Text" || e.ty == want => e.ty = want.to_owned(),
            Some(e) => errors.push(format!(
                "`{tf_name}.{attribute}` is exported as `{}`, not as text a rule can type `{want}`",
                e.ty
            )),
            None if attribute == "node" || ident(attribute) != *attribute => {
                errors.push(format!("`{tf_name}` has no accessor `{attribute}`"))
            }
            None => {
                def.exports.push(Export {
                    ident: attribute.clone(),
                    ty: want.to_owned(),
                });
                def.exports.sort_by(|a, b| a.ident.cmp(&b.ident));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

/// A block whose fields now hold a reference of region `R` becomes generic over `R`, and so
/// does every block (and field) that holds it.
fn make_blocks_regional(def: &mut TypeDef) {
    if !def.regional {
        return;
    }
    let mut regional: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = regional.len();
        for b in &def.blocks {
            if !regional.contains(&b.rust_name)
                && b.fields
                    .iter()
                    .any(|f| uses_region(&f.ty, &regional, &def.module))
            {
                regional.insert(b.rust_name.clone());
            }
        }
        if regional.len() == before {
            break;
        }
    }
    if regional.is_empty() {
        return;
    }
    let module = def.module.clone();
    for f in def.required.iter_mut().chain(def.optional.iter_mut()) {
        f.ty = add_region(&f.ty, &regional, &module);
    }
    for b in &mut def.blocks {
        for f in &mut b.fields {
            f.ty = add_region(&f.ty, &regional, &module);
        }
    }
}

/// The paths (`a::b::C`) of a type expression, with their byte ranges.
fn paths(ty: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = ty.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b':' {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b':')
            {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// A path names one of the type's regional blocks (`Rule` inside the module, `widget::Rule`
/// outside it).
fn is_block(path: &str, blocks: &BTreeSet<String>, module: &str) -> bool {
    let bare = path.strip_prefix(&format!("{module}::")).unwrap_or(path);
    blocks.contains(bare)
}

fn uses_region(ty: &str, blocks: &BTreeSet<String>, module: &str) -> bool {
    paths(ty)
        .into_iter()
        .any(|(s, e)| &ty[s..e] == "R" || is_block(&ty[s..e], blocks, module))
}

fn add_region(ty: &str, blocks: &BTreeSet<String>, module: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (s, e) in paths(ty) {
        if is_block(&ty[s..e], blocks, module) && !ty[e..].starts_with('<') {
            out.push_str(&ty[last..e]);
            out.push_str("<R>");
            last = e;
        }
    }
    out.push_str(&ty[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build;
    use crate::schema::parse as parse_schema;

    /// Two services: `net` (a regional VPC, a global thing) and `app` (a regional widget with
    /// a nested block, a global gadget).
    const SCHEMA: &str = r#"{"format_version": "1.0", "provider_schemas": {"p": {
        "provider": {"version": 0, "block": {}},
        "resource_schemas": {
            "aws_net_vpc": {"version": 0, "block": {"attributes": {
                "arn": {"type": "string", "computed": true},
                "name": {"type": "string", "optional": true, "computed": true},
                "region": {"type": "string", "optional": true, "computed": true},
                "cidr": {"type": "string", "required": true}
            }}},
            "aws_net_role": {"version": 0, "block": {"attributes": {
                "arn": {"type": "string", "computed": true}
            }}},
            "aws_app_widget": {"version": 0, "block": {
                "attributes": {
                    "region": {"type": "string", "optional": true, "computed": true},
                    "vpc_id": {"type": "string", "required": true},
                    "role_arn": {"type": "string", "optional": true},
                    "secret_id": {"type": "string", "optional": true, "sensitive": true}
                },
                "block_types": {"placement": {"nesting_mode": "list", "block": {
                    "attributes": {"vpc_names": {"type": ["list", "string"], "optional": true}},
                    "block_types": {"inner": {"nesting_mode": "list", "max_items": 1, "block": {
                        "attributes": {"vpc_id": {"type": "string", "optional": true}}
                    }}}
                }}}
            }},
            "aws_app_gadget": {"version": 0, "block": {"attributes": {
                "vpc_id": {"type": "string", "optional": true},
                "role_arn": {"type": "string", "optional": true}
            }}}
        },
        "data_source_schemas": {"aws_app_widget": {"version": 0, "block": {"attributes": {
            "vpc_id": {"type": "string", "required": true}
        }}}}
    }}}"#;

    fn model() -> (ProviderSchema, Model) {
        let schema = parse_schema(SCHEMA, "p").unwrap();
        let model = build(
            &schema,
            &HandWritten::default(),
            &crate::overlay::Overlay::default(),
        )
        .unwrap();
        (schema, model)
    }

    fn ty<'a>(model: &'a Model, tf: &str, field: &str) -> &'a str {
        let def = model.services["app"]
            .types
            .iter()
            .find(|t| t.tf_name == tf && t.kind == Kind::Resource)
            .unwrap();
        let f = def
            .required
            .iter()
            .chain(&def.optional)
            .chain(def.blocks.iter().flat_map(|b| &b.fields))
            .find(|f| f.tf_name == field)
            .unwrap();
        &f.ty
    }

    const RULES: &str = r#"
        [[rule]]
        arguments = ["vpc_id"]
        services = ["app"]
        target = "aws_net_vpc"
        as = "id"

        [[rule]]
        arguments = ["vpc_names"]
        services = ["app"]
        target = "aws_net_vpc"
        as = "name"

        [[rule]]
        arguments = ["role_arn", "secret_id"]
        services = ["app"]
        target = "aws_net_role"
        as = "arn"
    "#;

    #[test]
    fn rules_type_arguments_with_regions_blocks_exports_and_features() {
        let (schema, mut model) = model();
        let applied = apply(
            &mut model,
            &parse(RULES).unwrap(),
            &schema,
            &HandWritten::default(),
        )
        .unwrap();
        // Regional to regional: the same `R`, in blocks too (which become generic).
        assert_eq!(
            ty(&model, "aws_app_widget", "vpc_id"),
            "crate::Id<crate::aws::net::Vpc<R>>"
        );
        assert_eq!(
            ty(&model, "aws_app_widget", "vpc_names"),
            "Vec<crate::Name<crate::aws::net::Vpc<R>>>"
        );
        let widget = model.services["app"]
            .types
            .iter()
            .find(|t| t.rust_name == "Widget")
            .unwrap();
        let placement = widget
            .optional
            .iter()
            .find(|f| f.tf_name == "placement")
            .unwrap();
        assert_eq!(placement.ty, "Vec<widget::Placement<R>>");
        let inner = widget
            .blocks
            .iter()
            .flat_map(|b| &b.fields)
            .find(|f| f.tf_name == "inner")
            .unwrap();
        assert_eq!(inner.ty, "Option<Inner<R>>");
        // A global kind has no region; a sensitive argument is not retyped.
        assert_eq!(
            ty(&model, "aws_app_widget", "role_arn"),
            "Option<crate::Arn<crate::aws::net::Role>>"
        );
        assert_eq!(
            ty(&model, "aws_app_widget", "secret_id"),
            "Option<Sensitive<Text>>"
        );
        // A global type: a global kind is typed, a regional one stays text (and is counted).
        assert_eq!(
            ty(&model, "aws_app_gadget", "role_arn"),
            "Option<crate::Arn<crate::aws::net::Role>>"
        );
        assert_eq!(ty(&model, "aws_app_gadget", "vpc_id"), "Option<Text>");
        assert_eq!(applied.left_as_text, 1);
        // The target's `name` export is typed, the service needs the target's feature, and
        // the reference-shaped typed arguments are counted (vpc_id twice, vpc_names, role_arn
        // twice).
        let vpc = model.services["net"]
            .types
            .iter()
            .find(|t| t.rust_name == "Vpc")
            .unwrap();
        assert!(
            vpc.exports
                .iter()
                .any(|e| e.ident == "name" && e.ty == "crate::Name<Self>")
        );
        assert_eq!(
            model.services["app"].requires,
            BTreeSet::from(["net".to_owned()])
        );
        assert_eq!(model.services["app"].generated_counts.typed, 5);
        assert_eq!(applied.typed["app"], 5);
        // Data sources keep their look-up keys as text.
        let data = model.services["app"]
            .types
            .iter()
            .find(|t| t.kind == Kind::Data)
            .unwrap();
        assert_eq!(data.required[0].ty, "Text");
    }

    /// Applies the rules `text` to `model`.
    fn apply_text(
        model: &mut Model,
        text: &str,
        schema: &ProviderSchema,
    ) -> Result<Applied, String> {
        apply(
            model,
            &parse(text).unwrap(),
            schema,
            &HandWritten::default(),
        )
    }

    fn error(rules: &str) -> String {
        let (schema, mut model) = model();
        apply_text(&mut model, rules, &schema).unwrap_err()
    }

    #[test]
    fn an_unknown_target_argument_service_or_attribute_names_the_nearest() {
        // (argument, service, target, wrapper) of one rule, and what its error must say.
        let cases = [
            (
                "vpc_id",
                "app",
                "aws_net_vcp",
                "id",
                "the schema has no managed resource `aws_net_vcp`; nearest: `aws_net_vpc`",
            ),
            (
                "vpcid",
                "ap",
                "aws_net_vpc",
                "id",
                "unknown service `ap`; nearest: `app`",
            ),
            (
                "vpcid",
                "app",
                "aws_net_vpc",
                "id",
                "no managed resource of `app` has an argument `vpcid`; nearest: `vpc_id`",
            ),
            (
                "vpc_id",
                "app",
                "aws_net_vpc",
                "url",
                "`aws_net_vpc` exports no attribute `url`; nearest:",
            ),
        ];
        for (argument, service, target, wrapper, expected) in cases {
            let err = error(&format!(
                "[[rule]]\narguments = [\"{argument}\"]\nservices = [\"{service}\"]\ntarget = \"{target}\"\nas = \"{wrapper}\""
            ));
            assert!(err.contains(expected), "{err}");
        }
    }

    #[test]
    fn a_rule_that_types_nothing_or_overlaps_or_a_bad_exception_is_an_error() {
        // `secret_id` exists but is sensitive: nothing to type.
        let err = error(
            r#"[[rule]]
            arguments = ["secret_id"]
            services = ["app"]
            target = "aws_net_role"
            as = "arn""#,
        );
        assert!(err.contains("matches no `Text` argument"), "{err}");
        let err = error(
            r#"[[rule]]
            arguments = ["vpc_id"]
            services = ["app"]
            target = "aws_net_vpc"
            as = "id"
            [[rule]]
            arguments = ["vpc_id"]
            services = ["app"]
            target = "aws_net_vpc"
            as = "arn""#,
        );
        assert!(
            err.contains("`aws_app_widget.vpc_id` is typed by rule 1 already"),
            "{err}"
        );
        let err = error(
            r#"[[rule]]
            arguments = ["vpc_id"]
            services = ["app"]
            target = "aws_net_vpc"
            as = "id"
            except = ["aws_app_widget.vpcid"]"#,
        );
        assert!(
            err.contains("exception `aws_app_widget.vpcid` names no argument"),
            "{err}"
        );
        assert!(
            parse("[[rule]]\narguments = []\nservices = []\ntarget = \"x\"\nas = \"ref\"").is_err()
        );
    }

    #[test]
    fn a_trust_types_a_role_by_who_may_assume_it() {
        let (schema, mut model) = model();
        let mut rules = parse(
            r#"[[rule]]
            arguments = ["role_arn"]
            services = ["app"]
            target = "aws_net_role"
            as = "arn"
            trust = "States""#,
        )
        .unwrap();
        // A role target other than `aws_iam_role` is refused.
        let err = apply(&mut model, &rules, &schema, &HandWritten::default()).unwrap_err();
        assert!(
            err.contains("`trust` types a role; the target is `aws_net_role`"),
            "{err}"
        );
        // The same rule on a schema whose role is `aws_iam_role`.
        let schema_text = SCHEMA.replace("aws_net_role", "aws_iam_role");
        let schema = parse_schema(&schema_text, "p").unwrap();
        let build_model = || {
            build(
                &schema,
                &HandWritten::default(),
                &crate::overlay::Overlay::default(),
            )
            .unwrap()
        };
        rules.rule[0].target = "aws_iam_role".to_owned();
        rules.trusts = BTreeSet::from(["States".to_owned(), "Lambda".to_owned()]);
        let mut model = build_model();
        apply(&mut model, &rules, &schema, &HandWritten::default()).unwrap();
        assert_eq!(
            ty(&model, "aws_app_widget", "role_arn"),
            "Option<crate::Arn<crate::aws::iam::Role<crate::policy::service::States>>>"
        );
        // An unknown service names the nearest.
        rules.rule[0].trust = Some("Lamda".to_owned());
        let mut model = build_model();
        let err = apply(&mut model, &rules, &schema, &HandWritten::default()).unwrap_err();
        assert!(
            err.contains("`policy::service` has no service `Lamda`; nearest: `Lambda`"),
            "{err}"
        );
    }

    #[test]
    fn service_types_are_read_from_the_services_list() {
        let source = "services! {\n    /// Lambda.\n    Lambda = \"lambda.amazonaws.com\",\n    EcsTasks = \"ecs-tasks.amazonaws.com\",\n}\nlet x = \"y\";";
        assert_eq!(
            service_types(source),
            BTreeSet::from(["EcsTasks".to_owned(), "Lambda".to_owned()])
        );
    }

    #[test]
    fn a_reference_to_an_overlay_type_takes_the_kind_its_accessor_gives() {
        let schema = parse_schema(SCHEMA, "p").unwrap();
        // `aws_net_role` is overlay-typed and exports its ARN as another kind's (IAM's
        // managed policies: `Arn<ManagedPolicy>`).
        let overlay = crate::overlay::Overlay::parse(
            &[(
                "net.toml".to_owned(),
                "net".to_owned(),
                "[aws_net_role]\nrust = \"Role\"\nexports = { arn = \"Arn<AnyRole>\" }\n"
                    .to_owned(),
            )],
            &schema,
        )
        .unwrap();
        let mut model = build(&schema, &HandWritten::default(), &overlay).unwrap();
        let rules = r#"[[rule]]
            arguments = ["role_arn"]
            services = ["app"]
            target = "aws_net_role"
            as = "arn""#;
        apply_text(&mut model, rules, &schema).unwrap();
        // Not `Arn<crate::aws::net::Role>`, which `role.arn()` does not give; and global,
        // as the kind has no region parameter.
        assert_eq!(
            ty(&model, "aws_app_widget", "role_arn"),
            "Option<crate::Arn<crate::aws::net::AnyRole>>"
        );
        // Another wrapper than the export's keeps the target's own kind.
        let mut model = build(&schema, &HandWritten::default(), &overlay).unwrap();
        let rules = rules.replace("\"arn\"", "\"id\"");
        apply_text(&mut model, &rules, &schema).unwrap();
        assert_eq!(
            ty(&model, "aws_app_widget", "role_arn"),
            "Option<crate::Id<crate::aws::net::Role>>"
        );
    }

    #[test]
    fn an_overlay_typed_block_holding_a_regional_kind_makes_its_holders_generic() {
        let schema = parse_schema(SCHEMA, "p").unwrap();
        // The overlay types `inner.vpc_id` of `aws_app_widget`, two blocks down.
        let overlay = crate::overlay::Overlay::parse(
            &[(
                "app.toml".to_owned(),
                "app".to_owned(),
                "[aws_app_widget]\nrust = \"Widget\"\nblocks = { placement = { blocks = { inner = { args = { vpc_id = \"Id<Vpc<R>>\" } } } } }\n"
                    .to_owned(),
            )],
            &schema,
        )
        .unwrap();
        let mut model = build(&schema, &HandWritten::default(), &overlay).unwrap();
        apply_text(&mut model, "", &schema).unwrap();
        let widget = &model.typed["app"].types[0];
        let field = |block: &str, name: &str| {
            widget
                .blocks
                .iter()
                .find(|b| b.rust_name == block)
                .and_then(|b| b.fields.iter().find(|f| f.tf_name == name))
                .map(|f| f.ty.clone())
                .unwrap()
        };
        assert_eq!(field("Inner", "vpc_id"), "Option<Id<Vpc<R>>>");
        assert_eq!(field("Placement", "inner"), "Option<Inner<R>>");
        let placement = widget
            .optional
            .iter()
            .find(|f| f.tf_name == "placement")
            .unwrap();
        assert_eq!(placement.ty, "Vec<widget::Placement<R>>");
    }

    #[test]
    fn a_reference_by_an_argument_the_target_does_not_export_adds_its_accessor() {
        // `cidr` is required, not computed: the model exports no `cidr` (as `aws_ecs_cluster`
        // exports no `name`), so the rule adds `cidr: Name<Self>` for its callers.
        let (schema, mut model) = model();
        let vpc = |model: &Model| {
            model.services["net"]
                .types
                .iter()
                .find(|t| t.rust_name == "Vpc")
                .unwrap()
                .exports
                .iter()
                .map(|e| format!("{}: {}", e.ident, e.ty))
                .collect::<Vec<_>>()
        };
        assert!(!vpc(&model).iter().any(|e| e.starts_with("cidr")));
        let rules = r#"[[rule]]
            arguments = ["vpc_id"]
            services = ["app"]
            target = "aws_net_vpc"
            as = "name"
            attribute = "cidr""#;
        apply_text(&mut model, rules, &schema).unwrap();
        assert_eq!(
            ty(&model, "aws_app_widget", "vpc_id"),
            "crate::Name<crate::aws::net::Vpc<R>>"
        );
        // Added once, in order (the derive lists exports sorted).
        assert_eq!(
            vpc(&model),
            ["arn: Arn<Self>", "cidr: crate::Name<Self>", "id: Id<Self>", "name: Text", "region: Text"]
        );
    }

    #[test]
    fn exceptions_leave_an_argument_as_text() {
        let (schema, mut model) = model();
        let rules = r#"[[rule]]
            arguments = ["vpc_id"]
            services = ["app"]
            target = "aws_net_vpc"
            as = "id"
            except = ["aws_app_widget.vpc_id"]"#;
        apply(
            &mut model,
            &parse(rules).unwrap(),
            &schema,
            &HandWritten::default(),
        )
        .unwrap();
        assert_eq!(ty(&model, "aws_app_widget", "vpc_id"), "Text");
        // The block's `vpc_id` is the same argument name of the same type: excepted too.
        let widget = model.services["app"]
            .types
            .iter()
            .find(|t| t.rust_name == "Widget")
            .unwrap();
        let inner = widget
            .blocks
            .iter()
            .flat_map(|b| &b.fields)
            .find(|f| f.tf_name == "vpc_id")
            .unwrap();
        assert_eq!(inner.ty, "Option<Text>");
    }

    /// `net` has a target group; `app` a service whose blocks hold `target_group_arn` and
    /// `arn` at several depths, some of them in blocks of one shape.
    fn block_model(extra: &str) -> (ProviderSchema, Model) {
        let schema = r#"{"format_version": "1.0", "provider_schemas": {"p": {
            "provider": {"version": 0, "block": {}},
            "resource_schemas": {
                "aws_net_tg": {"version": 0, "block": {"attributes": {
                    "arn": {"type": "string", "computed": true},
                    "region": {"type": "string", "optional": true, "computed": true}
                }}},
                "aws_app_service": {"version": 0, "block": {
                    "attributes": {
                        "region": {"type": "string", "optional": true, "computed": true},
                        "arn": {"type": "string", "optional": true}
                    },
                    "block_types": {
                        "load_balancer": {"nesting_mode": "set", "block": {"attributes": {
                            "target_group_arn": {"type": "string", "optional": true}
                        }}},
                        "other": {"nesting_mode": "list", "max_items": 1, "block": {"attributes": {
                            "target_group_arn": {"type": "string", "optional": true},
                            "weight": {"type": "number", "optional": true}
                        }}},
                        "statement": {"nesting_mode": "list", "max_items": 1, "block": {"block_types": {
                            "ip_set_reference_statement": {"nesting_mode": "list", "max_items": 1, "block": {
                                "attributes": {"arn": {"type": "string", "required": true}}}},
                            "and_statement": {"nesting_mode": "list", "max_items": 1, "block": {"block_types": {
                                "ip_set_reference_statement": {"nesting_mode": "list", "max_items": 1, "block": {
                                    "attributes": {"arn": {"type": "string", "required": true}}}}
                            }}}EXTRA
                        }}},
                        "primary": {"nesting_mode": "list", "max_items": 1, "block": {"block_types": {
                            "inner": {"nesting_mode": "list", "max_items": 1, "block": {
                                "attributes": {"name": {"type": "string", "optional": true}}}}
                        }}},
                        "secondary": {"nesting_mode": "list", "max_items": 1, "block": {"block_types": {
                            "inner": {"nesting_mode": "list", "max_items": 1, "block": {
                                "attributes": {"name": {"type": "string", "optional": true}}}}
                        }}}
                    }
                }}
            },
            "data_source_schemas": {}
        }}}"#
        .replace("EXTRA", extra);
        let schema = parse_schema(&schema, "p").unwrap();
        let model = build(
            &schema,
            &HandWritten::default(),
            &crate::overlay::Overlay::default(),
        )
        .unwrap();
        (schema, model)
    }

    fn block_field_type(model: &Model, block: &str, field: &str) -> String {
        let def = &model.services["app"].types[0];
        let b = def.blocks.iter().find(|b| b.rust_name == block).unwrap();
        b.fields
            .iter()
            .find(|f| f.tf_name == field)
            .unwrap()
            .ty
            .clone()
    }

    /// Applies one rule typing `arguments` as `Arn<net::Tg<R>>` (with `more` settings) to the
    /// block model (with `extra` blocks in its statement).
    fn apply_to_blocks(extra: &str, arguments: &str, more: &str) -> Result<Model, String> {
        let (schema, mut model) = block_model(extra);
        let rules = format!(
            "[[rule]]\narguments = {arguments}\nservices = [\"app\"]\ntarget = \"aws_net_tg\"\nas = \"arn\"\n{more}"
        );
        apply(
            &mut model,
            &parse(&rules).unwrap(),
            &schema,
            &HandWritten::default(),
        )?;
        Ok(model)
    }

    #[test]
    fn a_block_path_types_the_argument_of_that_block_only() {
        let model = apply_to_blocks(
            "",
            r#"["load_balancer.target_group_arn", "ip_set_reference_statement.arn"]"#,
            "",
        )
        .unwrap();
        assert_eq!(
            block_field_type(&model, "LoadBalancer", "target_group_arn"),
            "Option<crate::Arn<crate::aws::net::Tg<R>>>"
        );
        // The same name in another block, and the type's own `arn`, stay text.
        assert_eq!(
            block_field_type(&model, "Other", "target_group_arn"),
            "Option<Text>"
        );
        let def = &model.services["app"].types[0];
        let own = def.optional.iter().find(|f| f.tf_name == "arn").unwrap();
        assert_eq!(own.ty, "Option<Text>");
        // At every depth the block sits at (`statement.` and `statement.and_statement.`): one
        // struct, typed once.
        assert_eq!(
            block_field_type(&model, "IpSetReferenceStatement", "arn"),
            "crate::Arn<crate::aws::net::Tg<R>>"
        );
        // An exception names the path as the rule does.
        let model = apply_to_blocks(
            "",
            r#"["load_balancer.target_group_arn", "other.target_group_arn"]"#,
            r#"except = ["aws_app_service.load_balancer.target_group_arn"]"#,
        )
        .unwrap();
        assert_eq!(
            block_field_type(&model, "LoadBalancer", "target_group_arn"),
            "Option<Text>"
        );
        assert_eq!(
            block_field_type(&model, "Other", "target_group_arn"),
            "Option<crate::Arn<crate::aws::net::Tg<R>>>"
        );
    }

    #[test]
    fn a_block_path_the_schema_lacks_or_a_shared_shape_is_an_error() {
        let err = apply_to_blocks("", r#"["load_balancer.target_group_ar"]"#, "").unwrap_err();
        assert!(
            err.contains("no managed resource of `app` has a block path ending in `load_balancer.target_group_ar`; nearest: `load_balancer.target_group_arn`"),
            "{err}"
        );
        let err = apply_to_blocks(
            "",
            r#"["statement.ip_set_reference_statement.arn"]"#,
            r#"except = ["aws_app_service.statement.ip_set_statement.arn"]"#,
        )
        .unwrap_err();
        assert!(
            err.contains(
                "exception `aws_app_service.statement.ip_set_statement.arn` names no argument"
            ),
            "{err}"
        );
        // A block of the statement's shape elsewhere: typing the shared struct would type it too.
        let err = apply_to_blocks(
            r#", "regex_statement": {"nesting_mode": "list", "max_items": 1, "block": {
                "attributes": {"arn": {"type": "string", "required": true}}}}"#,
            r#"["ip_set_reference_statement.arn"]"#,
            "",
        )
        .unwrap_err();
        assert!(
            err.contains("`ip_set_reference_statement.arn` matches a block whose shape is shared with `statement.regex_statement`"),
            "{err}"
        );
        // The paths of a block under a shared parent (`secondary` has `primary`'s shape, so
        // `secondary.inner` is never described on its own) are known too.
        let err = apply_to_blocks("", r#"["secondary.inner.name"]"#, "").unwrap_err();
        assert!(
            err.contains(
                "`secondary.inner.name` matches a block whose shape is shared with `primary.inner`"
            ),
            "{err}"
        );
    }
}
