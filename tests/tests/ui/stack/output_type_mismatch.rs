// An output declared as a table ARN must be given one.
use infra_core::aws::{dynamodb, sns};
use infra_core::{Arn, Stack, UsEast1, stack};

fn main() {
    let app = Stack::new();
    let east = app.aws::<UsEast1>("primary");
    stack! {
        in east;
        alarms = sns::Topic::default();
        output table_arn: Arn<dynamodb::Table<UsEast1>> = alarms.arn();
    }
}
