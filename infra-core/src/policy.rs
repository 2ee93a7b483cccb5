//! IAM policy documents built from typed statements.
//!
//! An [`Action`] belongs to a class of actions (`dynamodb::ItemActions`, `s3::ObjectActions`…)
//! and a class acts only on the resource kinds AWS defines for it ([`ActsOn`]), so granting an
//! S3 action on a DynamoDB table does not compile. A `*` resource or action needs an explicit,
//! greppable opt-in with a reason: [`PolicyDocument::allow_any_resource`] and
//! [`action!`](crate::action)`("s3:Get*", because("…"))` (or [`Action::wildcard`]), taking
//! [`because`].
//!
//! Actions are written with [`action!`](crate::action), which checks the name while compiling,
//! wherever it is written (a constant or inline in a statement): a `*` without a reason is a
//! compile error, never a panic at run time.

use std::marker::PhantomData;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::args::Argument;
use crate::refs::Arn;
use crate::shape::ArgKind;
use crate::text::Text;

pub mod key;
mod principal;
pub mod service;
mod trust;

pub use key::{KeyPolicy, KeyStatement};
pub use trust::{AnyTrust, AssumeRoleActions, Trust, TrustPolicy};
mod actions;
mod conditions;
pub mod global;
pub use actions::{AccessLevel, Actions, Unscoped};
pub use conditions::{
    AnyActions, ConditionKey, Conditions, Global, InService, Key, KeyName, Untyped, key_type,
};

/// An IAM action of class `On` (`dynamodb:PutItem` is an `Action<dynamodb::ItemActions>`).
///
/// Write actions with [`action!`](crate::action), as constants or inline; the name is checked
/// while compiling.
///
/// ```
/// use infra_core::{action, policy::Action};
/// /// An action of a service this crate does not model yet.
/// pub struct QueueActions;
/// pub const SEND_MESSAGE: Action<QueueActions> = action!("sqs:SendMessage");
/// assert_eq!(SEND_MESSAGE.name(), "sqs:SendMessage");
/// let receive: Action<QueueActions> = action!("sqs:ReceiveMessage");
/// assert_eq!(receive.name(), "sqs:ReceiveMessage");
/// ```
pub struct Action<On> {
    name: &'static str,
    level: Option<AccessLevel>,
    class: PhantomData<fn() -> On>,
}

mod sealed {
    /// Never implemented: `Action::new` exists only to point at `action!`.
    #[diagnostic::on_unimplemented(
        message = "write an action with `action!(\"service:Action\")`, not `Action::new`",
        label = "`Action::new` cannot be called",
        note = "`action!` checks the name while compiling; a `*` in it needs a reason: `action!(\"s3:Get*\", because(\"why\"))`"
    )]
    pub trait UseTheActionMacro {}
}

