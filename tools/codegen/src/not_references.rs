//! Reviewed non-references (`infra-core/overlay/not-references.toml`): the reference-shaped
//! arguments of managed resources that do not refer to another Terraform resource, and the
//! services whose every reference-shaped argument is typed or reviewed (`complete`).
//!
//! A reference-shaped argument (`…_arn`, `…_id`, `…_identifier`, `…_name`, `…_url`, their
//! plurals, `role`, `bucket`: `model::reference_shaped`) is either a reference, which a rule of
//! `references.toml` (or the overlay) types, or one of two kinds of non-reference, which an entry
//! of this file lists with a reason: `own`, the resource's own name or ID, chosen where it is set
//! (`aws_cloudwatch_metric_alarm.alarm_name`); `value`, the name or ID of something that is not a
//! Terraform resource (a metric name, an account ID, an AWS-managed ARN). The coverage report
//! leaves listed arguments out of the reference count and shows them apart; data sources are
//! never listed (their reference-shaped arguments are look-up keys, counted apart too).
//!
//! Every entry is checked against the schema and the typed model, all errors collected: an
//! unknown service, type or argument (with the nearest names), an argument that is no
//! reference-shaped string, one that a rule or the overlay types (a contradiction), one listed
//! twice, an unknown `why`, an empty `reason`. For a `complete` service, generation fails on
//! every reference-shaped `Text` argument of its managed resources, at any depth, that is
//! neither typed nor listed. [`apply`] runs after [`crate::references::apply`].

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::handwritten::nearest_hint;
use crate::model::{Kind, Model, TypeDef, reference_sites};
use crate::references::{ends_with_path, resource_names, retype};
use crate::schema::ProviderSchema;

/// The parsed file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotReferences {
    /// Services whose every reference-shaped `Text` argument must be typed or listed.
    #[serde(default)]
    pub complete: Vec<String>,
    /// The entries (`[[not]]`).
    #[serde(default, rename = "not")]
    pub entries: Vec<Entry>,
}

/// One `[[not]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Argument names (any depth) or block paths (`rule.name`), as in `references.toml`.
    pub arguments: Vec<String>,
    /// The managed resource types it applies to (or `services`, not both).
    #[serde(default)]
    pub types: Vec<String>,
    /// The services whose managed resources it applies to (or `types`, not both).
    #[serde(default)]
    pub services: Vec<String>,
    /// `own` or `value`.
    pub why: String,
    /// Why the arguments are not references.
    pub reason: String,
}

/// The kinds of non-reference an entry may give.
const WHYS: &[&str] = &["own", "value"];

/// Parses the file.
pub fn parse(text: &str) -> Result<NotReferences, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}

/// How the Rust type holds a reference-shaped argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// `Arn<K>`, `Id<K>`, `Name<K>`, `Url<K>` (or a collection of them).
    Typed,
    /// `Text` (or a collection of it): what a rule can type.
    Text,
    /// Otherwise: sensitive, held by a hand-written type, or left out by the overlay.
    Other,
}

/// One reference-shaped string argument of a managed resource, at one schema path.
#[derive(Debug)]
struct Site {
    service: String,
    tf_name: String,
    /// `arg` at the top level, `block.inner.arg` below.
    path: String,
    state: State,
    /// The entry listing it (index) and its `why`.
    listed: Option<(usize, bool)>,
}

/// What [`apply`] found, for the log and the tests.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Listed arguments that are a resource's own name or ID.
    pub own: usize,
    /// Listed arguments that name something outside Terraform.
    pub value: usize,
    /// Reference-shaped `Text` arguments neither typed nor listed, in services not (yet)
    /// `complete`.
    pub open: usize,
}

