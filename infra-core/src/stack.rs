//! A stack (one Terraform root module), its providers, and synthesis into a [`Document`].
//!
//! A [`Stack`] collects providers, resources, data sources, variables, locals and outputs.
//! Resources are added through a provider handle [`Aws<R>`], which ties each one to the
//! provider's region `R` and prefixes its logical name with the provider's alias, so the
//! per-region half of a stack can be written once, generic over `R`; [`Aws::scope`] nests names
//! further, so a component can run twice in one region. Resources stay typed nodes until
//! synthesis ([`Stack::amend`] changes one through its handle), and [`Stack::synth`] writes each
//! node's JSON once, in address order. Mistakes found only while
//! building (a duplicate name, a malformed override) are collected and reported together by
//! [`Stack::synth`], with the findings of the rules it runs over the document
//! ([`crate::rules`]); nothing is written when there is any.

use std::cell::RefCell;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::marker::PhantomData;
use std::panic::Location;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use thiserror::Error;

use crate::args::Argument;
use crate::backend::{Backend, BackendError};
use crate::document::Document;
use crate::graph;
use crate::refs::{Node, NodeKind, Ref};
use crate::region::Region;
use crate::resource::{DataSource, InRegion, Managed, Resource};
use crate::rules::{self, Compliance, Finding, Pack, RuleSet, Suppression};
use crate::sensitive::{PlainValue, Sensitive};
use crate::template;
use crate::text::{Text, escape};

/// The AWS provider version constraint written to `required_providers`: only versions that know
/// every argument infra-core can emit. Its lower bound is the newest `since` of
/// [`crate::schema::NEWER_THAN_5_100`] (`replica.deletion_protection_enabled` of
/// `aws_dynamodb_table`, added in 6.9.0; 6.0 to 6.8 reject it), which a test checks.
pub const AWS_PROVIDER_VERSION: &str = ">= 6.9.0, < 7.0.0";
/// The Terraform version the output needs (S3 lock files need 1.10). It is documented rather
/// than written as `required_version`: checkov's JSON parser rejects a file that has it, and
/// the scan is part of every stack's tests.
pub const TERRAFORM_VERSION: &str = ">= 1.10";

/// A problem found while building a stack, reported by [`Stack::synth`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StackProblem {
    /// Two resources of one type share a logical name.
    #[error(
        "duplicate logical name `{name}` for `{type_name}`: added at {first} and again at {second}"
    )]
    DuplicateName {
        /// The Terraform type.
        type_name: &'static str,
        /// The logical name.
        name: String,
        /// Where the user's code added the first one (`src/lib.rs:12:5`).
        first: String,
        /// Where it added the second one.
        second: String,
    },
    /// A grant could not be computed from the granted resource (see [`crate::grants`]).
    #[error("cannot grant on `{address}`: {why}")]
    Grant {
        /// The granted resource's address.
        address: String,
        /// Why.
        why: String,
    },
    /// [`Stack::amend`] was given a handle to a node this stack does not hold (a handle of
    /// another stack, or one made with [`Ref::new`]).
    #[error("`{address}` is not a resource of this stack, so it cannot be amended")]
    NotInStack {
        /// The handle's address.
        address: String,
    },
    /// A logical name is not a Terraform identifier.
    #[error(
        "invalid logical name `{name}` for `{type_name}`: expected letters, digits, `_` or `-`, starting with a letter or `_`"
    )]
    InvalidName {
        /// The Terraform type (or `output`, `variable`, `local`, `provider`, `scope`).
        type_name: &'static str,
        /// The name.
        name: String,
    },
    /// Two providers share an alias.
    #[error("duplicate provider alias `{0}`")]
    DuplicateProvider(String),
    /// Two outputs, variables or locals share a name.
    #[error("duplicate {what} `{name}`")]
    Duplicate {
        /// `output`, `variable` or `local`.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A raw override path does not fit the resource's arguments.
    #[error("override `{path}` on `{address}` does not fit: {why}")]
    BadOverride {
        /// The resource address.
        address: String,
        /// The override path.
        path: String,
        /// Why it does not fit.
        why: String,
    },
    /// A meta-argument entry that Terraform reads as a reference or an argument name
    /// (`depends_on`, `lifecycle.ignore_changes`) is not one.
    #[error("invalid `{argument}` entry `{value}` on `{address}`: expected {expected}")]
    InvalidMetaArgument {
        /// The resource address.
        address: String,
        /// `depends_on` or `ignore_changes`.
        argument: &'static str,
        /// The entry as given.
        value: String,
        /// What the entry must look like.
        expected: &'static str,
    },
    /// A string holds what reads like a reference but is literal text: `$${aws_kms_key.k.arn}`
    /// where the text was meant to be `${aws_kms_key.k.arn}`. It is what a reference pasted into
    /// a string (`format!("{:?}", key.arn())`, `render()`) becomes; Terraform would write the
    /// characters out instead of the value.
    #[error(
        "`{address}` argument `{argument}` holds `{reference}` as literal text, not as a reference: a reference pasted into a string (`format!(\"{{:?}}\", …)` or `render()`) is not evaluated; build the string with `interpolate!` instead"
    )]
    PastedReference {
        /// What holds it: a resource address (`aws_sns_topic.primary_alarms`), or
        /// `provider.aws.<alias>`, `output.<name>`, `local.<name>`, `variable.<name>`.
        address: String,
        /// The argument, as a dotted path inside it (`display_name`, `tags.Note`).
        argument: String,
        /// The reference as it would be written (`aws_kms_key.primary_key.arn`).
        reference: String,
    },
    /// The backend configuration is invalid.
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// A rule found something wrong (see [`crate::rules`]).
    #[error("{0}")]
    Rule(Finding),
    /// A `moved` block ([`Stack::moved_from`]) Terraform would refuse: its old address is
    /// still a resource of the stack, or is moved twice, or its new one is not in the stack.
    #[error("cannot move `{from}` to `{to}`: {why}")]
    Moved {
        /// The old address.
        from: String,
        /// The new address.
        to: String,
        /// Why.
        why: &'static str,
    },
    /// A suppression matched no finding: the resource passes the rule, or the rule or the
    /// address is misspelled.
    #[error(
        "suppression of `{rule}` on `{address}` matches no finding: remove it, or correct the rule id or the address"
    )]
    UnusedSuppression {
        /// The rule id.
        rule: &'static str,
        /// The resource address.
        address: String,
    },
}

