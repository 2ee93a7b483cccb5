// References do not implement `Display`: they cannot be glued into a plain string.
use infra_core::aws::kms;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let key = stack.aws::<UsEast1>("primary").add("key", kms::Key::default());
    let _ = format!("arn is {}", key.arn());
}
