// A realistic Step Functions starter: start one state machine and read its executions.
use infra_core::aws::iam;
use infra_core::aws::sfn;
use infra_core::iam::states;
use infra_core::policy::{Condition, PolicyDocument, Statement, global, service};
use infra_core::{Arn, Stack, Text, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    // A role Step Functions may assume (`PolicyDocument::trust(service::States)`).
    let role: Arn<iam::Role<service::States>> = Arn::from_text(Text::expression("aws_iam_role.machine.arn"));
    let machine = east.add("orders", sfn::StateMachine {
        definition: r#"{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}"#.into(),
        role_arn: role,
        opts: Default::default(),
    });
    // Executions are named by the machine's name and the execution's: a kind of its own.
    let executions: Arn<states::kinds::Execution> =
        Arn::from_text(Text::from("arn:aws:states:us-east-1:111122223333:execution:orders:*"));
    let policy = PolicyDocument::new()
        .statement(Statement::allow_when(
            [states::StartExecution],
            machine.arn(),
            Condition::string_equals(global::SourceAccount, "111122223333"),
        ))
        // AWS lets `DescribeExecution` also act on express executions: a tuple of the two classes.
        .allow((states::DescribeExecution, states::StopExecution), executions);
    let json: serde_json::Value = serde_json::from_str(&policy.to_json()).unwrap();
    assert_eq!(json["Statement"][0]["Action"][0], "states:StartExecution");
    assert_eq!(json["Statement"][0]["Resource"][0], "${aws_sfn_state_machine.primary_orders.arn}");
}