/// Why synthesis failed. Nothing was written.
#[derive(Debug, Error)]
pub enum SynthError {
    /// The stack has problems; all of them are listed.
    #[error("the stack has {} problem(s):\n{}", .0.len(), list(.0))]
    Invalid(Vec<StackProblem>),
    /// Writing the output failed; no partial file was left behind.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

fn list(problems: &[StackProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Terraform meta-arguments and the raw escape hatch for one resource.
///
/// ```
/// use infra_core::Meta;
/// let meta = Meta::new().create_before_destroy().ignore_changes(["tags"]);
/// # let _ = meta;
/// ```
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub(crate) depends_on: Vec<Node>,
    pub(crate) create_before_destroy: bool,
    pub(crate) prevent_destroy: bool,
    pub(crate) ignore_changes: Vec<String>,
    pub(crate) overrides: Vec<(String, Value)>,
}

impl Meta {
    /// No meta-arguments.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an explicit dependency on another resource.
    pub fn depends_on<T: Resource>(mut self, other: &Ref<T>) -> Self {
        self.depends_on.push(other.node().clone());
        self
    }

    /// `lifecycle { create_before_destroy = true }`.
    pub fn create_before_destroy(mut self) -> Self {
        self.create_before_destroy = true;
        self
    }

    /// `lifecycle { prevent_destroy = true }`.
    pub fn prevent_destroy(mut self) -> Self {
        self.prevent_destroy = true;
        self
    }

    /// `lifecycle { ignore_changes = [...] }`.
    pub fn ignore_changes<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.ignore_changes.extend(args.into_iter().map(Into::into));
        self
    }

    /// **Last resort**: sets a raw JSON value at a dotted argument path (`a.b.0.c`, numbers index
    /// lists), after the typed arguments are written, for what the typed model does not cover
    /// yet. Every override is listed in the resource's `//` comment in the output, so it is
    /// visible in review.
    ///
    /// The strings of `value` (and its object keys) are literal text, escaped like every literal:
    /// `"${x}"` reaches Terraform as the five characters `${x}`. To set a reference or any other
    /// typed value, use [`Meta::raw_override_arg`].
    ///
    /// ```
    /// use infra_core::{Meta, Stack, UsEast1, aws::kms};
    /// let stack = Stack::new();
    /// stack.aws::<UsEast1>("primary").add_with(
    ///     "key",
    ///     kms::Key::default(),
    ///     Meta::new().raw_override("tags.Note", serde_json::json!("costs ${literal}")),
    /// );
    /// let doc = stack.synth().unwrap();
    /// let key = &doc.value()["resource"]["aws_kms_key"]["primary_key"];
    /// assert_eq!(key["tags"]["Note"], "costs $${literal}");
    /// ```
    pub fn raw_override(mut self, path: impl Into<String>, value: Value) -> Self {
        self.overrides.push((path.into(), escape_value(value)));
        self
    }

    /// **Last resort**, typed: sets any argument value (a reference, a [`Text`], a block…) at a
    /// dotted argument path, like [`Meta::raw_override`]. An absent value (`None`, an empty
    /// `Vec`) sets `null`.
    ///
    /// ```
    /// use infra_core::{Meta, Stack, UsEast1, aws::{kms, sns}};
    /// let stack = Stack::new();
    /// let east = stack.aws::<UsEast1>("primary");
    /// let key = east.add("key", kms::Key::default());
    /// east.add_with(
    ///     "topic",
    ///     sns::Topic::default(),
    ///     Meta::new().raw_override_arg("tags.Key", key.arn()),
    /// );
    /// let doc = stack.synth().unwrap();
    /// let topic = &doc.value()["resource"]["aws_sns_topic"]["primary_topic"];
    /// assert_eq!(topic["tags"]["Key"], "${aws_kms_key.primary_key.arn}");
    /// ```
    pub fn raw_override_arg(mut self, path: impl Into<String>, value: impl Argument) -> Self {
        self.overrides
            .push((path.into(), value.to_value().unwrap_or(Value::Null)));
        self
    }
}

/// A node's place in the graph: kind, Terraform type, logical name (the output's order).
type NodeKey = (NodeKind, &'static str, String);

#[derive(Debug, Default)]
struct Inner {
    default_tags: BTreeMap<String, String>,
    providers: BTreeMap<String, &'static str>,
    /// The typed nodes, until synth (the lazy graph of `graph.rs`).
    nodes: BTreeMap<NodeKey, graph::Entry>,
    variables: BTreeMap<String, Value>,
    locals: BTreeMap<String, Value>,
    outputs: BTreeMap<String, Value>,
    /// `moved` blocks: old address → new resource ([`Stack::moved_from`]).
    moved: BTreeMap<String, NodeKey>,
    backend: Backend,
    problems: Vec<StackProblem>,
    rules: RuleSet,
    packs: Vec<Pack>,
    suppressions: Vec<Suppression>,
    /// Where the user's code added each resource, by address.
    locations: HashMap<String, &'static Location<'static>>,
}

impl Inner {
    /// Every node's JSON body, in address order, with its raw overrides applied; an override
    /// that does not fit is a [`StackProblem::BadOverride`].
    fn bodies(&self, problems: &mut Vec<StackProblem>) -> Vec<(&NodeKey, Value)> {
        self.nodes
            .iter()
            .map(|(key, entry)| {
                let mut body = entry.body();
                let overrides = &entry.meta.overrides;
                if !overrides.is_empty() {
                    let paths: Vec<&str> = overrides.iter().map(|(p, _)| p.as_str()).collect();
                    body["//"] = json!(format!("raw overrides: {}", paths.join(", ")));
                }
                for (path, value) in overrides {
                    if let Err(why) = set_path(&mut body, path, value.clone()) {
                        problems.push(StackProblem::BadOverride {
                            address: Node::new(key.0, key.1, key.2.as_str()).address(),
                            path: path.clone(),
                            why,
                        });
                    }
                }
                (key, body)
            })
            .collect()
    }

    /// The `moved` blocks, in old-address order; a move Terraform would refuse is a
    /// [`StackProblem::Moved`].
    fn moved_blocks(&self, problems: &mut Vec<StackProblem>) -> Vec<Value> {
        let mut blocks = Vec::with_capacity(self.moved.len());
        for (from, key) in &self.moved {
            let to = Node::new(key.0, key.1, key.2.as_str()).address();
            let old = (
                NodeKind::Resource,
                key.1,
                from.split_once('.').map_or("", |(_, n)| n).to_owned(),
            );
            let why = if self.nodes.contains_key(&old) {
                Some("the old address is still a resource of the stack")
            } else if !self.nodes.contains_key(key) {
                Some("the new address is not a resource of this stack")
            } else {
                None
            };
            match why {
                Some(why) => problems.push(StackProblem::Moved {
                    from: from.clone(),
                    to,
                    why,
                }),
                None => blocks.push(json!({ "from": from, "to": to })),
            }
        }
        blocks
    }

    /// Adds a [`StackProblem::PastedReference`] for every escaped reference in the strings
    /// Terraform reads as templates, and for every reference in the strings it reads literally.
    fn pasted_references(&self, bodies: &[(&NodeKey, Value)], problems: &mut Vec<StackProblem>) {
        let mut found = |address: String, argument: String, reference: String| {
            problems.push(StackProblem::PastedReference {
                address,
                argument,
                reference,
            });
        };
        let mut templates = |address: &str, argument: &str, value: &Value| {
            // Nearly every value has no `$${` at all: find that out without building paths.
            if !has_escape(value) {
                return;
            }
            walk_strings(value, &mut argument.to_owned(), &mut |path, text| {
                for reference in template::pasted_references(text) {
                    found(address.to_owned(), path.to_owned(), reference);
                }
            });
        };
        for (k, v) in &self.default_tags {
            for text in [k, v] {
                let text = Value::String(escape(text));
                for alias in self.providers.keys() {
                    templates(&format!("provider.aws.{alias}"), "default_tags.tags", &text);
                }
            }
        }
        for ((kind, type_name, name), body) in bodies {
            if !has_escape(body) {
                continue;
            }
            let address = Node::new(*kind, type_name, name.as_str()).address();
            for (arg, value) in body.as_object().into_iter().flatten() {
                if !matches!(arg.as_str(), "provider" | "depends_on" | "lifecycle" | "//") {
                    templates(&address, arg, value);
                }
            }
        }
        for (name, value) in &self.locals {
            templates(&format!("local.{name}"), "value", value);
        }
        for (name, output) in &self.outputs {
            templates(&format!("output.{name}"), "value", &output["value"]);
        }
        for (name, variable) in &self.variables {
            templates(
                &format!("variable.{name}"),
                "validation",
                &variable["validation"],
            );
        }
    }
}

/// Whether a string (or object key) inside `value` holds `$${`.
fn has_escape(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains("$${"),
        Value::Array(items) => items.iter().any(has_escape),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains("$${") || has_escape(v)),
        _ => false,
    }
}

