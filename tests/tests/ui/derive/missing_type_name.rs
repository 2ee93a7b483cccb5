use infra_core::{Resource, Text};

#[derive(Resource)]
pub struct Thing {
    pub name: Text,
}

fn main() {}
