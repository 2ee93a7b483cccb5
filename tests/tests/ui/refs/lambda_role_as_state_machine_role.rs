// A state machine's role must be one that Step Functions may assume: a Lambda execution role
// trusts `lambda.amazonaws.com` (the trust rules of the generated layer,
// `infra-core/overlay/references.toml`).
use infra_core::aws::{iam, sfn};
use infra_core::policy::{PolicyDocument, service};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let exec = east.add("exec", iam::Role {
        assume_role_policy: PolicyDocument::trust(service::Lambda),
        opts: iam::RoleOpts::default(),
    });
    east.add("workflow", sfn::StateMachine {
        definition: r#"{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}"#.into(),
        role_arn: exec.arn(),
        opts: Default::default(),
    });
}
