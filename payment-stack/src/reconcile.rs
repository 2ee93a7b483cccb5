//! The scheduled audit reconciliation of one region: an EventBridge rule invokes the payment
//! function in its reconcile mode every few minutes, and an alarm fires when a payment stays
//! without its audit object for longer than a bound.
//!
//! The function tells the two kinds of invocation apart by the event: API Gateway sends proxy
//! events, the rule sends [`RECONCILE_INPUT`] (`"mode": "reconcile"`), which no API client can
//! forge because the proxy integration wraps client input in `body`. Reconciliation needs only
//! grants the function already has for payments (`Query` on `status-index`, `GetItem` and
//! `UpdateItem` on the table, `PutObject` under the audit prefix, the S3 key): it adds no
//! permission to the role, and the rule may invoke the function, nothing else may through it
//! (the permission is scoped to the rule's ARN).

use infra_core::aws::cloudwatch::{Comparison, Dimensions, MetricAlarm, MetricAlarmOpts};
use infra_core::aws::events::{self, RetryPolicy, Rule, Schedule, Target, TargetOpts};
use infra_core::aws::lambda::{self, Function};
use infra_core::aws::sns;
use infra_core::{Aws, Ref, Region};

use crate::Config;

/// How often the rule runs reconciliation.
pub const EVERY_MINUTES: u32 = 5;
/// A payment pending its audit object for longer than this is overdue (15 minutes: three
/// reconciliation runs).
pub const OVERDUE_SECONDS: u32 = 900;
/// The constant event the rule sends: the reconcile mode, repairing records older than one
/// minute (younger ones are probably still being audited by their request) and counting those
/// pending longer than [`OVERDUE_SECONDS`].
pub const RECONCILE_INPUT: &str =
    r#"{"mode":"reconcile","grace_seconds":60,"overdue_seconds":900}"#;
/// The EMF metric each run emits: payments still pending after the run and older than the bound.
pub const OVERDUE_METRIC: &str = "AuditPendingOverdue";
/// The metrics namespace of the function (its `METRICS_NAMESPACE`).
pub const NAMESPACE: &str = "Payments";
/// The `Operation` dimension of the reconcile run's metrics.
pub const OPERATION: &str = "Reconcile";

/// What [`schedule`] creates.
pub struct Reconcile<R: Region> {
    /// The schedule.
    pub rule: Ref<Rule<R>>,
    /// The alarm on overdue audit records.
    pub overdue_alarm: Ref<MetricAlarm<R>>,
}

/// The schedule, its target and permission, and the overdue alarm (notifying `topic`).
pub fn schedule<R: Region>(
    aws: &Aws<R>,
    cfg: &Config,
    function: &Ref<Function<R>>,
    topic: &Ref<sns::Topic<R>>,
) -> Reconcile<R> {
    let rule = aws.add(
        "reconcile_schedule",
        Rule {
            name: Some(cfg.name("reconcile").into()),
            description: Some(
                "payment audit reconciliation (the function's reconcile mode)".into(),
            ),
            schedule_expression: Some(Schedule::rate_minutes(EVERY_MINUTES)),
            state: Some(events::RuleState::Enabled),
            ..Default::default()
        },
    );
    aws.add(
        "reconcile_target",
        Target {
            rule: rule.name(),
            arn: function.arn(),
            opts: TargetOpts {
                target_id: Some("reconcile".into()),
                input: Some(RECONCILE_INPUT.into()),
                // The next run comes in EVERY_MINUTES anyway: no stale retries piling up.
                retry_policy: Some(RetryPolicy {
                    maximum_retry_attempts: Some(0),
                    maximum_event_age_in_seconds: Some(60),
                }),
                ..Default::default()
            },
        },
    );
    aws.add(
        "reconcile_permission",
        lambda::Permission {
            action: lambda::PermissionAction::InvokeFunction,
            function_name: function.function_name(),
            invoker: lambda::Invoker::events_rule(rule.arn()),
            opts: lambda::PermissionOpts {
                statement_id: Some("AllowItsReconcileScheduleOnly".into()),
                ..Default::default()
            },
        },
    );
    // The reconciliation's own metric: its dimensions name no resource.
    let dimensions = Dimensions::custom("Environment", cfg.suffix()).and("Operation", OPERATION);
    let overdue_alarm = aws.add(
        "audit_pending_overdue_alarm",
        MetricAlarm {
            alarm_name: format!("{}-{}", cfg.name("audit-pending-overdue"), R::NAME).into(),
            comparison_operator: Comparison::GreaterThanThreshold,
            evaluation_periods: 1,
            opts: MetricAlarmOpts {
                alarm_description: Some(
                    format!(
                        "payments without their audit object for more than {OVERDUE_SECONDS} s, \
                         or reconciliation not reporting"
                    )
                    .into(),
                ),
                namespace: Some(NAMESPACE.into()),
                metric_name: Some(OVERDUE_METRIC.into()),
                statistic: Some("Maximum".into()),
                // Three runs per period: a period without any report means reconciliation
                // stopped, which is as bad as an overdue record.
                period: Some(OVERDUE_SECONDS),
                threshold: Some(0.0),
                treat_missing_data: Some("breaching".into()),
                dimensions: Some(dimensions),
                alarm_actions: vec![topic.arn()],
                ok_actions: vec![topic.arn()],
                ..Default::default()
            },
        },
    );
    Reconcile {
        rule,
        overdue_alarm,
    }
}
