//! Amazon SQS: queues, queue policies, and the SQS IAM actions.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`sqs:SendMessage`).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::aws::kms;
use crate::policy::PolicyDocument;
use crate::{Arn, Id, Name, Region, Resource, Text, Url};

/// The generated `sqs` types this module does not define (feature `sqs`).
#[cfg(feature = "sqs")]
pub use super::generated::sqs::*;

/// A queue (`aws_sqs_queue`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::{kms, sqs}};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let key = east.add("data_key", kms::Key { enable_key_rotation: Some(true), ..Default::default() });
/// let dlq = east.add("payments_dlq", sqs::Queue {
///     name: Some("payments-dlq".into()),
///     kms_master_key_id: Some(key.key_id()),
///     message_retention_seconds: Some(1_209_600),
///     ..Default::default()
/// });
/// let _arn: infra_core::Arn<sqs::Queue<UsEast1>> = dlq.arn();
/// let json = stack.synth().unwrap();
/// let queue = &json.value()["resource"]["aws_sqs_queue"]["primary_payments_dlq"];
/// assert_eq!(queue["kms_master_key_id"], "${aws_kms_key.primary_data_key.key_id}");
/// assert_eq!(queue["message_retention_seconds"], 1_209_600);
/// ```
#[derive(Resource, Debug, Clone, Default)]
#[resource(
    type = "aws_sqs_queue",
    exports(arn: Arn<Self>, id: Id<Self>, url: Url<Self>, name: Name<Self>)
)]
pub struct Queue<R: Region> {
    /// The queue's name (ends in `.fifo` for a FIFO queue).
    pub name: Option<Text>,
    /// A customer-managed KMS key of the queue's own region (SSE-KMS).
    pub kms_master_key_id: Option<Id<kms::Key<R>>>,
    /// How long SQS reuses a data key (60 to 86400 seconds).
    pub kms_data_key_reuse_period_seconds: Option<u32>,
    /// How long messages are kept (60 to 1209600 seconds).
    pub message_retention_seconds: Option<u32>,
    /// SSE with SQS-owned keys (when no KMS key is given).
    pub sqs_managed_sse_enabled: Option<bool>,
    /// How long a received message stays hidden (0 to 43200 seconds).
    pub visibility_timeout_seconds: Option<u32>,
    /// Long polling wait (0 to 20 seconds).
    pub receive_wait_time_seconds: Option<u32>,
    /// Whether the queue is FIFO.
    pub fifo_queue: Option<bool>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
    /// The region the queue lives in.
    pub _region: PhantomData<R>,
}

/// A queue's access policy (`aws_sqs_queue_policy`).
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_sqs_queue_policy", exports(id: Id<Self>))]
pub struct QueuePolicy<R: Region> {
    /// The queue's URL (`queue.url()`), of a queue in the policy's own region.
    pub queue_url: Url<Queue<R>>,
    /// The policy.
    pub policy: PolicyDocument,
    /// The region of the queue.
    pub _region: PhantomData<R>,
}

/// The `sqs` IAM actions, generated from AWS's authorization data.
pub use crate::iam::sqs::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UsEast1;
    use crate::policy::PolicyDocument;
    use crate::testing::assert_conforms as conforms;

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
