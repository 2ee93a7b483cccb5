// An alias targets a KMS key; a topic's ID is not a key ID.
use infra_core::aws::{kms, sns};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let topic = east.add("alarms", sns::Topic::default());
    east.add("alias", kms::Alias { name: "alias/x".into(), target_key_id: topic.id(), opts: Default::default() });
}
