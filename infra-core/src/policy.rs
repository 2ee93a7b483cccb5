//! IAM policy documents built from typed statements.
//!
//! An [`Action`] belongs to a class of actions (`dynamodb::ItemActions`, `s3::ObjectActions`…)
//! and a class acts only on the resource kinds AWS defines for it ([`ActsOn`]), so granting an
//! S3 action on a DynamoDB table does not compile. A `*` resource or action needs an explicit,
//! greppable opt-in with a reason: [`PolicyDocument::allow_any_resource`], [`Action::wildcard`],
//! both taking [`because`].

use std::marker::PhantomData;

use serde_json::{Map, Value, json};

use crate::args::Argument;
use crate::refs::Arn;
use crate::shape::ArgKind;
use crate::text::Text;

/// An IAM action of class `On` (`dynamodb:PutItem` is an `Action<dynamodb::ItemActions>`).
///
/// Declare actions as constants: a `*` in the name fails to compile there.
///
/// ```
/// use infra_core::policy::Action;
/// /// An action of a service this crate does not model yet.
/// pub struct QueueActions;
/// pub const SEND_MESSAGE: Action<QueueActions> = Action::new("sqs:SendMessage");
/// assert_eq!(SEND_MESSAGE.name(), "sqs:SendMessage");
/// ```
pub struct Action<On> {
    name: &'static str,
    class: PhantomData<fn() -> On>,
}

impl<On> Action<On> {
    /// An action named `service:Action`. A `*` in the name is refused: use [`Action::wildcard`].
    pub const fn new(name: &'static str) -> Self {
        let bytes = name.as_bytes();
        let mut i = 0;
        let mut colon = false;
        while i < bytes.len() {
            assert!(
                bytes[i] != b'*',
                "an action name may not contain `*`: use `Action::wildcard` with a reason"
            );
            if bytes[i] == b':' {
                colon = true;
            }
            i += 1;
        }
        assert!(colon, "an action name is `service:Action`");
        Self {
            name,
            class: PhantomData,
        }
    }

    /// An action pattern with `*` (`s3:Get*`), allowed only with a reason.
    pub const fn wildcard(pattern: &'static str, reason: Reason) -> Self {
        let _ = reason;
        Self {
            name: pattern,
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
    note = "an IAM action applies only to its service's resource kinds: DynamoDB item actions to a table or index ARN (`table.arn()`, `table.index_arn(…)`), S3 object actions to an object ARN (`bucket.objects(\"prefix/*\")`), S3 bucket actions to a bucket ARN, KMS key actions to a key ARN"
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

/// Who a resource-based policy statement applies to.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// An AWS service (`lambda.amazonaws.com`).
    Service(Text),
    /// Every IAM principal of an account (`arn:aws:iam::<account>:root`), with the account ID.
    AccountRoot(Text),
    /// One IAM role or other principal ARN.
    Aws(Text),
}

impl Principal {
    /// An AWS service principal.
    pub fn service(name: impl Into<Text>) -> Self {
        Principal::Service(name.into())
    }

    /// The root of an account (delegates to the account's IAM policies).
    pub fn account_root(account_id: impl Into<Text>) -> Self {
        Principal::AccountRoot(account_id.into())
    }

    /// A principal ARN, such as a role's.
    pub fn arn<K>(arn: Arn<K>) -> Self {
        Principal::Aws(arn.text().clone())
    }

    fn key_and_value(&self) -> (&'static str, Text) {
        match self {
            Principal::Service(s) => ("Service", s.clone()),
            Principal::AccountRoot(id) => {
                let mut t = Text::from("arn:aws:iam::");
                t.push(id.clone());
                t.push_str(":root");
                ("AWS", t)
            }
            Principal::Aws(a) => ("AWS", a.clone()),
        }
    }
}

/// A condition on a statement (`{"Bool": {"aws:SecureTransport": "false"}}`).
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    operator: &'static str,
    key: String,
    values: Vec<Text>,
}

impl Condition {
    /// Any condition operator, key and values.
    pub fn new<V: Into<Text>>(
        operator: &'static str,
        key: &str,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        Self {
            operator,
            key: key.to_owned(),
            values: values.into_iter().map(Into::into).collect(),
        }
    }
    /// `Bool`.
    pub fn bool(key: &str, value: bool) -> Self {
        Self::new("Bool", key, [value.to_string()])
    }
    /// `StringEquals`.
    pub fn string_equals(key: &str, value: impl Into<Text>) -> Self {
        Self::new("StringEquals", key, [value.into()])
    }
    /// `StringLike`.
    pub fn string_like(key: &str, value: impl Into<Text>) -> Self {
        Self::new("StringLike", key, [value.into()])
    }
    /// `ArnLike`.
    pub fn arn_like(key: &str, value: impl Into<Text>) -> Self {
        Self::new("ArnLike", key, [value.into()])
    }
    /// `ArnEquals`.
    pub fn arn_equals(key: &str, value: impl Into<Text>) -> Self {
        Self::new("ArnEquals", key, [value.into()])
    }
    /// `NumericLessThan`.
    pub fn numeric_less_than(key: &str, value: impl Into<Text>) -> Self {
        Self::new("NumericLessThan", key, [value.into()])
    }
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
    pub fn allow<On, const N: usize>(
        actions: [Action<On>; N],
        resources: impl Resources<On>,
    ) -> Self {
        Self::with(
            Effect::Allow,
            actions.iter().map(Action::name).collect(),
            Some(resources.into_texts()),
        )
    }

    /// Denies `actions` on `resources`.
    pub fn deny<On, const N: usize>(
        actions: [Action<On>; N],
        resources: impl Resources<On>,
    ) -> Self {
        Self::with(
            Effect::Deny,
            actions.iter().map(Action::name).collect(),
            Some(resources.into_texts()),
        )
    }

