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

use super::template::{self, Step, Traversal};
use super::{AttrType, BlockSchema, Kind, NestedBlockSchema, ProblemKind, Report, Schema};

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
        decl.variables.extend(labels("variable").map(|(k, _)| k.clone()));
        decl.locals.extend(labels("locals").map(|(k, _)| k.clone()));
        decl.modules.extend(labels("module").map(|(k, _)| k.clone()));
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

/// How a JSON value reads in a message.
fn describe(value: &Value) -> &'static str {
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
                COMMENT => {}
                _ => self
                    .report
                    .push("", ProblemKind::UnknownTopLevelKey { key: key.clone() }),
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
                let at = if many { format!("{path}[{i}]") } else { path.clone() };
                for meta in ["alias", "version"] {
                    if let Some(v) = config.get(meta).filter(|v| !v.is_string()) {
                        self.wrong_type(&join(&at, meta), "string", v);
                    }
                }
                let schema = self.schema;
                self.block_body(config, schema.provider_config(), &at, &[], &["alias", "version"]);
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
                    let name = s
                        .split(['.', '['])
                        .next()
                        .unwrap_or_default()
                        .to_owned();
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
        if let Some(max) = schema.max() {
            if items.len() as u64 > max {
                self.report.push(
                    &at,
                    ProblemKind::TooManyBlocks {
                        name: name.to_owned(),
                        max,
                        found: items.len(),
                    },
                );
            }
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
                self.report
                    .push(path, ProblemKind::UnknownArgument { name: label.clone() });
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
                    self.dangling(t, 3, path);
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
                if !self.decl.resources.contains(&(ty.to_owned(), name.to_owned())) {
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
