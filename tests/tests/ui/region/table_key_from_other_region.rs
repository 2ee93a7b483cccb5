// A us-west-2 key cannot encrypt a table created by the us-east-1 provider.
use infra_core::aws::dynamodb::{Attribute, AttributeType, ServerSideEncryption, Table, TableOpts};
use infra_core::aws::kms;
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let west_key = west.add("key", kms::Key::default());
    east.add("t", Table {
        name: "t".into(),
        hash_key: "id".into(),
        attribute: vec![Attribute::new("id", AttributeType::S)],
        opts: TableOpts {
            server_side_encryption: Some(ServerSideEncryption::kms(west_key.arn())),
            ..Default::default()
        },
    });
}
