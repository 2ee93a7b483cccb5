// A SecureString parameter is encrypted with a key of its own region.
use infra_core::aws::{kms, ssm};
use infra_core::{Sensitive, Stack, Text, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let east_key = east.add("key", kms::Key::default());
    west.add(
        "secret",
        ssm::Parameter::secure("/app/secret", Sensitive::new(Text::from("x")), east_key.arn()),
    );
}
