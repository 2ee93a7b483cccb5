// A bucket of us-east-1 granted to a function of us-west-2: IAM would allow the statement, but
// the function's region has its own bucket; a cross-region grant is a wiring mistake.
use infra_core::components::{Artifact, Function, Key, SecureBucket};
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let east_key = Key::new(&east.scope("data"));
    let west_key = Key::new(&west.scope("data"));
    let bucket = SecureBucket::new(&east.scope("audit"), &east_key);
    let function = Function::new(&west.scope("api"), &west_key, Artifact::zip("api.zip"));
    bucket.grant_put(&function, "audit/*");
}
