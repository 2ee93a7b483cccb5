// A KMS key ARN given where S3 replication needs the ARN of an IAM role.
use infra_core::aws::{kms, s3};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add("key", kms::Key::default());
    let bucket = east.add("audit", s3::Bucket::default());
    east.add("replication", s3::ReplicationConfiguration {
        bucket: bucket.id(),
        role: key.arn(),
        rule: vec![],
        opts: Default::default(),
    });
}
