// A global-table replica must live in another region than the table.
use infra_core::aws::dynamodb::{Attribute, AttributeType, Replica, Table, TableOpts};
use infra_core::aws::kms;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add("key", kms::Key::default());
    east.add("t", Table {
        name: "t".into(),
        hash_key: "id".into(),
        attribute: vec![Attribute::new("id", AttributeType::S)],
        opts: TableOpts { replica: vec![Replica::in_region(key.arn())], ..Default::default() },
    });
}
