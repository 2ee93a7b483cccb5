// An S3 action cannot be granted on a DynamoDB table.
use infra_core::aws::dynamodb::{Attribute, AttributeType, Table, TableOpts};
use infra_core::aws::s3;
use infra_core::policy::PolicyDocument;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let table = stack.aws::<UsEast1>("primary").add("t", Table {
        name: "t".into(),
        hash_key: "id".into(),
        attribute: vec![Attribute::new("id", AttributeType::S)],
        opts: TableOpts::default(),
    });
    let _ = PolicyDocument::new().allow([s3::PutObject], table.arn());
}