/// Calls `f` with the path and text of every string (and object key) inside `value`; `path`
/// is extended in place and restored, so nothing is allocated per value.
fn walk_strings(value: &Value, path: &mut String, f: &mut impl FnMut(&str, &str)) {
    let len = path.len();
    match value {
        Value::String(text) => f(path, text),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let _ = write!(path, "[{i}]");
                walk_strings(item, path, f);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                path.push('.');
                path.push_str(k);
                f(path, k);
                walk_strings(v, path, f);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// A Terraform root module under construction.
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::sns};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let topic = east.add("alarms", sns::Topic { name: Some("alarms".into()), ..Default::default() });
/// stack.output("alarm_topic_arn", topic.arn());
/// let doc = stack.synth().unwrap();
/// assert_eq!(doc.value()["resource"]["aws_sns_topic"]["primary_alarms"]["provider"], "aws.primary");
/// ```
#[derive(Debug, Default)]
pub struct Stack {
    inner: RefCell<Inner>,
}

impl Stack {
    /// An empty stack with a local backend.
    pub fn new() -> Self {
        Self::default()
    }

    /// Tags that every provider applies to every taggable resource (`default_tags`).
    pub fn default_tags<K: Into<String>, V: Into<String>>(
        &self,
        tags: impl IntoIterator<Item = (K, V)>,
    ) {
        let mut inner = self.inner.borrow_mut();
        for (k, v) in tags {
            inner.default_tags.insert(k.into(), v.into());
        }
    }

    /// Sets the state backend.
    pub fn backend(&self, backend: Backend) {
        self.inner.borrow_mut().backend = backend;
    }

    /// Declares an AWS provider for region `R` under `alias`, and returns its handle.
    pub fn aws<R: Region>(&self, alias: &str) -> Aws<'_, R> {
        let mut inner = self.inner.borrow_mut();
        if !valid_identifier(alias) {
            inner.problems.push(StackProblem::InvalidName {
                type_name: "provider",
                name: alias.to_owned(),
            });
        }
        if inner.providers.insert(alias.to_owned(), R::NAME).is_some() {
            inner
                .problems
                .push(StackProblem::DuplicateProvider(alias.to_owned()));
        }
        Aws {
            stack: self,
            alias: alias.to_owned(),
            prefix: alias.to_owned(),
            region: PhantomData,
        }
    }

    /// Declares an input variable and returns a reference to its value.
    pub fn variable(&self, name: &str, variable: Variable) -> Text {
        self.insert_named("variable", name, variable.to_value());
        Text::expression(format!("var.{name}"))
    }

    /// Declares a sensitive input variable; its value can flow only into sensitive sinks.
    pub fn sensitive_variable(&self, name: &str, variable: Variable) -> Sensitive<Text> {
        let mut value = variable.to_value();
        value["sensitive"] = json!(true);
        self.insert_named("variable", name, value);
        Sensitive::new(Text::expression(format!("var.{name}")))
    }

    /// Declares a local value and returns a reference to it.
    pub fn local<A: Argument>(&self, name: &str, value: A) -> Text {
        self.insert_named("local", name, value.to_value().unwrap_or(Value::Null));
        Text::expression(format!("local.{name}"))
    }

    /// Declares a plain output. A [`Sensitive`] value does not compile here.
    pub fn output(&self, name: &str, value: impl PlainValue) {
        let v = json!({ "value": value.plain_text().render() });
        self.insert_named("output", name, v);
    }

    /// Declares an output with a description.
    ///
    /// Terraform reads an output's description literally, not as a template, so it is written
    /// as given: `${` in it needs no escaping and is not escaped.
    pub fn output_described(&self, name: &str, value: impl PlainValue, description: &str) {
        let v = json!({ "value": value.plain_text().render(), "description": description });
        self.insert_named("output", name, v);
    }

    /// Declares a sensitive output (`sensitive = true`): Terraform hides it in plans and logs.
    pub fn sensitive_output(&self, name: &str, value: Sensitive<Text>) {
        let v = json!({ "value": value.expose().render(), "sensitive": true });
        self.insert_named("output", name, v);
    }

    /// Records that the resource behind `to` had the logical name `old_name` in an earlier
    /// version of the stack (a refactor moved it under a scope, or a component names it
    /// differently): a `moved` block, so Terraform moves its state to the new address instead
    /// of destroying the old resource and creating a new one.
    ///
    /// ```
    /// use infra_core::{Stack, UsEast1, aws::sqs};
    /// let stack = Stack::new();
    /// let east = stack.aws::<UsEast1>("primary");
    /// let jobs = east.scope("worker").add("jobs", sqs::Queue::default());
    /// stack.moved_from("primary_jobs", &jobs);
    /// let doc = stack.synth().unwrap();
    /// assert_eq!(
    ///     doc.value()["moved"][0],
    ///     serde_json::json!({"from": "aws_sqs_queue.primary_jobs", "to": "aws_sqs_queue.primary_worker_jobs"})
    /// );
    /// ```
    ///
    /// [`Stack::synth`] reports ([`StackProblem::Moved`]) an old name that is still a resource
    /// of the stack or is moved twice, and a new resource this stack does not hold.
    pub fn moved_from<T: Managed>(&self, old_name: &str, to: &Ref<T>) {
        let node = to.node();
        let from = Node::new(NodeKind::Resource, T::TYPE, old_name).address();
        let mut inner = self.inner.borrow_mut();
        if !valid_identifier(old_name) {
            inner.problems.push(StackProblem::InvalidName {
                type_name: T::TYPE,
                name: old_name.to_owned(),
            });
        }
        let key = (node.kind(), node.type_name(), node.name().to_owned());
        if let Some(first) = inner.moved.insert(from.clone(), key) {
            inner.problems.push(StackProblem::Moved {
                from,
                to: Node::new(first.0, first.1, first.2.as_str()).address(),
                why: "the old address is moved twice",
            });
        }
    }

    fn insert_named(&self, what: &'static str, name: &str, value: Value) {
        let mut inner = self.inner.borrow_mut();
        if !valid_identifier(name) {
            inner.problems.push(StackProblem::InvalidName {
                type_name: what,
                name: name.to_owned(),
            });
        }
        let map = match what {
            "variable" => &mut inner.variables,
            "local" => &mut inner.locals,
            _ => &mut inner.outputs,
        };
        if map.insert(name.to_owned(), value).is_some() {
            inner.problems.push(StackProblem::Duplicate {
                what,
                name: name.to_owned(),
            });
        }
    }

    /// Adds a node; not generic (the caller boxes the resource), so it is compiled once, not
    /// once per resource type and region.
    fn insert_node(
        &self,
        node: &Node,
        provider: &str,
        resource: Box<dyn graph::Typed>,
        meta: Meta,
        location: &'static Location<'static>,
    ) {
        self.check_meta(node, &meta);
        let mut inner = self.inner.borrow_mut();
        let inner = &mut *inner;
        if !valid_identifier(node.name()) {
            inner.problems.push(StackProblem::InvalidName {
                type_name: node.type_name(),
                name: node.name().to_owned(),
            });
        }
        let key = (node.kind(), node.type_name(), node.name().to_owned());
        match inner.nodes.entry(key) {
            Entry::Occupied(first) => inner.problems.push(StackProblem::DuplicateName {
                type_name: node.type_name(),
                name: node.name().to_owned(),
                first: first.get().location.to_string(),
                second: location.to_string(),
            }),
            Entry::Vacant(slot) => {
                slot.insert(graph::Entry::new(resource, provider, meta, location));
                inner.locations.insert(node.address(), location);
            }
        }
    }

    /// Changes a node of the stack before synthesis: `f` gets the typed resource behind `handle`
    /// (a grant appends statements to a role's policy this way). `f` must not call back into
    /// the stack. A handle this stack does not hold is reported by [`Stack::synth`] as
    /// [`StackProblem::NotInStack`].
    ///
    /// ```
    /// use infra_core::{Stack, UsEast1, aws::sns};
    /// let stack = Stack::new();
    /// let topic = stack.aws::<UsEast1>("primary").add("alarms", sns::Topic::default());
    /// stack.amend(&topic, |t| t.name = Some("alarms".into()));
    /// let doc = stack.synth().unwrap();
    /// assert_eq!(doc.value()["resource"]["aws_sns_topic"]["primary_alarms"]["name"], "alarms");
    /// ```
    pub fn amend<T: Resource>(&self, handle: &Ref<T>, f: impl FnOnce(&mut T)) {
        let node = handle.node();
        let key = (node.kind(), node.type_name(), node.name().to_owned());
        let mut inner = self.inner.borrow_mut();
        match inner
            .nodes
            .get_mut(&key)
            .and_then(graph::Entry::get_mut::<T>)
        {
            Some(resource) => f(resource),
            None => inner.problems.push(StackProblem::NotInStack {
                address: node.address(),
            }),
        }
    }

    /// Records a problem for [`Stack::synth`] to report (for grants and components).
    pub(crate) fn report(&self, problem: StackProblem) {
        self.inner.borrow_mut().problems.push(problem);
    }

    /// Reads a node of the stack: `f` gets the typed resource behind `handle`, or `None` when
    /// this stack does not hold it. `f` must not call back into the stack.
    ///
    /// ```
    /// use infra_core::{Stack, UsEast1, aws::sns};
    /// let stack = Stack::new();
    /// let topic = stack.aws::<UsEast1>("primary").add("alarms", sns::Topic { name: Some("a".into()), ..Default::default() });
    /// assert_eq!(stack.inspect(&topic, |t| t.name.clone()), Some(Some("a".into())));
    /// ```
    pub fn inspect<T: Resource, U>(&self, handle: &Ref<T>, f: impl FnOnce(&T) -> U) -> Option<U> {
        let node = handle.node();
        let key = (node.kind(), node.type_name(), node.name().to_owned());
        let inner = self.inner.borrow();
        inner
            .nodes
            .get(&key)
            .and_then(graph::Entry::get::<T>)
            .map(f)
    }

    /// Reports the `depends_on` and `ignore_changes` entries that Terraform could not read: they
    /// are references and argument names, not templates, so they cannot be escaped.
    fn check_meta(&self, node: &Node, meta: &Meta) {
        let mut inner = self.inner.borrow_mut();
        for dep in &meta.depends_on {
            if !valid_identifier(dep.name()) {
                inner.problems.push(StackProblem::InvalidMetaArgument {
                    address: node.address(),
                    argument: "depends_on",
                    value: dep.address(),
                    expected: "the address of a resource or data source",
                });
            }
        }
        for arg in &meta.ignore_changes {
            if !valid_argument_path(arg) {
                inner.problems.push(StackProblem::InvalidMetaArgument {
                    address: node.address(),
                    argument: "ignore_changes",
                    value: arg.clone(),
                    expected: "an argument name, optionally followed by `.name` or `[index]` steps",
                });
            }
        }
    }

    /// Builds the Terraform JSON document, or lists every problem found.
    ///
    /// Besides the problems found while building, it reports every string that holds an
    /// escaped reference ([`StackProblem::PastedReference`]): a reference's `Debug` output or
    /// rendered text pasted into a string.
    ///
    /// ```
    /// use infra_core::{Stack, StackProblem, SynthError, UsEast1, aws::{kms, sns}};
    /// let stack = Stack::new();
    /// let east = stack.aws::<UsEast1>("primary");
    /// let key = east.add("key", kms::Key::default());
    /// east.add("alarms", sns::Topic {
    ///     name: Some(format!("alarms-{:?}", key.arn()).into()),
    ///     ..Default::default()
    /// });
    /// let Err(SynthError::Invalid(problems)) = stack.synth() else { panic!() };
    /// assert!(matches!(&problems[..], [StackProblem::PastedReference { address, argument, reference }]
    ///     if address == "aws_sns_topic.primary_alarms" && argument == "name"
    ///         && reference == "aws_kms_key.primary_key.arn"));
    /// ```
    ///
    /// When building found nothing, it runs the stack's rules ([`RuleSet::core`] unless
    /// [`Stack::rules`] replaced them) and every pack added with [`Stack::rule_pack`] over the
    /// document (a half-built one would only echo the building problems), and reports each unsuppressed
    /// finding as [`StackProblem::Rule`] and each suppression that matched nothing as
    /// [`StackProblem::UnusedSuppression`]. For the raw document, see [`Stack::synth_unchecked`].
    pub fn synth(&self) -> Result<Document, SynthError> {
        self.checked().map(|(doc, _)| doc)
    }

    /// The evidence report of every pack added with [`Stack::rule_pack`] (none without a
    /// pack), when synthesis succeeds.
    pub fn compliance(&self) -> Result<Vec<Compliance>, SynthError> {
        self.checked().map(|(_, reports)| reports)
    }

    /// Replaces the rules synth runs (by default [`RuleSet::core`]). `RuleSet::none()` turns
    /// them off for raw output; packs still run.
    ///
    /// ```
    /// use infra_core::{Stack, UsEast1, aws::s3, rules::RuleSet};
    /// let stack = Stack::new();
    /// stack.aws::<UsEast1>("primary").add("b", s3::Bucket { bucket: Some("UPPER".into()), ..Default::default() });
    /// assert!(stack.synth().is_err());
    /// stack.rules(RuleSet::core().without("IC-NAME-001"));
    /// assert!(stack.synth().is_ok());
    /// ```
    pub fn rules(&self, rules: RuleSet) {
        self.inner.borrow_mut().rules = rules;
    }

    /// Turns an opt-in rule pack on ([`Pack::pci_dss_4_0_1`]): its rules run at synth, and
    /// [`Stack::write`] writes its evidence report beside `main.tf.json`.
    pub fn rule_pack(&self, pack: Pack) {
        self.inner.borrow_mut().packs.push(pack);
    }

    /// Accepts findings, each with a reason; they are listed in the evidence report.
    pub fn suppress(&self, suppressions: impl IntoIterator<Item = Suppression>) {
        self.inner.borrow_mut().suppressions.extend(suppressions);
    }

    /// Synthesizes, runs the rules and the packs, and builds the packs' evidence.
    fn checked(&self) -> Result<(Document, Vec<Compliance>), SynthError> {
        let doc = self.synth_unchecked()?;
        let inner = self.inner.borrow();
        let mut all: Vec<rules::Rule> = inner.rules.rules().to_vec();
        for pack in &inner.packs {
            all.extend(pack.rules().copied());
        }
        let evaluation = rules::evaluate(doc.value(), &all, &inner.suppressions, &inner.locations);
        let mut problems: Vec<StackProblem> = evaluation
            .failures()
            .into_iter()
            .map(StackProblem::Rule)
            .collect();
        problems.extend(evaluation.unused.iter().map(|(rule, address)| {
            StackProblem::UnusedSuppression {
                rule,
                address: address.clone(),
            }
        }));
        if !problems.is_empty() {
            return Err(SynthError::Invalid(problems));
        }
        let reports = inner
            .packs
            .iter()
            .map(|p| Compliance::new(p, &evaluation))
            .collect();
        Ok((doc, reports))
    }

    /// Builds the Terraform JSON document without running any rule or pack: only what
    /// building checks (names, overrides, pasted references, the backend). For users who want
    /// raw output; [`Stack::synth`] is the checked path.
    pub fn synth_unchecked(&self) -> Result<Document, SynthError> {
        let inner = self.inner.borrow();
        let mut problems = inner.problems.clone();
        let bodies = inner.bodies(&mut problems);
        inner.pasted_references(&bodies, &mut problems);
        let moved = inner.moved_blocks(&mut problems);
        if !problems.is_empty() {
            return Err(SynthError::Invalid(problems));
        }
        let mut root = serde_json::Map::new();
        root.insert(
            "terraform".into(),
            json!({
                "required_providers": {
                    "aws": { "source": "hashicorp/aws", "version": AWS_PROVIDER_VERSION }
                },
                "backend": inner.backend.to_value(),
            }),
        );
        if !inner.providers.is_empty() {
            let providers: Vec<Value> = inner
                .providers
                .iter()
                .map(|(alias, region)| {
                    let mut p = json!({ "alias": alias, "region": region });
                    if !inner.default_tags.is_empty() {
                        // Provider arguments are templates, keys and values alike.
                        let tags: serde_json::Map<String, Value> = inner
                            .default_tags
                            .iter()
                            .map(|(k, v)| (escape(k), Value::String(escape(v))))
                            .collect();
                        p["default_tags"] = json!({ "tags": tags });
                    }
                    p
                })
                .collect();
            root.insert("provider".into(), json!({ "aws": providers }));
        }
        let mut blocks: [serde_json::Map<String, Value>; 2] = Default::default();
        // The nodes come sorted by kind, type and name: each type's bodies are consecutive.
        let mut bodies = bodies.into_iter().peekable();
        while let Some(((kind, type_name, name), body)) = bodies.next() {
            let mut of_type = serde_json::Map::new();
            of_type.insert(name.clone(), body);
            // Moved into place, not copied: one copy of each body.
            while let Some(((_, _, name), body)) =
                bodies.next_if(|((k, t, _), _)| k == kind && t == type_name)
            {
                of_type.insert(name.clone(), body);
            }
            blocks[usize::from(*kind == NodeKind::Data)]
                .insert((*type_name).to_owned(), Value::Object(of_type));
        }
        for (block, key) in blocks.into_iter().zip(["resource", "data"]) {
            if !block.is_empty() {
                root.insert(key.into(), Value::Object(block));
            }
        }
        if !moved.is_empty() {
            root.insert("moved".into(), Value::Array(moved));
        }
        for (key, map) in [
            ("variable", &inner.variables),
            ("locals", &inner.locals),
            ("output", &inner.outputs),
        ] {
            if !map.is_empty() {
                root.insert(key.into(), json!(map));
            }
        }
        Ok(Document::new(Value::Object(root)))
    }

    /// Synthesizes and writes `main.tf.json` into `dir`; on any synth error nothing is written.
    /// Returns the file's path. The `moved` blocks ([`Stack::moved_from`]), if any, are written
    /// beside it as `moved.tf.json`.
    ///
    /// With a pack on ([`Stack::rule_pack`]) it also writes the evidence report beside it,
    /// `compliance.json` and `compliance.md` (see [`rules::report`]). Without one, a report left
    /// in `dir` by an earlier write is removed, as is an earlier `moved.tf.json` when the stack
    /// has no moves: evidence always describes the `main.tf.json` beside it.
    ///
    /// The files are written as one set ([`document::write_set`](crate::document::write_set)):
    /// all are staged on disk first, then renamed, `main.tf.json` last, and a failed rename puts
    /// the earlier ones back, so an I/O error never leaves new moves or a new report beside an
    /// old `main.tf.json`.
    pub fn write(&self, dir: &Path) -> Result<PathBuf, SynthError> {
        use crate::document::{FileChange, MAIN_FILE, MOVED_FILE, write_set};
        let (doc, reports) = self.checked()?;
        let (json, markdown) = if reports.is_empty() {
            (None, None)
        } else {
            (
                Some(rules::report::to_json_string(&reports)),
                Some(rules::report::to_markdown(&reports)),
            )
        };
        // The `moved` blocks go in their own file (see `document::MOVED_FILE`).
        let (main, moved) = doc.split_moved();
        let moved = moved.map(|m| m.to_json_string());
        let main = main.to_json_string();
        fn change(text: Option<&str>) -> FileChange<'_> {
            text.map_or(FileChange::Remove, |t| FileChange::Write(t.as_bytes()))
        }
        let files = [
            (rules::report::JSON_FILE, change(json.as_deref())),
            (rules::report::MARKDOWN_FILE, change(markdown.as_deref())),
            (MOVED_FILE, change(moved.as_deref())),
            (MAIN_FILE, FileChange::Write(main.as_bytes())),
        ];
        write_set(dir, &files)?;
        Ok(dir.join(MAIN_FILE))
    }
}

