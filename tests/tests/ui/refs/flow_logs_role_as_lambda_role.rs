// A Lambda function's role must be one that Lambda may assume: the VPC flow-logs role trusts
// `vpc-flow-logs.amazonaws.com`.
use infra_core::aws::{iam, lambda};
use infra_core::policy::{PolicyDocument, service};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let flow_logs_role = east.add("flow_logs", iam::Role {
        assume_role_policy: PolicyDocument::trust(service::VpcFlowLogs),
        opts: iam::RoleOpts::default(),
    });
    east.add("processor", lambda::Function {
        function_name: "processor".into(),
        role: flow_logs_role.arn(),
        opts: lambda::FunctionOpts::default(),
    });
}
