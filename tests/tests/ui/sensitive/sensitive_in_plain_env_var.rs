// A secret cannot become a plain environment variable of a function.
use infra_core::aws::lambda::Environment;
use infra_core::{Stack, Variable};

fn main() {
    let stack = Stack::new();
    let secret = stack.sensitive_variable("api_secret", Variable::string("a secret"));
    let _ = Environment::new().var("API_SECRET", secret);
}
