// `s3:PutObject` acts on objects (`bucket.objects("prefix/*")`), not on the bucket ARN.
use infra_core::aws::s3;
use infra_core::policy::PolicyDocument;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let bucket = stack.aws::<UsEast1>("primary").add("audit", s3::Bucket::default());
    let _ = PolicyDocument::new().allow([s3::PutObject], bucket.arn());
}
