// An alarm's dimensions name resources of the alarm's own region.
use infra_core::aws::cloudwatch::{Comparison, Dimensions, MetricAlarm, MetricAlarmOpts};
use infra_core::aws::{iam, lambda};
use infra_core::policy::{PolicyDocument, Principal};
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let role = east.add("exec", iam::Role {
        assume_role_policy: PolicyDocument::trust(Principal::service("lambda.amazonaws.com")),
        opts: Default::default(),
    });
    let west_fn = west.add("api", lambda::Function {
        function_name: "api".into(),
        role: role.arn(),
        opts: Default::default(),
    });
    east.add("errors", MetricAlarm {
        alarm_name: "errors".into(),
        comparison_operator: Comparison::GreaterThanThreshold,
        evaluation_periods: 1,
        opts: MetricAlarmOpts {
            namespace: Some("AWS/Lambda".into()),
            metric_name: Some("Errors".into()),
            dimensions: Some(Dimensions::function(west_fn.function_name())),
            ..Default::default()
        },
    });
}
