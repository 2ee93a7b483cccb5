//! Validation of a whole Terraform JSON root module against a [`Schema`].
//!
//! The checks follow Terraform's JSON configuration syntax: block labels are nested object keys,
//! a block body is an object (or an array of objects), and every string value is a template whose
//! `${…}` references are resolved against the declarations of the same document.
//!
//! It is deliberately stricter than Terraform on one point: Terraform converts `"5"` to a number
//! and `5` to a string, but our emitter writes typed values, so a number where the schema expects
//! a string (or the reverse) is reported. A string holding a `${…}` template is accepted for any
//! type, since its type is only known once Terraform evaluates it.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{AttrType, BlockSchema, Kind, NestedBlockSchema, ProblemKind, Report, Schema};
use crate::template::{self, Step, Traversal};

/// Checks a synthesized Terraform JSON root module against a provider schema.
///
/// Every resource and data source type must be known, every argument known and settable, every
/// required argument present, values of the right type, nested blocks given as objects (or arrays
/// of objects, within `max_items`), `provider` meta-arguments must name a declared provider
/// configuration, and every reference inside `${…}` (and in `depends_on`) must name a declared
/// resource, data source, variable, local value or module, and an attribute the type exports.
///
/// ```
/// use infra_core::schema::{validate, ProblemKind, Schema};
/// use serde_json::json;
///
/// let doc = json!({
///     "provider": {"aws": [{"region": "eu-west-1"}, {"alias": "replica", "region": "eu-central-1"}]},
///     "resource": {
///         "aws_kms_key": {"main": {"provider": "aws.replica", "enable_key_rotation": true}},
///         "aws_kms_alias": {"main": {
///             "name": "alias/payments",
///             "target_key_id": "${aws_kms_key.main.key_id}"
///         }}
///     },
///     "output": {"key_arn": {"value": "${aws_kms_key.main.arn}"}}
/// });
/// assert!(validate(&doc, Schema::aws()).is_ok());
///
/// let broken = json!({"resource": {"aws_kms_alias": {"main": {
///     "name": "alias/payments",
///     "target_key_id": "${aws_kms_key.missing.key_id}"
/// }}}});
/// let report = validate(&broken, Schema::aws());
/// assert_eq!(report.problems.len(), 1);
/// assert!(matches!(report.problems[0].kind, ProblemKind::DanglingReference { .. }));
/// ```
pub fn validate(doc: &Value, schema: &Schema) -> Report {
    let mut validator = Validator {
        schema,
        decl: Declarations::collect(doc, schema),
        report: Report::default(),
    };
    validator.document(doc);
    validator.report
}

/// A property named `//` is a comment in Terraform JSON.
const COMMENT: &str = "//";

/// What the document declares, collected before anything is checked so that references may
/// point forwards.
#[derive(Default)]
struct Declarations {
    resources: BTreeSet<(String, String)>,
    data: BTreeSet<(String, String)>,
    variables: BTreeSet<String>,
    locals: BTreeSet<String>,
    modules: BTreeSet<String>,
    provider_aliases: BTreeSet<String>,
}

impl Declarations {
    fn collect(doc: &Value, schema: &Schema) -> Declarations {
        let mut decl = Declarations::default();
        let Some(root) = doc.as_object() else {
            return decl;
        };
        let labels = |key: &str| {
            root.get(key)
                .map(objects)
                .unwrap_or_default()
                .into_iter()
                .flat_map(|m| m.iter())
        };
        for (ty, by_name) in labels("resource") {
            for m in objects(by_name) {
                decl.resources
                    .extend(m.keys().map(|name| (ty.clone(), name.clone())));
            }
        }
        for (ty, by_name) in labels("data") {
            for m in objects(by_name) {
                decl.data
                    .extend(m.keys().map(|name| (ty.clone(), name.clone())));
            }
        }
        decl.variables
            .extend(labels("variable").map(|(k, _)| k.clone()));
        decl.locals.extend(labels("locals").map(|(k, _)| k.clone()));
        decl.modules
            .extend(labels("module").map(|(k, _)| k.clone()));
        for (name, configs) in labels("provider") {
            if name == schema.provider_name() {
                for config in objects(configs) {
                    if let Some(Value::String(alias)) = config.get("alias") {
                        decl.provider_aliases.insert(alias.clone());
                    }
                }
            }
        }
        decl
    }
}

