use infra_core::Resource;

#[derive(Resource)]
#[resource(type = "aws_thing")]
pub enum Thing {
    A,
}

fn main() {}
