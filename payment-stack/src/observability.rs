//! One region's alarms, the KPI metric filters on the function's logs, and the topic every
//! alarm notifies (encrypted with the operations key, published to by CloudWatch only).

use infra_core::aws::apigateway::RestApi;
use infra_core::aws::cloudwatch::{
    Comparison, Dimensions, LogGroup, MetricAlarm, MetricAlarmOpts, MetricFilter, MetricQuery,
    MetricStat, MetricTransformation,
};
use infra_core::aws::dynamodb::Table;
use infra_core::aws::lambda::Function;
use infra_core::aws::sns;
use infra_core::policy::{Condition, PolicyDocument, Principal, Statement, global, service};
use infra_core::{Aws, Name, Ref, Region, Text};

use crate::Config;
use crate::keys::Keys;
use crate::regional::STAGE;

/// A log group named `group`, encrypted with the operations key (whose policy admits
/// CloudWatch Logs of this account and region), keeping events `days`.
#[track_caller]
pub fn log_group<R: Region>(
    aws: &Aws<'_, R>,
    keys: &Keys<'_, R>,
    name: &str,
    group: String,
    days: u32,
) -> Ref<LogGroup<R>> {
    aws.add(
        name,
        LogGroup {
            name: Some(group.into()),
            retention_in_days: Some(days),
            kms_key_id: Some(keys.ops.arn()),
            ..Default::default()
        },
    )
}

/// An alarm on one metric: above `threshold` in 2 of 3 one-minute periods, notifying the
/// region's topic when it fires and when it clears.
pub struct Alarm<R: Region> {
    /// The alarm's name after `payment-{suffix}-` (`lambda-duration`); its logical name is
    /// this with `_alarm` (`primary_lambda_duration_alarm`).
    pub name: &'static str,
    /// What it means when it fires.
    pub description: &'static str,
    /// The metric's namespace (`AWS/Lambda`).
    pub namespace: &'static str,
    /// The metric (`Duration`).
    pub metric: &'static str,
    /// A statistic (`Sum`, `Maximum`) or a percentile (`p99`).
    pub statistic: &'static str,
    /// The value above which it fires.
    pub threshold: f64,
    /// The metric's dimensions.
    pub dimensions: Dimensions<R>,
}

/// Adds `alarm`, notifying `topic`.
pub fn alarm<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    topic: &Ref<sns::Topic<R>>,
    alarm: Alarm<R>,
) -> Ref<MetricAlarm<R>> {
    let percentile = alarm.statistic.starts_with('p');
    let statistic: Text = alarm.statistic.into();
    aws.add(
        &format!("{}_alarm", alarm.name.replace('-', "_")),
        MetricAlarm {
            alarm_name: format!("{}-{}", cfg.name(alarm.name), R::NAME).into(),
            comparison_operator: Comparison::GreaterThanThreshold,
            evaluation_periods: 3,
            opts: MetricAlarmOpts {
                alarm_description: Some(alarm.description.into()),
                namespace: Some(alarm.namespace.into()),
                metric_name: Some(alarm.metric.into()),
                statistic: (!percentile).then(|| statistic.clone()),
                extended_statistic: percentile.then_some(statistic),
                period: Some(60),
                threshold: Some(alarm.threshold),
                datapoints_to_alarm: Some(2),
                treat_missing_data: Some("notBreaching".into()),
                dimensions: Some(alarm.dimensions),
                alarm_actions: vec![topic.arn()],
                ok_actions: vec![topic.arn()],
                ..Default::default()
            },
        },
    )
}

/// The alarm topic, its policy (CloudWatch alarms of this account may publish) and the
/// optional email subscription.
pub fn topic<R: Region>(aws: &Aws<'_, R>, cfg: &Config, keys: &Keys<'_, R>) -> Ref<sns::Topic<R>> {
    let alarms = aws.add(
        "alarms",
        sns::Topic {
            name: Some(cfg.name("alarms").into()),
            kms_master_key_id: Some(keys.ops.key_id()),
            ..Default::default()
        },
    );
    if let Some(email) = cfg.alarm_email() {
        aws.add(
            "alarms_email",
            sns::Subscription {
                topic_arn: alarms.arn(),
                protocol: "email".into(),
                endpoint: email.into(),
                opts: Default::default(),
            },
        );
    }
    aws.add(
        "alarms_policy",
        sns::TopicPolicy {
            arn: alarms.arn(),
            policy: PolicyDocument::new().statement(
                Statement::allow([sns::Publish], alarms.arn())
                    .sid("CloudWatchAlarmsOfThisAccount")
                    .principal(Principal::service(service::CloudWatch))
                    .condition(Condition::string_equals(
                        global::SourceAccount,
                        keys.account_id().clone(),
                    )),
            ),
        },
    );
    alarms
}

