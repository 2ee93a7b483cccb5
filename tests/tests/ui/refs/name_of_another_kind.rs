// A Lambda permission names a function; a log group's name is not a function's name.
use infra_core::aws::{cloudwatch, events, lambda};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let logs = east.add("logs", cloudwatch::LogGroup::default());
    let rule = east.add("tick", events::Rule::default());
    east.add("invoke", lambda::Permission {
        action: lambda::PermissionAction::InvokeFunction,
        function_name: logs.name(),
        invoker: lambda::Invoker::events_rule(rule.arn()),
        opts: Default::default(),
    });
}
