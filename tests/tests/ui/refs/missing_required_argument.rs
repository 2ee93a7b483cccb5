// `hash_key` is a required argument of a table.
use infra_core::aws::dynamodb::{Attribute, AttributeType, Table, TableOpts};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    stack.aws::<UsEast1>("primary").add("t", Table {
        name: "t".into(),
        attribute: vec![Attribute::new("id", AttributeType::S)],
        opts: TableOpts::default(),
    });
}