/// Refuses a name with `*` or without `service:`; `const` so that [`action!`](crate::action)
/// evaluates it while compiling.
const fn check_action_name(name: &'static str, wildcard: bool) -> &'static str {
    let bytes = name.as_bytes();
    let mut i = 0;
    let mut colon = false;
    let mut star = false;
    while i < bytes.len() {
        if bytes[i] == b'*' {
            star = true;
        }
        if bytes[i] == b':' && i > 0 {
            colon = true;
        }
        i += 1;
    }
    assert!(
        colon,
        "an action name is `service:Action`, such as `action!(\"dynamodb:PutItem\")`"
    );
    if wildcard {
        assert!(
            star,
            "this action has no `*`: write it without a reason, as `action!(\"service:Action\")`"
        );
    } else {
        assert!(
            !star,
            "a `*` action needs a reason: write `action!(\"service:Action*\", because(\"why\"))`, or name the exact actions"
        );
    }
    name
}

impl<On> Action<On> {
    /// Replaced by [`action!`](crate::action), which checks the name while compiling; calling
    /// it is a compile error that says so.
    #[doc(hidden)]
    pub const fn new(name: &'static str) -> Self
    where
        On: sealed::UseTheActionMacro,
    {
        Self::__checked(name)
    }

    /// Implementation of [`action!`](crate::action); only called inside its `const` block.
    #[doc(hidden)]
    pub const fn __checked(name: &'static str) -> Self {
        Self {
            name: check_action_name(name, false),
            level: None,
            class: PhantomData,
        }
    }

    /// Implementation of [`action!`](crate::action) with a reason; only called inside its
    /// `const` block.
    #[doc(hidden)]
    pub const fn __wildcard_checked(pattern: &'static str, reason: Reason) -> Self {
        Self::wildcard(check_action_name(pattern, true), reason)
    }

    /// An action pattern with `*` (`s3:Get*`), allowed only with a reason. Prefer
    /// `action!("s3:Get*", because("…"))`, which also checks the pattern while compiling.
    pub const fn wildcard(pattern: &'static str, reason: Reason) -> Self {
        let _ = reason;
        Self {
            name: pattern,
            level: None,
            class: PhantomData,
        }
    }

    /// The action's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<On> Clone for Action<On> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<On> Copy for Action<On> {}
impl<On> std::fmt::Debug for Action<On> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// An IAM action, checked while compiling: `action!("service:Action")`, or
/// `action!("service:Pattern*", because("why"))` for a wildcard.
///
/// The check runs in a `const` block wherever the macro is written, so a `*` without a reason,
/// a reason on a name without `*`, an empty reason or a name without `service:` is a compile
/// error, never a panic at run time. The action's class (`Action<On>`) is inferred from where
/// it is used, or given by the constant's type.
///
/// ```
/// use infra_core::{action, Stack, UsEast1, aws::dynamodb, policy::{Action, PolicyDocument, because}};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// # let table = east.add("t", dynamodb::Table { name: "t".into(), hash_key: "id".into(),
/// #     attribute: vec![dynamodb::Attribute::new("id", dynamodb::AttributeType::S)],
/// #     opts: Default::default() });
/// const BATCH_GET: Action<dynamodb::ItemActions> = action!("dynamodb:BatchGetItem");
/// let reads: Action<dynamodb::ItemActions> =
///     action!("dynamodb:Get*", because("every read of one item, for a migration job"));
/// let policy = PolicyDocument::new()
///     // The class comes from `BATCH_GET`; alone, a table takes several classes of actions.
///     .allow([BATCH_GET, action!("dynamodb:BatchWriteItem")], table.arn())
///     .allow([reads], table.arn());
/// assert!(policy.to_json().contains(r#""dynamodb:Get*""#));
/// ```
///
/// ```compile_fail
/// # use infra_core::{action, policy::Action, aws::dynamodb};
/// let everything: Action<dynamodb::ItemActions> = action!("dynamodb:*");
/// ```
#[macro_export]
macro_rules! action {
    ($name:expr, level = $level:ident $(,)?) => {
        const { $crate::policy::Action::__leveled($name, $crate::policy::AccessLevel::$level) }
    };
    ($name:expr $(,)?) => {
        const { $crate::policy::Action::__checked($name) }
    };
    ($pattern:expr, $reason:expr $(,)?) => {
        const { $crate::policy::Action::__wildcard_checked($pattern, $reason) }
    };
}

/// A reason for a broad grant, required by every wildcard opt-in.
#[derive(Debug, Clone, Copy)]
pub struct Reason(&'static str);

impl Reason {
    /// The reason's text.
    pub fn text(&self) -> &'static str {
        self.0
    }
}

/// States why a wildcard is needed. The reason must not be empty.
///
/// ```
/// use infra_core::policy::because;
/// let reason = because("PutMetricData has no resource-level permissions");
/// assert!(reason.text().starts_with("PutMetricData"));
/// ```
pub const fn because(reason: &'static str) -> Reason {
    assert!(!reason.is_empty(), "a wildcard grant needs a reason");
    Reason(reason)
}

/// Holds when actions of class `Self` act on resources of kind `K`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot act on `{K}`",
    label = "wrong resource for these actions",
    note = "an IAM action acts only on the resource types AWS lists for it, which its class names (`QueueActions` act on queues: `queue.arn()`); DynamoDB item actions take a table or index ARN (`table.arn()`, `table.index_arn(…)`), S3 object actions an object ARN (`bucket.objects(\"prefix/*\")`), log writers a group's streams (`log_group.streams_arn()`)"
)]
pub trait ActsOn<K> {}

/// The resources of a statement: one ARN, an array of ARNs of one kind, or a tuple of ARNs.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a resource ARN for `{On}` actions",
    note = "pass typed ARNs such as `table.arn()`; to grant on every resource (`*`), use `allow_any_resource(actions, because(\"why\"))`"
)]
pub trait Resources<On> {
    /// The resource texts.
    fn into_texts(self) -> Vec<Text>;
}

