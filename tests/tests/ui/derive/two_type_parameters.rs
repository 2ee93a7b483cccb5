use infra_core::{Region, Resource, Text};
use std::marker::PhantomData;

#[derive(Resource)]
#[resource(type = "aws_thing")]
pub struct Thing<R: Region, S: Region> {
    pub name: Text,
    pub _r: PhantomData<(R, S)>,
}

fn main() {}
