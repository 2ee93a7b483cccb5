// A queue URL comes from the queue (`queue.url()`), not from a string.
use infra_core::aws::sqs;
use infra_core::policy::PolicyDocument;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    east.add("jobs_policy", sqs::QueuePolicy {
        queue_url: "https://sqs.us-east-1.amazonaws.com/111122223333/jobs".into(),
        policy: PolicyDocument::new(),
    });
}
