// A sensitive value cannot be glued into a plain string.
use infra_core::{Stack, Variable, interpolate};

fn main() {
    let stack = Stack::new();
    let secret = stack.sensitive_variable("api_secret", Variable::string("a secret"));
    let _ = interpolate!("Bearer {}", secret);
}
