//! Rules at synth: checks over the synthesized document that the types cannot express.
//!
//! [`crate::Stack::synth`] runs the stack's [`RuleSet`] ([`RuleSet::core`] unless
//! [`crate::Stack::rules`] replaced it) and every opt-in [`Pack`] over the document it built.
//! A rule reads resources by address through a [`Model`] (each resource's type, logical name,
//! arguments and region; `${aws_type.name.attr}` references resolved to the resource they name),
//! and reports typed [`Finding`]s naming the resource address, the argument, and the place in
//! the user's code that added the resource. Every finding of every rule is reported at once, as
//! [`crate::StackProblem::Rule`], and nothing is written.
//!
//! A finding that is accepted is suppressed with a typed [`Suppression`] that states why; an
//! unused suppression is itself a problem, so the list cannot go stale. Suppressions are listed
//! in the evidence report ([`report`]) that [`crate::Stack::write`] writes beside
//! `main.tf.json` when a pack is on.
//!
//! ```
//! use infra_core::{Stack, UsEast1, aws::s3};
//! use infra_core::rules::{Pack, RuleSet};
//!
//! let stack = Stack::new();
//! stack.aws::<UsEast1>("primary").add("b", s3::Bucket { bucket: Some("Audit".into()), ..Default::default() });
//! let err = stack.synth().unwrap_err().to_string();
//! assert!(err.contains("IC-NAME-001"), "{err}");
//!
//! stack.rules(RuleSet::none()); // raw output, no rule runs
//! assert!(stack.synth().is_ok());
//! # let _ = Pack::pci_dss_4_0_1();
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::panic::Location;

use serde_json::Value;

use crate::policy::Reason;
use crate::template;
use crate::text::{Text, TextPart};

mod core;
mod invoke;
mod names;
pub mod pci;
mod refs;
pub mod report;
mod schema;

pub use pci::Pack;
pub use report::Compliance;

/// One rule: a stable id, a one-line title, and the check it runs over a [`Model`].
#[derive(Clone, Copy)]
pub struct Rule {
    id: &'static str,
    title: &'static str,
    check: fn(&Model<'_>, &mut Check),
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rule({})", self.id)
    }
}

impl Rule {
    /// A rule. `id` is stable (`ACME-S3-001`): suppressions and reports name it.
    ///
    /// ```
    /// use infra_core::rules::{Check, Model, Rule, RuleSet};
    /// fn no_fifo(model: &Model<'_>, check: &mut Check) {
    ///     for queue in model.of_type("aws_sqs_queue") {
    ///         check.checked(queue);
    ///         if queue.body()["fifo_queue"] == true {
    ///             check.fail(queue, "fifo_queue", "FIFO queues are not allowed here; remove `fifo_queue`");
    ///         }
    ///     }
    /// }
    /// let rules = RuleSet::core().with(Rule::new("ACME-SQS-001", "no FIFO queues", no_fifo));
    /// # let _ = rules;
    /// ```
    pub const fn new(
        id: &'static str,
        title: &'static str,
        check: fn(&Model<'_>, &mut Check),
    ) -> Self {
        Self { id, title, check }
    }

    /// The rule's id.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// What the rule requires, in one line.
    pub fn title(&self) -> &'static str {
        self.title
    }
}

/// The rules a stack runs at synth.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl Default for RuleSet {
    /// [`RuleSet::core`].
    fn default() -> Self {
        Self::core()
    }
}

