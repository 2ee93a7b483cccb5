// A KMS action acts on a key, not on a bucket.
use infra_core::aws::{kms, s3};
use infra_core::policy::PolicyDocument;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let bucket = stack.aws::<UsEast1>("primary").add("audit", s3::Bucket::default());
    let _ = PolicyDocument::new().allow([kms::Decrypt], bucket.arn());
}
