//! AWS KMS: customer-managed keys and aliases, and the KMS IAM actions.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`kms:Decrypt`).

use std::marker::PhantomData;

use crate::policy::KeyPolicy;
use crate::{Arn, Id, Region, Resource, Text};

/// The generated `kms` types this module does not define (feature `kms`).
#[cfg(feature = "kms")]
pub use super::generated::kms::*;

/// A customer-managed KMS key (`aws_kms_key`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::kms};
/// let stack = Stack::new();
/// let key = stack.aws::<UsEast1>("primary").add("data_key", kms::Key {
///     description: Some("payment data".into()),
///     enable_key_rotation: Some(true),
///     ..Default::default()
/// });
/// let _arn: infra_core::Arn<kms::Key<UsEast1>> = key.arn();
/// ```
#[derive(Resource, Debug, Clone, Default)]
#[resource(
    type = "aws_kms_key",
    exports(arn: Arn<Self>, key_id: Id<Self>, id: Id<Self>)
)]
pub struct Key<R: Region> {
    /// What the key is for.
    pub description: Option<Text>,
    /// Yearly automatic rotation. The secure choice is `Some(true)`.
    pub enable_key_rotation: Option<bool>,
    /// Days between rotations (90 to 2560).
    pub rotation_period_in_days: Option<u32>,
    /// Waiting period before deletion (7 to 30 days).
    pub deletion_window_in_days: Option<u32>,
    /// The key policy: key-wide statements (`Statement::on_this_key`).
    pub policy: Option<KeyPolicy>,
    /// `ENCRYPT_DECRYPT` (default) or `SIGN_VERIFY` (asymmetric signing keys).
    pub key_usage: Option<Text>,
    /// `SYMMETRIC_DEFAULT` (default), or an asymmetric spec such as `ECC_NIST_P256`.
    pub customer_master_key_spec: Option<Text>,
    /// Whether the key is a multi-Region primary key.
    pub multi_region: Option<bool>,
    /// Resource tags (in addition to the provider's default tags).
    pub tags: Option<std::collections::BTreeMap<String, Text>>,
    /// The region the key lives in.
    pub _region: PhantomData<R>,
}

/// An alias for a key (`aws_kms_alias`).
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_kms_alias", exports(arn: Arn<Self>, id: Id<Self>))]
pub struct Alias<R: Region> {
    /// `alias/…`.
    pub name: Text,
    /// The key the alias names.
    pub target_key_id: Id<Key<R>>,
}

/// The `kms` IAM actions, generated from AWS's authorization data.
pub use crate::iam::kms::*;
/// `kms:*`, for the account-root statement of a key policy only (not an action: no identity
/// policy accepts it).
pub use crate::policy::key::AllKeyActions;
