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
//! A union rule (`targets` with `kind`) types an argument that may refer to one of several
//! kinds as a marker kind of its own (`Arn<dynamodb::PolicyTarget<R>>`), emitted with a `From`
//! conversion from each member's reference ([`Union`]); it also types the overlay-typed types of
//! its service, and is then declared among them (compiled without features, each conversion
//! from a generated member behind that member's feature).
//!
//! Every rule is checked against the schema: an unknown service, target type, target attribute
//! or argument name, an exception the schema lacks, and a rule that types nothing are errors
//! naming the nearest names. [`apply`] is the one call the generator makes, after the model is
//! built (so that targets resolve to their final Rust names).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::handwritten::{HandWritten, nearest_hint};
use crate::model::{Export, Field, Kind, Model, TypeDef, ident, reference_shaped, service_of};
use crate::schema::ProviderSchema;

/// The parsed rules file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// The rules, applied in order; an argument may match one rule only.
    #[serde(default)]
    pub rule: Vec<Rule>,
    /// Managed resources whose `id` is not the ID other resources take, by what it is instead
    /// (`aws_placement_group = "name"`: `id` is the group's name, `placement_group_id` its ID):
    /// their `id` is exported as that, so `id()` cannot stand for the ID.
    #[serde(default)]
    pub ids: BTreeMap<String, IdIs>,
    /// The service principal types a `trust` may name (`infra_core::policy::service`), read
    /// from the crate by the generator; empty: not checked.
    #[serde(skip)]
    pub trusts: BTreeSet<String>,
}

/// What a managed resource's `id` is, when it is not the ID other resources take.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum IdIs {
    /// Its name: `id` is exported as `Name<Self>`.
    Name,
    /// A value of its own (a composite key): `id` is exported as `Text`.
    Text,
}

impl IdIs {
    fn export_type(self) -> &'static str {
        match self {
            IdIs::Name => Wrapper::Name.export_type(),
            IdIs::Text => "Text",
        }
    }
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
    /// The Terraform type referred to (`aws_vpc`); empty for a union (`targets`).
    #[serde(default)]
    pub target: String,
    /// A union: the Terraform types any of which the argument may refer to
    /// (`["aws_dynamodb_table", "aws_dynamodb_table_export"]`), with `kind`, instead of `target`.
    #[serde(default)]
    pub targets: Vec<String>,
    /// The marker kind of a union (`PolicyTarget`), emitted in the rule's one service with a
    /// `From` conversion from each target's reference.
    pub kind: Option<String>,
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

/// A union kind: a marker standing for any of several targets' kinds, emitted in its service's
/// module with a `From` conversion from each member's reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Union {
    /// The marker's name (`PolicyTarget`).
    pub name: String,
    /// The wrapper its references take.
    pub wrapper: Wrapper,
    /// Generic over `R` (every member is regional, and the union is not of any region).
    pub regional: bool,
    /// Not generic, but converting from its regional members' references of every region.
    pub any_region: bool,
    /// The members: Terraform type, the kind path its accessor gives
    /// (`crate::aws::dynamodb::Table`), and the feature its conversion needs (a generated member
    /// of a union declared among the overlay-typed types, which compile without features).
    pub members: Vec<(String, String, Option<String>)>,
    /// The arguments it types (`resource_arn`), for its docs.
    pub arguments: Vec<String>,
    /// The first member's accessor giving the reference (`arn`), for its docs.
    pub accessor: String,
}

