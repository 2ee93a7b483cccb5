// `states:StartExecution` acts on a state machine: granting it on a Lambda function does not compile.
use infra_core::aws::lambda;
use infra_core::iam::states;
use infra_core::policy::Statement;
use infra_core::{Arn, Text, UsEast1};

fn main() {
    let function: Arn<lambda::Function<UsEast1>> = Arn::from_text(Text::expression("aws_lambda_function.f.arn"));
    let _ = Statement::allow([states::StartExecution], function);
}