/// Sets `value` at a dotted path inside `target`, creating objects on the way.
fn set_path(target: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let segments: Vec<&str> = path.split('.').collect();
    if path.is_empty() || segments.iter().any(|s| s.is_empty()) {
        return Err("the path is empty or has an empty segment".into());
    }
    let mut cur = target;
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        cur = match cur {
            Value::Array(items) => {
                let idx: usize = seg
                    .parse()
                    .map_err(|_| format!("`{seg}` indexes a list but is not a number"))?;
                let len = items.len();
                items
                    .get_mut(idx)
                    .ok_or_else(|| format!("index {idx} is out of bounds (the list has {len})"))?
            }
            // A segment names an argument or a map key, which Terraform reads as a template.
            Value::Object(map) => map.entry(escape(seg)).or_insert_with(|| {
                if last {
                    Value::Null
                } else {
                    Value::Object(Default::default())
                }
            }),
            other => {
                return Err(format!(
                    "`{seg}` goes into a {} value",
                    match other {
                        Value::String(_) => "string",
                        Value::Number(_) => "number",
                        Value::Bool(_) => "bool",
                        _ => "null",
                    }
                ));
            }
        };
    }
    *cur = value;
    Ok(())
}

/// `value` with every string and object key escaped as literal text.
fn escape_value(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(escape(&s)),
        Value::Array(items) => Value::Array(items.into_iter().map(escape_value).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (escape(&k), escape_value(v)))
                .collect(),
        ),
        other => other,
    }
}

