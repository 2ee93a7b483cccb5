//! Amazon SNS: topics, topic policies and subscriptions.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`sns:Publish`).

use crate::Region;
use crate::policy::{Action, ActsOn};

/// The overlay-typed types (`infra-core/overlay/types/sns.toml`): `Topic`, `TopicPolicy`,
/// `Subscription`.
pub use super::generated::overlay::sns::*;

/// The generated `sns` types this module does not define (feature `sns`).
#[cfg(feature = "sns")]
pub use super::generated::sns::*;

/// Topic actions: they act on a topic ARN.
#[derive(Debug)]
pub struct TopicActions;
impl<R: Region> ActsOn<Topic<R>> for TopicActions {}

/// `sns:Publish`.
pub const Publish: Action<TopicActions> = crate::action!("sns:Publish");
