// A Lambda permission for API Gateway is scoped by the integration that calls the function: the
// ARN of an API (here another API of the same region, which does not integrate the function)
// does not compile, since every API of a region has the same type.
use infra_core::aws::{apigateway as apigw, iam, lambda};
use infra_core::policy::{PolicyDocument, service};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let role = east.add("exec", iam::Role {
        assume_role_policy: PolicyDocument::trust(service::Lambda),
        opts: Default::default(),
    });
    let function = east.add("processor", lambda::Function {
        function_name: "processor".into(),
        role: role.arn(),
        opts: Default::default(),
    });
    let api = east.add("payments", apigw::RestApi { name: "payments".into(), opts: Default::default() });
    let other = east.add("admin", apigw::RestApi { name: "admin".into(), opts: Default::default() });
    let post = east.add("post", apigw::Method {
        rest_api_id: api.id(),
        resource_id: api.root_resource_id(),
        http_method: apigw::HttpMethod::Post,
        authorization: apigw::Authorization::AwsIam,
        opts: Default::default(),
    });
    east.add("post", api.lambda_proxy(post.target(), &function).integration());
    east.add("invoke", lambda::Permission::api_gateway(other.execute_arn("v1", "*", "*"), Default::default()));
}
