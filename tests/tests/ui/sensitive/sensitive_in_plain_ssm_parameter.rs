// A secret goes into an SSM SecureString, never a plain String parameter.
use infra_core::aws::ssm;
use infra_core::{Stack, UsEast1, Variable};

fn main() {
    let stack = Stack::new();
    let secret = stack.sensitive_variable("api_secret", Variable::string("a secret"));
    stack.aws::<UsEast1>("primary").add("secret", ssm::Parameter::plain("/app/secret", secret));
}