impl RuleSet {
    /// The core rules, on by default: references resolve inside the stack, resources conform
    /// to the provider schema (`IC-SCHEMA-001`, for the types it knows), literal names obey
    /// AWS's constraints, and the relational rules (failover health checks, replication
    /// versioning and key regions, log group keys, key policies, topic and queue keys, replica
    /// key regions, WAF on public stages, alarm actions, inline rules beside rule resources):
    ///
    /// | id | rule |
    /// |---|---|
    /// | `IC-REF-001` | every reference (in arguments, `depends_on`, outputs, locals) names a resource or data source of this stack |
    /// | `IC-SCHEMA-001` | resources conform to the provider schema (types it knows) |
    /// | `IC-NAME-001`…`006` | S3 bucket, IAM role, Lambda function, log group, SSM parameter, KMS alias names, and the `bucket_prefix`/`name_prefix` of those that have one (literal ones) |
    /// | `IC-DNS-001` | a failover PRIMARY has a health check of an endpoint in its own region |
    /// | `IC-DNS-002` | a latency record's region is its target's |
    /// | `IC-S3-001` / `IC-S3-002` | replication source and destination versioned; destination key in the destination's region |
    /// | `IC-KMS-001` | a log group's key admits `logs.<region>.amazonaws.com` |
    /// | `IC-KMS-002` | no key policy grants `kms:*` to `*` |
    /// | `IC-KMS-003` | an encrypted topic's key admits the services that publish to it |
    /// | `IC-KMS-004` | an encrypted queue's key admits the services its queue policy lets send |
    /// | `IC-WAF-001` | every public REST stage has a WAF association in its region |
    /// | `IC-CW-001` | every alarm has an enabled action |
    /// | `IC-DDB-001` | an index ARN names an index of its table |
    /// | `IC-DDB-002` | a table replica's key is a key of the replica's region |
    /// | `IC-LAMBDA-001` | an API Gateway permission is scoped to an API that integrates the function |
    /// | `IC-EC2-001` | a security group's rules (a route table's routes) are inline or separate resources, not both |
    pub fn core() -> Self {
        let mut rules = vec![refs::DANGLING_REFERENCE, schema::CONFORMS];
        rules.extend(names::RULES);
        rules.extend(core::RULES);
        rules.extend(invoke::RULES);
        Self { rules }
    }

    /// No rule at all: synth writes the raw document, checking only what building checks
    /// (names, overrides, pasted references, the backend).
    pub fn none() -> Self {
        Self { rules: Vec::new() }
    }

    /// Adds a rule.
    pub fn with(mut self, rule: Rule) -> Self {
        self.rules.push(rule);
        self
    }

    /// Removes the rule with `id` (every finding of it; prefer a [`Suppression`] for one
    /// resource).
    pub fn without(mut self, id: &str) -> Self {
        self.rules.retain(|r| r.id != id);
        self
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
}

/// Accepts one rule's finding on one resource, with the reason it is acceptable.
///
/// ```
/// use infra_core::policy::because;
/// use infra_core::rules::Suppression;
/// let s = Suppression::new("PCI-10.5.1-RETENTION", "aws_cloudwatch_log_group.primary_function_logs",
///     because("the function's own logs hold no audit trail; audit events go to the 365-day logs"));
/// assert_eq!(s.rule(), "PCI-10.5.1-RETENTION");
/// ```
#[derive(Debug, Clone)]
pub struct Suppression {
    rule: &'static str,
    address: String,
    reason: Reason,
    only: Option<&'static str>,
}

impl Suppression {
    /// Suppresses `rule`'s findings on the resource at `address` (`aws_type.name`).
    pub fn new(rule: &'static str, address: impl Into<String>, reason: Reason) -> Self {
        Self {
            rule,
            address: address.into(),
            reason,
            only: None,
        }
    }

    /// Narrows the suppression to the findings whose message contains `text`: another
    /// finding of the rule on the resource (a second wildcard added later) still fails.
    ///
    /// ```
    /// use infra_core::policy::because;
    /// use infra_core::rules::Suppression;
    /// let s = Suppression::new("PCI-7.2-RESOURCE-WILDCARD", "aws_iam_role_policy.primary_role_policy",
    ///     because("X-Ray's trace actions have no resource-level permissions"))
    ///     .only_where("`xray:PutTraceSegments`, `xray:PutTelemetryRecords` on every resource");
    /// assert!(s.reason().starts_with("X-Ray"));
    /// ```
    pub fn only_where(mut self, text: &'static str) -> Self {
        self.only = Some(text);
        self
    }

