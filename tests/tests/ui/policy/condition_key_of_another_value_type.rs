// A condition's operator fits its key's value type: `aws:SecureTransport` is a bool, not a string.
use infra_core::policy::{Condition, global};

fn main() {
    let _ = Condition::string_equals(global::SecureTransport, "false");
}
