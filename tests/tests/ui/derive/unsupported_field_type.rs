use infra_core::{Resource, Text};

#[derive(Resource)]
#[resource(type = "aws_thing")]
pub struct Thing {
    pub name: Text,
    pub timeout: std::time::Duration,
}

fn main() {}
