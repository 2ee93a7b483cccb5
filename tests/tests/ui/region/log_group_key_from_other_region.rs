// A log group is encrypted with a key of its own region.
use infra_core::aws::{cloudwatch, kms};
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let east_key = east.add("key", kms::Key::default());
    west.add("logs", cloudwatch::LogGroup {
        kms_key_id: Some(east_key.arn()),
        ..Default::default()
    });
}
