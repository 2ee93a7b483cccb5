// A bucket's default encryption key must be in the bucket's region.
use infra_core::aws::{kms, s3};
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let east_key = east.add("key", kms::Key::default());
    let west_bucket = west.add("replica", s3::Bucket::default());
    west.add("replica_sse", s3::ServerSideEncryptionConfiguration {
        bucket: west_bucket.id(),
        rule: vec![s3::SseRule::kms(east_key.arn())],
        opts: Default::default(),
    });
}
