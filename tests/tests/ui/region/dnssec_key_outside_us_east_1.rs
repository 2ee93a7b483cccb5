// Route 53 signs zones only with a KMS key in us-east-1.
use infra_core::aws::{kms, route53};
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let zone = east.add("zone", route53::Zone { name: "example.com".into(), opts: Default::default() });
    let west_key = west.add("dnssec", kms::Key::default());
    east.add("ksk", route53::KeySigningKey {
        hosted_zone_id: zone.id(),
        key_management_service_arn: west_key.arn(),
        name: "ksk".into(),
        opts: Default::default(),
    });
}
