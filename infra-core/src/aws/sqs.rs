//! Amazon SQS: queues, queue policies, and the SQS IAM actions.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`sqs:SendMessage`).

/// The overlay-typed types (`infra-core/overlay/types/sqs.toml`): `Queue`, `QueuePolicy`.
pub use super::generated::overlay::sqs::*;

/// The generated `sqs` types this module does not define (feature `sqs`).
#[cfg(feature = "sqs")]
pub use super::generated::sqs::*;

/// The `sqs` IAM actions, generated from AWS's authorization data.
pub use crate::iam::sqs::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicyDocument;
    use crate::testing::assert_conforms as conforms;
    use crate::{Arn, Text, UsEast1};

    #[test]
    fn shapes_conform_to_the_provider_schema() {
        conforms::<Queue<UsEast1>>();
        conforms::<QueuePolicy<UsEast1>>();
    }

    #[test]
    fn send_message_acts_on_a_queue() {
        let queue: Arn<Queue<UsEast1>> = Arn::from_text(Text::expression("aws_sqs_queue.q.arn"));
        let doc = PolicyDocument::new().allow([SendMessage], queue);
        assert!(doc.to_json().contains("sqs:SendMessage"));
    }
}
