//! Amazon CloudWatch: log groups, metric filters, alarms, and the logs and metrics IAM actions.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`logs:PutLogEvents`).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::aws::{kms, sns};
use crate::{Arn, Block, Id, Region, Resource, Text, string_enum};

/// The generated `cloudwatch` types this module does not define (feature `cloudwatch`).
#[cfg(feature = "cloudwatch")]
pub use super::generated::cloudwatch::*;

/// A log group (`aws_cloudwatch_log_group`).
#[derive(Resource, Debug, Clone, Default)]
#[resource(type = "aws_cloudwatch_log_group", exports(arn: Arn<Self>, id: Id<Self>, name: Text))]
pub struct LogGroup<R: Region> {
    /// The group's name.
    pub name: Option<Text>,
    /// Days to keep events (0 keeps them forever).
    pub retention_in_days: Option<u32>,
    /// The KMS key that encrypts the group (a key of the group's own region).
    pub kms_key_id: Option<Arn<kms::Key<R>>>,
    /// `STANDARD` or `INFREQUENT_ACCESS`.
    pub log_group_class: Option<Text>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
    /// The region the group lives in.
    pub _region: PhantomData<R>,
}

/// A resource policy letting AWS services write to log groups (`aws_cloudwatch_log_resource_policy`).
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_cloudwatch_log_resource_policy", exports(id: Id<Self>))]
pub struct LogResourcePolicy<R: Region> {
    /// The policy's name.
    pub policy_name: Text,
    /// The policy.
    pub policy_document: crate::policy::PolicyDocument,
    /// The region whose log groups it governs.
    pub _region: PhantomData<R>,
}

/// The log streams of a log group (`<group arn>:*`), what `logs:PutLogEvents` acts on.
#[derive(Debug)]
pub struct LogStreams<R>(PhantomData<R>);

impl<R: Region> LogGroupAttrs<R> {
    /// The ARN of the group's log streams (`<group arn>:*`).
    pub fn streams_arn(&self) -> Arn<LogStreams<R>> {
        let mut t = self.arn().text().clone();
        t.push_str(":*");
        Arn::from_text(t)
    }
}

/// How a metric filter turns log events into a metric.
#[derive(Block, Debug, Clone)]
pub struct MetricTransformation {
    /// The metric's name.
    pub name: Text,
    /// The metric's namespace.
    pub namespace: Text,
    /// The value to publish (`1`, or `$.field`).
    pub value: Text,
    /// The value when no event matches.
    pub default_value: Option<Text>,
    /// The metric's unit.
    pub unit: Option<Text>,
}

/// A metric filter on a log group (`aws_cloudwatch_log_metric_filter`).
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_cloudwatch_log_metric_filter", exports(id: Id<Self>))]
pub struct MetricFilter<R: Region> {
    /// The filter's name.
    pub name: Text,
    /// The log group's name (`group.name()`).
    pub log_group_name: Text,
    /// The filter pattern.
    pub pattern: Text,
    /// The metric it produces.
    pub metric_transformation: MetricTransformation,
    /// The region.
    pub _region: PhantomData<R>,
}

string_enum! {
    /// How an alarm compares the metric with its threshold.
    pub enum Comparison {
        /// `>=`.
        GreaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold",
        /// `>`.
        GreaterThanThreshold = "GreaterThanThreshold",
        /// `<`.
        LessThanThreshold = "LessThanThreshold",
        /// `<=`.
        LessThanOrEqualToThreshold = "LessThanOrEqualToThreshold",
    }
}

/// A metric of a metric math alarm (`metric_query.metric` block).
#[derive(Block, Debug, Clone)]
pub struct MetricStat {
    /// The metric's name.
    pub metric_name: Text,
    /// The namespace.
    pub namespace: Text,
    /// Dimensions.
    pub dimensions: Option<BTreeMap<String, Text>>,
    /// The period in seconds.
    pub period: u32,
    /// `Sum`, `Average`, `p99`…
    pub stat: Text,
    /// The unit.
    pub unit: Option<Text>,
}

/// One query of a metric math alarm.
#[derive(Block, Debug, Clone)]
pub struct MetricQuery {
    /// The query's ID (`errors`, `rate`).
    pub id: Text,
    /// A math expression over other queries.
    pub expression: Option<Text>,
    /// A label.
    pub label: Option<Text>,
    /// Whether this query is the alarm's value.
    pub return_data: Option<bool>,
    /// A metric.
    pub metric: Option<MetricStat>,
}

/// An alarm (`aws_cloudwatch_metric_alarm`). Its actions take SNS topics of its own region.
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_cloudwatch_metric_alarm", exports(arn: Arn<Self>, id: Id<Self>))]
pub struct MetricAlarm<R: Region> {
    /// The alarm's name.
    pub alarm_name: Text,
    /// How the metric is compared with the threshold.
    pub comparison_operator: Comparison,
    /// Periods to evaluate.
    pub evaluation_periods: u32,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: MetricAlarmOpts<R>,
}

/// Optional arguments of [`MetricAlarm`].
#[derive(Block, Debug, Clone, Default)]
pub struct MetricAlarmOpts<R: Region> {
    /// What the alarm means.
    pub alarm_description: Option<Text>,
    /// The metric (single-metric alarms).
    pub metric_name: Option<Text>,
    /// The namespace (single-metric alarms).
    pub namespace: Option<Text>,
    /// The period in seconds (single-metric alarms).
    pub period: Option<u32>,
    /// `Sum`, `Average`…
    pub statistic: Option<Text>,
    /// A percentile (`p99`).
    pub extended_statistic: Option<Text>,
    /// The threshold.
    pub threshold: Option<f64>,
    /// Datapoints that must breach within the evaluation periods.
    pub datapoints_to_alarm: Option<u32>,
    /// `missing`, `ignore`, `breaching`, `notBreaching`.
    pub treat_missing_data: Option<Text>,
    /// Dimensions.
    pub dimensions: Option<BTreeMap<String, Text>>,
    /// Metric math queries.
    pub metric_query: Vec<MetricQuery>,
    /// Topics notified on ALARM.
    pub alarm_actions: Vec<Arn<sns::Topic<R>>>,
    /// Topics notified on OK.
    pub ok_actions: Vec<Arn<sns::Topic<R>>>,
    /// Topics notified on INSUFFICIENT_DATA.
    pub insufficient_data_actions: Vec<Arn<sns::Topic<R>>>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
    /// The region.
    pub _region: PhantomData<R>,
}

/// The `cloudwatch` IAM actions (`PutMetricData`…), generated from AWS's authorization data.
pub use crate::iam::cloudwatch::*;
/// The `logs` IAM actions a log writer needs; every other one is in [`crate::iam::logs`].
pub use crate::iam::logs::{CreateLogStream, LogStreamActions, PutLogEvents};