/// `true` for an argument path as `ignore_changes` takes it: `tags`, `tags["Name"]`,
/// `ingress[0].cidr_blocks`.
fn valid_argument_path(path: &str) -> bool {
    let root_end = path.find(['.', '[']).unwrap_or(path.len());
    valid_identifier(&path[..root_end])
        && !path.contains("${")
        && !path.contains("%{")
        && path[root_end..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.[]\"".contains(c))
}

/// `true` for Terraform identifiers.
pub fn valid_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// An AWS provider in region `R`, or a scope inside one: creates resources tied to `R`.
///
/// Logical names are prefixed with the provider's alias (`primary_data_key`), so the same
/// regional code can run once per provider. [`Aws::scope`] adds a name to the prefix
/// (`primary_audit_bucket`), so a component can run twice in one region.
#[derive(Debug, Clone)]
pub struct Aws<'s, R: Region> {
    stack: &'s Stack,
    alias: String,
    /// The alias and the scope names, joined by `_`: what every logical name starts with.
    prefix: String,
    region: PhantomData<R>,
}

impl<'s, R: Region> Aws<'s, R> {
    /// The provider's alias.
    pub fn alias(&self) -> &str {
        &self.alias
    }

    /// The provider's region name (`us-east-1`).
    pub fn region_name(&self) -> &'static str {
        R::NAME
    }

    /// The stack the provider belongs to.
    pub fn stack(&self) -> &'s Stack {
        self.stack
    }

    /// The logical name a resource called `name` gets through this provider (and scope).
    pub fn logical_name(&self, name: &str) -> String {
        format!("{}_{}", self.prefix, name)
    }

    /// A scope named `name` inside this one: the same provider, and logical names that compose
    /// like construct paths (`primary_audit_bucket` for `bucket` in scope `audit` of provider
    /// `primary`). Components take a scope, so two instances in one region do not collide.
    ///
    /// ```
    /// use infra_core::{Stack, UsEast1, aws::sns};
    /// let stack = Stack::new();
    /// let east = stack.aws::<UsEast1>("primary");
    /// let audit = east.scope("audit");
    /// let topic = audit.add("alarms", sns::Topic::default());
    /// assert_eq!(topic.node().address(), "aws_sns_topic.primary_audit_alarms");
    /// assert_eq!(audit.scope("inner").logical_name("x"), "primary_audit_inner_x");
    /// ```
    ///
    /// A scope name is a Terraform identifier; any other is reported by [`Stack::synth`].
    pub fn scope(&self, name: &str) -> Aws<'s, R> {
        if !valid_identifier(name) {
            self.stack
                .inner
                .borrow_mut()
                .problems
                .push(StackProblem::InvalidName {
                    type_name: "scope",
                    name: name.to_owned(),
                });
        }
        Aws {
            prefix: self.logical_name(name),
            ..self.clone()
        }
    }

    /// The provider itself, outside every scope (`primary`): for what a stack needs once per
    /// provider, whichever component asks first.
    pub fn provider(&self) -> Aws<'s, R> {
        Aws {
            prefix: self.alias.clone(),
            ..self.clone()
        }
    }

    /// The logical-name prefix of this scope (`primary_audit`): the alias, then each scope name.
    pub fn path(&self) -> &str {
        &self.prefix
    }

    /// Adds a managed resource created by this provider. The caller's location is recorded,
    /// so rule findings name the line that added the resource.
    #[track_caller]
    pub fn add<T: Managed + InRegion<R>>(&self, name: &str, resource: T) -> Ref<T> {
        self.add_with(name, resource, Meta::new())
    }

    /// Adds a managed resource with meta-arguments (`depends_on`, `lifecycle`, raw overrides).
    #[track_caller]
    pub fn add_with<T: Managed + InRegion<R>>(
        &self,
        name: &str,
        resource: T,
        meta: Meta,
    ) -> Ref<T> {
        self.insert(name, resource, meta)
    }

    /// Reads a data source through this provider.
    #[track_caller]
    pub fn data<T: DataSource + InRegion<R>>(&self, name: &str, source: T) -> Ref<T> {
        self.insert(name, source, Meta::new())
    }

    #[track_caller]
    fn insert<T: Resource>(&self, name: &str, resource: T, meta: Meta) -> Ref<T> {
        let location = Location::caller();
        Ref::new(self.insert_boxed(T::KIND, T::TYPE, name, Box::new(resource), meta, location))
    }

    /// The body of `insert`, not generic: compiled once rather than once per resource type
    /// and region.
    fn insert_boxed(
        &self,
        kind: NodeKind,
        type_name: &'static str,
        name: &str,
        resource: Box<dyn graph::Typed>,
        meta: Meta,
        location: &'static Location<'static>,
    ) -> Node {
        let node = Node::new(kind, type_name, self.logical_name(name));
        self.stack
            .insert_node(&node, &self.alias, resource, meta, location);
        node
    }

    /// Declares a plain output named `<alias>_<name>` (with the scope names between).
    pub fn output(&self, name: &str, value: impl PlainValue) {
        self.stack.output(&self.logical_name(name), value);
    }

    /// Declares a sensitive output named `<alias>_<name>` (with the scope names between).
    pub fn sensitive_output(&self, name: &str, value: Sensitive<Text>) {
        self.stack.sensitive_output(&self.logical_name(name), value);
    }
}

