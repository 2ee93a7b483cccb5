// A metric filter is created in the region of the log group it reads.
use infra_core::aws::cloudwatch::{LogGroup, MetricFilter, MetricTransformation};
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let west_logs = west.add("logs", LogGroup::default());
    east.add("errors", MetricFilter {
        name: "errors".into(),
        log_group_name: west_logs.name(),
        pattern: "ERROR".into(),
        metric_transformation: MetricTransformation {
            name: "Errors".into(),
            namespace: "App".into(),
            value: "1".into(),
            default_value: None,
            unit: None, dimensions: Default::default(),
        },
        opts: Default::default(),
    });
}
