// Names, URLs and metric dimensions of the right kind and region: everything compiles.
use infra_core::aws::cloudwatch::{
    Comparison, Dimensions, LogGroup, MetricAlarm, MetricAlarmOpts, MetricFilter, MetricTransformation,
};
use infra_core::aws::{dynamodb, events, iam, lambda, route53, sqs};
use infra_core::policy::{PolicyDocument, service};
use infra_core::{Aws, Region, Stack, UsEast1, UsWest2};

fn regional<R: Region>(aws: &Aws<R>, role: &infra_core::Ref<iam::Role<service::Lambda>>) {
    let queue = aws.add("jobs", sqs::Queue::default());
    aws.add("jobs_policy", sqs::QueuePolicy {
        queue_url: queue.url(),
        policy: PolicyDocument::new(),
    });
    let logs = aws.add("logs", LogGroup::default());
    let function = aws.add("api", lambda::Function {
        function_name: "api".into(),
        role: role.arn(),
        opts: lambda::FunctionOpts {
            logging_config: Some(lambda::LoggingConfig {
                log_format: lambda::LogFormat::Json,
                log_group: Some(logs.name()),
                application_log_level: None,
                system_log_level: None,
            }),
            ..Default::default()
        },
    });
    aws.add("errors", MetricFilter {
        name: "errors".into(),
        log_group_name: logs.name(),
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
    let rule = aws.add("tick", events::Rule::default());
    aws.add("tick_target", events::Target { rule: rule.name(), arn: function.arn(), opts: Default::default() });
    aws.add("invoke", lambda::Permission {
        action: lambda::PermissionAction::InvokeFunction,
        function_name: function.function_name(),
        invoker: lambda::Invoker::events_rule(rule.arn()),
        opts: Default::default(),
    });
    aws.add("errors_alarm", MetricAlarm {
        alarm_name: "errors".into(),
        comparison_operator: Comparison::GreaterThanThreshold,
        evaluation_periods: 1,
        opts: MetricAlarmOpts {
            namespace: Some("AWS/Lambda".into()),
            metric_name: Some("Errors".into()),
            dimensions: Some(Dimensions::function(function.function_name())),
            ..Default::default()
        },
    });
    aws.add("depth_alarm", MetricAlarm {
        alarm_name: "depth".into(),
        comparison_operator: Comparison::GreaterThanThreshold,
        evaluation_periods: 1,
        opts: MetricAlarmOpts {
            dimensions: Some(Dimensions::queue(queue.name()).and("Custom", "escape hatch")),
            ..Default::default()
        },
    });
}

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let role = east.add("exec", iam::Role {
        assume_role_policy: PolicyDocument::trust(service::Lambda),
        opts: Default::default(),
    });
    regional(&east, &role);
    regional(&west, &role);
    // A global table's replica is named like the table, typed for the replica's region.
    let table = east.add("payments", dynamodb::Table {
        name: "payments".into(),
        hash_key: "id".into(),
        attribute: vec![],
        opts: Default::default(),
    });
    let _: Dimensions<UsWest2> = Dimensions::table(table.replica_name::<UsWest2>());
    // A health check (global) probes either region's API endpoint, or a literal host.
    let _ = route53::HealthCheckOpts { fqdn: Some("status.example.com".into()), ..Default::default() };
}