impl Union {
    /// The marker and its conversions, as Rust source.
    pub fn source(&self) -> String {
        let wrapper = self.wrapper.rust();
        let (params, args, r) = match (self.regional, self.any_region) {
            (true, _) => ("<R: crate::Region>", "<R>", "<R>"),
            (false, true) => ("<R: crate::Region>", "", "<R>"),
            (false, false) => ("", "", ""),
        };
        let marker_params = if self.regional { params } else { "" };
        let members: Vec<String> = self
            .members
            .iter()
            .map(|(tf, path, _)| {
                let short = path.strip_prefix("crate::aws::").unwrap_or(path);
                format!("`{short}` (`{tf}`)")
            })
            .collect();
        let mut out = format!(
            "/// The kind of what {} refers to: any of {}{}.\n///\n/// A marker, never a value: convert a member's reference with `.into()` (`{}: {}.{}().into()`).\npub struct {}{marker_params}(std::marker::PhantomData<fn() -> {}>);\n",
            self.arguments
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", "),
            members.join(", "),
            if self.any_region {
                ", of any region"
            } else {
                ""
            },
            self.arguments
                .first()
                .and_then(|a| a.rsplit('.').next())
                .unwrap_or("argument"),
            self.members
                .first()
                .and_then(|(_, path, _)| path.rsplit("::").next())
                .map(crate::model::snake)
                .unwrap_or_default(),
            self.accessor,
            self.name,
            if self.regional { "R" } else { "()" },
        );
        for (_, path, feature) in &self.members {
            let from = format!("{wrapper}<{path}{r}>");
            if let Some(feature) = feature {
                out.push_str(&format!("\n#[cfg(feature = \"{feature}\")]"));
            }
            out.push_str(&format!(
                "\nimpl{params} From<{from}> for {wrapper}<{}{args}> {{\n    fn from(reference: {from}) -> Self {{\n        {wrapper}::from_text(reference.text().clone())\n    }}\n}}\n",
                self.name
            ));
        }
        out
    }
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
    /// Regional kinds (`stream_arn: Arn<Stream<R>>`) are marked so.
    kinds: BTreeMap<String, (Wrapper, String, bool)>,
    /// An overlay-typed target's exports (accessor → type), which must give the reference a
    /// rule types (`None`: generated, its exports typed by the rules, or hand-written).
    exports: Option<BTreeMap<String, String>>,
    /// What a generated target's `id` is exported as when it is not its ID (`[ids]`).
    id_is: Option<String>,
}

/// The kinds of an overlay-typed type's exports that name another kind of its module: global
/// (`arn: Arn<ManagedPolicy>`) or of the type's region (`stream_arn: Arn<Stream<R>>`).
fn overlay_kinds(module: &str, t: &TypeDef) -> BTreeMap<String, (Wrapper, String, bool)> {
    let wrappers = [
        ("Arn<", Wrapper::Arn),
        ("Id<", Wrapper::Id),
        ("Name<", Wrapper::Name),
        ("Url<", Wrapper::Url),
    ];
    let mut out = BTreeMap::new();
    for e in &t.exports {
        for (prefix, wrapper) in wrappers {
            let Some(kind) = e.ty.strip_prefix(prefix).and_then(|k| k.strip_suffix('>')) else {
                continue;
            };
            let (kind, regional) = match kind.strip_suffix("<R>") {
                Some(k) if t.regional => (k, true),
                _ => (kind, false),
            };
            if kind != "Self" && kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                out.insert(
                    e.ident.clone(),
                    (wrapper, format!("crate::aws::{module}::{kind}"), regional),
                );
            }
        }
    }
    out
}

/// Whether `name`'s accessor for `attribute` gives the reference a rule `as = wrapper` types:
/// an `id` the `[ids]` table retyped does not, and an overlay-typed target's accessor must give
/// its own kind (`function_name: Name<Self>`) or another kind its overlay declares with that
/// wrapper (`arn: Arn<ManagedPolicy>`). Otherwise the generated field would take a kind that no
/// accessor gives, and users could set it only from text (or from the wrong value).
fn gives_reference(
    name: &str,
    target: &Target,
    attribute: &str,
    wrapper: Wrapper,
) -> Result<(), String> {
    if let (Some(is), "id") = (&target.id_is, attribute)
        && is.as_str() != wrapper.export_type()
    {
        return Err(format!(
            "`{name}`'s `id` is exported as `{is}` (`[ids]`): a rule cannot take it as `{}`; name the attribute that holds the reference (`attribute = \"…\"`)",
            wrapper.export_type()
        ));
    }
    let Some(exports) = &target.exports else {
        return Ok(());
    };
    let want = wrapper.export_type().trim_start_matches("crate::");
    let declared = target.kinds.get(attribute).map(|(w, _, _)| *w);
    match exports.get(attribute) {
        _ if declared == Some(wrapper) => Ok(()),
        Some(ty) if ty.trim_start_matches("crate::") == want => Ok(()),
        // `id` is exported as `Id<Self>` by every type unless its overlay says otherwise.
        None if attribute == "id" && wrapper == Wrapper::Id => Ok(()),
        Some(ty) => Err(format!(
            "`{name}` exports `{attribute}` as `{ty}`: a rule typing it as `{want}` needs the \
             overlay entry to export `{attribute} = \"{want}\"`"
        )),
        None => Err(format!(
            "`{name}` has no accessor `{attribute}`: export it from the overlay entry \
             (`exports = {{ {attribute} = \"{want}\" }}`)"
        )),
    }
}

