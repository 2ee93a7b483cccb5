// A role of the generated layer typed by its trust: the state machine gets a role Step
// Functions may assume (`PolicyDocument::trust(service::States)`).
use infra_core::aws::{iam, sfn};
use infra_core::policy::{PolicyDocument, service};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let states = east.add("states", iam::Role {
        assume_role_policy: PolicyDocument::trust(service::States),
        opts: iam::RoleOpts::default(),
    });
    east.add("workflow", sfn::StateMachine {
        definition: r#"{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}"#.into(),
        role_arn: states.arn(),
        opts: Default::default(),
    });
    let json = stack.synth_unchecked().unwrap();
    let m = &json.value()["resource"]["aws_sfn_state_machine"]["primary_workflow"];
    assert_eq!(m["role_arn"], "${aws_iam_role.primary_states.arn}");
}
