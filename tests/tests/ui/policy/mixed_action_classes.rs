// One statement's actions share a class: item actions and query actions take different ARNs.
use infra_core::aws::dynamodb;
use infra_core::policy::PolicyDocument;
use infra_core::{Arn, Text, UsEast1};

fn main() {
    let table: Arn<dynamodb::Table<UsEast1>> = Arn::from_text(Text::expression("aws_dynamodb_table.t.arn"));
    let _ = PolicyDocument::new().allow([dynamodb::PutItem, dynamodb::Query], table);
}
