//! Amazon CloudWatch: log groups, metric filters, alarms, and the logs and metrics IAM actions.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`logs:PutLogEvents`).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::aws::{apigateway, dynamodb, lambda, s3, sns, sqs};
use crate::shape::ArgKind;
use crate::{Argument, Arn, Block, Name, Region, Text, string_enum};

/// The overlay-typed types (`infra-core/overlay/types/cloudwatch.toml`): `LogGroup`,
/// `LogResourcePolicy`, `MetricFilter`, `MetricAlarm`.
pub use super::generated::overlay::cloudwatch::*;

/// The generated `cloudwatch` types this module does not define (feature `cloudwatch`).
#[cfg(feature = "cloudwatch")]
pub use super::generated::cloudwatch::*;

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
    /// Dimensions of the metric, each a dimension name and the field of the log event it
    /// takes its value from (`{"Currency": "$.currency"}`); at most three.
    pub dimensions: BTreeMap<String, Text>,
}

string_enum! {
    /// A log group's class.
    pub enum LogGroupClass {
        /// Every feature.
        Standard = "STANDARD",
        /// Cheaper ingestion, fewer features.
        InfrequentAccess = "INFREQUENT_ACCESS",
        /// For log delivery to other destinations only.
        Delivery = "DELIVERY",
    }
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

/// The dimensions of a metric of region `R`: which function, queue, table or API it measures.
///
/// AWS's own metrics are keyed by resource names (`FunctionName`, `QueueName`, `TableName`,
/// `ApiName`). Built from typed names, a dimension can only name a resource of the alarm's
/// region: an alarm in us-east-1 cannot watch the us-west-2 function by mistake.
///
/// ```
/// use infra_core::{Node, NodeKind, Ref, UsEast1, aws::{cloudwatch::Dimensions, lambda}};
/// let function = Ref::<lambda::Function<UsEast1>>::new(Node::new(NodeKind::Resource, "aws_lambda_function", "api"));
/// let dims = Dimensions::function(function.function_name());
/// assert_eq!(dims.get("FunctionName").unwrap().render(), "${aws_lambda_function.api.function_name}");
/// ```
///
/// A function of another region does not fit:
///
/// ```compile_fail,E0308
/// use infra_core::{Node, NodeKind, Ref, UsEast1, UsWest2, aws::{cloudwatch::Dimensions, lambda}};
/// let west = Ref::<lambda::Function<UsWest2>>::new(Node::new(NodeKind::Resource, "aws_lambda_function", "api"));
/// let _: Dimensions<UsEast1> = Dimensions::function(west.function_name());
/// ```
///
/// Dimensions the model does not know (a custom metric's, or a service without a constructor
/// here) go through [`Dimensions::custom`] and [`Dimensions::and`], which take any text.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimensions<R: Region> {
    map: BTreeMap<String, Text>,
    _region: PhantomData<fn() -> R>,
}

impl<R: Region> Default for Dimensions<R> {
    fn default() -> Self {
        Self {
            map: BTreeMap::new(),
            _region: PhantomData,
        }
    }
}

impl<R: Region> Dimensions<R> {
    /// No dimensions (a metric published without any).
    pub fn none() -> Self {
        Self::default()
    }

    /// `FunctionName`: a Lambda function's metrics (`AWS/Lambda`).
    pub fn function(name: Name<lambda::Function<R>>) -> Self {
        Self::none().with("FunctionName", name.into())
    }

    /// `QueueName`: an SQS queue's metrics (`AWS/SQS`).
    pub fn queue(name: Name<sqs::Queue<R>>) -> Self {
        Self::none().with("QueueName", name.into())
    }

    /// `TableName`: a DynamoDB table's metrics (`AWS/DynamoDB`); for a global table's replica,
    /// `table.replica_name::<R2>()`.
    pub fn table(name: Name<dynamodb::Table<R>>) -> Self {
        Self::none().with("TableName", name.into())
    }

    /// `TopicName`: an SNS topic's metrics (`AWS/SNS`).
    pub fn topic(name: Name<sns::Topic<R>>) -> Self {
        Self::none().with("TopicName", name.into())
    }

    /// `ApiName`: a REST API's metrics (`AWS/ApiGateway`), all stages.
    pub fn api(name: Name<apigateway::RestApi<R>>) -> Self {
        Self::none().with("ApiName", name.into())
    }

    /// `ApiName` and `Stage`: a REST API's metrics in one stage (`AWS/ApiGateway`). The stage
    /// is a name (`"live"`), as stages of an API are usually named by the stack itself.
    pub fn api_stage(name: Name<apigateway::RestApi<R>>, stage: impl Into<Text>) -> Self {
        Self::api(name).with("Stage", stage.into())
    }

    /// `SourceBucket`, `DestinationBucket` and `RuleId`: S3 replication metrics (`AWS/S3`),
    /// published in the source bucket's region `R`.
    pub fn s3_replication<R2: Region>(
        source: Name<s3::Bucket<R>>,
        destination: Name<s3::Bucket<R2>>,
        rule_id: impl Into<Text>,
    ) -> Self {
        Self::none()
            .with("SourceBucket", source.into())
            .with("DestinationBucket", destination.into())
            .with("RuleId", rule_id.into())
    }

