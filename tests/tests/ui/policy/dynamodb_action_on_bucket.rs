// A DynamoDB action cannot be granted on an S3 bucket.
use infra_core::aws::{dynamodb, s3};
use infra_core::policy::PolicyDocument;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let bucket = stack.aws::<UsEast1>("primary").add("audit", s3::Bucket::default());
    let _ = PolicyDocument::new().allow([dynamodb::PutItem], bucket.arn());
}