impl<On: ActsOn<K>, K> Resources<On> for Arn<K> {
    fn into_texts(self) -> Vec<Text> {
        vec![self.text().clone()]
    }
}
impl<On: ActsOn<K>, K, const N: usize> Resources<On> for [Arn<K>; N] {
    fn into_texts(self) -> Vec<Text> {
        self.iter().map(|a| a.text().clone()).collect()
    }
}
impl<On: ActsOn<K>, K> Resources<On> for Vec<Arn<K>> {
    fn into_texts(self) -> Vec<Text> {
        self.iter().map(|a| a.text().clone()).collect()
    }
}
impl<On: ActsOn<A> + ActsOn<B>, A, B> Resources<On> for (Arn<A>, Arn<B>) {
    fn into_texts(self) -> Vec<Text> {
        vec![self.0.text().clone(), self.1.text().clone()]
    }
}
impl<On: ActsOn<A> + ActsOn<B> + ActsOn<C>, A, B, C> Resources<On> for (Arn<A>, Arn<B>, Arn<C>) {
    fn into_texts(self) -> Vec<Text> {
        vec![
            self.0.text().clone(),
            self.1.text().clone(),
            self.2.text().clone(),
        ]
    }
}

pub use principal::Principal;

/// A condition on a statement (`{"Bool": {"aws:SecureTransport": "false"}}`), built from a
/// typed key (`kms::conditions::ViaService`, `policy::global::SourceAccount`) or a string.
///
/// `S` is the service of the key (`Global` for `aws:` keys, [`Untyped`] for a key written as a
/// string): [`Statement::allow_when`] accepts only conditions of its actions' service or
/// global ones. The constructors (`Condition::string_equals`, `Condition::bool`…) take only keys
/// whose value type fits the operator.
pub struct Condition<S = Untyped> {
    operator: &'static str,
    key: String,
    values: Vec<Text>,
    service: PhantomData<fn() -> S>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Allow,
    Deny,
}

/// One statement of a policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    sid: Option<String>,
    effect: Effect,
    principals: Vec<Principal>,
    any_principal: bool,
    actions: Vec<&'static str>,
    resources: Option<Vec<Text>>,
    conditions: Vec<Condition>,
}

impl Statement {
    fn with(effect: Effect, actions: Vec<&'static str>, resources: Option<Vec<Text>>) -> Self {
        Self {
            sid: None,
            effect,
            principals: Vec::new(),
            any_principal: false,
            actions,
            resources,
            conditions: Vec::new(),
        }
    }

    /// Allows `actions` on `resources`.
    pub fn allow<On>(actions: impl Actions<On>, resources: impl Resources<On>) -> Self {
        Self::with(Effect::Allow, actions.names(), Some(resources.into_texts()))
    }

    /// Denies `actions` on `resources`.
    pub fn deny<On>(actions: impl Actions<On>, resources: impl Resources<On>) -> Self {
        Self::with(Effect::Deny, actions.names(), Some(resources.into_texts()))
    }

    /// Allows `actions` on every resource (`"Resource": "*"`); the reason is required.
    pub fn allow_any_resource<On>(actions: impl Actions<On>, reason: Reason) -> Self {
        let _ = reason;
        Self::with(Effect::Allow, actions.names(), Some(vec![Text::from("*")]))
    }

    /// A key-wide statement of a KMS key policy, where `"Resource": "*"` means the key itself.
    /// Only a [`KeyPolicy`] accepts it: in any other policy `*` would be every key.
    pub fn on_this_key(actions: impl key::OnThisKey) -> KeyStatement {
        KeyStatement(Self::with(
            Effect::Allow,
            actions.names(),
            Some(vec![Text::from("*")]),
        ))
    }

    /// A trust policy statement: lets `principal` assume the role.
    pub fn assume_role(principal: Principal) -> Self {
        Self::with(Effect::Allow, vec!["sts:AssumeRole"], None).principal(principal)
    }

    /// Denies every request to `resources` (and the objects under them) that does not use TLS.
    pub fn deny_insecure_transport(resources: Vec<Text>) -> Self {
        let mut s = Self::with(Effect::Deny, vec!["s3:*"], Some(resources));
        s.any_principal = true;
        s.sid = Some("DenyInsecureTransport".into());
        s.condition(Condition::bool(global::SecureTransport, false))
    }