/// The region's signals on the function, the table and the API, notifying `topic`.
pub fn alarms<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    topic: &Ref<sns::Topic<R>>,
    function: &Ref<Function<R>>,
    table_name: Name<Table<R>>,
    api: &Ref<RestApi<R>>,
) {
    error_rate(aws, cfg, topic, function);
    let table = || Dimensions::table(table_name.clone());
    let signals = [
        Alarm {
            name: "lambda-duration",
            description: "payment processor p99 duration above 5 s",
            namespace: "AWS/Lambda",
            metric: "Duration",
            statistic: "p99",
            threshold: 5000.0,
            dimensions: Dimensions::function(function.function_name()),
        },
        Alarm {
            name: "dynamodb-read-throttles",
            description: "DynamoDB read throttling on the payments table",
            namespace: "AWS/DynamoDB",
            metric: "ReadThrottleEvents",
            statistic: "Sum",
            threshold: 0.0,
            dimensions: table(),
        },
        Alarm {
            name: "dynamodb-write-throttles",
            description: "DynamoDB write throttling on the payments table",
            namespace: "AWS/DynamoDB",
            metric: "WriteThrottleEvents",
            statistic: "Sum",
            threshold: 0.0,
            dimensions: table(),
        },
        Alarm {
            name: "api-5xx",
            description: "payment API 5XX responses",
            namespace: "AWS/ApiGateway",
            metric: "5XXError",
            statistic: "Sum",
            threshold: 5.0,
            dimensions: Dimensions::api_stage(api.name(), STAGE),
        },
        Alarm {
            name: "audit-gaps",
            description: "payments stored without their audit record (reconciliation needed)",
            namespace: "Payments/KPI",
            metric: "AuditGaps",
            statistic: "Sum",
            threshold: 0.0,
            dimensions: Dimensions::none(),
        },
    ];
    for signal in signals {
        alarm(aws, cfg, topic, signal);
    }
}

/// Errors above 1 % of invocations (metric math over two Lambda metrics).
fn error_rate<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    topic: &Ref<sns::Topic<R>>,
    function: &Ref<Function<R>>,
) {
    aws.add(
        "lambda_error_rate",
        MetricAlarm {
            alarm_name: format!("{}-{}", cfg.name("lambda-error-rate"), R::NAME).into(),
            comparison_operator: Comparison::GreaterThanThreshold,
            evaluation_periods: 3,
            opts: MetricAlarmOpts {
                alarm_description: Some("payment processor errors above 1% of invocations".into()),
                threshold: Some(1.0),
                datapoints_to_alarm: Some(2),
                treat_missing_data: Some("notBreaching".into()),
                metric_query: vec![
                    lambda_metric("errors", "Errors", function),
                    lambda_metric("invocations", "Invocations", function),
                    MetricQuery {
                        id: "error_rate".into(),
                        expression: Some("100 * errors / MAX([invocations, 1])".into()),
                        label: Some("error rate (%)".into()),
                        return_data: Some(true),
                        metric: None,
                        period: None,
                        account_id: None,
                    },
                ],
                alarm_actions: vec![topic.arn()],
                ok_actions: vec![topic.arn()],
                ..Default::default()
            },
        },
    );
}

fn lambda_metric<R: Region>(id: &str, metric: &str, function: &Ref<Function<R>>) -> MetricQuery<R> {
    MetricQuery {
        id: id.into(),
        expression: None,
        label: None,
        return_data: Some(false),
        metric: Some(MetricStat {
            metric_name: metric.into(),
            namespace: "AWS/Lambda".into(),
            dimensions: Some(Dimensions::function(function.function_name())),
            period: 60,
            stat: "Sum".into(),
            unit: None,
        }),
        period: None,
        account_id: None,
    }
}

/// The KPIs the function logs, as metrics in `Payments/KPI`: payments created, idempotency
/// conflicts, and audit gaps (the `audit-gaps` alarm's metric).
pub fn kpi_filters<R: Region>(aws: &Aws<'_, R>, cfg: &Config, logs: &Ref<LogGroup<R>>) {
    for (name, pattern, metric) in [
        ("payments-created", "payment created", "PaymentsCreated"),
        (
            "idempotency-conflicts",
            "idempotency conflict",
            "IdempotencyConflicts",
        ),
        ("audit-gaps", "audit write failed", "AuditGaps"),
    ] {
        aws.add(
            &name.replace('-', "_"),
            MetricFilter {
                name: cfg.name(name).into(),
                log_group_name: logs.name(),
                pattern: format!("\"{pattern}\"").into(),
                metric_transformation: MetricTransformation {
                    name: metric.into(),
                    namespace: "Payments/KPI".into(),
                    value: "1".into(),
                    default_value: None,
                    unit: Some("Count".into()),
                    dimensions: Default::default(),
                },
                opts: Default::default(),
            },
        );
    }
}
