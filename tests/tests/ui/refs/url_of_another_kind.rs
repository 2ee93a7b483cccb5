// A queue policy takes a queue's URL; a stage's invoke URL is not one.
use infra_core::aws::{apigateway, sqs};
use infra_core::policy::PolicyDocument;
use infra_core::{Ref, UsEast1};

fn policy(stage: &Ref<apigateway::Stage<UsEast1>>) -> sqs::QueuePolicy<UsEast1> {
    sqs::QueuePolicy {
        queue_url: stage.invoke_url(),
        policy: PolicyDocument::new(),
    }
}

fn main() {}
