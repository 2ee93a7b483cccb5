//! A KMS key policy and its key-wide statements: the one place where `"Resource": "*"` means
//! "this key".
//!
//! In a key policy, `*` is the key itself; in any other policy (a role's inline policy, a
//! managed policy, a bucket policy) it is every key of the account. So the key-wide forms,
//! [`Statement::on_this_key`] and [`AllKeyActions`] (`kms:*`), make a [`KeyStatement`], which
//! only a [`KeyPolicy`] accepts: in a [`PolicyDocument`] it is a compile error that names the
//! form to use there (`.allow([kms::Decrypt], key.arn())`).

use super::{Action, Conditions, PolicyDocument, Principal, Statement};
use crate::args::Argument;
use crate::aws::kms::KeyActions;
use crate::shape::ArgKind;

/// `kms:*`, for the account-root statement of a key policy only: it delegates the key's
/// administration to the account's IAM policies.
///
/// It is not an [`Action`], so no identity policy accepts it; only
/// [`Statement::on_this_key`] does.
///
/// ```
/// use infra_core::aws::kms;
/// use infra_core::policy::{KeyPolicy, Principal, Statement};
/// let policy = KeyPolicy::new().statement(
///     Statement::on_this_key([kms::AllKeyActions]).principal(Principal::account_root("111122223333")),
/// );
/// assert!(policy.to_json().contains(r#""Action":["kms:*"]"#));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct AllKeyActions;

/// The actions of a key-wide statement: KMS key actions, or [`AllKeyActions`] alone.
#[diagnostic::on_unimplemented(
    message = "`{Self}` are not actions on a KMS key",
    label = "expected KMS key actions",
    note = "a key-wide statement takes KMS key actions (`[kms::Decrypt, kms::GenerateDataKey]`), or `[kms::AllKeyActions]` alone for the account-root statement"
)]
pub trait OnThisKey {
    /// The action names.
    fn names(&self) -> Vec<&'static str>;
}

impl<const N: usize> OnThisKey for [Action<KeyActions>; N] {
    fn names(&self) -> Vec<&'static str> {
        self.iter().map(Action::name).collect()
    }
}

impl OnThisKey for [AllKeyActions; 1] {
    fn names(&self) -> Vec<&'static str> {
        vec!["kms:*"]
    }
}

/// A statement of a key policy, made by [`Statement::on_this_key`]: its `"Resource": "*"`
/// is the key whose policy it is in. Only a [`KeyPolicy`] accepts it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyStatement(pub(super) Statement);

impl KeyStatement {
    /// Names the statement.
    pub fn sid(self, sid: &str) -> Self {
        Self(self.0.sid(sid))
    }

    /// Adds a principal: who may use the key.
    pub fn principal(self, principal: Principal) -> Self {
        Self(self.0.principal(principal))
    }

    /// Adds conditions on `kms` keys (`kms::conditions::ViaService`) or global ones
    /// (`global::SourceAccount`), or a tuple of them: a key of another service does not compile
    /// (the bound of [`Statement::allow_when`]).
    ///
    /// ```compile_fail
    /// use infra_core::aws::{kms, s3};
    /// use infra_core::policy::{Condition, Statement};
    /// let _ = Statement::on_this_key([kms::Decrypt])
    ///     .condition(Condition::string_equals(s3::conditions::x_amz_server_side_encryption, "aws:kms"));
    /// ```
    pub fn condition(self, conditions: impl Conditions<KeyActions>) -> Self {
        Self(self.0.checked_conditions(conditions.into_conditions()))
    }
}

/// A statement a [`PolicyDocument`] accepts (identity and non-key resource policies).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a statement of this policy document",
    label = "a key-wide statement belongs only in the key's own policy",
    note = "`Statement::on_this_key` renders `\"Resource\": \"*\"`, which means the key itself only in a key policy (`kms::Key {{ policy: Some(KeyPolicy::new().statement(…)), .. }}`); in a role's or any other policy `*` is every key in the account: grant on the key's ARN instead, `.allow([kms::Decrypt], key.arn())`"
)]
pub trait DocumentStatement {
    /// The statement.
    fn into_statement(self) -> Statement;
}

impl DocumentStatement for Statement {
    fn into_statement(self) -> Statement {
        self
    }
}

/// A key policy (`kms::Key::policy`): key-wide statements only, each granting one principal
/// the use or administration of this key.
///
/// ```
/// use infra_core::aws::kms;
/// use infra_core::policy::{KeyPolicy, Principal, Statement, service};
/// use infra_core::UsEast1;
/// let policy = KeyPolicy::new()
///     .statement(Statement::on_this_key([kms::AllKeyActions]).principal(Principal::account_root("111122223333")))
///     .statement(
///         Statement::on_this_key([kms::Encrypt, kms::Decrypt, kms::GenerateDataKey])
///             .principal(Principal::service(service::Logs(UsEast1))),
///     );
/// assert!(policy.to_json().contains(r#""Resource":"*""#));
/// ```
///
/// A statement scoped to ARNs is not a key-wide statement:
///
/// ```compile_fail
/// use infra_core::{Stack, UsEast1, aws::kms, policy::{KeyPolicy, Statement}};
/// let stack = Stack::new();
/// let key = stack.aws::<UsEast1>("primary").add("k", kms::Key::default());
/// let _ = KeyPolicy::new().statement(Statement::allow([kms::Decrypt], key.arn()));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyPolicy {
    document: PolicyDocument,
}

impl KeyPolicy {
    /// An empty key policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a key-wide statement.
    pub fn statement(mut self, statement: KeyStatement) -> Self {
        self.document.statements.push(statement.0);
        self
    }

    /// The statements.
    pub fn statements(&self) -> &[Statement] {
        self.document.statements()
    }

    /// The policy as a Terraform template whose result is the policy JSON.
    pub fn to_json(&self) -> String {
        self.document.to_json()
    }
}

impl Argument for KeyPolicy {
    fn to_value(&self) -> Option<serde_json::Value> {
        self.document.to_value()
    }
    fn kind() -> ArgKind {
        ArgKind::String
    }
}
