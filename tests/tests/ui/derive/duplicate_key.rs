use infra_core::{Resource, Text};

#[derive(Resource)]
#[resource(type = "aws_thing", type = "aws_other")]
pub struct Thing {
    pub name: Text,
}

fn main() {}
