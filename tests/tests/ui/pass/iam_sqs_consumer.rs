// A realistic SQS consumer's policy: receive, delete and extend messages of one encrypted queue,
// decrypt with its key only through SQS.
use infra_core::aws::{kms, sqs};
use infra_core::policy::{AccessLevel, Condition, PolicyDocument, Statement};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add("queue_key", kms::Key { enable_key_rotation: Some(true), ..Default::default() });
    let queue = east.add("jobs", sqs::Queue { kms_master_key_id: Some(key.key_id()), ..Default::default() });
    let policy = PolicyDocument::new()
        .allow(
            [sqs::ReceiveMessage, sqs::DeleteMessage, sqs::ChangeMessageVisibility, sqs::GetQueueAttributes],
            queue.arn(),
        )
        .statement(Statement::allow_when(
            [kms::Decrypt],
            key.arn(),
            Condition::string_equals(kms::conditions::ViaService, "sqs.us-east-1.amazonaws.com"),
        ));
    let json: serde_json::Value = serde_json::from_str(&policy.to_json()).unwrap();
    assert_eq!(json["Statement"][0]["Resource"][0], "${aws_sqs_queue.primary_jobs.arn}");
    assert_eq!(json["Statement"][1]["Condition"]["StringEquals"]["kms:ViaService"], "sqs.us-east-1.amazonaws.com");
    assert_eq!(sqs::ReceiveMessage.access_level(), Some(AccessLevel::Read));
}
