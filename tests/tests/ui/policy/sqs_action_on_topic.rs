// An SQS action acts on a queue: granting it on a topic does not compile.
use infra_core::aws::{sns, sqs};
use infra_core::policy::Statement;
use infra_core::{Arn, Text, UsEast1};

fn main() {
    let topic: Arn<sns::Topic<UsEast1>> = Arn::from_text(Text::expression("aws_sns_topic.t.arn"));
    let _ = Statement::allow([sqs::SendMessage], topic);
}
