// A queue policy is created in the queue's region.
use infra_core::aws::sqs;
use infra_core::policy::PolicyDocument;
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let west_queue = west.add("jobs", sqs::Queue::default());
    east.add("jobs_policy", sqs::QueuePolicy {
        queue_url: west_queue.url(),
        policy: PolicyDocument::new(),
    });
}
