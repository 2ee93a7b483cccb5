// A sensitive value cannot become a plain output.
use infra_core::{Stack, Variable};

fn main() {
    let stack = Stack::new();
    let secret = stack.sensitive_variable("api_secret", Variable::string("a secret"));
    stack.output("api_secret", secret);
}
