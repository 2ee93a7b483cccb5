// An alarm notifies a topic of its own region.
use infra_core::aws::cloudwatch::{Comparison, MetricAlarm, MetricAlarmOpts};
use infra_core::aws::sns;
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let west_topic = west.add("alarms", sns::Topic::default());
    east.add("errors", MetricAlarm {
        alarm_name: "errors".into(),
        comparison_operator: Comparison::GreaterThanThreshold,
        evaluation_periods: 1,
        opts: MetricAlarmOpts { alarm_actions: vec![west_topic.arn()], ..Default::default() },
    });
}
