use infra_core::{Resource, Text};

#[derive(Resource)]
#[resource(type = "aws_thing", exports(size: u64))]
pub struct Thing {
    pub name: Text,
}

fn main() {}
