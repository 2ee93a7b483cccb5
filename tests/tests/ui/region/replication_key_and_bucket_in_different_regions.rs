// A replication destination's bucket and replica key must be in the same (other) region.
use infra_core::aws::{kms, s3};
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let east_key = east.add("key", kms::Key::default());
    let west_bucket = west.add("replica", s3::Bucket::default());
    let _: s3::ReplicationDestination<UsEast1> =
        s3::ReplicationDestination::new(west_bucket.arn(), east_key.arn());
}
