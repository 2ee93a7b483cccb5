//! Amazon SNS: topics, topic policies and subscriptions.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`sns:Publish`).

/// The overlay-typed types (`infra-core/overlay/types/sns.toml`): `Topic`, `TopicPolicy`,
/// `Subscription`.
pub use super::generated::overlay::sns::*;

/// The generated `sns` types this module does not define (feature `sns`).
#[cfg(feature = "sns")]
pub use super::generated::sns::*;

/// The `sns` IAM actions, generated from AWS's authorization data.
pub use crate::iam::sns::*;
