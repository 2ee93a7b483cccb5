// A realistic EventBridge producer: put events on one custom bus.
use infra_core::aws::events;
use infra_core::policy::PolicyDocument;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let bus = east.add("orders", events::EventBus { name: "orders".into(), opts: Default::default() });
    let policy = PolicyDocument::new().allow([events::PutEvents], bus.arn());
    let json: serde_json::Value = serde_json::from_str(&policy.to_json()).unwrap();
    assert_eq!(json["Statement"][0]["Action"][0], "events:PutEvents");
    assert_eq!(json["Statement"][0]["Resource"][0], "${aws_cloudwatch_event_bus.primary_orders.arn}");
}
