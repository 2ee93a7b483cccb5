// A grant goes to an IAM identity (a role, a function); a key is not one.
use infra_core::components::{Key, SecureBucket};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = Key::new(&east.scope("data"));
    let bucket = SecureBucket::new(&east.scope("audit"), &key);
    bucket.grant_put(&key, "audit/*");
}