    fn covers(&self, finding: &Finding) -> bool {
        self.only.is_none_or(|t| finding.message.contains(t))
    }

    /// The rule's id.
    pub fn rule(&self) -> &'static str {
        self.rule
    }

    /// The resource address.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Why the finding is acceptable.
    pub fn reason(&self) -> &'static str {
        self.reason.text()
    }
}

/// What a rule found wrong on one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's id.
    pub rule: &'static str,
    /// The resource address (`aws_s3_bucket.primary_audit`).
    pub address: String,
    /// The argument, as a dotted path (`rule[0].destination.bucket`); empty when the finding
    /// is about the resource as a whole (a bucket without a public access block).
    pub argument: String,
    /// What is wrong and how to fix it.
    pub message: String,
    /// Where the user's code added the resource, when known.
    pub location: Option<&'static Location<'static>>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] `{}`", self.rule, self.address)?;
        if !self.argument.is_empty() {
            write!(f, " argument `{}`", self.argument)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(at) = self.location {
            write!(f, " (added at {at})")?;
        }
        Ok(())
    }
}

/// What one rule reports: the resources it checked and what it found on them.
#[derive(Debug, Default)]
pub struct Check {
    checked: BTreeMap<String, Vec<(String, String)>>,
}

impl Check {
    /// Records that the rule checked `resource` (it passes unless [`Check::fail`] is called).
    pub fn checked(&mut self, resource: &Resource<'_>) {
        self.checked.entry(resource.address.clone()).or_default();
    }

    /// Records that the rule checked what is at `address` (an output, `output.<name>`, or a
    /// local value, `local.<name>`), and a finding there if `message` is given.
    pub fn at(&mut self, address: &str, argument: &str, message: Option<String>) {
        let entry = self.checked.entry(address.to_owned()).or_default();
        if let Some(message) = message {
            entry.push((argument.to_owned(), message));
        }
    }

    /// Records a finding on `resource`'s `argument`.
    pub fn fail(&mut self, resource: &Resource<'_>, argument: &str, message: impl Into<String>) {
        self.checked
            .entry(resource.address.clone())
            .or_default()
            .push((argument.to_owned(), message.into()));
    }
}

/// One resource or data source of the document, as rules read it.
#[derive(Debug)]
pub struct Resource<'d> {
    address: String,
    type_name: &'d str,
    name: &'d str,
    body: &'d Value,
    region: Option<&'d str>,
}

impl<'d> Resource<'d> {
    /// The address (`aws_kms_key.primary_key`, `data.aws_caller_identity.primary_caller`).
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The Terraform type (`aws_kms_key`).
    pub fn type_name(&self) -> &'d str {
        self.type_name
    }

    /// The logical name (`primary_key`).
    pub fn name(&self) -> &'d str {
        self.name
    }

    /// The arguments as written to the document.
    pub fn body(&self) -> &'d Value {
        self.body
    }

    /// The region of the resource's provider (`us-east-1`).
    pub fn region(&self) -> Option<&'d str> {
        self.region
    }

    /// The argument at a dotted path (`versioning_configuration.status`); a block written as a
    /// list is read at its first element.
    pub fn arg(&self, path: &str) -> Option<&'d Value> {
        arg(self.body, path)
    }

    /// The argument at `path` as literal text: `None` when absent, not a string, or holding
    /// an expression (rules judge literal values only).
    pub fn literal(&self, path: &str) -> Option<String> {
        self.arg(path).and_then(literal)
    }
}

/// The argument at a dotted path inside `value`; lists are read at their first element.
pub fn arg<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut cur = first(value);
    for seg in path.split('.') {
        cur = first(cur.get(seg)?);
    }
    Some(cur)
}

fn first(value: &Value) -> &Value {
    match value {
        Value::Array(items) if items.first().is_some_and(Value::is_object) => &items[0],
        v => v,
    }
}

