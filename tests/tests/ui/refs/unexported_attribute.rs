// `stream_url` is not an attribute the table type exports (the schema has no such attribute).
use infra_core::aws::dynamodb::{Attribute, AttributeType, Table, TableOpts};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let table = stack.aws::<UsEast1>("primary").add("t", Table {
        name: "t".into(),
        hash_key: "id".into(),
        attribute: vec![Attribute::new("id", AttributeType::S)],
        opts: TableOpts::default(),
    });
    let _ = table.stream_url();
}
