// A role made for a us-west-2 workload cannot be granted a us-east-1 table.
use infra_core::aws::dynamodb;
use infra_core::components::Role;
use infra_core::policy::service;
use infra_core::grants::TableGrants;
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let table = stack.aws::<UsEast1>("primary").add("orders", dynamodb::Table {
        name: "orders".into(),
        hash_key: "id".into(),
        attribute: vec![dynamodb::Attribute::new("id", dynamodb::AttributeType::S)],
        opts: Default::default(),
    });
    let west = Role::for_service(&stack.aws::<UsWest2>("secondary"), service::Lambda);
    table.grant_read_write(&west);
}
