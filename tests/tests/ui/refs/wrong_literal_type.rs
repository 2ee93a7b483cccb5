// `evaluation_periods` is a number, not a string.
use infra_core::aws::cloudwatch::{Comparison, MetricAlarm, MetricAlarmOpts};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    stack.aws::<UsEast1>("primary").add("errors", MetricAlarm {
        alarm_name: "errors".into(),
        comparison_operator: Comparison::GreaterThanThreshold,
        evaluation_periods: "3",
        opts: MetricAlarmOpts::default(),
    });
}
