// `.condition(…)` shares `allow_when`'s bound: a key of another service (a KMS key on SQS
// actions) does not compile there either. A built statement no longer knows its actions'
// service, so it takes global keys; a service's keys go with its actions through `allow_when`.
use infra_core::aws::{kms, sqs};
use infra_core::policy::{Condition, Statement};
use infra_core::{Arn, Text, UsEast1};

fn main() {
    let queue: Arn<sqs::Queue<UsEast1>> = Arn::from_text(Text::expression("aws_sqs_queue.q.arn"));
    let _ = Statement::allow([sqs::SendMessage], queue)
        .condition(Condition::string_equals(kms::conditions::ViaService, "sqs.us-east-1.amazonaws.com"));
}