/// The blocks of a nested block argument, written as one object or a list of them.
pub fn blocks(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

/// A string value as literal text, read with [`Text::parse`]: `None` for a non-string, a
/// malformed template, or one holding an expression.
pub fn literal(value: &Value) -> Option<String> {
    Text::parse(value.as_str()?).ok()?.as_literal()
}

/// The synthesized document, indexed once by address (and by type) for the rules.
#[derive(Debug)]
pub struct Model<'d> {
    doc: &'d Value,
    resources: BTreeMap<String, Resource<'d>>,
    by_type: HashMap<&'d str, Vec<String>>,
}

impl<'d> Model<'d> {
    /// Indexes the resources and data sources of a Terraform JSON document.
    pub fn new(doc: &'d Value) -> Self {
        let regions: HashMap<&str, &str> = doc["provider"]["aws"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| Some((p["alias"].as_str()?, p["region"].as_str()?)))
            .collect();
        let mut resources = BTreeMap::new();
        let mut by_type: HashMap<&str, Vec<String>> = HashMap::new();
        for (key, prefix) in [("resource", ""), ("data", "data.")] {
            for (type_name, named) in doc[key].as_object().into_iter().flatten() {
                for (name, body) in named.as_object().into_iter().flatten() {
                    let address = format!("{prefix}{type_name}.{name}");
                    let region = body["provider"]
                        .as_str()
                        .and_then(|p| p.strip_prefix("aws."))
                        .and_then(|alias| regions.get(alias).copied());
                    if prefix.is_empty() {
                        by_type.entry(type_name).or_default().push(address.clone());
                    }
                    resources.insert(
                        address.clone(),
                        Resource {
                            address,
                            type_name,
                            name,
                            body,
                            region,
                        },
                    );
                }
            }
        }
        Self {
            doc,
            resources,
            by_type,
        }
    }

    /// The whole document.
    pub fn document(&self) -> &'d Value {
        self.doc
    }

    /// Every resource and data source, by address.
    pub fn resources(&self) -> impl Iterator<Item = &Resource<'d>> {
        self.resources.values()
    }

    /// The managed resources of one type, sorted by address.
    pub fn of_type(&self, type_name: &str) -> impl Iterator<Item = &Resource<'d>> {
        self.by_type
            .get(type_name)
            .into_iter()
            .flatten()
            .filter_map(|a| self.resources.get(a))
    }

    /// The resource or data source at `address`.
    pub fn get(&self, address: &str) -> Option<&Resource<'d>> {
        self.resources.get(address)
    }

    /// The resources that the strings of `value` refer to (`${aws_kms_key.k.arn}` names
    /// `aws_kms_key.k`), in order of appearance.
    pub fn referenced(&self, value: Option<&Value>) -> Vec<&Resource<'d>> {
        let mut out = Vec::new();
        if let Some(value) = value {
            strings(value, &mut |s| {
                for address in addresses(s) {
                    if let Some(r) = self.resources.get(&address) {
                        out.push(r);
                    }
                }
            });
        }
        out
    }

    /// The first resource of `type_name` that `value` refers to.
    pub fn target(&self, value: Option<&Value>, type_name: &str) -> Option<&Resource<'d>> {
        self.referenced(value)
            .into_iter()
            .find(|r| r.type_name == type_name)
    }

    /// The resources of `type_name` whose argument `arg` refers to `target`, indexed once per
    /// call: `(target address → referrers)`.
    pub fn referrers(&self, type_name: &str, arg: &str) -> HashMap<String, Vec<&Resource<'d>>> {
        let mut out: HashMap<String, Vec<&Resource<'d>>> = HashMap::new();
        for r in self.of_type(type_name) {
            for t in self.referenced(r.arg(arg)) {
                out.entry(t.address.clone()).or_default().push(r);
            }
        }
        out
    }
}

/// Calls `f` with every string inside `value`.
pub(crate) fn strings<'v>(value: &'v Value, f: &mut impl FnMut(&'v str)) {
    match value {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|v| strings(v, f)),
        Value::Object(map) => map.values().for_each(|v| strings(v, f)),
        _ => {}
    }
}