/// The regions a rule may fix (those `infra_core` names).
const REGIONS: &[&str] = &["UsEast1", "UsWest2"];

/// The `region` of a union whose kind takes its regional members' references of every region
/// (a replica key's primary, in another region by design).
const ANY_REGION: &str = "Any";

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
    let mut errors = type_ids(model, &rules.ids, schema);
    let targets = targets(model, hand);
    let mut applied = Applied::default();
    // (service, type index, field path) already typed by a rule, to refuse overlaps.
    let mut claimed: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    let mut exports_needed: BTreeSet<(String, String, Wrapper)> = BTreeSet::new();
    for (index, rule) in rules.rule.iter().enumerate() {
        let shown_target = match &rule.kind {
            Some(kind) if rule.target.is_empty() => kind.clone(),
            _ => rule.target.clone(),
        };
        let at = format!(
            "rule {} (`{}` → `{shown_target}`)",
            index + 1,
            rule.arguments.join("`, `"),
        );
        // One target, or the members of a union (`targets` with `kind`).
        let names: Vec<&String> = match (rule.target.is_empty(), &rule.kind) {
            (false, None) if rule.targets.is_empty() => vec![&rule.target],
            (true, Some(_)) if !rule.targets.is_empty() => rule.targets.iter().collect(),
            _ => {
                errors.push(format!(
                    "{at}: give either `target`, or `targets` with `kind` (a union)"
                ));
                continue;
            }
        };
        let attribute = rule
            .attribute
            .clone()
            .unwrap_or_else(|| rule.wrapper.default_attribute().to_owned());
        // (Terraform type, the attribute giving the reference, the target).
        let mut members: Vec<(String, String, &Target)> = Vec::new();
        for spec in names {
            // A union member may name its own attribute: `aws_dynamodb_table.stream_arn`.
            let (name, attribute) = match spec.split_once('.') {
                Some((ty, attr)) if rule.kind.is_some() => (ty.to_owned(), attr.to_owned()),
                _ => (spec.clone(), attribute.clone()),
            };
            let name = &name;
            let Some(target) = targets.get(name) else {
                let names: Vec<String> = schema.resource_schemas.keys().cloned().collect();
                errors.push(format!(
                    "{at}: the schema has no managed resource `{name}`{}",
                    nearest_hint(name, &names)
                ));
                continue;
            };
            let target_block = &schema.resource_schemas[name].block;
            // Every type exports `id`, whether or not its schema lists it.
            if attribute != "id" && !target_block.attributes.contains_key(&attribute) {
                let names: Vec<String> = target_block.attributes.keys().cloned().collect();
                errors.push(format!(
                    "{at}: `{name}` exports no attribute `{attribute}`{}",
                    nearest_hint(&attribute, &names)
                ));
                continue;
            }
            if let Err(why) = gives_reference(name, target, &attribute, rule.wrapper) {
                errors.push(format!("{at}: {why}"));
                continue;
            }
            members.push((name.clone(), attribute, target));
        }
        if members.is_empty() || (rule.kind.is_some() && members.len() != rule.targets.len()) {
            continue;
        }
        let target = members[0].2;
        if rule.region.as_deref() == Some(ANY_REGION) && rule.kind.is_none() {
            errors.push(format!(
                "{at}: `region = \"{ANY_REGION}\"` is for a union (`targets` with `kind`), whose kind then takes a reference of any region"
            ));
            continue;
        }
        if let Some(region) = &rule.region
            && region != ANY_REGION
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
            if rule.target != ROLE || rule.kind.is_some() {
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
                        block_argument_paths(&t.block)
                            .iter()
                            .any(|p| ends_with_path(p, arg))
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
        let member_kind = |target: &Target, attribute: &str| match target.kinds.get(attribute) {
            Some((wrapper, path, regional)) if *wrapper == rule.wrapper => {
                (path.clone(), *regional)
            }
            _ => (target.path.clone(), target.regional),
        };
        // A union matching an overlay-typed type is declared among the overlay-typed types
        // (compiled without features), each generated member's conversion behind its feature.
        let placement = match rule.kind.as_ref().map(|_| overlay_placement(model, rule)) {
            Some(Err(why)) => {
                errors.push(format!("{at}: {why}"));
                continue;
            }
            Some(Ok(module)) => module,
            None => None,
        };
        let (kind_path, kind_regional) = match &rule.kind {
            None => member_kind(target, &attribute),
            Some(kind) => match union(
                model,
                rule,
                kind,
                &members,
                &member_kind,
                placement.as_deref(),
                hand,
            ) {
                Ok(u) => {
                    let regional = u.regional;
                    let path = match &placement {
                        Some(module) => {
                            let path = format!("crate::aws::{module}::{kind}");
                            model.typed.get_mut(module).expect("found").unions.push(u);
                            path
                        }
                        None => {
                            let service = &rule.services[0];
                            let path = format!("crate::aws::{service}::{kind}");
                            model
                                .services
                                .get_mut(service)
                                .expect("checked")
                                .unions
                                .push(u);
                            path
                        }
                    };
                    (path, regional)
                }
                Err(why) => {
                    errors.push(format!("{at}: {why}"));
                    continue;
                }
            },
        };
        let mut matched = 0;
        for service_name in &rule.services {
            let service = model.services.get_mut(service_name).expect("checked above");
            // A union also types the overlay-typed types of its service (their conversions
            // need no feature); other rules leave them to the overlay.
            let overlay_defs = model
                .typed
                .values_mut()
                .flat_map(|m| m.types.iter_mut())
                .filter(|t| placement.is_some() && service_of(&t.tf_name).0 == *service_name)
                .map(|t| (true, t));
            let defs = service
                .types
                .iter_mut()
                .map(|t| (false, t))
                .chain(overlay_defs);
            for (overlay, def) in defs {
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
                    let key = (service_name.clone(), tf_name.clone(), path.clone());
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
                    *applied.typed.entry(service_name.clone()).or_default() += 1;
                    if overlay {
                        // Counted from its shape by the coverage example.
                        continue;
                    }
                    if reference_shaped(&field.tf_name) {
                        service.generated_counts.typed += sites.len();
                    }
                    if rule.kind.is_some() {
                        continue;
                    }
                    for (_, _, member) in &members {
                        if let Some(feature) = &member.generated_service
                            && feature != service_name
                        {
                            service.requires.insert(feature.clone());
                        }
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
        for (name, attribute, member) in &members {
            if member.generated_service.is_some() {
                exports_needed.insert((name.clone(), attribute.clone(), rule.wrapper));
            }
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

/// The overlay module a union is declared in: the one holding the overlay-typed types of its
/// service that it matches (`None`: it matches generated types only).
fn overlay_placement(model: &Model, rule: &Rule) -> Result<Option<String>, String> {
    let mut modules = BTreeSet::new();
    for (module, m) in &model.typed {
        for def in m.types.iter().filter(|t| t.kind == Kind::Resource) {
            if !rule.services.contains(&service_of(&def.tf_name).0) {
                continue;
            }
            let mut fields: Vec<(&Field, &Vec<String>)> = Vec::new();
            let top = vec![String::new()];
            for f in def.required.iter().chain(&def.optional) {
                fields.push((f, &top));
            }
            for b in &def.blocks {
                for f in &b.fields {
                    fields.push((f, &b.paths));
                }
            }
            if fields.iter().any(|(f, sites)| {
                matches!(
                    rule_match(rule, &def.tf_name, &f.tf_name, sites),
                    Ok(Some(_))
                ) && retype(&f.ty, "X").is_some()
            }) {
                modules.insert(module.clone());
            }
        }
    }
    match modules.len() {
        0 | 1 => Ok(modules.pop_first()),
        _ => Err(format!(
            "the union matches overlay-typed types of several modules (`{}`): split the rule",
            modules.into_iter().collect::<Vec<_>>().join("`, `")
        )),
    }
}

/// Checks a union rule and describes its marker kind: one service, members that are all
/// regional or all global, a name no item of the service's module takes.
fn union(
    model: &Model,
    rule: &Rule,
    kind: &str,
    members: &[(String, String, &Target)],
    member_kind: &dyn Fn(&Target, &str) -> (String, bool),
    placement: Option<&str>,
    hand: &HandWritten,
) -> Result<Union, String> {
    let [service] = rule.services.as_slice() else {
        return Err(format!(
            "a union's kind `{kind}` lives in one service's module; the rule names {}",
            rule.services.len()
        ));
    };
    if !kind.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        || !kind.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(format!(
            "the kind `{kind}` is no Rust type name (`PolicyTarget`)"
        ));
    }
    let s = &model.services[service];
    let taken = s
        .types
        .iter()
        .flat_map(|t| {
            [
                t.rust_name.clone(),
                format!("{}Attrs", t.rust_name),
                t.opts_name(),
            ]
        })
        .chain(
            model
                .typed
                .get(placement.unwrap_or(service))
                .into_iter()
                .flat_map(|m| &m.types)
                .flat_map(|t| {
                    [
                        t.rust_name.clone(),
                        format!("{}Attrs", t.rust_name),
                        t.opts_name(),
                    ]
                }),
        )
        .chain(s.unions.iter().map(|u| u.name.clone()))
        .chain(
            placement
                .and_then(|m| model.typed.get(m))
                .into_iter()
                .flat_map(|m| m.unions.iter().map(|u| u.name.clone())),
        )
        .any(|n| n == kind)
        || hand.module_has(placement.unwrap_or(service), kind);
    if taken {
        return Err(format!(
            "the kind `{kind}` is taken in `{service}` (a type or another union of that name)"
        ));
    }
    let kinds: Vec<(String, (String, bool), Option<String>)> = members
        .iter()
        .map(|(tf, attribute, t)| {
            // A member of another feature converts only where that feature is on: a union
            // adds no feature dependency.
            let feature = t
                .generated_service
                .clone()
                .filter(|f| placement.is_some() || *f != *service);
            (tf.clone(), member_kind(t, attribute), feature)
        })
        .collect();
    let all_regional = kinds.iter().all(|(_, (_, r), _)| *r);
    let any_region = rule.region.as_deref() == Some(ANY_REGION);
    if any_region && !all_regional {
        return Err(format!(
            "`region = \"{ANY_REGION}\"` is for regional members; `{}` are not all regional",
            rule.targets.join("`, `")
        ));
    }
    let regional = all_regional && !any_region;
    if !all_regional && kinds.iter().any(|(_, (_, r), _)| *r) {
        let shown: Vec<String> = kinds
            .iter()
            .map(|(tf, (_, r), _)| format!("`{tf}` ({})", if *r { "regional" } else { "global" }))
            .collect();
        return Err(format!(
            "a union's members are all regional or all global: {}",
            shown.join(", ")
        ));
    }
    let paths: BTreeSet<&String> = kinds.iter().map(|(_, (p, _), _)| p).collect();
    if paths.len() != kinds.len() {
        return Err(format!(
            "two of the union's targets give the same kind: {}",
            rule.targets.join(", ")
        ));
    }
    let arguments = rule.arguments.clone();
    let accessor = members
        .first()
        .map(|(_, attribute, _)| crate::model::ident(attribute))
        .unwrap_or_default();
    Ok(Union {
        accessor,
        name: kind.to_owned(),
        wrapper: rule.wrapper,
        regional,
        any_region,
        members: kinds
            .into_iter()
            .map(|(tf, (path, _), feature)| (tf, path, feature))
            .collect(),
        arguments,
    })
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
                    exports: Some(
                        t.exports
                            .iter()
                            .map(|e| (e.ident.clone(), e.ty.clone()))
                            .collect(),
                    ),
                    id_is: None,
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
                    exports: None,
                    // Exported as `Id<Self>` unless `[ids]` (applied before) says otherwise.
                    id_is: t
                        .exports
                        .iter()
                        .find(|e| e.ident == "id" && e.ty != Wrapper::Id.export_type())
                        .map(|e| e.ty.clone()),
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
                        exports: None,
                        id_is: None,
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
pub(crate) fn block_argument_paths(block: &crate::schema::Block) -> BTreeSet<String> {
    block
        .settable_arguments()
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| path.contains('.'))
        .collect()
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
            paths.extend(block_argument_paths(&t.block));
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

/// Exports the `id` of each type of the `[ids]` table as what it is; the errors for names that
/// are no generated managed resource.
fn type_ids(
    model: &mut Model,
    ids: &BTreeMap<String, IdIs>,
    schema: &ProviderSchema,
) -> Vec<String> {
    let mut errors = Vec::new();
    for (tf_name, is) in ids {
        let export = model
            .services
            .values_mut()
            .flat_map(|s| s.types.iter_mut())
            .filter(|t| t.kind == Kind::Resource && &t.tf_name == tf_name)
            .flat_map(|t| t.exports.iter_mut())
            .find(|e| e.ident == "id");
        match export {
            Some(e) => e.ty = is.export_type().to_owned(),
            None => {
                let names: Vec<String> = schema.resource_schemas.keys().cloned().collect();
                errors.push(format!(
                    "`[ids]`: `{tf_name}` is no generated managed resource{}",
                    nearest_hint(tf_name, &names)
                ));
            }
        }
    }
    errors
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
        let is_argument = model_argument(def, attribute);
        match def.exports.iter_mut().find(|e| e.ident == *attribute) {
            Some(e) if e.ty == "Text" || e.ty == want => e.ty = want.to_owned(),
            Some(e) => errors.push(format!(
                "`{tf_name}.{attribute}` is exported as `{}`, not as text a rule can type `{want}`",
                e.ty
            )),
            // An argument the schema does not mark computed: exported too (the derive reads
            // it from the arguments, as the overlay's exports of arguments do).
            None if is_argument => {
                def.exports.push(Export {
                    ident: ident(attribute),
                    ty: want.to_owned(),
                });
                def.exports.sort_by(|a, b| a.ident.cmp(&b.ident));
            }
            None => errors.push(format!("`{tf_name}` has no accessor `{attribute}`")),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

/// Whether `name` is a top-level argument of `def`.
fn model_argument(def: &TypeDef, name: &str) -> bool {
    def.required
        .iter()
        .chain(&def.optional)
        .any(|f| f.tf_name == name)
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
    fn a_type_whose_id_is_not_its_id_exports_it_as_what_it_is() {
        // `aws_net_vpc`'s `id` is its name here: exported as a name, and the rule typing
        // `vpc_names` by name still applies.
        let (schema, mut first) = model();
        let rules = RULES.replacen("[[rule]]", "[ids]\naws_net_vpc = \"name\"\n\n[[rule]]", 1);
        // RULES types `vpc_id` from the VPC's `id`, which is now a name: an error naming the fix.
        let err = apply_text(&mut first, &rules, &schema).unwrap_err();
        assert!(
            err.contains("`aws_net_vpc`'s `id` is exported as `crate::Name<Self>` (`[ids]`): a rule cannot take it as `Id<Self>`; name the attribute"),
            "{err}"
        );
        let (schema, mut model) = model();
        let names_only = "[ids]\naws_net_vpc = \"text\"\n\n[[rule]]\narguments = [\"vpc_names\"]\nservices = [\"app\"]\ntarget = \"aws_net_vpc\"\nas = \"name\"\n";
        apply_text(&mut model, names_only, &schema).unwrap();
        let vpc = model.services["net"]
            .types
            .iter()
            .find(|t| t.rust_name == "Vpc")
            .unwrap();
        let export = |name: &str| {
            vpc.exports
                .iter()
                .find(|e| e.ident == name)
                .map(|e| e.ty.clone())
        };
        assert_eq!(export("id").as_deref(), Some("Text"));
        assert_eq!(export("name").as_deref(), Some("crate::Name<Self>"));
        // A name that is no generated managed resource.
        let err = error("[ids]\naws_net_vcp = \"name\"\n");
        assert!(
            err.contains(
                "`[ids]`: `aws_net_vcp` is no generated managed resource; nearest: `aws_net_vpc`"
            ),
            "{err}"
        );
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

    /// The model of `schema` with one overlay file, `overlay/types/<module>.toml`, holding `entry`.
    fn overlay_model(schema: &ProviderSchema, module: &str, entry: &str) -> Model {
        let file = (
            format!("{module}.toml"),
            module.to_owned(),
            entry.to_owned(),
        );
        let overlay = crate::overlay::Overlay::parse(&[file], schema).unwrap();
        build(schema, &HandWritten::default(), &overlay).unwrap()
    }

    /// A rule typing `aws_app_widget.role_arn` as a reference to the overlay-typed
    /// `aws_net_role` (overlay entry `entry`), `as = wrapper` from its `attribute`: the field's
    /// type, or the generation error.
    fn role_arn_typed(entry: &str, wrapper: &str, attribute: &str) -> Result<String, String> {
        let schema = parse_schema(SCHEMA, "p").unwrap();
        let mut model = overlay_model(&schema, "net", entry);
        let rules = format!(
            "[[rule]]\narguments = [\"role_arn\"]\nservices = [\"app\"]\ntarget = \"aws_net_role\"\nas = \"{wrapper}\"\nattribute = \"{attribute}\""
        );
        apply_text(&mut model, &rules, &schema)?;
        Ok(ty(&model, "aws_app_widget", "role_arn").to_owned())
    }

    #[test]
    fn a_reference_to_an_overlay_type_takes_the_kind_its_accessor_gives() {
        // `aws_net_role` is overlay-typed and exports its ARN as another kind's (IAM's
        // managed policies: `Arn<ManagedPolicy>`).
        const ENTRY: &str =
            "[aws_net_role]\nrust = \"Role\"\nexports = { arn = \"Arn<AnyRole>\" }\n";
        // Not `Arn<crate::aws::net::Role>`, which `role.arn()` does not give; and global,
        // as the kind has no region parameter.
        assert_eq!(
            role_arn_typed(ENTRY, "arn", "arn").unwrap(),
            "Option<crate::Arn<crate::aws::net::AnyRole>>"
        );
        // Another wrapper than the export's keeps the target's own kind.
        assert_eq!(
            role_arn_typed(ENTRY, "id", "id").unwrap(),
            "Option<crate::Id<crate::aws::net::Role>>"
        );
    }

    #[test]
    fn a_rule_on_an_overlay_type_needs_the_accessor_that_gives_its_reference() {
        // (the overlay's exports, the rule's wrapper and attribute, what the error says).
        let cases = [
            (
                "arn = \"Text\"",
                "arn",
                "arn",
                "`aws_net_role` exports `arn` as `Text`: a rule typing it as `Arn<Self>` needs the overlay entry to export `arn = \"Arn<Self>\"`",
            ),
            // `arn` is `Arn<Self>` by default, not a name.
            (
                "",
                "name",
                "arn",
                "`aws_net_role` exports `arn` as `Arn<Self>`: a rule typing it as `Name<Self>`",
            ),
        ];
        for (exports, wrapper, attribute, expected) in cases {
            let entry = format!("[aws_net_role]\nrust = \"Role\"\nexports = {{ {exports} }}\n");
            let err = role_arn_typed(&entry, wrapper, attribute).unwrap_err();
            assert!(err.contains(expected), "{exports}, {wrapper}: {err}");
        }
        // What the accessor gives, the rule may type.
        assert_eq!(
            role_arn_typed("[aws_net_role]\nrust = \"Role\"\n", "arn", "arn").unwrap(),
            "Option<crate::Arn<crate::aws::net::Role>>"
        );
    }

    #[test]
    fn an_overlay_typed_block_holding_a_regional_kind_makes_its_holders_generic() {
        let schema = parse_schema(SCHEMA, "p").unwrap();
        // The overlay types `inner.vpc_id` of `aws_app_widget`, two blocks down.
        let mut model = overlay_model(
            &schema,
            "app",
            "[aws_app_widget]\nrust = \"Widget\"\nblocks = { placement = { blocks = { inner = { args = { vpc_id = \"Id<Vpc<R>>\" } } } } }\n",
        );
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
            [
                "arn: Arn<Self>",
                "cidr: crate::Name<Self>",
                "id: Id<Self>",
                "name: Text",
                "region: Text"
            ]
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

    /// `net` has two regional kinds and a global one; `app` a policy on any of them.
    fn union_model() -> (ProviderSchema, Model) {
        let schema = r#"{"format_version": "1.0", "provider_schemas": {"p": {
            "provider": {"version": 0, "block": {}},
            "resource_schemas": {
                "aws_net_vpc": {"version": 0, "block": {"attributes": {
                    "arn": {"type": "string", "computed": true},
                    "region": {"type": "string", "optional": true, "computed": true}}}},
                "aws_net_subnet": {"version": 0, "block": {"attributes": {
                    "arn": {"type": "string", "computed": true},
                    "region": {"type": "string", "optional": true, "computed": true}}}},
                "aws_net_role": {"version": 0, "block": {"attributes": {
                    "arn": {"type": "string", "computed": true}}}},
                "aws_app_policy": {"version": 0, "block": {"attributes": {
                    "region": {"type": "string", "optional": true, "computed": true},
                    "resource_arn": {"type": "string", "required": true}}}}
            },
            "data_source_schemas": {}
        }}}"#;
        let schema = parse_schema(schema, "p").unwrap();
        let model = build(
            &schema,
            &HandWritten::default(),
            &crate::overlay::Overlay::default(),
        )
        .unwrap();
        (schema, model)
    }

    fn union_rule(targets: &str, kind: &str, services: &str) -> String {
        format!(
            "[[rule]]\narguments = [\"resource_arn\"]\nservices = {services}\ntargets = {targets}\nkind = \"{kind}\"\nas = \"arn\""
        )
    }

    #[test]
    fn a_union_types_an_argument_as_a_marker_kind_each_target_converts_into() {
        let (schema, mut model) = union_model();
        let rules = union_rule(
            r#"["aws_net_vpc", "aws_net_subnet"]"#,
            "PolicyTarget",
            r#"["app"]"#,
        );
        apply_text(&mut model, &rules, &schema).unwrap();
        let app = &model.services["app"];
        let policy = &app.types[0];
        assert_eq!(
            policy.required[0].ty,
            "crate::Arn<crate::aws::app::PolicyTarget<R>>"
        );
        // No feature dependency: each conversion from another service is behind its feature.
        assert!(app.requires.is_empty(), "{:?}", app.requires);
        let [union] = app.unions.as_slice() else {
            panic!("{:?}", app.unions)
        };
        let source = union.source();
        for member in ["Vpc", "Subnet"] {
            let from = format!(
                "#[cfg(feature = \"net\")]\nimpl<R: crate::Region> From<crate::Arn<crate::aws::net::{member}<R>>> for crate::Arn<PolicyTarget<R>> {{"
            );
            assert!(source.contains(&from), "{source}");
        }
        assert!(
            source.contains(
                "pub struct PolicyTarget<R: crate::Region>(std::marker::PhantomData<fn() -> R>);"
            ),
            "{source}"
        );
        assert!(
            source.contains("any of `net::Vpc` (`aws_net_vpc`), `net::Subnet` (`aws_net_subnet`)"),
            "{source}"
        );
        // The members' `arn` accessors are typed.
        let vpc = &model.services["net"]
            .types
            .iter()
            .find(|t| t.rust_name == "Vpc")
            .unwrap();
        assert!(
            vpc.exports
                .iter()
                .any(|e| e.ident == "arn" && e.ty == "Arn<Self>")
        );
        // Of any region: a kind without `R`, converting from every region's references.
        let (schema, mut model) = union_model();
        let rules = format!(
            "{}\nregion = \"Any\"",
            union_rule(r#"["aws_net_vpc"]"#, "Primary", r#"["app"]"#)
        );
        apply_text(&mut model, &rules, &schema).unwrap();
        let app = &model.services["app"];
        assert_eq!(
            app.types[0].required[0].ty,
            "crate::Arn<crate::aws::app::Primary>"
        );
        let source = app.unions[0].source();
        assert!(
            source.contains("pub struct Primary(std::marker::PhantomData<fn() -> ()>);"),
            "{source}"
        );
        assert!(source.contains("impl<R: crate::Region> From<crate::Arn<crate::aws::net::Vpc<R>>> for crate::Arn<Primary> {"), "{source}");
    }

    #[test]
    fn a_union_of_mixed_regions_a_taken_kind_or_two_services_is_an_error() {
        let cases = [
            (
                union_rule(r#"["aws_net_vpc", "aws_net_role"]"#, "Target", r#"["app"]"#),
                "a union's members are all regional or all global: `aws_net_vpc` (regional), `aws_net_role` (global)",
            ),
            (
                format!("{}\nregion = \"Any\"", union_rule(r#"["aws_net_role"]"#, "Target", r#"["app"]"#)),
                "`region = \"Any\"` is for regional members",
            ),
            (
                "[[rule]]\narguments = [\"resource_arn\"]\nservices = [\"app\"]\ntarget = \"aws_net_vpc\"\nas = \"arn\"\nregion = \"Any\"".to_owned(),
                "`region = \"Any\"` is for a union",
            ),
            (
                union_rule(r#"["aws_net_vpc", "aws_net_subnet"]"#, "Policy", r#"["app"]"#),
                "the kind `Policy` is taken in `app`",
            ),
            (
                union_rule(r#"["aws_net_vpc", "aws_net_subnet"]"#, "Target", r#"["app", "net"]"#),
                "a union's kind `Target` lives in one service's module; the rule names 2",
            ),
            (
                union_rule(r#"["aws_net_vpc", "aws_net_vpc"]"#, "Target", r#"["app"]"#),
                "two of the union's targets give the same kind",
            ),
            (
                union_rule(r#"["aws_net_vpc", "aws_net_subnt"]"#, "Target", r#"["app"]"#),
                "the schema has no managed resource `aws_net_subnt`; nearest: `aws_net_subnet`",
            ),
            (
                format!("{}\ntarget = \"aws_net_vpc\"", union_rule(r#"["aws_net_vpc"]"#, "Target", r#"["app"]"#)),
                "give either `target`, or `targets` with `kind` (a union)",
            ),
        ];
        for (rules, expected) in cases {
            let (schema, mut model) = union_model();
            let err = apply_text(&mut model, &rules, &schema).unwrap_err();
            assert!(err.contains(expected), "{expected}\n---\n{err}");
        }
    }
}
