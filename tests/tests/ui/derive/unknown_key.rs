use infra_core::{Resource, Text};

#[derive(Resource)]
#[resource(type = "aws_thing", region = "us-east-1")]
pub struct Thing {
    pub name: Text,
}

fn main() {}
