//! [`Key`]: a customer-managed KMS key with rotation, an alias, and a policy that grows with
//! the services it encrypts for.

use std::cell::Cell;
use std::ops::Deref;

use crate::aws::kms;
use crate::interpolate;
use crate::policy::{Condition, KeyPolicy, KeyStatement, Principal, Statement, global, service};
use crate::refs::Ref;
use crate::region::Region;
use crate::stack::{Aws, Stack};
use crate::text::Text;

/// A symmetric KMS key: rotation on, a 30-day deletion window, an alias named by its scope
/// (`alias/primary-data`), and a key policy whose first statement delegates use to IAM (the
/// account root), so grants ([`crate::grants`]) decide who uses it.
///
/// Components that encrypt with it add what their service needs to its policy: an encrypted
/// log group adds CloudWatch Logs, for this account's log groups in the key's region only
/// ([`Key::allow_logs`]).
///
/// ```
/// use infra_core::{Stack, UsEast1, components::{Key, Role}, grants::KeyGrants};
/// use infra_core::policy::service;
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let key = Key::new(&east.scope("data"));
/// let reader = Role::for_service(&east.scope("reader"), service::Lambda);
/// key.grant_decrypt(&reader);
/// let doc = stack.synth().unwrap();
/// infra_core::testing::assert_key_rotation(&doc);
/// assert_eq!(infra_core::testing::count(&doc, "aws_kms_alias"), 1);
/// ```
#[derive(Debug)]
pub struct Key<'s, R: Region> {
    stack: &'s Stack,
    /// The key.
    pub key: Ref<kms::Key<R>>,
    /// Its alias.
    pub alias: Ref<kms::Alias<R>>,
    /// The account ID its policy names.
    pub account_id: Text,
    logs_allowed: Cell<bool>,
    alarms_allowed: Cell<bool>,
}

/// What a [`Key`] may change from its defaults.
///
/// ```
/// use infra_core::{Stack, UsEast1, components::{Key, KeyConfig}};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// Key::with(&east.scope("data"), KeyConfig {
///     alias: Some("payment-prod-data".into()),
///     description: Some("payment data (us-east-1)".into()),
/// });
/// let doc = stack.synth().unwrap();
/// let alias = infra_core::testing::resource(&doc, "aws_kms_alias", "primary_data_alias").unwrap();
/// assert_eq!(alias["name"], "alias/payment-prod-data");
/// infra_core::testing::assert_key_rotation(&doc);
/// ```
#[derive(Debug, Clone, Default)]
pub struct KeyConfig {
    /// The alias, without `alias/` (default: the scope's path, `primary-data`).
    pub alias: Option<String>,
    /// The key's description (default: the scope's path and the region).
    pub description: Option<String>,
}

impl<'s, R: Region> Key<'s, R> {
    /// A key in `scope` (`<scope>_key`, `<scope>_alias`).
    #[track_caller]
    pub fn new(scope: &Aws<'s, R>) -> Self {
        Self::with(scope, KeyConfig::default())
    }

    /// A key in `scope` with its alias and description from `config`; rotation, the deletion
    /// window and the policy are the same as [`Key::new`]'s.
    #[track_caller]
    pub fn with(scope: &Aws<'s, R>, config: KeyConfig) -> Self {
        let account_id = super::account_id(scope);
        let policy = KeyPolicy::new().statement(
            Statement::on_this_key([kms::AllKeyActions])
                .sid("AccountAdministersKeyThroughIam")
                .principal(Principal::account_root(account_id.clone())),
        );
        let key = scope.add(
            "key",
            kms::Key {
                description: Some(
                    config
                        .description
                        .unwrap_or_else(|| format!("{} ({})", scope.path(), R::NAME))
                        .into(),
                ),
                enable_key_rotation: Some(true),
                deletion_window_in_days: Some(30),
                policy: Some(policy),
                ..Default::default()
            },
        );
        let alias = scope.add(
            "alias",
            kms::Alias {
                name: format!(
                    "alias/{}",
                    config.alias.unwrap_or_else(|| super::aws_name(scope))
                )
                .into(),
                target_key_id: key.key_id(),
                opts: Default::default(),
            },
        );
        Self {
            stack: scope.stack(),
            key,
            alias,
            account_id,
            logs_allowed: Cell::new(false),
            alarms_allowed: Cell::new(false),
        }
    }

    /// Adds a key-wide statement ([`Statement::on_this_key`]) to the key policy.
    pub fn allow(&self, statement: KeyStatement) {
        self.stack.amend(&self.key, |k| {
            let policy = k.policy.take().unwrap_or_default();
            k.policy = Some(policy.statement(statement));
        });
    }

    /// Lets CloudWatch Logs of the key's region encrypt this account's log groups with it
    /// (`kms:EncryptionContext:aws:logs:arn` of this account and region). Added once, however
    /// many log groups use the key.
    pub fn allow_logs(&self) {
        if self.logs_allowed.replace(true) {
            return;
        }
        self.allow(
            Statement::on_this_key([
                kms::Encrypt,
                kms::Decrypt,
                kms::ReEncryptFrom,
                kms::ReEncryptTo,
                kms::GenerateDataKey,
                kms::DescribeKey,
            ])
            .sid("CloudWatchLogsEncryptsThisAccountsGroups")
            .principal(Principal::service(service::Logs(R::default())))
            .condition(Condition::arn_like(
                kms::conditions::EncryptionContext("aws:logs:arn"),
                interpolate!("arn:aws:logs:{}:{}:*", R::NAME, self.account_id),
            )),
        );
    }

    /// Lets CloudWatch alarms of this account publish to topics encrypted with the key.
    pub fn allow_alarms(&self) {
        if self.alarms_allowed.replace(true) {
            return;
        }
        self.allow(
            Statement::on_this_key([kms::Decrypt, kms::GenerateDataKey])
                .sid("CloudWatchAlarmsPublishToEncryptedTopics")
                .principal(Principal::service(service::CloudWatch))
                .condition(Condition::string_equals(
                    global::SourceAccount,
                    self.account_id.clone(),
                )),
        );
    }
}

impl<R: Region> Deref for Key<'_, R> {
    type Target = Ref<kms::Key<R>>;
    fn deref(&self) -> &Ref<kms::Key<R>> {
        &self.key
    }
}
