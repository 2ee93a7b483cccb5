// A schedule invokes a function of its own region.
use infra_core::aws::{events, lambda};
use infra_core::{Ref, Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west_function: Ref<lambda::Function<UsWest2>> = Ref::new(infra_core::Node::new(
        infra_core::NodeKind::Resource,
        "aws_lambda_function",
        "secondary_job",
    ));
    let rule = east.add("schedule", events::Rule::default());
    east.add("target", events::Target {
        rule: rule.name(),
        arn: west_function.arn(),
        opts: Default::default(),
    });
}
