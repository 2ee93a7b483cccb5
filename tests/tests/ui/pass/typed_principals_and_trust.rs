// The correct versions of the principal, trust and policy-kind cases: each mistake, done right.
use infra_core::aws::{apigateway, cloudwatch, ec2, events, iam, kms, lambda, s3};
use infra_core::policy::{Condition, KeyPolicy, PolicyDocument, Principal, Statement, because, global, service};
use infra_core::{Arn, Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");

    // Key-wide statements and `kms:*` in the key's own policy.
    let key = east.add("key", kms::Key {
        enable_key_rotation: Some(true),
        policy: Some(
            KeyPolicy::new()
                .statement(Statement::on_this_key([kms::AllKeyActions]).principal(Principal::account_root("111122223333")))
                .statement(
                    Statement::on_this_key([kms::Encrypt, kms::Decrypt, kms::GenerateDataKey])
                        .principal(Principal::service(service::Logs(UsEast1)))
                        .condition((
                            Condition::arn_like(kms::conditions::EncryptionContext("aws:logs:arn"), "arn:aws:logs:us-east-1:111122223333:*"),
                            Condition::string_equals(global::SourceAccount, "111122223333"),
                        )),
                ),
        ),
        ..Default::default()
    });

    // A role Lambda may assume, for a function; its identity policy grants on the key's ARN.
    let exec = east.add("exec", iam::Role {
        assume_role_policy: PolicyDocument::trust(service::Lambda)
            .condition(Condition::string_equals(global::SourceAccount, "111122223333")),
        opts: iam::RoleOpts::default(),
    });
    east.add("exec_policy", iam::RolePolicy {
        role: exec.id(),
        name: "exec".into(),
        policy: PolicyDocument::new().allow([kms::Decrypt], key.arn()),
        opts: Default::default(),
    });
    let function = east.add("processor", lambda::Function {
        function_name: "processor".into(),
        role: exec.arn(),
        opts: lambda::FunctionOpts::default(),
    });
    // Any typed role is also "some role", for arguments that take any role.
    let _some_role: Arn<iam::Role> = exec.arn().into();

    // Each invoker names its service and the one resource of it that may invoke; API Gateway's
    // comes from the integration that calls the function.
    let api = east.add("api", apigateway::RestApi { name: "api".into(), opts: Default::default() });
    let post = east.add("post", apigateway::Method {
        rest_api_id: api.id(),
        resource_id: api.root_resource_id(),
        http_method: apigateway::HttpMethod::Post,
        authorization: apigateway::Authorization::AwsIam,
        opts: Default::default(),
    });
    let proxy = api.lambda_proxy(post.target(), &function);
    east.add("post", proxy.integration());
    east.add("api_invoke", lambda::Permission::api_gateway(proxy.route("v1", "POST", "/"), Default::default()));
    let rule = east.add("schedule", events::Rule::default());
    east.add("schedule_invoke", lambda::Permission {
        action: lambda::PermissionAction::InvokeFunction,
        function_name: function.function_name(),
        invoker: lambda::Invoker::events_rule(rule.arn()),
        opts: Default::default(),
    });

    // The flow-logs role goes to the flow log, the API Gateway role to the account settings.
    let vpc = east.add("vpc", ec2::Vpc { cidr_block: "10.0.0.0/16".into(), opts: Default::default() });
    let group = east.add("flow", cloudwatch::LogGroup::default());
    let flow_role = east.add("flow", iam::Role {
        assume_role_policy: PolicyDocument::trust(service::VpcFlowLogs),
        opts: iam::RoleOpts::default(),
    });
    east.add("flow", ec2::FlowLog {
        vpc_id: vpc.id(),
        traffic_type: ec2::TrafficType::All,
        destination: ec2::FlowLogDestination::cloudwatch(group.arn(), flow_role.arn()),
        opts: Default::default(),
    });
    let gateway_role = east.add("gateway_logs", iam::Role {
        assume_role_policy: PolicyDocument::trust(service::ApiGateway),
        opts: iam::RoleOpts::default(),
    });
    east.add("gateway", apigateway::Account { cloudwatch_role_arn: Some(gateway_role.arn()), ..Default::default() });

    // A public grant says why; a service not typed yet says why too.
    let site = east.add("site", s3::Bucket::default());
    east.add("site_policy", s3::BucketPolicy {
        bucket: site.id(),
        policy: PolicyDocument::new()
            .statement(
                Statement::allow([s3::GetObject], site.objects("public/*"))
                    .principal(Principal::anyone(because("the public website's assets"))),
            )
            .statement(
                Statement::allow([s3::GetObject], site.objects("reports/*"))
                    .principal(Principal::untyped_service("reports.example.amazonaws.com", because("not typed yet"))),
            ),
    });
    let _ = stack.synth_unchecked().unwrap();
}