    /// Names the statement.
    pub fn sid(mut self, sid: &str) -> Self {
        self.sid = Some(sid.to_owned());
        self
    }

    /// Adds a principal (resource-based policies).
    pub fn principal(mut self, principal: Principal) -> Self {
        self.principals.push(principal);
        self
    }

    /// Adds conditions on global keys (`global::SourceAccount`), or a tuple of them: the
    /// statement's type no longer knows its actions' service, so a key of a service goes with
    /// its actions through [`Statement::allow_when`] (the same bound, [`InService`]).
    ///
    /// ```
    /// use infra_core::{Arn, Text, aws::sqs, policy::{Condition, Statement, global}};
    /// let queue: Arn<sqs::Queue<infra_core::UsEast1>> = Arn::from_text(Text::expression("aws_sqs_queue.q.arn"));
    /// let s = Statement::allow([sqs::SendMessage], queue)
    ///     .condition(Condition::string_equals(global::SourceAccount, "111122223333"));
    /// # let _ = s;
    /// ```
    ///
    /// A key of a service does not compile here, even the actions' own:
    ///
    /// ```compile_fail
    /// use infra_core::{Arn, Text, aws::{kms, sqs}, policy::{Condition, Statement}};
    /// let queue: Arn<sqs::Queue<infra_core::UsEast1>> = Arn::from_text(Text::expression("aws_sqs_queue.q.arn"));
    /// let s = Statement::allow([sqs::SendMessage], queue)
    ///     .condition(Condition::string_equals(kms::conditions::ViaService, "sqs.us-east-1.amazonaws.com"));
    /// ```
    pub fn condition(mut self, conditions: impl Conditions<AnyActions>) -> Self {
        self.conditions.extend(conditions.into_conditions());
        self
    }

    /// Adds already checked conditions (the policy module's own builders).
    fn checked_conditions(mut self, conditions: Vec<Condition>) -> Self {
        self.conditions.extend(conditions);
        self
    }

    /// The statement as the JSON the policy template evaluates to.
    fn to_json(&self) -> Json<'_> {
        let mut m = BTreeMap::new();
        if let Some(sid) = &self.sid {
            m.insert("Sid", Json::text(sid.as_str()));
        }
        let effect = match self.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        };
        m.insert("Effect", Json::text(effect));
        if self.any_principal {
            m.insert("Principal", Json::text("*"));
        } else if !self.principals.is_empty() {
            let mut p: BTreeMap<&str, Vec<Json>> = BTreeMap::new();
            for principal in &self.principals {
                let (k, v) = principal.key_and_value();
                p.entry(k).or_default().push(Json::Str(Cow::Owned(v)));
            }
            let p = p.into_iter().map(|(k, v)| (k, Json::Arr(v))).collect();
            m.insert("Principal", Json::Obj(p));
        }
        let actions = self.actions.iter().map(|a| Json::text(a)).collect();
        m.insert("Action", Json::Arr(actions));
        if let Some(resources) = &self.resources {
            let any =
                matches!(resources.as_slice(), [one] if one.as_literal().as_deref() == Some("*"));
            m.insert(
                "Resource",
                if any {
                    Json::text("*")
                } else {
                    Json::Arr(resources.iter().map(Json::borrowed).collect())
                },
            );
        }
        if !self.conditions.is_empty() {
            let mut c: BTreeMap<&str, BTreeMap<&str, Json>> = BTreeMap::new();
            for cond in &self.conditions {
                let values = match cond.values.as_slice() {
                    [one] => Json::borrowed(one),
                    many => Json::Arr(many.iter().map(Json::borrowed).collect()),
                };
                c.entry(cond.operator)
                    .or_default()
                    .insert(cond.key.as_str(), values);
            }
            let c = c
                .into_iter()
                .map(|(op, keys)| (op, Json::Obj(keys)))
                .collect();
            m.insert("Condition", Json::Obj(c));
        }
        Json::Obj(m)
    }
}

