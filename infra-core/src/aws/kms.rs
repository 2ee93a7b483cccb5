//! AWS KMS: customer-managed keys and aliases, and the KMS IAM actions.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`kms:Decrypt`).

/// The overlay-typed types (`infra-core/overlay/types/kms.toml`): `Key`, `Alias`.
pub use super::generated::overlay::kms::*;

/// The generated `kms` types this module does not define (feature `kms`).
#[cfg(feature = "kms")]
pub use super::generated::kms::*;

/// The `kms` IAM actions, generated from AWS's authorization data.
pub use crate::iam::kms::*;
/// `kms:*`, for the account-root statement of a key policy only (not an action: no identity
/// policy accepts it).
pub use crate::policy::key::AllKeyActions;
