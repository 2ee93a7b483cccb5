// Each name may be declared once in a `stack!`.
use infra_core::aws::{kms, sns};
use infra_core::{Stack, UsEast1, stack};

fn main() {
    let app = Stack::new();
    let east = app.aws::<UsEast1>("primary");
    stack! {
        in east;
        alarms = sns::Topic::default();
        key = kms::Key::default();
        alarms = sns::Topic::default();
    }
}