/// A JSON value whose strings are [`Text`]s: what a policy template evaluates to. It is written
/// straight from the typed parts (never by re-reading rendered text): literal text JSON-encoded
/// and escaped, expressions as `${…}`, so Terraform reads the expressions and then the result
/// is the JSON document. Objects are sorted by key, as `serde_json` sorts them.
enum Json<'a> {
    Str(Cow<'a, Text>),
    Arr(Vec<Json<'a>>),
    Obj(BTreeMap<&'a str, Json<'a>>),
}

impl<'a> Json<'a> {
    fn text(literal: &str) -> Self {
        Json::Str(Cow::Owned(Text::literal(literal)))
    }

    fn borrowed(text: &'a Text) -> Self {
        Json::Str(Cow::Borrowed(text))
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Str(text) => text.json_string_in_template(out),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    Text::literal(*key).json_string_in_template(out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// An IAM policy document (identity-based, resource-based, trust or key policy).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::{cloudwatch, kms}, policy::{PolicyDocument, because}};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let key = east.add("data_key", kms::Key::default());
/// let policy = PolicyDocument::new()
///     .allow([kms::Decrypt, kms::GenerateDataKey], key.arn())
///     .allow_any_resource([cloudwatch::PutMetricData], because("PutMetricData has no resource-level permissions"));
/// assert!(policy.to_json().contains("${aws_kms_key.primary_data_key.arn}"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyDocument {
    statements: Vec<Statement>,
}

impl PolicyDocument {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a statement (a key-wide one from [`Statement::on_this_key`] belongs in a
    /// [`KeyPolicy`] instead, and does not compile here).
    pub fn statement(mut self, statement: impl key::DocumentStatement) -> Self {
        self.statements.push(statement.into_statement());
        self
    }

    /// Allows `actions` on `resources`.
    pub fn allow<On>(self, actions: impl Actions<On>, resources: impl Resources<On>) -> Self {
        self.statement(Statement::allow(actions, resources))
    }

    /// Denies `actions` on `resources`.
    pub fn deny<On>(self, actions: impl Actions<On>, resources: impl Resources<On>) -> Self {
        self.statement(Statement::deny(actions, resources))
    }

    /// Allows `actions` on every resource; the reason is required and greppable.
    pub fn allow_any_resource<On>(self, actions: impl Actions<On>, reason: Reason) -> Self {
        self.statement(Statement::allow_any_resource(actions, reason))
    }

    /// The trust policy of a role that `service` may assume: the role it makes is an
    /// `iam::Role<S>`, which the resources that need a role of that service accept.
    pub fn trust<S: service::Service + crate::aws::iam::Trust>(
        service: S,
    ) -> trust::TrustPolicy<S> {
        trust::TrustPolicy::service(service)
    }

    /// The statements.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The policy as a Terraform template whose result is the policy JSON: `${…}` references
    /// are resolved by Terraform before the provider reads the document.
    ///
    /// ```
    /// use infra_core::{Arn, Text, aws::s3, policy::PolicyDocument, UsEast1};
    /// let objects: Arn<s3::Objects<UsEast1>> =
    ///     Arn::from_text(Text::expression(r#"replace(var.bucket_arn, "}", "")"#));
    /// let policy = PolicyDocument::new().allow([s3::GetObject], objects);
    /// assert_eq!(
    ///     policy.to_json(),
    ///     r#"{"Statement":[{"Action":["s3:GetObject"],"Effect":"Allow","Resource":["${replace(var.bucket_arn, "}", "")}"]}],"Version":"2012-10-17"}"#
    /// );
    /// ```
    pub fn to_json(&self) -> String {
        let statements = self.statements.iter().map(Statement::to_json).collect();
        let document = Json::Obj(BTreeMap::from([
            ("Statement", Json::Arr(statements)),
            ("Version", Json::text("2012-10-17")),
        ]));
        let mut out = String::new();
        document.write(&mut out);
        out
    }
}

impl Argument for PolicyDocument {
    fn to_value(&self) -> Option<Value> {
        Some(Value::String(self.to_json()))
    }
    fn kind() -> ArgKind {
        ArgKind::String
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TextPart;
    use proptest::prelude::*;
    use serde_json::json;

    struct Things;
    struct Thing;
    impl ActsOn<Thing> for Things {}
    const DO: Action<Things> = action!("svc:Do");

    #[test]
    fn statements_render_in_iam_shape() {
        let arn: Arn<Thing> = Arn::from_text(Text::expression("aws_thing.t.arn"));
        let doc = PolicyDocument::new().statement(
            Statement::allow([DO], arn)
                .principal(Principal::service(service::Lambda))
                .condition(Condition::string_equals("aws:SourceAccount", "123"))
                .condition(Condition::bool("aws:SecureTransport", true)),
        );
        let v: Value = serde_json::from_str(&doc.to_json()).unwrap();
        assert_eq!(
            v,
            json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": ["svc:Do"], "Resource": ["${aws_thing.t.arn}"],
                "Principal": {"Service": ["lambda.amazonaws.com"]},
                "Condition": {"StringEquals": {"aws:SourceAccount": "123"}, "Bool": {"aws:SecureTransport": "true"}}
            }]})
        );
    }

    #[test]
    fn iam_policy_variables_are_escaped() {
        let doc = PolicyDocument::new().statement(
            Statement::allow_any_resource([DO], because("test")).condition(Condition::string_like(
                "s3:prefix",
                "home/${aws:username}/*",
            )),
        );
        assert!(doc.to_json().contains("home/$${aws:username}/*"));
        assert!(doc.to_json().contains("\"Resource\":\"*\""));
    }

    #[test]
    fn expressions_keep_their_quotes_inside_the_template() {
        let arn: Arn<Thing> = Arn::from_text(Text::expression(
            "replace(aws_thing.t.arn, \":a:\", \":b:\")",
        ));
        let doc = PolicyDocument::new().allow([DO], arn);
        let json = doc.to_json();
        assert!(
            json.contains(r#""${replace(aws_thing.t.arn, ":a:", ":b:")}""#),
            "{json}"
        );
        let literal = PolicyDocument::new()
            .statement(Statement::allow_any_resource([DO], because("t")).sid("a\"b"));
        assert!(
            literal.to_json().contains(r#""Sid":"a\"b""#),
            "{}",
            literal.to_json()
        );
    }

    #[test]
    fn tls_deny_applies_to_everyone() {
        let s = Statement::deny_insecure_transport(vec![Text::from("arn:aws:s3:::b")]);
        let doc = PolicyDocument::new().statement(s);
        let v: Value = serde_json::from_str(&doc.to_json()).unwrap();
        let v = &v["Statement"][0];
        assert_eq!(v["Principal"], "*");
        assert_eq!(v["Effect"], "Deny");
        assert_eq!(v["Condition"]["Bool"]["aws:SecureTransport"], "false");
    }

    #[test]
    fn a_brace_in_an_expressions_string_literal_survives() {
        // The old renderer re-read the rendered JSON counting braces, and wrote
        // `${replace(var.x, "}\", \"\")}`, which Terraform rejects.
        let arn: Arn<Thing> = Arn::from_text(Text::expression(r#"replace(var.x, "}", "")"#));
        let json = PolicyDocument::new().allow([DO], arn).to_json();
        assert!(json.contains(r#"["${replace(var.x, "}", "")}"]"#), "{json}");
        let (value, expressions) = evaluate(&json);
        assert_eq!(expressions, [r#"replace(var.x, "}", "")"#]);
        assert_eq!(value["Statement"][0]["Resource"][0], placeholder(0));
    }

    #[test]
    fn sids_and_condition_keys_are_literal_text() {
        let doc = PolicyDocument::new().statement(
            Statement::allow_any_resource([DO], because("t"))
                .sid("s-${x}")
                .condition(Condition::string_like("k-%{y}", "v")),
        );
        let json = doc.to_json();
        assert!(json.contains(r#""Sid":"s-$${x}""#), "{json}");
        assert!(json.contains(r#""k-%%{y}":"v""#), "{json}");
    }

    /// What expression `i` of a policy template stands for after [`evaluate`]; the generated
    /// literal text never holds these private-use characters.
    fn placeholder(i: usize) -> String {
        format!("\u{E000}{i}\u{E001}")
    }

    /// What Terraform makes of a policy template, each expression evaluating to its
    /// placeholder: the template read with the crate's scanner, then the result parsed as JSON.
    fn evaluate(template: &str) -> (Value, Vec<String>) {
        let text = Text::parse(template).unwrap_or_else(|e| panic!("{e}"));
        let mut result = String::new();
        let mut expressions = Vec::new();
        for part in text.parts() {
            match part {
                TextPart::Literal(s) => result.push_str(s),
                TextPart::Expression(e) => {
                    result.push_str(&placeholder(expressions.len()));
                    expressions.push(e.to_owned());
                }
            }
        }
        let value = serde_json::from_str(&result).unwrap_or_else(|e| panic!("{e}: {result}"));
        (value, expressions)
    }

    /// A string of an evaluated policy read back into a `Text`: placeholders become the
    /// expressions they stand for.
    fn unevaluate(value: &Value, expressions: &[String]) -> Text {
        let mut text = Text::default();
        let mut rest = value.as_str().expect("a string");
        while let Some(start) = rest.find('\u{E000}') {
            text.push_str(&rest[..start]);
            let after = &rest[start + '\u{E000}'.len_utf8()..];
            let end = after.find('\u{E001}').expect("a closed placeholder");
            let i: usize = after[..end].parse().expect("an index");
            text.push(Text::expression(expressions[i].clone()));
            rest = &after[end + '\u{E001}'.len_utf8()..];
        }
        text.push_str(rest);
        text
    }

    /// Literal text with every character, the template- and JSON-significant ones often.
    fn literal() -> impl Strategy<Value = String> {
        let special = prop::sample::select(vec![
            '{', '}', '"', '\\', '$', '%', '\n', '\u{7}', ':', '*', 'a', 'é', '😀',
        ]);
        let c = prop_oneof![3 => special, 1 => any::<char>()]
            .prop_filter("not a placeholder character", |c| {
                !matches!(c, '\u{E000}' | '\u{E001}')
            });
        prop::collection::vec(c, 0..10).prop_map(|cs| cs.into_iter().collect())
    }

    /// Well-formed expressions, with braces, quotes, escapes and templates in string literals.
    fn expression() -> impl Strategy<Value = String> {
        let reference = prop::sample::select(vec![
            "aws_thing.t.arn",
            "var.x",
            "data.aws_region.current.name",
            "local.list[0]",
        ])
        .prop_map(str::to_owned);
        let quoted = || literal().prop_map(|s| Text::literal(s).hcl_quoted());
        prop_oneof![
            reference.clone(),
            (reference.clone(), quoted(), quoted())
                .prop_map(|(r, a, b)| format!("replace({r}, {a}, {b})")),
            (quoted(), reference.clone())
                .prop_map(|(q, r)| format!("format(\"%s-${{{r}}}-%s\", {q}, {r})")),
            (reference.clone(), quoted())
                .prop_map(|(r, q)| format!("jsonencode({{ k = {q}, \"}}\" = [{r}] }})")),
            (reference, quoted()).prop_map(|(r, q)| format!("{r} == \"\" ? {q} : \"{{\"")),
        ]
    }

    /// Any text: literal parts and expression parts in any order.
    fn text() -> impl Strategy<Value = Text> {
        let part = prop_oneof![
            literal().prop_map(Text::from),
            expression().prop_map(Text::expression),
        ];
        prop::collection::vec(part, 0..6).prop_map(|parts| {
            let mut text = Text::default();
            for part in parts {
                text.push(part);
            }
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_text_round_trips_through_a_policy(
            resource in text(),
            condition in text(),
            principal in text(),
            sid in literal(),
            key in literal(),
        ) {
            prop_assume!(resource.as_literal().as_deref() != Some("*"));
            let arn: Arn<Thing> = Arn::from_text(resource.clone());
            let doc = PolicyDocument::new().statement(
                Statement::allow([DO], arn)
                    .sid(&sid)
                    .principal(Principal::untyped_service(principal.clone(), because("any text")))
                    .condition(Condition::new("StringLike", &key, [condition.clone()])),
            );
            let (value, expressions) = evaluate(&doc.to_json());
            let statement = &value["Statement"][0];
            prop_assert_eq!(unevaluate(&statement["Resource"][0], &expressions), resource);
            prop_assert_eq!(
                unevaluate(&statement["Principal"]["Service"][0], &expressions),
                principal
            );
            prop_assert_eq!(
                unevaluate(&statement["Condition"]["StringLike"][key.as_str()], &expressions),
                condition
            );
            prop_assert_eq!(&statement["Sid"], &json!(sid));
        }

        #[test]
        fn any_text_round_trips_through_render_and_parse(text in text()) {
            prop_assert_eq!(Text::parse(&text.render()), Ok(text));
        }
    }
}
