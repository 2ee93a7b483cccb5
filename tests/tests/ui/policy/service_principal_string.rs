// A service principal is its type (`service::Lambda`), not a string that nothing checks.
use infra_core::aws::{s3, sns};
use infra_core::policy::{PolicyDocument, Principal, Statement};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let bucket = east.add("uploads", s3::Bucket::default());
    let topic = east.add("uploads", sns::Topic::default());
    east.add("uploads_policy", sns::TopicPolicy {
        arn: topic.arn(),
        policy: PolicyDocument::new().statement(
            Statement::allow([sns::Publish], topic.arn())
                .principal(Principal::service("s3.amazonaws.com")),
        ),
    });
    let _ = bucket;
}
