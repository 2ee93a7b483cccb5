use infra_core::{Resource, Text};

#[derive(Resource)]
#[resource(type = "KmsKey")]
pub struct Thing {
    pub name: Text,
}

fn main() {}
