// A Lambda function's role must be an IAM role ARN, not a KMS key ARN.
use infra_core::aws::{kms, lambda};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add("key", kms::Key::default());
    east.add("processor", lambda::Function {
        function_name: "processor".into(),
        role: key.arn(),
        opts: lambda::FunctionOpts::default(),
    });
}
