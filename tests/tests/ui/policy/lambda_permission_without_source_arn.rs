// A permission names who invokes and from where: without a `source_arn`, any account's rule
// could invoke the function. (API Gateway's permission, `Permission::api_gateway`, takes the
// route of the integration that calls the function: see
// `lambda_permission_source_arn_of_another_api.rs`.)
use infra_core::aws::lambda;
use infra_core::{Ref, Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let function: Ref<lambda::Function<UsEast1>> = Ref::new(infra_core::Node::new(
        infra_core::NodeKind::Resource,
        "aws_lambda_function",
        "primary_api",
    ));
    east.add("invoke", lambda::Permission {
        action: lambda::PermissionAction::InvokeFunction,
        function_name: function.function_name(),
        invoker: lambda::Invoker::events_rule(),
        opts: Default::default(),
    });
}
