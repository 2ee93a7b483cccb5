// A log resource policy is attached to a log group: a queue is none of the kinds it takes.
use infra_core::aws::cloudwatch::{LogResourcePolicy, LogResourcePolicyOpts};
use infra_core::aws::sqs;
use infra_core::policy::PolicyDocument;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let queue = east.add("jobs", sqs::Queue::default());
    east.add("policy", LogResourcePolicy {
        policy_document: PolicyDocument::new(),
        policy_name: "jobs".into(),
        opts: LogResourcePolicyOpts { resource_arn: Some(queue.arn().into()) },
    });
}