/// An input variable declaration.
///
/// ```
/// use infra_core::{Stack, Variable};
/// let stack = Stack::new();
/// let domain = stack.variable(
///     "domain_name",
///     Variable::string("The API's domain name")
///         .default("api.example.com")
///         .validation("can(regex(\"^[a-z0-9.-]+$\", var.domain_name))", "domain_name must be a DNS name"),
/// );
/// assert_eq!(domain.render(), "${var.domain_name}");
/// ```
#[derive(Debug, Clone)]
pub struct Variable {
    type_expr: &'static str,
    description: String,
    default: Option<Value>,
    validations: Vec<(String, Text)>,
}

impl Variable {
    /// A `string` variable.
    ///
    /// Terraform reads a variable's description and default literally, not as templates, so
    /// both are written as given (no escaping).
    pub fn string(description: &str) -> Self {
        Self {
            type_expr: "string",
            description: description.to_owned(),
            default: None,
            validations: Vec::new(),
        }
    }

    /// A `number` variable.
    pub fn number(description: &str) -> Self {
        Self {
            type_expr: "number",
            ..Self::string(description)
        }
    }

    /// Sets the default value.
    pub fn default(mut self, value: impl Into<Value>) -> Self {
        self.default = Some(value.into());
        self
    }

    /// Adds a validation rule: a raw Terraform condition and the message shown when it fails.
    ///
    /// Terraform reads the message as a template, so literal text in it is escaped, and it may
    /// interpolate references (`interpolate!("{} is not a DNS name", domain)`).
    pub fn validation(mut self, condition: &str, error_message: impl Into<Text>) -> Self {
        self.validations
            .push((condition.to_owned(), error_message.into()));
        self
    }