    /// Allows `actions` on every resource (`"Resource": "*"`); the reason is required.
    pub fn allow_any_resource<On, const N: usize>(
        actions: [Action<On>; N],
        reason: Reason,
    ) -> Self {
        let _ = reason;
        Self::with(
            Effect::Allow,
            actions.iter().map(Action::name).collect(),
            Some(vec![Text::from("*")]),
        )
    }

    /// A key policy statement: in a KMS key policy, `"Resource": "*"` means the key itself.
    pub fn on_this_key<const N: usize>(actions: [Action<crate::aws::kms::KeyActions>; N]) -> Self {
        Self::with(
            Effect::Allow,
            actions.iter().map(Action::name).collect(),
            Some(vec![Text::from("*")]),
        )
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
        s.condition(Condition::bool("aws:SecureTransport", false))
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

    /// Adds a condition.
    pub fn condition(mut self, condition: Condition) -> Self {
        self.conditions.push(condition);
        self
    }

    fn to_value(&self) -> Value {
        let mut m = Map::new();
        if let Some(sid) = &self.sid {
            m.insert("Sid".into(), json!(sid));
        }
        m.insert(
            "Effect".into(),
            json!(match self.effect {
                Effect::Allow => "Allow",
                Effect::Deny => "Deny",
            }),
        );
        if self.any_principal {
            m.insert("Principal".into(), json!("*"));
        } else if !self.principals.is_empty() {
            let mut p: Map<String, Value> = Map::new();
            for principal in &self.principals {
                let (k, v) = principal.key_and_value();
                let entry = p.entry(k).or_insert_with(|| json!([]));
                if let Value::Array(items) = entry {
                    items.push(json!(v.render()));
                }
            }
            m.insert("Principal".into(), Value::Object(p));
        }
        m.insert("Action".into(), json!(self.actions));
        if let Some(resources) = &self.resources {
            let r: Vec<String> = resources.iter().map(Text::render).collect();
            m.insert(
                "Resource".into(),
                if r == ["*"] { json!("*") } else { json!(r) },
            );
        }
        if !self.conditions.is_empty() {
            let mut c: Map<String, Value> = Map::new();
            for cond in &self.conditions {
                let op = c
                    .entry(cond.operator)
                    .or_insert_with(|| Value::Object(Map::new()));
                let values: Vec<String> = cond.values.iter().map(Text::render).collect();
                op[cond.key.as_str()] = if values.len() == 1 {
                    json!(values[0])
                } else {
                    json!(values)
                };
            }
            m.insert("Condition".into(), Value::Object(c));
        }
        Value::Object(m)
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

    /// Adds a statement.
    pub fn statement(mut self, statement: Statement) -> Self {
        self.statements.push(statement);
        self
    }

    /// Allows `actions` on `resources`.
    pub fn allow<On, const N: usize>(
        self,
        actions: [Action<On>; N],
        resources: impl Resources<On>,
    ) -> Self {
        self.statement(Statement::allow(actions, resources))
    }

    /// Denies `actions` on `resources`.
    pub fn deny<On, const N: usize>(
        self,
        actions: [Action<On>; N],
        resources: impl Resources<On>,
    ) -> Self {
        self.statement(Statement::deny(actions, resources))
    }

    /// Allows `actions` on every resource; the reason is required and greppable.
    pub fn allow_any_resource<On, const N: usize>(
        self,
        actions: [Action<On>; N],
        reason: Reason,
    ) -> Self {
        self.statement(Statement::allow_any_resource(actions, reason))
    }

    /// A role trust policy for one service principal.
    pub fn trust(principal: Principal) -> Self {
        Self::new().statement(Statement::assume_role(principal))
    }

    /// The statements.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The policy as a Terraform template whose result is the policy JSON: `${…}` references
    /// are resolved by Terraform before the provider reads the document.
    pub fn to_json(&self) -> String {
        let statements: Vec<Value> = self.statements.iter().map(Statement::to_value).collect();
        let json =
            serde_json::to_string(&json!({ "Version": "2012-10-17", "Statement": statements }))
                .expect("a JSON value with string keys always serializes");
        unescape_templates(&json)
    }
}

/// Undoes JSON string escaping inside `${…}` template sequences.
///
/// The policy JSON is a Terraform template: an expression such as
/// `replace(x, ":a:", ":b:")` must reach Terraform with plain quotes, or it is not valid HCL.
/// The template's *result* is the JSON document. Escaped literals (`$${`) are left alone.
fn unescape_templates(json: &str) -> String {
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"$${") {
            out.push_str("$${");
            i += 3;
        } else if bytes[i..].starts_with(b"${") {
            let mut depth = 0usize;
            let mut j = i + 1;
            while j < bytes.len() {
                match bytes[j] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            let end = (j + 1).min(bytes.len());
            out.push_str(&json[i..end].replace("\\\"", "\"").replace("\\\\", "\\"));
            i = end;
        } else {
            let ch = json[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
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

    struct Things;
    struct Thing;
    impl ActsOn<Thing> for Things {}
    const DO: Action<Things> = Action::new("svc:Do");

    #[test]
    fn statements_render_in_iam_shape() {
        let arn: Arn<Thing> = Arn::from_text(Text::expression("aws_thing.t.arn"));
        let doc = PolicyDocument::new().statement(
            Statement::allow([DO], arn)
                .principal(Principal::service("lambda.amazonaws.com"))
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
        let v = s.to_value();
        assert_eq!(v["Principal"], "*");
        assert_eq!(v["Effect"], "Deny");
        assert_eq!(v["Condition"]["Bool"]["aws:SecureTransport"], "false");
    }
}
