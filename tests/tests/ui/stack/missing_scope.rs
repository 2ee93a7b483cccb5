// A `stack!` starts with the provider that owns its items.
use infra_core::aws::sns;
use infra_core::stack;

fn main() {
    stack! {
        alarms = sns::Topic::default();
    }
}