/// The resource and data source addresses a template string refers to.
pub(crate) fn addresses(text: &str) -> Vec<String> {
    if !template::has_template(text) {
        return Vec::new();
    }
    template::template_traversals(text)
        .unwrap_or_default()
        .iter()
        .filter_map(traversal_address)
        .collect()
}

/// `aws_x.name` or `data.aws_x.name` for a traversal that names a resource or data source.
pub(crate) fn traversal_address(t: &template::Traversal) -> Option<String> {
    if t.root == "data" {
        Some(format!("data.{}.{}", t.attr(0)?, t.attr(1)?))
    } else if t.root.starts_with("aws_") {
        Some(format!("{}.{}", t.root, t.attr(0)?))
    } else {
        None
    }
}

/// How one rule judged one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Checked, nothing found.
    Pass,
    /// Findings accepted by a suppression.
    Suppressed {
        /// The suppression's reason.
        reason: &'static str,
        /// What was found.
        findings: Vec<Finding>,
    },
    /// Findings.
    Fail(Vec<Finding>),
}

/// What one rule concluded over the stack.
#[derive(Debug, Clone)]
pub struct RuleResult {
    /// The rule's id.
    pub id: &'static str,
    /// The rule's title.
    pub title: &'static str,
    /// Each checked resource's outcome, by address.
    pub outcomes: BTreeMap<String, Outcome>,
}

/// The outcome of every rule a stack ran, and the suppressions nothing matched.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Each rule's result, by id.
    pub results: BTreeMap<&'static str, RuleResult>,
    /// Suppressions that matched no finding, as `(rule, address)`.
    pub unused: Vec<(&'static str, String)>,
}