/// Whether a Rust type is (a collection of) a typed reference.
fn is_reference_type(ty: &str) -> bool {
    ["Arn<", "Id<", "Name<", "Url<"].iter().any(|needle| {
        ty.match_indices(needle).any(|(i, _)| {
            ty[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
        })
    })
}

/// The state of the argument at `path` in the Rust type `def` (`None`: left out).
fn state(def: Option<&TypeDef>, path: &str) -> State {
    let Some(def) = def else {
        return State::Other;
    };
    let field = match path.rsplit_once('.') {
        None => def
            .required
            .iter()
            .chain(&def.optional)
            .find(|f| f.tf_name == path),
        Some((parent, arg)) => def
            .blocks
            .iter()
            .filter(|b| b.paths.iter().any(|p| p == parent))
            .flat_map(|b| &b.fields)
            .find(|f| f.tf_name == arg),
    };
    match field {
        Some(f) if is_reference_type(&f.ty) => State::Typed,
        Some(f) if retype(&f.ty, "X").is_some() => State::Text,
        _ => State::Other,
    }
}

/// Whether the argument spec (`name`, or `block.name`) names the argument at `path`.
fn spec_matches(spec: &str, path: &str) -> bool {
    if spec.contains('.') {
        ends_with_path(path, spec)
    } else {
        path.rsplit('.').next() == Some(spec)
    }
}

/// Every reference-shaped string argument of every managed resource of the model.
fn sites(model: &Model, schema: &ProviderSchema) -> Vec<Site> {
    let mut defs: BTreeMap<&str, &TypeDef> = BTreeMap::new();
    let generated = model.services.values().flat_map(|s| &s.types);
    let typed = model.typed.values().flat_map(|m| &m.types);
    for def in generated.chain(typed) {
        if def.kind == Kind::Resource {
            defs.insert(&def.tf_name, def);
        }
    }
    let mut out = Vec::new();
    for name in model.services.keys() {
        for tf_name in resource_names(model, std::slice::from_ref(name)) {
            let Some(ts) = schema.resource_schemas.get(tf_name) else {
                continue;
            };
            let def = defs.get(tf_name.as_str()).copied();
            // A hand-written type (none is left) is regional as the schema says.
            let regional = def.map_or_else(
                || {
                    ts.block
                        .attributes
                        .get("region")
                        .is_some_and(|a| a.optional)
                },
                |d| d.regional,
            );
            for path in reference_sites(&ts.block, regional) {
                out.push(Site {
                    service: name.clone(),
                    tf_name: tf_name.clone(),
                    state: state(def, &path),
                    path,
                    listed: None,
                });
            }
        }
    }
    out
}

/// Checks `list` against the schema and the typed model, subtracts the listed arguments from
/// the services' reference counts (counting them as `own` or `value`), marks the `complete`
/// services and fails on their untyped, unlisted reference arguments. Every error is
/// reported at once.
pub fn apply(
    model: &mut Model,
    list: &NotReferences,
    schema: &ProviderSchema,
) -> Result<Summary, String> {
    let mut sites = sites(model, schema);
    let mut errors = Vec::new();
    let service_names: Vec<String> = model.services.keys().cloned().collect();
    for (index, entry) in list.entries.iter().enumerate() {
        let at = format!("entry {} (`{}`)", index + 1, entry.arguments.join("`, `"));
        let mut bad = false;
        if !WHYS.contains(&entry.why.as_str()) {
            let names: Vec<String> = WHYS.iter().map(|w| (*w).to_owned()).collect();
            errors.push(format!(
                "{at}: unknown `why` `{}`{} (`own`: the resource's own name or ID; `value`: something that is not a Terraform resource)",
                entry.why,
                nearest_hint(&entry.why, &names)
            ));
            bad = true;
        }
        if entry.reason.trim().is_empty() {
            errors.push(format!(
                "{at}: empty `reason`: say why they are not references"
            ));
            bad = true;
        }
        if entry.types.is_empty() == entry.services.is_empty() {
            errors.push(format!("{at}: give exactly one of `types` and `services`"));
            continue;
        }
        if entry.arguments.is_empty() {
            errors.push(format!("{at}: no `arguments`"));
            bad = true;
        }
        for service in &entry.services {
            if !model.services.contains_key(service) {
                errors.push(format!(
                    "{at}: unknown service `{service}`{}",
                    nearest_hint(service, &service_names)
                ));
                bad = true;
            }
        }
        for ty in &entry.types {
            if schema.resource_schemas.contains_key(ty) {
                continue;
            }
            if schema.data_source_schemas.contains_key(ty) {
                errors.push(format!(
                    "{at}: `{ty}` is only a data source: data sources are not listed (their reference-shaped arguments are look-up keys, counted apart)"
                ));
            } else {
                let names: Vec<String> = schema.resource_schemas.keys().cloned().collect();
                errors.push(format!(
                    "{at}: the schema has no managed resource `{ty}`{}",
                    nearest_hint(ty, &names)
                ));
            }
            bad = true;
        }
        if bad {
            continue;
        }
        let scope: BTreeSet<String> = if entry.types.is_empty() {
            resource_names(model, &entry.services)
                .into_iter()
                .cloned()
                .collect()
        } else {
            entry.types.iter().cloned().collect()
        };
        let shown = if entry.types.is_empty() {
            entry.services.join("`, `")
        } else {
            entry.types.join("`, `")
        };
        let own = entry.why == "own";
        for spec in &entry.arguments {
            let mut matched = 0;
            for site in sites
                .iter_mut()
                .filter(|s| scope.contains(&s.tf_name) && spec_matches(spec, &s.path))
            {
                // A bare name leaves a typed argument of a nested block alone: that is another
                // argument of the same name (`aws_s3_bucket.bucket` is the bucket's own name,
                // its replication's `destination.bucket` a typed reference).
                if site.state == State::Typed && !spec.contains('.') && site.path.contains('.') {
                    continue;
                }
                matched += 1;
                let name = format!("`{}.{}`", site.tf_name, site.path);
                if site.state == State::Typed {
                    errors.push(format!(
                        "{at}: {name} is typed (by a rule of references.toml or the overlay) and listed as no reference: drop one"
                    ));
                } else if let Some((first, _)) = site.listed {
                    errors.push(format!(
                        "{at}: {name} is listed by entry {} already",
                        first + 1
                    ));
                } else {
                    site.listed = Some((index, own));
                }
            }
            if matched > 0 {
                continue;
            }
            let mut known = BTreeSet::new();
            for tf_name in &scope {
                if let Some(ts) = schema.resource_schemas.get(tf_name) {
                    known.extend(ts.block.settable_arguments().into_iter().map(|(p, _)| p));
                }
            }
            if known.iter().any(|p| spec_matches(spec, p)) {
                errors.push(format!(
                    "{at}: `{spec}` of `{shown}` is no reference-shaped string argument: there is nothing to list"
                ));
            } else {
                let n = spec.split('.').count();
                let tails: BTreeSet<String> = known
                    .iter()
                    .filter_map(|p| {
                        let parts: Vec<&str> = p.split('.').collect();
                        (parts.len() >= n).then(|| parts[parts.len() - n..].join("."))
                    })
                    .collect();
                let tails: Vec<String> = tails.into_iter().collect();
                errors.push(format!(
                    "{at}: no managed resource of `{shown}` has an argument `{spec}`{}",
                    nearest_hint(spec, &tails)
                ));
            }
        }
    }
    let mut complete = BTreeSet::new();
    for service in &list.complete {
        if !model.services.contains_key(service) {
            errors.push(format!(
                "`complete`: unknown service `{service}`{}",
                nearest_hint(service, &service_names)
            ));
        } else if !complete.insert(service.clone()) {
            errors.push(format!("`complete`: `{service}` is listed twice"));
        }
    }
    let mut open: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for site in sites
        .iter()
        .filter(|s| s.state == State::Text && s.listed.is_none())
    {
        open.entry(site.service.as_str())
            .or_default()
            .push(format!("`{}.{}`", site.tf_name, site.path));
    }
    let mut summary = Summary::default();
    for (service, names) in &open {
        if complete.contains(*service) {
            errors.push(format!(
                "`complete` service `{service}`: {} reference-shaped `Text` argument(s) neither typed nor listed (add a rule to references.toml or list it in not-references.toml):\n  {}",
                names.len(),
                names.join("\n  ")
            ));
        } else {
            summary.open += names.len();
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    for site in &sites {
        let Some((_, own)) = site.listed else {
            continue;
        };
        let service = model
            .services
            .get_mut(&site.service)
            .expect("from the model");
        let generated = service
            .types
            .iter()
            .any(|t| t.kind == Kind::Resource && t.tf_name == site.tf_name);
        for counts in [&mut service.schema_counts]
            .into_iter()
            .chain(generated.then_some(&mut service.generated_counts))
        {
            counts.references -= 1;
            if own {
                counts.own += 1;
            } else {
                counts.value += 1;
            }
        }
        if own {
            summary.own += 1;
        } else {
            summary.value += 1;
        }
    }
    for name in &complete {
        model
            .services
            .get_mut(name)
            .expect("checked above")
            .complete = true;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handwritten::HandWritten;
    use crate::model::build;
    use crate::schema::parse as parse_schema;

    /// `net` has a VPC; `app` a regional widget (a reference, its own name, a metric name, a
    /// nested reference, a sensitive one, a plain argument) and a data source of the same name.
    const SCHEMA: &str = r#"{"format_version": "1.0", "provider_schemas": {"p": {
        "provider": {"version": 0, "block": {}},
        "resource_schemas": {
            "aws_net_vpc": {"version": 0, "block": {"attributes": {
                "arn": {"type": "string", "computed": true},
                "region": {"type": "string", "optional": true, "computed": true}
            }}},
            "aws_app_widget": {"version": 0, "block": {
                "attributes": {
                    "region": {"type": "string", "optional": true, "computed": true},
                    "vpc_id": {"type": "string", "required": true},
                    "widget_name": {"type": "string", "required": true},
                    "metric_name": {"type": "string", "optional": true},
                    "secret_id": {"type": "string", "optional": true, "sensitive": true},
                    "size": {"type": "number", "optional": true}
                },
                "block_types": {"rule": {"nesting_mode": "list", "block": {
                    "attributes": {"target_arn": {"type": "string", "optional": true},
                        "vpc_id": {"type": "string", "optional": true}}
                }}}
            }}
        },
        "data_source_schemas": {
            "aws_app_widget": {"version": 0, "block": {"attributes": {
                "widget_name": {"type": "string", "required": true}
            }}},
            "aws_app_lookup": {"version": 0, "block": {"attributes": {
                "thing_id": {"type": "string", "required": true}
            }}}
        }
    }}}"#;

    const RULES: &str = r#"[[rule]]
        arguments = ["vpc_id"]
        services = ["app"]
        target = "aws_net_vpc"
        as = "id""#;

    /// The model with the VPC rule applied.
    fn model() -> (ProviderSchema, Model) {
        let schema = parse_schema(SCHEMA, "p").unwrap();
        let mut model = build(
            &schema,
            &HandWritten::default(),
            &crate::overlay::Overlay::default(),
        )
        .unwrap();
        crate::references::apply(
            &mut model,
            &crate::references::parse(RULES).unwrap(),
            &schema,
            &HandWritten::default(),
        )
        .unwrap();
        (schema, model)
    }

    fn run(text: &str) -> Result<(Model, Summary), String> {
        let (schema, mut model) = model();
        let summary = apply(&mut model, &parse(text).unwrap(), &schema)?;
        Ok((model, summary))
    }

    /// Lists the widget's own name and its metric name.
    const LISTED: &str = r#"
        [[not]]
        arguments = ["widget_name"]
        types = ["aws_app_widget"]
        why = "own"
        reason = "the widget's own name"

        [[not]]
        arguments = ["metric_name"]
        services = ["app"]
        why = "value"
        reason = "a metric's name, not a resource"
    "#;

    #[test]
    fn listed_arguments_leave_the_reference_count_and_are_counted_apart() {
        let (model, summary) = run(LISTED).unwrap();
        let app = &model.services["app"];
        // vpc_id, widget_name, metric_name, rule.target_arn, rule.vpc_id, secret_id; less the
        // two listed.
        assert_eq!(app.schema_counts.references, 4);
        assert_eq!(app.generated_counts.references, 4);
        assert_eq!((app.schema_counts.own, app.schema_counts.value), (1, 1));
        // Both data sources' keys, not references.
        assert_eq!(app.schema_counts.lookup, 2);
        assert_eq!(app.schema_counts.typed, 0);
        assert_eq!(app.generated_counts.typed, 2);
        // `rule.target_arn` is open (the sensitive `secret_id` is no `Text` a rule could type).
        assert_eq!(
            summary,
            Summary {
                own: 1,
                value: 1,
                open: 1
            }
        );
        assert!(!app.complete);
    }

    #[test]
    fn a_complete_service_fails_on_each_reference_neither_typed_nor_listed() {
        let err = run(&format!("complete = [\"app\"]\n{LISTED}")).unwrap_err();
        assert!(
            err.contains("`complete` service `app`: 1 reference-shaped `Text` argument(s) neither typed nor listed (add a rule to references.toml or list it in not-references.toml):\n  `aws_app_widget.rule.target_arn`"),
            "{err}"
        );
        let err = run("complete = [\"app\"]").unwrap_err();
        for open in [
            "`aws_app_widget.metric_name`",
            "`aws_app_widget.widget_name`",
            "`aws_app_widget.rule.target_arn`",
        ] {
            assert!(err.contains(open), "{open}: {err}");
        }
        // Listed by its block path, the service is complete.
        let more = r#"
            [[not]]
            arguments = ["rule.target_arn"]
            types = ["aws_app_widget"]
            why = "value"
            reason = "an ARN outside the stack""#;
        let (model, summary) = run(&format!("complete = [\"app\"]\n{LISTED}{more}")).unwrap();
        assert!(model.services["app"].complete && !model.services["net"].complete);
        assert_eq!(summary.open, 0);
    }

    #[test]
    fn every_bad_entry_is_an_error_naming_the_nearest() {
        let entry = |arguments: &str, scope: &str, why: &str, reason: &str| {
            format!(
                "[[not]]\narguments = [{arguments}]\n{scope}\nwhy = \"{why}\"\nreason = \"{reason}\"\n"
            )
        };
        let types = "types = [\"aws_app_widget\"]";
        let cases = [
            (
                entry("\"metric_name\"", "services = [\"ap\"]", "value", "r"),
                "entry 1 (`metric_name`): unknown service `ap`; nearest: `app`",
            ),
            (
                entry(
                    "\"metric_name\"",
                    "types = [\"aws_app_widgit\"]",
                    "value",
                    "r",
                ),
                "the schema has no managed resource `aws_app_widgit`; nearest: `aws_app_widget`",
            ),
            (
                entry("\"thing_id\"", "types = [\"aws_app_lookup\"]", "value", "r"),
                "`aws_app_lookup` is only a data source: data sources are not listed",
            ),
            (
                entry("\"metric_nam\"", types, "value", "r"),
                "no managed resource of `aws_app_widget` has an argument `metric_nam`; nearest: `metric_name`",
            ),
            (
                entry("\"rule.target_ar\"", types, "value", "r"),
                "has an argument `rule.target_ar`; nearest: `rule.target_arn`",
            ),
            (
                entry("\"size\"", types, "value", "r"),
                "`size` of `aws_app_widget` is no reference-shaped string argument: there is nothing to list",
            ),
            (
                entry("\"vpc_id\"", types, "value", "r"),
                "`aws_app_widget.vpc_id` is typed (by a rule of references.toml or the overlay) and listed as no reference: drop one",
            ),
            (
                entry("\"rule.vpc_id\"", types, "value", "r"),
                "`aws_app_widget.rule.vpc_id` is typed (by a rule of references.toml or the overlay) and listed as no reference: drop one",
            ),
            (
                format!(
                    "{}{}",
                    entry("\"metric_name\"", types, "value", "r"),
                    entry("\"metric_name\"", "services = [\"app\"]", "value", "r")
                ),
                "entry 2 (`metric_name`): `aws_app_widget.metric_name` is listed by entry 1 already",
            ),
            (
                entry("\"metric_name\"", types, "value", " "),
                "entry 1 (`metric_name`): empty `reason`",
            ),
            (
                entry("\"metric_name\"", types, "valeu", "r"),
                "unknown `why` `valeu`; nearest: `value`",
            ),
            (
                entry(
                    "\"metric_name\"",
                    "types = [\"aws_app_widget\"]\nservices = [\"app\"]",
                    "value",
                    "r",
                ),
                "give exactly one of `types` and `services`",
            ),
            (
                entry("\"metric_name\"", "", "value", "r"),
                "give exactly one of `types` and `services`",
            ),
            (
                "complete = [\"apps\"]".to_owned(),
                "`complete`: unknown service `apps`; nearest: `app`",
            ),
        ];
        for (text, expected) in cases {
            let err = run(&text).unwrap_err();
            assert!(err.contains(expected), "{expected}\n---\n{err}");
        }
        // Errors are collected: two bad entries, two messages.
        let text = format!(
            "{}{}",
            entry("\"metric_nam\"", types, "value", "r"),
            entry("\"size\"", types, "own", "")
        );
        let err = run(&text).unwrap_err();
        assert!(
            err.contains("entry 1 (`metric_nam`)") && err.contains("entry 2 (`size`): empty"),
            "{err}"
        );
        // A bare name leaves a typed argument of a nested block alone (another argument of
        // that name): only the top level's contradiction is reported.
        let err = run(&entry("\"vpc_id\"", types, "value", "r")).unwrap_err();
        assert!(!err.contains("rule.vpc_id"), "{err}");
        assert!(
            parse("[[not]]\narguments = []\nwhy = \"own\"\nreason = \"r\"\nextra = 1").is_err()
        );
    }

    #[test]
    fn reference_types_are_told_from_text() {
        assert!(is_reference_type("Option<crate::Arn<crate::aws::x::Y<R>>>"));
        assert!(is_reference_type("Vec<Id<kms::Key<R>>>"));
        assert!(!is_reference_type("Option<DataId<X>>"));
        assert!(!is_reference_type("Option<Text>"));
    }
}
