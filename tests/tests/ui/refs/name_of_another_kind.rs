// A Lambda permission names a function; a log group's name is not a function's name.
use infra_core::aws::{cloudwatch, lambda};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let logs = east.add("logs", cloudwatch::LogGroup::default());
    east.add("invoke", lambda::Permission {
        action: lambda::PermissionAction::InvokeFunction,
        function_name: logs.name(),
        principal: "events.amazonaws.com".into(),
        opts: Default::default(),
    });
}
