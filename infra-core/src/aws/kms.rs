//! AWS KMS: customer-managed keys and aliases, and the KMS IAM actions.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`kms:Decrypt`).

use crate::Region;
use crate::policy::{Action, ActsOn};

/// The overlay-typed types (`infra-core/overlay/types/kms.toml`): `Key`, `Alias`.
pub use super::generated::overlay::kms::*;

/// The generated `kms` types this module does not define (feature `kms`).
#[cfg(feature = "kms")]
pub use super::generated::kms::*;

/// Key actions (encrypt, decrypt, data keys…): they act on a key ARN.
#[derive(Debug)]
pub struct KeyActions;
impl<R: Region> ActsOn<Key<R>> for KeyActions {}

/// `kms:Encrypt`.
pub const Encrypt: Action<KeyActions> = crate::action!("kms:Encrypt");
/// `kms:Decrypt`.
pub const Decrypt: Action<KeyActions> = crate::action!("kms:Decrypt");
/// `kms:GenerateDataKey`.
pub const GenerateDataKey: Action<KeyActions> = crate::action!("kms:GenerateDataKey");
/// `kms:GenerateDataKeyWithoutPlaintext`.
pub const GenerateDataKeyWithoutPlaintext: Action<KeyActions> =
    crate::action!("kms:GenerateDataKeyWithoutPlaintext");
/// `kms:ReEncryptFrom`.
pub const ReEncryptFrom: Action<KeyActions> = crate::action!("kms:ReEncryptFrom");
/// `kms:ReEncryptTo`.
pub const ReEncryptTo: Action<KeyActions> = crate::action!("kms:ReEncryptTo");
/// `kms:DescribeKey`.
pub const DescribeKey: Action<KeyActions> = crate::action!("kms:DescribeKey");
/// `kms:CreateGrant`.
pub const CreateGrant: Action<KeyActions> = crate::action!("kms:CreateGrant");
/// `kms:Sign` (code signing, DNSSEC).
pub const Sign: Action<KeyActions> = crate::action!("kms:Sign");
/// `kms:GetPublicKey` (DNSSEC).
pub const GetPublicKey: Action<KeyActions> = crate::action!("kms:GetPublicKey");
/// `kms:*`, for the account-root statement of a key policy only.
pub const AllKeyActions: Action<KeyActions> = Action::wildcard(
    "kms:*",
    crate::policy::because(
        "the key policy's account-root statement delegates key administration to IAM",
    ),
);