    /// One dimension the model does not know (`Operation`, a custom metric's `Environment`):
    /// any key and any text, so nothing checks that it names a resource of `R`. Prefer the
    /// typed constructors for AWS's own metrics.
    pub fn custom(key: impl Into<String>, value: impl Into<Text>) -> Self {
        Self::none().and(key, value)
    }

    /// Adds a dimension the model does not know (see [`Dimensions::custom`]).
    pub fn and(self, key: impl Into<String>, value: impl Into<Text>) -> Self {
        self.with(&key.into(), value.into())
    }

    /// The value of dimension `key`.
    pub fn get(&self, key: &str) -> Option<&Text> {
        self.map.get(key)
    }

    fn with(mut self, key: &str, value: Text) -> Self {
        self.map.insert(key.to_owned(), value);
        self
    }
}

/// Written as the provider's `dimensions` map; no dimensions leave the argument out.
impl<R: Region> Argument for Dimensions<R> {
    fn to_value(&self) -> Option<serde_json::Value> {
        self.map.to_value()
    }
    fn kind() -> ArgKind {
        <BTreeMap<String, Text>>::kind()
    }
    const REQUIRED: bool = false;
}

/// A metric of a metric math alarm (`metric_query.metric` block).
#[derive(Block, Debug, Clone)]
pub struct MetricStat<R: Region> {
    /// The metric's name.
    pub metric_name: Text,
    /// The namespace.
    pub namespace: Text,
    /// Dimensions, naming resources of the alarm's region ([`Dimensions::function`]…).
    pub dimensions: Option<Dimensions<R>>,
    /// The period in seconds.
    pub period: u32,
    /// `Sum`, `Average`, `p99`…
    pub stat: Text,
    /// The unit.
    pub unit: Option<Text>,
}

/// One query of a metric math alarm.
#[derive(Block, Debug, Clone)]
pub struct MetricQuery<R: Region> {
    /// The query's ID (`errors`, `rate`).
    pub id: Text,
    /// A math expression over other queries.
    pub expression: Option<Text>,
    /// A label.
    pub label: Option<Text>,
    /// Whether this query is the alarm's value.
    pub return_data: Option<bool>,
    /// A metric.
    pub metric: Option<MetricStat<R>>,
    /// The period in seconds of an `expression` over metrics (a `metric`'s is its own).
    pub period: Option<u32>,
    /// The account the metric is in, for cross-account observability (the alarm's own when
    /// unset).
    pub account_id: Option<Text>,
}

/// The `cloudwatch` IAM actions (`PutMetricData`…), generated from AWS's authorization data.
pub use crate::iam::cloudwatch::*;
/// The `logs` IAM actions a log writer needs; every other one is in [`crate::iam::logs`].
pub use crate::iam::logs::{CreateLogStream, LogStreamActions, PutLogEvents};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Node, NodeKind, Ref, Stack, UsEast1, UsWest2};

    fn alarm<R: Region>(dimensions: Dimensions<R>) -> MetricAlarm<R> {
        MetricAlarm {
            alarm_name: "errors".into(),
            comparison_operator: Comparison::GreaterThanThreshold,
            evaluation_periods: 1,
            opts: MetricAlarmOpts {
                dimensions: Some(dimensions),
                ..Default::default()
            },
        }
    }

    #[test]
    fn dimensions_render_as_the_provider_map_and_none_leaves_it_out() {
        let stack = Stack::new();
        let east = stack.aws::<UsEast1>("primary");
        let function = Ref::<lambda::Function<UsEast1>>::new(Node::new(
            NodeKind::Resource,
            "aws_lambda_function",
            "primary_api",
        ));
        let dims = Dimensions::function(function.function_name()).and("Stage", "live");
        east.add("errors", alarm(dims));
        east.add("quiet", alarm(Dimensions::<UsEast1>::none()));
        let json = stack.synth_unchecked().unwrap();
        let alarms = &json.value()["resource"]["aws_cloudwatch_metric_alarm"];
        assert_eq!(
            alarms["primary_errors"]["dimensions"],
            serde_json::json!({
                "FunctionName": "${aws_lambda_function.primary_api.function_name}",
                "Stage": "live",
            })
        );
        assert!(alarms["primary_quiet"].get("dimensions").is_none());
    }

    #[test]
    fn replication_dimensions_name_both_buckets_and_the_rule() {
        let source = Ref::<s3::Bucket<UsEast1>>::new(Node::new(
            NodeKind::Resource,
            "aws_s3_bucket",
            "audit",
        ));
        let destination = Ref::<s3::Bucket<UsWest2>>::new(Node::new(
            NodeKind::Resource,
            "aws_s3_bucket",
            "replica",
        ));
        let dims =
            Dimensions::s3_replication(source.bucket(), destination.bucket(), "audit-to-west");
        let value = dims.to_value().unwrap();
        assert_eq!(value["SourceBucket"], "${aws_s3_bucket.audit.bucket}");
        assert_eq!(
            value["DestinationBucket"],
            "${aws_s3_bucket.replica.bucket}"
        );
        assert_eq!(value["RuleId"], "audit-to-west");
    }

    #[test]
    fn dimensions_conform_to_the_provider_schema() {
        crate::testing::assert_conforms::<MetricAlarm<UsEast1>>();
    }
}