impl Evaluation {
    /// Every unsuppressed finding, by rule id then address.
    pub fn failures(&self) -> Vec<Finding> {
        self.results
            .values()
            .flat_map(|r| r.outcomes.values())
            .filter_map(|o| match o {
                Outcome::Fail(f) => Some(f.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }
}

/// Runs each distinct rule once over `doc`, applying `suppressions`.
pub(crate) fn evaluate(
    doc: &Value,
    rules: &[Rule],
    suppressions: &[Suppression],
    locations: &HashMap<String, &'static Location<'static>>,
) -> Evaluation {
    let model = Model::new(doc);
    let by_key: HashMap<(&str, &str), &Suppression> = suppressions
        .iter()
        .map(|s| ((s.rule, s.address.as_str()), s))
        .collect();
    let mut used = BTreeSet::new();
    let mut results = BTreeMap::new();
    for rule in rules {
        if results.contains_key(rule.id) {
            continue;
        }
        let mut check = Check::default();
        (rule.check)(&model, &mut check);
        let outcomes = check
            .checked
            .into_iter()
            .map(|(address, found)| {
                let findings: Vec<Finding> = found
                    .into_iter()
                    .map(|(argument, message)| Finding {
                        rule: rule.id,
                        address: address.clone(),
                        argument,
                        message,
                        location: locations.get(&address).copied(),
                    })
                    .collect();
                let suppression = by_key.get(&(rule.id, address.as_str()));
                let (accepted, failed): (Vec<Finding>, Vec<Finding>) = findings
                    .into_iter()
                    .partition(|f| suppression.is_some_and(|s| s.covers(f)));
                if let (Some(s), false) = (suppression, accepted.is_empty()) {
                    used.insert((s.rule, s.address.as_str()));
                }
                let outcome = match suppression {
                    _ if !failed.is_empty() => Outcome::Fail(failed),
                    _ if accepted.is_empty() => Outcome::Pass,
                    Some(s) => Outcome::Suppressed {
                        reason: s.reason(),
                        findings: accepted,
                    },
                    None => Outcome::Pass,
                };
                (address, outcome)
            })
            .collect();
        results.insert(
            rule.id,
            RuleResult {
                id: rule.id,
                title: rule.title,
                outcomes,
            },
        );
    }
    let unused = suppressions
        .iter()
        .filter(|s| !used.contains(&(s.rule, s.address.as_str())))
        .map(|s| (s.rule, s.address.clone()))
        .collect();
    Evaluation { results, unused }
}

/// The statements of an IAM policy document held in a string (`None` when it is not JSON).
///
/// The string is a template: it is read with [`Text::parse`], and each `${…}` is kept as
/// `${…}` text with its quotes and backslashes turned into `'`, so that an expression such as
/// `${replace(x, ":a:", ":b:")}` inside a JSON string does not end it.
pub(crate) fn statements(policy: Option<&Value>) -> Option<Vec<Value>> {
    let text = Text::parse(policy?.as_str()?).ok()?;
    let mut json = String::new();
    for part in text.parts() {
        match part {
            TextPart::Literal(l) => json.push_str(l),
            TextPart::Expression(e) => {
                json.push_str("${");
                json.push_str(&e.replace(['"', '\\'], "'"));
                json.push('}');
            }
        }
    }
    let parsed: Value = serde_json::from_str(&json).ok()?;
    Some(match &parsed["Statement"] {
        Value::Array(items) => items.clone(),
        v @ Value::Object(_) => vec![v.clone()],
        _ => Vec::new(),
    })
}

/// The strings of a policy element that is one string or a list of them.
pub(crate) fn one_or_many(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether a statement's principal is everyone (`"*"` or `{"AWS": "*"}`).
pub(crate) fn principal_is_anyone(statement: &Value) -> bool {
    let p = &statement["Principal"];
    p == "*" || one_or_many(&p["AWS"]).contains(&"*")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn policies_with_quoted_expressions_are_read() {
        let policy = r#"{"Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":["${replace(aws_dynamodb_table.t.arn, ":us-east-1:", ":us-west-2:")}"]}]}"#;
        let s = statements(Some(&json!(policy))).expect("read as JSON");
        assert_eq!(s[0]["Action"], "dynamodb:GetItem");
        assert_eq!(
            s[0]["Resource"][0],
            "${replace(aws_dynamodb_table.t.arn, ':us-east-1:', ':us-west-2:')}"
        );
        assert!(statements(Some(&json!("not json"))).is_none());
    }

    #[test]
    fn a_narrowed_suppression_leaves_other_findings_failing() {
        const TWO: Rule = Rule::new("T-1", "two findings", |m, c| {
            for r in m.of_type("aws_sqs_queue") {
                c.fail(r, "a", "first problem");
                c.fail(r, "b", "second problem");
            }
        });
        let d = test_support::doc(json!({"aws_sqs_queue": {"q": {}}}));
        let narrow = Suppression::new("T-1", "aws_sqs_queue.q", crate::policy::because("ok"))
            .only_where("first");
        let e = evaluate(&d, &[TWO], std::slice::from_ref(&narrow), &HashMap::new());
        let left: Vec<String> = e.failures().into_iter().map(|f| f.argument).collect();
        assert_eq!(left, ["b"]);
        assert!(e.unused.is_empty());
        let wide = Suppression::new("T-1", "aws_sqs_queue.q", crate::policy::because("ok"));
        let e = evaluate(&d, &[TWO], &[wide], &HashMap::new());
        assert!(e.failures().is_empty());
        let none = narrow.only_where("third");
        let e = evaluate(&d, &[TWO], &[none], &HashMap::new());
        assert_eq!(e.failures().len(), 2);
        assert_eq!(e.unused.len(), 1);
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Shared helpers for the rules' unit tests.
    use super::*;

    /// The ids of every failure of `doc` under `rules`.
    pub fn failures(doc: &Value, rules: &[Rule]) -> Vec<Finding> {
        evaluate(doc, rules, &[], &HashMap::new()).failures()
    }

    /// A document with two providers (`primary` in us-east-1, `secondary` in us-west-2) and
    /// the given `resource` map.
    pub fn doc(resources: Value) -> Value {
        serde_json::json!({
            "provider": {"aws": [
                {"alias": "primary", "region": "us-east-1"},
                {"alias": "secondary", "region": "us-west-2"}
            ]},
            "resource": resources,
        })
    }
}
