//! Role trust policies typed by who may assume the role.
//!
//! [`PolicyDocument::trust`]`(service::Lambda)` is a `TrustPolicy<Lambda>`, and a role made with
//! it is an `iam::Role<Lambda>`: its ARN, `Arn<iam::Role<Lambda>>`, is what a Lambda function's
//! `role` takes, so the VPC flow-logs role (`iam::Role<VpcFlowLogs>`) does not compile there.
//! Any other document becomes a `TrustPolicy<AnyTrust>` (`doc.into()`): a role whose trust is not
//! typed, `iam::Role` for short, which is what `Arn<iam::Role>` means ("some role").

use std::marker::PhantomData;

use super::service::Service;
use super::{Conditions, Global, InService, PolicyDocument, Principal, Statement};
use crate::args::Argument;
use crate::shape::ArgKind;

/// Who may assume a role: a service type (`service::Lambda`), or [`AnyTrust`] when the trust
/// policy is not typed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a principal a role can be typed by",
    note = "a role's trust is a service type (`iam::Role<service::Lambda>`, made with `PolicyDocument::trust(service::Lambda)`), or `AnyTrust` for a trust policy that is not typed"
)]
pub trait Trust: 'static {}

/// The trust of a role whose trust policy this crate did not type: `iam::Role` is
/// `iam::Role<AnyTrust>`, "some role".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnyTrust;
impl Trust for AnyTrust {}

/// The class of a trust statement's one action, `sts:AssumeRole`: its conditions take global
/// keys, and `sts` keys with the `iam-sts` feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssumeRoleActions {}
impl InService<Global> for AssumeRoleActions {}
#[cfg(feature = "iam-sts")]
impl InService<crate::iam::sts::Service> for AssumeRoleActions {}

/// A role's trust policy (`assume_role_policy`), typed by who may assume the role.
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::iam, policy::{Condition, PolicyDocument, service}};
/// let stack = Stack::new();
/// let role = stack.aws::<UsEast1>("primary").add("exec", iam::Role {
///     assume_role_policy: PolicyDocument::trust(service::Lambda)
///         .condition(Condition::string_equals("aws:SourceAccount", "111122223333")),
///     opts: iam::RoleOpts::default(),
/// });
/// let exec: infra_core::Arn<iam::Role<service::Lambda>> = role.arn();
/// let _some_role: infra_core::Arn<iam::Role> = exec.into();
/// ```
pub struct TrustPolicy<T> {
    document: PolicyDocument,
    trust: PhantomData<fn() -> T>,
}

impl<S: Service + Trust> TrustPolicy<S> {
    /// `sts:AssumeRole` for `service`.
    pub(super) fn service(service: S) -> Self {
        Self {
            document: PolicyDocument::new()
                .statement(Statement::assume_role(Principal::service(service))),
            trust: PhantomData,
        }
    }

    /// Adds conditions to the trust statement (`global::SourceAccount`, `global::SourceArn`),
    /// to guard against the confused deputy: global keys, or `sts` ones (feature `iam-sts`), or
    /// a tuple of them; a key of another service does not compile (the bound of
    /// [`Statement::allow_when`]).
    ///
    /// ```compile_fail
    /// use infra_core::aws::kms;
    /// use infra_core::policy::{Condition, PolicyDocument, service};
    /// let _ = PolicyDocument::trust(service::Lambda)
    ///     .condition(Condition::string_equals(kms::conditions::ViaService, "lambda.us-east-1.amazonaws.com"));
    /// ```
    pub fn condition(mut self, conditions: impl Conditions<AssumeRoleActions>) -> Self {
        if let Some(statement) = self.document.statements.pop() {
            self.document
                .statements
                .push(statement.checked_conditions(conditions.into_conditions()));
        }
        self
    }
}

impl<T> TrustPolicy<T> {
    /// The policy document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// The policy as a Terraform template whose result is the policy JSON.
    pub fn to_json(&self) -> String {
        self.document.to_json()
    }
}

/// Any trust document, not typed: the role is "some role".
impl From<PolicyDocument> for TrustPolicy<AnyTrust> {
    fn from(document: PolicyDocument) -> Self {
        Self {
            document,
            trust: PhantomData,
        }
    }
}

impl<T> Clone for TrustPolicy<T> {
    fn clone(&self) -> Self {
        Self {
            document: self.document.clone(),
            trust: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for TrustPolicy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("TrustPolicy").field(&self.document).finish()
    }
}

impl<T> Argument for TrustPolicy<T> {
    fn to_value(&self) -> Option<serde_json::Value> {
        self.document.to_value()
    }
    fn kind() -> ArgKind {
        ArgKind::String
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Condition, global, service};

    #[test]
    fn a_typed_trust_renders_one_assume_role_statement_with_its_conditions() {
        let policy = PolicyDocument::trust(service::Lambda).condition((
            Condition::string_equals(global::SourceAccount, "123"),
            Condition::arn_like(global::SourceArn, "arn:aws:lambda:*:123:function:*"),
        ));
        let v: serde_json::Value = serde_json::from_str(&policy.to_json()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": ["sts:AssumeRole"],
                "Principal": {"Service": ["lambda.amazonaws.com"]},
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": "123"},
                    "ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:123:function:*"}
                }
            }]})
        );
    }
}
