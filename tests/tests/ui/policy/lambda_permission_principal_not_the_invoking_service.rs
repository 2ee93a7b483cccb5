// The API invokes the function: a permission for EventBridge (`events.amazonaws.com`) scoped
// to the API's ARN names the wrong service.
use infra_core::aws::{apigateway, lambda};
use infra_core::{Ref, Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let function: Ref<lambda::Function<UsEast1>> = Ref::new(infra_core::Node::new(
        infra_core::NodeKind::Resource,
        "aws_lambda_function",
        "primary_api",
    ));
    let api = east.add("api", apigateway::RestApi { name: "api".into(), opts: Default::default() });
    east.add("invoke", lambda::Permission {
        action: lambda::PermissionAction::InvokeFunction,
        function_name: function.function_name(),
        invoker: lambda::Invoker::events_rule(api.execute_arn("v1", "*", "*")),
        opts: Default::default(),
    });
}
