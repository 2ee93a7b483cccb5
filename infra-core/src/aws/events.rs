//! Amazon EventBridge (CloudWatch Events): rules on the default bus and their targets.
//!
//! A rule and its target live in one region: [`Target::arn`] takes a function of the rule's own
//! region, so a schedule in `us-east-1` cannot name a function in `us-west-2`. A Lambda target
//! also needs a [`lambda::Permission`] for
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

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::aws::lambda;
use crate::{Arn, Block, Id, Name, Region, Resource, Text, string_enum};

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

/// A rule on the default event bus (`aws_cloudwatch_event_rule`): a schedule or an event pattern.
#[derive(Resource, Debug, Clone, Default)]
#[resource(type = "aws_cloudwatch_event_rule", exports(arn: Arn<Self>, id: Id<Self>, name: Name<Self>))]
pub struct Rule<R: Region> {
    /// The rule's name.
    pub name: Option<Text>,
    /// What the rule is for.
    pub description: Option<Text>,
    /// When it fires ([`Schedule::rate_minutes`]); a rule has a schedule or an event pattern.
    pub schedule_expression: Option<Text>,
    /// The events it matches (JSON).
    pub event_pattern: Option<Text>,
    /// Enabled (the default) or disabled.
    pub state: Option<RuleState>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
    /// The region the rule lives in.
    pub _region: PhantomData<R>,
}

/// What a rule invokes (`aws_cloudwatch_event_target`); only Lambda functions are modelled.
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_cloudwatch_event_target", exports(id: Id<Self>))]
pub struct Target<R: Region> {
    /// The rule's name (`rule.name()`), of a rule in the target's own region.
    pub rule: Name<Rule<R>>,
    /// The function invoked, in the rule's region.
    pub arn: Arn<lambda::Function<R>>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: TargetOpts,
}

/// Optional arguments of [`Target`].
#[derive(Block, Debug, Clone, Default)]
pub struct TargetOpts {
    /// The target's ID within the rule.
    pub target_id: Option<Text>,
    /// A constant JSON document sent instead of the event.
    pub input: Option<Text>,
    /// Retries of a failed delivery.
    pub retry_policy: Option<RetryPolicy>,
}

/// How EventBridge retries a delivery that failed.
#[derive(Block, Debug, Clone)]
pub struct RetryPolicy {
    /// Retries, 0 to 185.
    pub maximum_retry_attempts: Option<u32>,
    /// Longest age of an event still delivered, 60 to 86400 seconds.
    pub maximum_event_age_in_seconds: Option<u32>,
}
