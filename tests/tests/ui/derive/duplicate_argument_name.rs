use infra_core::{Resource, Text};

#[derive(Resource)]
#[resource(type = "aws_thing")]
pub struct Thing {
    pub name: Text,
    #[resource(rename = "name")]
    pub label: Text,
}

fn main() {}
