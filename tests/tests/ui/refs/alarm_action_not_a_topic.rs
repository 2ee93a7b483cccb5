// An alarm action must be an SNS topic ARN, not a KMS key ARN.
use infra_core::aws::cloudwatch::{Comparison, MetricAlarm, MetricAlarmOpts};
use infra_core::aws::kms;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add("key", kms::Key::default());
    east.add("errors", MetricAlarm {
        alarm_name: "errors".into(),
        comparison_operator: Comparison::GreaterThanThreshold,
        evaluation_periods: 1,
        opts: MetricAlarmOpts { alarm_actions: vec![key.arn()], ..Default::default() },
    });
}
