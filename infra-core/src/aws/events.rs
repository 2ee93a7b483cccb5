//! Amazon EventBridge (CloudWatch Events): rules on the default bus and their targets.
//!
//! A rule and its target live in one region: [`Target::arn`] takes a function of the rule's own
//! region, so a schedule in `us-east-1` cannot name a function in `us-west-2`. A Lambda target
//! also needs a [`lambda::Permission`](crate::aws::lambda::Permission) for
//! `events.amazonaws.com`, scoped to the rule:
//! [`Invoker::events_rule`](crate::aws::lambda::Invoker::events_rule)`(rule.arn())`.
//!
//! ```
//! use infra_core::{Stack, UsEast1, aws::{events, lambda}};
//! # let stack = Stack::new();
//! # let east = stack.aws::<UsEast1>("primary");
//! # let function: infra_core::Ref<lambda::Function<UsEast1>> =
//! #     infra_core::Ref::new(infra_core::Node::new(infra_core::NodeKind::Resource, "aws_lambda_function", "job"));
//! let rule = east.add("every_five_minutes", events::Rule {
//!     name: Some("job-schedule".into()),
//!     schedule_expression: Some(events::Schedule::rate_minutes(5)),
//!     ..Default::default()
//! });
//! east.add("job_target", events::Target {
//!     rule: rule.name(),
//!     arn: function.arn(),
//!     opts: events::TargetOpts { input: Some(r#"{"mode":"job"}"#.into()), ..Default::default() },
//! });
//! // A fragment that refers to a function it does not declare: the rules would report it
//! // (`IC-REF-001`), so it is synthesized unchecked.
//! let json = stack.synth_unchecked().unwrap();
//! let r = &json.value()["resource"]["aws_cloudwatch_event_rule"]["primary_every_five_minutes"];
//! assert_eq!(r["schedule_expression"], "rate(5 minutes)");
//! ```

use crate::{Text, string_enum};

/// How EventBridge retries a delivery that failed (a block of [`Target`]).
pub use super::generated::overlay::events::event_target::RetryPolicy;
/// The overlay-typed types (`infra-core/overlay/types/events.toml`): `Rule`, `Target`.
pub use super::generated::overlay::events::*;

/// The generated `events` types this module does not define (feature `events`).
#[cfg(feature = "events")]
pub use super::generated::events::*;

/// The `events` IAM actions (`PutEvents`…), generated from AWS's authorization data (feature
/// `events` or `iam-events`).
#[cfg(any(feature = "events", feature = "iam-events"))]
pub use crate::iam::events::*;

/// A schedule expression: `rate(…)` or `cron(…)`.
pub struct Schedule;

impl Schedule {
    /// `rate(N minutes)` (`rate(1 minute)` for one).
    pub fn rate_minutes(minutes: u32) -> Text {
        let unit = if minutes == 1 { "minute" } else { "minutes" };
        format!("rate({minutes} {unit})").into()
    }
}

string_enum! {
    /// Whether a rule runs.
    pub enum RuleState {
        /// The rule matches events (or fires on its schedule).
        Enabled = "ENABLED",
        /// The rule does nothing.
        Disabled = "DISABLED",
    }
}
