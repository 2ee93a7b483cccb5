// An action that supports only `*` has no resource to be granted on: `allow_unscoped` grants it.
use infra_core::aws::{sqs, xray};
use infra_core::policy::Statement;
use infra_core::{Arn, Text, UsEast1};

fn main() {
    let queue: Arn<sqs::Queue<UsEast1>> = Arn::from_text(Text::expression("aws_sqs_queue.q.arn"));
    let _ = Statement::allow([xray::PutTraceSegments], queue);
}
