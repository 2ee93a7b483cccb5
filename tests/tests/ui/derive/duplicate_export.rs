use infra_core::{Arn, Resource, Text};

#[derive(Resource)]
#[resource(type = "aws_thing", exports(arn: Arn<Self>, arn: Arn<Self>))]
pub struct Thing {
    pub name: Text,
}

fn main() {}