    fn to_value(&self) -> Value {
        let mut v = json!({ "type": self.type_expr, "description": self.description });
        if let Some(d) = &self.default {
            v["default"] = d.clone();
        }
        if !self.validations.is_empty() {
            v["validation"] = Value::Array(
                self.validations
                    .iter()
                    .map(|(c, m)| json!({ "condition": format!("${{{c}}}"), "error_message": m.render() }))
                    .collect(),
            );
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `1.2.3` as numbers.
    fn version(v: &str) -> Vec<u64> {
        v.split('.').map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn provider_constraint_admits_only_versions_that_know_every_emitted_argument() {
        let lower = AWS_PROVIDER_VERSION
            .split(',')
            .map(str::trim)
            .find_map(|c| c.strip_prefix(">= "))
            .expect("a `>=` lower bound");
        let newest = crate::schema::NEWER_THAN_5_100
            .iter()
            .map(|a| version(a.since))
            .max()
            .unwrap();
        assert_eq!(version(lower), newest, "{AWS_PROVIDER_VERSION}");
        // And no 7.x, whose breaking changes nothing here has been checked against.
        assert!(AWS_PROVIDER_VERSION.ends_with(", < 7.0.0"));
    }

    #[test]
    fn set_path_creates_objects_and_indexes_lists() {
        let mut v = json!({"a": [{"b": 1}]});
        set_path(&mut v, "a.0.c.d", json!(2)).unwrap();
        assert_eq!(v, json!({"a": [{"b": 1, "c": {"d": 2}}]}));
        assert!(set_path(&mut v, "a.x", json!(1)).is_err());
        assert!(set_path(&mut v, "a.5", json!(1)).is_err());
        assert!(set_path(&mut v, "a.0.b.c", json!(1)).is_err());
        assert!(set_path(&mut v, "", json!(1)).is_err());
    }

    #[test]
    fn identifiers() {
        assert!(valid_identifier("primary_data-key1"));
        assert!(!valid_identifier("1abc"));
        assert!(!valid_identifier("a.b"));
        assert!(!valid_identifier(""));
    }
}
