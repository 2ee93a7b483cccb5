// Union kinds: an argument that refers to a kind declared apart from its resource takes the
// member's reference with `.into()` (a rule's bus, a log resource policy's log group), and a
// kind of any region takes references of several regions (a global endpoint's two buses).
use infra_core::aws::cloudwatch::{LogGroup, LogResourcePolicy, LogResourcePolicyOpts};
use infra_core::aws::events::{self, event_endpoint};
use infra_core::policy::PolicyDocument;
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let east_bus = east.add("payments", events::EventBus { name: "payments".into(), opts: Default::default() });
    let west_bus = west.add("payments", events::EventBus { name: "payments".into(), opts: Default::default() });
    east.add("settled", events::Rule { event_bus_name: Some(east_bus.id().into()), ..Default::default() });
    east.add("failover", events::EventEndpoint {
        event_bus: vec![
            event_endpoint::EventBus { event_bus_arn: east_bus.arn().into() },
            event_endpoint::EventBus { event_bus_arn: west_bus.arn().into() },
        ],
        name: "payments".into(),
        routing_config: event_endpoint::RoutingConfig {
            failover_config: event_endpoint::FailoverConfig { primary: Default::default(), secondary: Default::default() },
        },
        opts: Default::default(),
    });
    let group = east.add("audit", LogGroup::default());
    east.add("audit_policy", LogResourcePolicy {
        policy_document: PolicyDocument::new(),
        policy_name: "audit".into(),
        opts: LogResourcePolicyOpts { resource_arn: Some(group.arn().into()) },
    });
}
