// A Step Functions alias routes to versions of a state machine of its own region (a reference
// typed by a block-path rule: `routing_configuration.state_machine_version_arn`).
use infra_core::aws::sfn;
use infra_core::{Node, NodeKind, Ref, Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west_machine = Ref::<sfn::StateMachine<UsWest2>>::new(Node::new(
        NodeKind::Resource,
        "aws_sfn_state_machine",
        "secondary_payments",
    ));
    east.add("live", sfn::Alias {
        name: "live".into(),
        routing_configuration: vec![sfn::alias::RoutingConfiguration {
            state_machine_version_arn: west_machine.state_machine_version_arn(),
            weight: 100.0,
        }],
        opts: Default::default(),
    });
}
