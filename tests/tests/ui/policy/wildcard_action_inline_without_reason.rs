// A `*` action needs a reason wherever it is written: inline in a statement too, where the old
// `Action::new("dynamodb:*")` compiled and panicked when the program ran.
use infra_core::aws::dynamodb;
use infra_core::policy::{Action, PolicyDocument};
use infra_core::{Stack, UsEast1, action};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let table = east.add(
        "payments",
        dynamodb::Table {
            name: "payments".into(),
            hash_key: "id".into(),
            attribute: vec![dynamodb::Attribute::new("id", dynamodb::AttributeType::S)],
            opts: Default::default(),
        },
    );
    let everything: Action<dynamodb::ItemActions> = action!("dynamodb:*");
    let _ = PolicyDocument::new().allow([everything], table.arn());
}
