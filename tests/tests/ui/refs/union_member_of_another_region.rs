// A rule is on a bus of its own region.
use infra_core::aws::events;
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let west_bus = stack.aws::<UsWest2>("secondary").add("payments", events::EventBus { name: "payments".into(), opts: Default::default() });
    stack.aws::<UsEast1>("primary").add("settled", events::Rule { event_bus_name: Some(west_bus.id().into()), ..Default::default() });
}