/// An object, or the objects of an array: the forms a block body or a label level may take.
fn objects(value: &Value) -> Vec<&Map<String, Value>> {
    match value {
        Value::Object(m) => vec![m],
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

/// How a JSON value reads in a message (`a string`, `an object`).
pub(super) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

struct Validator<'s> {
    schema: &'s Schema,
    decl: Declarations,
    report: Report,
}

impl<'s> Validator<'s> {
    fn document(&mut self, doc: &Value) {
        let Some(root) = doc.as_object() else {
            self.wrong_type("", "object", doc);
            return;
        };
        for (key, value) in root {
            match key.as_str() {
                "terraform" | "variable" => {
                    self.expect_objects(key, value);
                }
                "provider" => self.providers(value),
                "resource" => self.resources(Kind::Resource, value),
                "data" => self.resources(Kind::DataSource, value),
                "locals" => {
                    for m in self.expect_objects(key, value) {
                        for (name, v) in m {
                            self.scan(v, &join(key, name), &[]);
                        }
                    }
                }
                "output" | "module" => self.outputs_or_modules(key, value),
                "moved" => self.moved(value),
                COMMENT => {}
                _ => self
                    .report
                    .push("", ProblemKind::UnknownTopLevelKey { key: key.clone() }),
            }
        }
    }

    /// `moved` blocks: each a `from` and a `to` address; the `to` must be declared (Terraform
    /// refuses a move to nothing, and one whose `from` is still declared).
    fn moved(&mut self, value: &Value) {
        for (i, block) in self.expect_objects("moved", value).into_iter().enumerate() {
            for end in ["from", "to"] {
                let path = format!("moved[{i}].{end}");
                let Some(address) = block.get(end).and_then(Value::as_str) else {
                    self.report.push(
                        &path,
                        ProblemKind::MissingRequired {
                            name: end.to_owned(),
                        },
                    );
                    continue;
                };
                let declared = address.split_once('.').is_some_and(|(t, n)| {
                    self.decl.resources.contains(&(t.to_owned(), n.to_owned()))
                });
                if declared != (end == "to") {
                    let kind = if declared {
                        ProblemKind::WrongType {
                            expected: "the old address of a resource no longer declared".into(),
                            found: format!("`{address}`, still declared"),
                        }
                    } else {
                        ProblemKind::DanglingReference {
                            reference: address.to_owned(),
                        }
                    };
                    self.report.push(&path, kind);
                }
            }
        }
    }

    fn wrong_type(&mut self, path: &str, expected: &str, found: &Value) {
        self.report.push(
            path,
            ProblemKind::WrongType {
                expected: expected.to_owned(),
                found: describe(found).to_owned(),
            },
        );
    }

    /// The objects of a value that must be an object or an array of objects.
    fn expect_objects<'v>(&mut self, path: &str, value: &'v Value) -> Vec<&'v Map<String, Value>> {
        let ok = match value {
            Value::Object(_) => true,
            Value::Array(items) => items.iter().all(Value::is_object),
            _ => false,
        };
        if !ok {
            self.wrong_type(path, "object", value);
        }
        objects(value)
    }

    /// `label → body` pairs of a labelled level.
    fn labelled<'v>(&mut self, path: &str, value: &'v Value) -> Vec<(&'v String, &'v Value)> {
        self.expect_objects(path, value)
            .into_iter()
            .flat_map(|m| m.iter())
            .filter(|(k, _)| k.as_str() != COMMENT)
            .collect()
    }

    fn providers(&mut self, value: &Value) {
        let provider_name = self.schema.provider_name();
        for (name, configs) in self.labelled("provider", value) {
            let path = join("provider", name);
            if name != provider_name {
                self.report.push(
                    path,
                    ProblemKind::UnknownProvider {
                        provider: name.clone(),
                    },
                );
                continue;
            }
            let many = configs.is_array();
            for (i, config) in self.expect_objects(&path, configs).into_iter().enumerate() {
                let at = if many {
                    format!("{path}[{i}]")
                } else {
                    path.clone()
                };
                for meta in ["alias", "version"] {
                    if let Some(v) = config.get(meta).filter(|v| !v.is_string()) {
                        self.wrong_type(&join(&at, meta), "string", v);
                    }
                }
                let schema = self.schema;
                self.block_body(
                    config,
                    schema.provider_config(),
                    &at,
                    &[],
                    &["alias", "version"],
                );
            }
        }
    }

    fn resources(&mut self, kind: Kind, value: &Value) {
        let prefix = match kind {
            Kind::Resource => "resource",
            Kind::DataSource => "data",
        };
        for (type_name, by_name) in self.labelled(prefix, value) {
            let type_path = join(prefix, type_name);
            let schema = self.schema.block(kind, type_name);
            if schema.is_none() {
                let type_name = type_name.clone();
                self.report.push(
                    &type_path,
                    match kind {
                        Kind::Resource => ProblemKind::UnknownResourceType { type_name },
                        Kind::DataSource => ProblemKind::UnknownDataSource { type_name },
                    },
                );
            }
            for (name, body) in self.labelled(&type_path, by_name) {
                let path = join(&type_path, name);
                for body in self.expect_objects(&path, body) {
                    self.resource_body(kind, schema, body, &path);
                }
            }
        }
    }

    /// A resource or data source body: meta-arguments, then the schema's arguments.
    fn resource_body(
        &mut self,
        kind: Kind,
        schema: Option<&BlockSchema>,
        body: &Map<String, Value>,
        path: &str,
    ) {
        let mut meta = vec!["provider", "depends_on", "count", "for_each", "lifecycle"];
        if kind == Kind::Resource {
            meta.extend(["connection", "provisioner"]);
        }
        for &key in &meta {
            let Some(value) = body.get(key) else { continue };
            let at = join(path, key);
            match key {
                "provider" => self.provider_meta(value, &at),
                "depends_on" => self.addresses(value, &at),
                "count" => {
                    self.value(value, &AttrType::Number, &at);
                    self.scan(value, &at, &[]);
                }
                "lifecycle" => self.lifecycle(schema, value, &at),
                // `for_each` takes a map or a set; provisioners and connections run with `self`.
                _ => self.scan(value, &at, &["self"]),
            }
        }
        match schema {
            Some(schema) => self.block_body(body, schema, path, &[], &meta),
            None => {
                for (key, value) in body {
                    if !meta.contains(&key.as_str()) {
                        self.scan(value, &join(path, key), &[]);
                    }
                }
            }
        }
    }

    fn provider_meta(&mut self, value: &Value, path: &str) {
        let Value::String(text) = value else {
            self.wrong_type(path, "string", value);
            return;
        };
        let address = text
            .strip_prefix("${")
            .and_then(|t| t.strip_suffix('}'))
            .unwrap_or(text);
        let (name, alias) = match address.split_once('.') {
            Some((name, alias)) => (name, Some(alias)),
            None => (address, None),
        };
        let declared = name == self.schema.provider_name()
            && alias.is_none_or(|alias| self.decl.provider_aliases.contains(alias));
        if !declared {
            self.report.push(
                path,
                ProblemKind::UndeclaredProvider {
                    provider: address.to_owned(),
                },
            );
        }
    }

    /// `depends_on` and `replace_triggered_by`: bare addresses (or, in old syntax, templates).
    fn addresses(&mut self, value: &Value, path: &str) {
        let Value::Array(items) = value else {
            self.wrong_type(path, "list(string)", value);
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let Value::String(text) = item else {
                self.wrong_type(&at, "string", item);
                continue;
            };
            let found = if template::has_template(text) {
                template::template_traversals(text)
            } else {
                template::expression_traversals(text)
            };
            self.references(found, text, &at, &[]);
        }
    }

    fn lifecycle(&mut self, schema: Option<&BlockSchema>, value: &Value, path: &str) {
        for body in self.expect_objects(path, value) {
            for (key, v) in body {
                let at = join(path, key);
                match key.as_str() {
                    "create_before_destroy" | "prevent_destroy" => {
                        self.value(v, &AttrType::Bool, &at);
                    }
                    "ignore_changes" => self.ignore_changes(schema, v, &at),
                    "replace_triggered_by" => self.addresses(v, &at),
                    "precondition" | "postcondition" => self.scan(v, &at, &["self"]),
                    COMMENT => {}
                    _ => self
                        .report
                        .push(path, ProblemKind::UnknownArgument { name: key.clone() }),
                }
            }
        }
    }

    /// `ignore_changes` is `"all"` or a list of argument names (possibly with an index).
    fn ignore_changes(&mut self, schema: Option<&BlockSchema>, value: &Value, path: &str) {
        match value {
            Value::String(s) if s == "all" => {}
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let at = format!("{path}[{i}]");
                    let Value::String(s) = item else {
                        self.wrong_type(&at, "string", item);
                        continue;
                    };
                    let name = s.split(['.', '[']).next().unwrap_or_default().to_owned();
                    let known = schema.is_none_or(|b| {
                        b.attributes.contains_key(&name) || b.blocks.contains_key(&name)
                    });
                    if !known {
                        self.report.push(at, ProblemKind::UnknownArgument { name });
                    }
                }
            }
            _ => self.wrong_type(path, "list(string)", value),
        }
    }

    fn outputs_or_modules(&mut self, key: &str, value: &Value) {
        for (name, body) in self.labelled(key, value) {
            let path = join(key, name);
            for body in self.expect_objects(&path, body) {
                for (arg, v) in body {
                    let at = join(&path, arg);
                    match arg.as_str() {
                        "depends_on" => self.addresses(v, &at),
                        "source" | "version" | "providers" | COMMENT if key == "module" => {}
                        _ => self.scan(v, &at, &[]),
                    }
                }
            }
        }
    }

    /// The arguments and nested blocks of a body; `skip` names keys the caller handles.
    fn block_body(
        &mut self,
        body: &Map<String, Value>,
        schema: &BlockSchema,
        path: &str,
        roots: &[&str],
        skip: &[&str],
    ) {
        let mut dynamic_blocks = BTreeSet::new();
        for (key, value) in body {
            if key == COMMENT || skip.contains(&key.as_str()) {
                continue;
            }
            let at = join(path, key);
            if let Some(attr) = schema.attributes.get(key) {
                if attr.is_computed_only() {
                    self.report
                        .push(&at, ProblemKind::ComputedOnlyArgument { name: key.clone() });
                } else {
                    self.value(value, &attr.ty, &at);
                }
                self.scan(value, &at, roots);
            } else if let Some(nested) = schema.blocks.get(key) {
                self.nested_block(key, value, nested, path, roots);
            } else if key == "dynamic" {
                dynamic_blocks = self.dynamic(value, schema, &at, roots);
            } else {
                self.report
                    .push(path, ProblemKind::UnknownArgument { name: key.clone() });
                self.scan(value, &at, roots);
            }
        }
        for (name, attr) in &schema.attributes {
            if attr.required && body.get(name).is_none_or(Value::is_null) {
                self.report
                    .push(path, ProblemKind::MissingRequired { name: name.clone() });
            }
        }
        for (name, nested) in &schema.blocks {
            if nested.min_items > 0 && !body.contains_key(name) && !dynamic_blocks.contains(name) {
                self.report
                    .push(path, ProblemKind::MissingRequired { name: name.clone() });
            }
        }
    }

    fn nested_block(
        &mut self,
        name: &str,
        value: &Value,
        schema: &NestedBlockSchema,
        path: &str,
        roots: &[&str],
    ) {
        let at = join(path, name);
        let items: Vec<(String, &Map<String, Value>)> = match value {
            Value::Null => return,
            Value::Object(m) => vec![(at.clone(), m)],
            Value::Array(items) => {
                let mut found = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let item_path = format!("{at}[{i}]");
                    match item {
                        Value::Object(m) => found.push((item_path, m)),
                        other => self.report.push(
                            item_path,
                            ProblemKind::WrongBlockShape {
                                expected: "a block (an object)".to_owned(),
                                found: describe(other).to_owned(),
                            },
                        ),
                    }
                }
                found
            }
            other => {
                self.report.push(
                    &at,
                    ProblemKind::WrongBlockShape {
                        expected: "a block (an object or an array of objects)".to_owned(),
                        found: describe(other).to_owned(),
                    },
                );
                return;
            }
        };
        if let Some(max) = schema.max().filter(|max| items.len() as u64 > *max) {
            self.report.push(
                &at,
                ProblemKind::TooManyBlocks {
                    name: name.to_owned(),
                    max,
                    found: items.len(),
                },
            );
        }
        if (items.len() as u64) < schema.min_items {
            self.report.push(
                &at,
                ProblemKind::TooFewBlocks {
                    name: name.to_owned(),
                    min: schema.min_items,
                    found: items.len(),
                },
            );
        }
        for (item_path, body) in items {
            self.block_body(body, &schema.block, &item_path, roots, &[]);
        }
    }

    /// `"dynamic": {"<block>": {"for_each": …, "iterator": …, "content": {…}}}`; returns the
    /// block names it generates.
    fn dynamic(
        &mut self,
        value: &Value,
        schema: &BlockSchema,
        path: &str,
        roots: &[&str],
    ) -> BTreeSet<String> {
        let mut generated = BTreeSet::new();
        for (label, spec) in self.labelled(path, value) {
            let at = join(path, label);
            let Some(nested) = schema.blocks.get(label) else {
                self.report.push(
                    path,
                    ProblemKind::UnknownArgument {
                        name: label.clone(),
                    },
                );
                continue;
            };
            generated.insert(label.clone());
            for spec in self.expect_objects(&at, spec) {
                let iterator = match spec.get("iterator") {
                    Some(Value::String(name)) => name.as_str(),
                    _ => label.as_str(),
                };
                let mut inner: Vec<&str> = roots.to_vec();
                inner.push(iterator);
                for (key, v) in spec {
                    let key_path = join(&at, key);
                    match key.as_str() {
                        "for_each" | "labels" => self.scan(v, &key_path, roots),
                        "iterator" | COMMENT => {}
                        "content" => {
                            for body in self.expect_objects(&key_path, v) {
                                self.block_body(body, &nested.block, &key_path, &inner, &[]);
                            }
                        }
                        _ => self
                            .report
                            .push(&at, ProblemKind::UnknownArgument { name: key.clone() }),
                    }
                }
            }
        }
        generated
    }

    /// Checks that a value has a type; templates and nulls match any type.
    fn value(&mut self, value: &Value, ty: &AttrType, path: &str) {
        match (value, ty) {
            (_, AttrType::Dynamic) | (Value::Null, _) => {}
            (Value::String(s), _) if template::has_template(s) => {}
            (Value::String(_), AttrType::String)
            | (Value::Number(_), AttrType::Number)
            | (Value::Bool(_), AttrType::Bool) => {}
            (Value::Array(items), AttrType::List(inner) | AttrType::Set(inner)) => {
                for (i, item) in items.iter().enumerate() {
                    self.value(item, inner, &format!("{path}[{i}]"));
                }
            }
            (Value::Object(m), AttrType::Map(inner)) => {
                for (k, v) in m {
                    self.value(v, inner, &join(path, k));
                }
            }
            (Value::Object(m), AttrType::Object(fields)) => {
                for (k, v) in m {
                    match fields.get(k) {
                        Some(field) => self.value(v, field, &join(path, k)),
                        None => self
                            .report
                            .push(path, ProblemKind::UnknownArgument { name: k.clone() }),
                    }
                }
            }
            _ => self.wrong_type(path, &ty.to_string(), value),
        }
    }

    /// Checks the references in every string of a value.
    fn scan(&mut self, value: &Value, path: &str, roots: &[&str]) {
        match value {
            Value::String(text) => {
                let found = template::template_traversals(text);
                self.references(found, text, path, roots);
                for reference in template::pasted_references(text) {
                    self.report
                        .push(path, ProblemKind::PastedReference { reference });
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.scan(item, &format!("{path}[{i}]"), roots);
                }
            }
            Value::Object(m) => {
                for (k, v) in m {
                    self.scan(v, &join(path, k), roots);
                }
            }
            _ => {}
        }
    }

    fn references(
        &mut self,
        found: Result<Vec<Traversal>, String>,
        text: &str,
        path: &str,
        roots: &[&str],
    ) {
        match found {
            Ok(traversals) => {
                for t in &traversals {
                    self.reference(t, path, roots);
                }
            }
            Err(reason) => self.report.push(
                path,
                ProblemKind::MalformedTemplate {
                    text: text.to_owned(),
                    reason,
                },
            ),
        }
    }

    fn reference(&mut self, t: &Traversal, path: &str, roots: &[&str]) {
        if roots.contains(&t.root.as_str()) {
            return;
        }
        match t.root.as_str() {
            "path" | "terraform" | "each" | "count" | "self" => {}
            "var" | "local" | "module" => {
                let Some(name) = t.attr(0) else {
                    self.dangling(t, 1, path);
                    return;
                };
                let (declared, kind) = match t.root.as_str() {
                    "var" => (
                        self.decl.variables.contains(name),
                        ProblemKind::UndeclaredVariable {
                            name: name.to_owned(),
                        },
                    ),
                    "local" => (
                        self.decl.locals.contains(name),
                        ProblemKind::UndeclaredLocal {
                            name: name.to_owned(),
                        },
                    ),
                    _ => (
                        self.decl.modules.contains(name),
                        ProblemKind::DanglingReference {
                            reference: t.prefix(1),
                        },
                    ),
                };
                if !declared {
                    self.report.push(path, kind);
                }
            }
            "data" => {
                let (Some(ty), Some(name)) = (t.attr(0), t.attr(1)) else {
                    self.dangling(t, 2, path);
                    return;
                };
                if !self.decl.data.contains(&(ty.to_owned(), name.to_owned())) {
                    self.dangling(t, 2, path);
                    return;
                }
                let schema = self.schema.data_source(ty);
                self.attribute_path(t, 2, schema, path);
            }
            ty => {
                let Some(name) = t.attr(0) else {
                    self.dangling(t, 1, path);
                    return;
                };
                if !self
                    .decl
                    .resources
                    .contains(&(ty.to_owned(), name.to_owned()))
                {
                    self.dangling(t, 1, path);
                    return;
                }
                let schema = self.schema.resource(ty);
                self.attribute_path(t, 1, schema, path);
            }
        }
    }

    fn dangling(&mut self, t: &Traversal, steps: usize, path: &str) {
        self.report.push(
            path,
            ProblemKind::DanglingReference {
                reference: t.prefix(steps.min(t.steps.len())),
            },
        );
    }

    /// Follows the steps after a declaration's name through its schema, reporting the first name
    /// the schema does not have. Maps and dynamic values end the walk.
    fn attribute_path(
        &mut self,
        t: &Traversal,
        start: usize,
        schema: Option<&BlockSchema>,
        path: &str,
    ) {
        enum At<'a> {
            Block(&'a BlockSchema),
            Type(&'a AttrType),
        }
        let Some(schema) = schema else { return };
        let mut at = At::Block(schema);
        for step in &t.steps[start..] {
            at = match (step, at) {
                (Step::Index, At::Block(b)) => At::Block(b),
                (
                    Step::Index,
                    At::Type(AttrType::List(inner) | AttrType::Set(inner) | AttrType::Map(inner)),
                ) => At::Type(inner),
                (Step::Attr(name), At::Block(b)) => {
                    if let Some(attr) = b.attributes.get(name) {
                        At::Type(&attr.ty)
                    } else if let Some(nested) = b.blocks.get(name) {
                        At::Block(&nested.block)
                    } else {
                        self.unknown_attribute(t, name, path);
                        return;
                    }
                }
                (Step::Attr(name), At::Type(AttrType::Object(fields))) => match fields.get(name) {
                    Some(ty) => At::Type(ty),
                    None => {
                        self.unknown_attribute(t, name, path);
                        return;
                    }
                },
                _ => return,
            };
        }
    }

    fn unknown_attribute(&mut self, t: &Traversal, name: &str, path: &str) {
        self.report.push(
            path,
            ProblemKind::UnknownAttribute {
                reference: t.prefix(t.steps.len()),
                attribute: name.to_owned(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn problems(doc: &Value) -> Vec<(String, ProblemKind)> {
        validate(doc, Schema::aws())
            .problems
            .into_iter()
            .map(|p| (p.path, p.kind))
            .collect()
    }

    /// The document must fail with exactly this one problem.
    #[track_caller]
    fn assert_single(doc: Value, path: &str, kind: ProblemKind) {
        assert_eq!(problems(&doc), [(path.to_owned(), kind)]);
    }

    fn key(body: Value) -> Value {
        json!({"resource": {"aws_kms_key": {"k": body}}})
    }

    #[test]
    fn realistic_document_passes() {
        let doc = json!({
            "//": "generated by payment-stack",
            "terraform": {
                "required_providers": {"aws": {"source": "hashicorp/aws", "version": "6.66.0"}},
                "backend": {"s3": {"bucket": "tf-state", "key": "payments.tfstate", "region": "eu-west-1"}}
            },
            "provider": {"aws": [
                {"region": "eu-west-1", "default_tags": {"tags": {"service": "payments"}}},
                {"alias": "replica", "region": "eu-central-1", "assume_role": [{"role_arn": "${var.deploy_role_arn}"}]}
            ]},
            "variable": {
                "deploy_role_arn": {"type": "string"},
                "environment": {"type": "string", "default": "prod"}
            },
            "locals": {"name": "payments-${var.environment}", "zip": "${path.module}/lambda.zip"},
            "data": {
                "aws_caller_identity": {"current": {}},
                "aws_region": {"current": {}},
                "aws_partition": {"current": {}},
                "aws_iam_policy_document": {"assume": {"statement": [{
                    "actions": ["sts:AssumeRole"],
                    "principals": [{"type": "Service", "identifiers": ["lambda.amazonaws.com"]}]
                }]}}
            },
            "resource": {},
            "output": {
                "api_url": {"value": "${aws_api_gateway_stage.live.invoke_url}"},
                "subnets": {"value": "${aws_subnet.private[*].id}"},
                "first_subnet": {"value": "${aws_subnet.private[0].arn}", "depends_on": ["aws_vpc.main"]}
            }
        });
        let mut doc = doc;
        doc["resource"]["aws_kms_key"] = json!({
            "primary": {
                "description": "${local.name} data key",
                "enable_key_rotation": true,
                "deletion_window_in_days": 30,
                "policy": "${jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Principal = {AWS = \"arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root\"}, Action = \"kms:*\", Resource = \"*\"}]})}",
                "lifecycle": {"prevent_destroy": true, "ignore_changes": ["tags"]}
            },
            "replica": {"provider": "aws.replica", "enable_key_rotation": true, "multi_region": true}
        });
        doc["resource"]["aws_kms_alias"] = json!({"primary": {"name": "alias/${local.name}", "target_key_id": "${aws_kms_key.primary.key_id}"}});
        doc["resource"]["aws_dynamodb_table"] = json!({"payments": {
            "name": "${local.name}",
            "billing_mode": "PAY_PER_REQUEST",
            "hash_key": "pk",
            "range_key": "sk",
            "attribute": [{"name": "pk", "type": "S"}, {"name": "sk", "type": "S"}],
            "point_in_time_recovery": {"enabled": true},
            "server_side_encryption": {"enabled": true, "kms_key_arn": "${aws_kms_key.primary.arn}"},
            "ttl": {"attribute_name": "expires_at", "enabled": true},
            "tags": {"data-class": "pci"}
        }});
        doc["resource"]["aws_s3_bucket"] =
            json!({"artifacts": {"bucket": "${local.name}-artifacts", "force_destroy": false}});
        doc["resource"]["aws_s3_bucket_versioning"] = json!({"artifacts": {
            "bucket": "${aws_s3_bucket.artifacts.id}",
            "versioning_configuration": {"status": "Enabled"}
        }});
        doc["resource"]["aws_s3_bucket_server_side_encryption_configuration"] = json!({"artifacts": {
            "bucket": "${aws_s3_bucket.artifacts.id}",
            "rule": [{"apply_server_side_encryption_by_default": {
                "sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.primary.arn}"
            }, "bucket_key_enabled": true}]
        }});
        doc["resource"]["aws_s3_bucket_public_access_block"] = json!({"artifacts": {
            "bucket": "${aws_s3_bucket.artifacts.id}",
            "block_public_acls": true, "block_public_policy": true,
            "ignore_public_acls": true, "restrict_public_buckets": true
        }});
        doc["resource"]["aws_iam_role"] = json!({"lambda": {
            "name": "${local.name}-lambda",
            "assume_role_policy": "${data.aws_iam_policy_document.assume.json}"
        }});
        doc["resource"]["aws_iam_role_policy_attachment"] = json!({"logs": {
            "role": "${aws_iam_role.lambda.name}",
            "policy_arn": "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        }});
        doc["resource"]["aws_cloudwatch_log_group"] = json!({"lambda": {
            "name": "/aws/lambda/${local.name}",
            "retention_in_days": 365,
            "kms_key_id": "${aws_kms_key.primary.arn}"
        }});
        doc["resource"]["aws_lambda_function"] = json!({"api": {
            "function_name": "${local.name}",
            "role": "${aws_iam_role.lambda.arn}",
            "runtime": "provided.al2023",
            "handler": "bootstrap",
            "architectures": ["arm64"],
            "filename": "${local.zip}",
            "source_code_hash": "${filebase64sha256(local.zip)}",
            "memory_size": 256,
            "timeout": 10,
            "kms_key_arn": "${aws_kms_key.primary.arn}",
            "environment": {"variables": {
                "TABLE_NAME": "${aws_dynamodb_table.payments.name}",
                "REGION": "${data.aws_region.current.region}"
            }},
            "tracing_config": {"mode": "Active"},
            "depends_on": ["aws_cloudwatch_log_group.lambda", "aws_iam_role_policy_attachment.logs"]
        }});
        doc["resource"]["aws_lambda_permission"] = json!({"api": {
            "statement_id": "AllowApiGateway",
            "action": "lambda:InvokeFunction",
            "function_name": "${aws_lambda_function.api.function_name}",
            "principal": "apigateway.amazonaws.com",
            "source_arn": "${aws_api_gateway_rest_api.api.execution_arn}/*/*"
        }});
        doc["resource"]["aws_api_gateway_rest_api"] = json!({"api": {
            "name": "${local.name}",
            "endpoint_configuration": {"types": ["REGIONAL"]}
        }});
        doc["resource"]["aws_api_gateway_resource"] = json!({"payments": {
            "rest_api_id": "${aws_api_gateway_rest_api.api.id}",
            "parent_id": "${aws_api_gateway_rest_api.api.root_resource_id}",
            "path_part": "payments"
        }});
        doc["resource"]["aws_api_gateway_method"] = json!({"post": {
            "rest_api_id": "${aws_api_gateway_rest_api.api.id}",
            "resource_id": "${aws_api_gateway_resource.payments.id}",
            "http_method": "POST",
            "authorization": "AWS_IAM",
            "request_parameters": {"method.request.header.Idempotency-Key": true}
        }});
        doc["resource"]["aws_api_gateway_integration"] = json!({"post": {
            "rest_api_id": "${aws_api_gateway_rest_api.api.id}",
            "resource_id": "${aws_api_gateway_resource.payments.id}",
            "http_method": "${aws_api_gateway_method.post.http_method}",
            "integration_http_method": "POST",
            "type": "AWS_PROXY",
            "uri": "${aws_lambda_function.api.invoke_arn}"
        }});
        doc["resource"]["aws_api_gateway_deployment"] = json!({"api": {
            "rest_api_id": "${aws_api_gateway_rest_api.api.id}",
            "triggers": {"redeploy": "${sha1(jsonencode([aws_api_gateway_method.post.id, aws_api_gateway_integration.post.id]))}"},
            "lifecycle": {"create_before_destroy": true}
        }});
        doc["resource"]["aws_api_gateway_stage"] = json!({"live": {
            "rest_api_id": "${aws_api_gateway_rest_api.api.id}",
            "deployment_id": "${aws_api_gateway_deployment.api.id}",
            "stage_name": "live",
            "xray_tracing_enabled": true,
            "access_log_settings": {
                "destination_arn": "${aws_cloudwatch_log_group.lambda.arn}",
                "format": "{\"requestId\":\"$context.requestId\"}"
            }
        }});
        doc["resource"]["aws_sqs_queue"] = json!({"dlq": {"name": "${local.name}-dlq", "kms_master_key_id": "${aws_kms_key.primary.id}"}});
        doc["resource"]["aws_security_group"] = json!({"lambda": {
            "name": "${local.name}",
            "vpc_id": "${aws_vpc.main.id}",
            "egress": [{
                "from_port": 443, "to_port": 443, "protocol": "tcp",
                "cidr_blocks": ["0.0.0.0/0"], "description": "https",
                "ipv6_cidr_blocks": null, "prefix_list_ids": null, "security_groups": null, "self": null
            }]
        }});
        doc["resource"]["aws_vpc"] =
            json!({"main": {"cidr_block": "10.0.0.0/16", "enable_dns_hostnames": true}});
        doc["resource"]["aws_subnet"] = json!({"private": {
            "count": 2,
            "vpc_id": "${aws_vpc.main.id}",
            "cidr_block": "${cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)}",
            "availability_zone": "${data.aws_availability_zones.available.names[count.index]}"
        }});
        doc["resource"]["aws_route53_record"] = json!({"api": {
            "for_each": "${toset([\"a\", \"b\"])}",
            "zone_id": "${data.aws_route53_zone.main.zone_id}",
            "name": "${each.key}.pay.example.com",
            "type": "A",
            "alias": {"name": "${aws_api_gateway_rest_api.api.id}", "zone_id": "Z1", "evaluate_target_health": false}
        }});
        doc["resource"]["aws_ssm_parameter"] = json!({"table": {
            "name": "/payments/table",
            "type": "String",
            "value": "${aws_dynamodb_table.payments.name} costs $${amount} at 100%%{x}"
        }});
        doc["data"]["aws_availability_zones"] = json!({"available": {"state": "available"}});
        doc["data"]["aws_route53_zone"] = json!({"main": {"name": "pay.example.com"}});
        let report = validate(&doc, Schema::aws());
        assert!(report.is_ok(), "{report}");
    }

    #[test]
    fn unknown_top_level_key() {
        assert_single(
            json!({"resources": {}}),
            "",
            ProblemKind::UnknownTopLevelKey {
                key: "resources".into(),
            },
        );
    }

    #[test]
    fn unknown_resource_type_and_data_source() {
        assert_single(
            json!({"resource": {"aws_kms_keys": {"k": {}}}}),
            "resource.aws_kms_keys",
            ProblemKind::UnknownResourceType {
                type_name: "aws_kms_keys".into(),
            },
        );
        assert_single(
            json!({"data": {"aws_identity": {"me": {}}}}),
            "data.aws_identity",
            ProblemKind::UnknownDataSource {
                type_name: "aws_identity".into(),
            },
        );
    }

    #[test]
    fn unknown_argument() {
        assert_single(
            key(json!({"enable_rotation": true})),
            "resource.aws_kms_key.k",
            ProblemKind::UnknownArgument {
                name: "enable_rotation".into(),
            },
        );
    }

    #[test]
    fn missing_required_argument_and_block() {
        assert_single(
            json!({"resource": {"aws_kms_alias": {"a": {"name": "alias/x"}}}}),
            "resource.aws_kms_alias.a",
            ProblemKind::MissingRequired {
                name: "target_key_id".into(),
            },
        );
        assert_single(
            json!({"resource": {"aws_s3_bucket_server_side_encryption_configuration": {"s": {"bucket": "b"}}}}),
            "resource.aws_s3_bucket_server_side_encryption_configuration.s",
            ProblemKind::MissingRequired {
                name: "rule".into(),
            },
        );
        // null is no value
        assert_single(
            json!({"resource": {"aws_kms_alias": {"a": {"name": "alias/x", "target_key_id": null}}}}),
            "resource.aws_kms_alias.a",
            ProblemKind::MissingRequired {
                name: "target_key_id".into(),
            },
        );
    }

    #[test]
    fn computed_only_argument() {
        assert_single(
            key(json!({"arn": "arn:aws:kms:eu-west-1:1:key/x"})),
            "resource.aws_kms_key.k.arn",
            ProblemKind::ComputedOnlyArgument { name: "arn".into() },
        );
    }

    #[test]
    fn wrong_types() {
        assert_single(
            key(json!({"enable_key_rotation": "true"})),
            "resource.aws_kms_key.k.enable_key_rotation",
            ProblemKind::WrongType {
                expected: "bool".into(),
                found: "a string".into(),
            },
        );
        assert_single(
            key(json!({"deletion_window_in_days": true})),
            "resource.aws_kms_key.k.deletion_window_in_days",
            ProblemKind::WrongType {
                expected: "number".into(),
                found: "a bool".into(),
            },
        );
        assert_single(
            key(json!({"tags": {"team": 7}})),
            "resource.aws_kms_key.k.tags.team",
            ProblemKind::WrongType {
                expected: "string".into(),
                found: "a number".into(),
            },
        );
        assert_single(
            key(json!({"tags": ["a"]})),
            "resource.aws_kms_key.k.tags",
            ProblemKind::WrongType {
                expected: "map(string)".into(),
                found: "an array".into(),
            },
        );
        assert_single(
            json!({"resource": {"aws_lambda_function": {"f": {
                "function_name": "f", "role": "r", "architectures": ["arm64", 64]
            }}}}),
            "resource.aws_lambda_function.f.architectures[1]",
            ProblemKind::WrongType {
                expected: "string".into(),
                found: "a number".into(),
            },
        );
    }

    #[test]
    fn templates_are_accepted_for_any_type() {
        let doc = json!({
            "variable": {"rotate": {}, "days": {}},
            "resource": {"aws_kms_key": {"k": {
                "enable_key_rotation": "${var.rotate}",
                "deletion_window_in_days": "${var.days}",
                "tags": "${merge(local.tags, {a = \"b\"})}"
            }}},
            "locals": {"tags": {"a": "b"}}
        });
        assert!(validate(&doc, Schema::aws()).is_ok());
    }

    #[test]
    fn block_given_as_a_scalar() {
        assert_single(
            json!({"resource": {"aws_lambda_function": {"f": {
                "function_name": "f", "role": "r", "vpc_config": "subnet-1"
            }}}}),
            "resource.aws_lambda_function.f.vpc_config",
            ProblemKind::WrongBlockShape {
                expected: "a block (an object or an array of objects)".into(),
                found: "a string".into(),
            },
        );
        assert_single(
            json!({"resource": {"aws_dynamodb_table": {"t": {"name": "t", "attribute": [{"name": "pk", "type": "S"}, 3]}}}}),
            "resource.aws_dynamodb_table.t.attribute[1]",
            ProblemKind::WrongBlockShape {
                expected: "a block (an object)".into(),
                found: "a number".into(),
            },
        );
    }

    #[test]
    fn too_many_blocks() {
        assert_single(
            json!({"resource": {"aws_lambda_function": {"f": {
                "function_name": "f", "role": "r",
                "environment": [{"variables": {"A": "1"}}, {"variables": {"B": "2"}}]
            }}}}),
            "resource.aws_lambda_function.f.environment",
            ProblemKind::TooManyBlocks {
                name: "environment".into(),
                max: 1,
                found: 2,
            },
        );
    }

    #[test]
    fn nested_block_arguments_are_checked() {
        assert_single(
            json!({"resource": {"aws_lambda_function": {"f": {
                "function_name": "f", "role": "r", "environment": {"vars": {}}
            }}}}),
            "resource.aws_lambda_function.f.environment",
            ProblemKind::UnknownArgument {
                name: "vars".into(),
            },
        );
        assert_single(
            json!({"resource": {"aws_security_group": {"g": {"ingress": [{"from_port": "80"}]}}}}),
            "resource.aws_security_group.g.ingress[0].from_port",
            ProblemKind::WrongType {
                expected: "number".into(),
                found: "a string".into(),
            },
        );
    }

    #[test]
    fn moved_blocks_move_an_old_address_to_a_declared_one() {
        let kms = |name: &str| json!({"resource": {"aws_kms_key": {name: {}}}, "moved": [{"from": "aws_kms_key.old", "to": "aws_kms_key.new"}]});
        let ok = validate(&kms("new"), Schema::aws());
        assert!(ok.is_ok(), "{ok}");
        assert_single(
            kms("other"),
            "moved[0].to",
            ProblemKind::DanglingReference {
                reference: "aws_kms_key.new".into(),
            },
        );
        let mut both = kms("new");
        both["resource"]["aws_kms_key"]["old"] = json!({});
        let report = validate(&both, Schema::aws());
        assert_eq!(report.problems.len(), 1, "{report}");
        assert_eq!(report.problems[0].path, "moved[0].from");
    }

    #[test]
    fn dangling_references() {
        assert_single(
            json!({"resource": {"aws_kms_alias": {"a": {"name": "alias/a", "target_key_id": "${aws_kms_key.nope.id}"}}}}),
            "resource.aws_kms_alias.a.target_key_id",
            ProblemKind::DanglingReference {
                reference: "aws_kms_key.nope".into(),
            },
        );
        assert_single(
            json!({"output": {"me": {"value": "${data.aws_caller_identity.me.account_id}"}}}),
            "output.me.value",
            ProblemKind::DanglingReference {
                reference: "data.aws_caller_identity.me".into(),
            },
        );
        assert_single(
            json!({"resource": {"aws_kms_key": {"k": {"depends_on": ["aws_iam_role.missing"]}}}}),
            "resource.aws_kms_key.k.depends_on[0]",
            ProblemKind::DanglingReference {
                reference: "aws_iam_role.missing".into(),
            },
        );
        assert_single(
            json!({"locals": {"x": "${module.network.vpc_id}"}}),
            "locals.x",
            ProblemKind::DanglingReference {
                reference: "module.network".into(),
            },
        );
    }

    #[test]
    fn unknown_attribute() {
        assert_single(
            json!({"resource": {"aws_kms_key": {"k": {}}}, "output": {"arn": {"value": "${aws_kms_key.k.key_arn}"}}}),
            "output.arn.value",
            ProblemKind::UnknownAttribute {
                reference: "aws_kms_key.k.key_arn".into(),
                attribute: "key_arn".into(),
            },
        );
        // through a block and an index
        assert_single(
            json!({"resource": {"aws_lambda_function": {"f": {"function_name": "f", "role": "r"}}},
                   "output": {"v": {"value": "${aws_lambda_function.f.vpc_config[0].subnets}"}}}),
            "output.v.value",
            ProblemKind::UnknownAttribute {
                reference: "aws_lambda_function.f.vpc_config[…].subnets".into(),
                attribute: "subnets".into(),
            },
        );
    }

    #[test]
    fn undeclared_variable_and_local() {
        assert_single(
            key(json!({"description": "${var.purpose}"})),
            "resource.aws_kms_key.k.description",
            ProblemKind::UndeclaredVariable {
                name: "purpose".into(),
            },
        );
        assert_single(
            key(json!({"description": "${local.purpose}"})),
            "resource.aws_kms_key.k.description",
            ProblemKind::UndeclaredLocal {
                name: "purpose".into(),
            },
        );
    }

    #[test]
    fn undeclared_provider_alias() {
        assert_single(
            json!({"provider": {"aws": {"region": "eu-west-1"}},
                   "resource": {"aws_kms_key": {"k": {"provider": "aws.replica"}}}}),
            "resource.aws_kms_key.k.provider",
            ProblemKind::UndeclaredProvider {
                provider: "aws.replica".into(),
            },
        );
        assert_single(
            key(json!({"provider": "google"})),
            "resource.aws_kms_key.k.provider",
            ProblemKind::UndeclaredProvider {
                provider: "google".into(),
            },
        );
        // a single object declares an alias too
        let ok = json!({"provider": {"aws": {"alias": "replica", "region": "eu-central-1"}},
                        "resource": {"aws_kms_key": {"k": {"provider": "aws.replica"}}}});
        assert!(validate(&ok, Schema::aws()).is_ok());
    }

    #[test]
    fn provider_configuration_is_checked() {
        assert_single(
            json!({"provider": {"aws": {"regoin": "eu-west-1"}}}),
            "provider.aws",
            ProblemKind::UnknownArgument {
                name: "regoin".into(),
            },
        );
        assert_single(
            json!({"provider": {"aws": [{"region": "eu-west-1"}, {"alias": "b", "default_tags": {"tags": ["x"]}}]}}),
            "provider.aws[1].default_tags.tags",
            ProblemKind::WrongType {
                expected: "map(string)".into(),
                found: "an array".into(),
            },
        );
        assert_single(
            json!({"provider": {"google": {}}}),
            "provider.google",
            ProblemKind::UnknownProvider {
                provider: "google".into(),
            },
        );
    }

    #[test]
    fn escaped_template_is_not_a_reference() {
        let doc = key(json!({"description": "literal $${var.nope} and %%{ if var.x }"}));
        assert!(validate(&doc, Schema::aws()).is_ok());
        // while the same text unescaped is checked
        let doc = key(json!({"description": "literal ${aws_kms_key.nope.arn}"}));
        assert!(matches!(
            problems(&doc).as_slice(),
            [(_, ProblemKind::DanglingReference { .. })]
        ));
    }

    #[test]
    fn an_escaped_resource_reference_is_reported_as_pasted() {
        // What `format!("{:?}", key.arn())` produces once it is literal text.
        assert_single(
            key(
                json!({"description": "Arn<kms::Key<UsEast1>> { reference: $${aws_kms_key.k.arn} }"}),
            ),
            "resource.aws_kms_key.k.description",
            ProblemKind::PastedReference {
                reference: "aws_kms_key.k.arn".into(),
            },
        );
        let doc = key(json!({"description": "$${data.aws_region.current.name}"}));
        assert!(matches!(
            problems(&doc).as_slice(),
            [(path, ProblemKind::PastedReference { reference })]
                if path == "resource.aws_kms_key.k.description"
                    && reference == "data.aws_region.current.name"
        ));
    }

    #[test]
    fn malformed_template() {
        assert_single(
            key(json!({"description": "${aws_kms_key.k.arn"})),
            "resource.aws_kms_key.k.description",
            ProblemKind::MalformedTemplate {
                text: "${aws_kms_key.k.arn".into(),
                reason: "missing closing `}`".into(),
            },
        );
    }

    #[test]
    fn lifecycle_is_checked() {
        assert_single(
            key(json!({"lifecycle": {"ignore_changes": ["tagz"]}})),
            "resource.aws_kms_key.k.lifecycle.ignore_changes[0]",
            ProblemKind::UnknownArgument {
                name: "tagz".into(),
            },
        );
        assert_single(
            key(json!({"lifecycle": {"prevent_destroy": "yes"}})),
            "resource.aws_kms_key.k.lifecycle.prevent_destroy",
            ProblemKind::WrongType {
                expected: "bool".into(),
                found: "a string".into(),
            },
        );
    }

    #[test]
    fn dynamic_blocks_use_their_iterator() {
        let doc = json!({
            "variable": {"attrs": {}},
            "resource": {"aws_dynamodb_table": {"t": {
                "name": "t",
                "dynamic": {"attribute": {
                    "for_each": "${var.attrs}",
                    "content": {"name": "${attribute.value.name}", "type": "${attribute.value.type}"}
                }}
            }}}
        });
        assert!(
            validate(&doc, Schema::aws()).is_ok(),
            "{}",
            validate(&doc, Schema::aws())
        );
    }

    #[test]
    fn every_problem_is_reported() {
        let doc = json!({
            "resource": {"aws_kms_key": {"k": {"enable_rotation": true, "arn": "x"}}},
            "output": {"o": {"value": "${var.nope}"}}
        });
        assert_eq!(validate(&doc, Schema::aws()).problems.len(), 3);
    }
}
