// A data source is read with `data(…)`, not created with `add(…)`.
use infra_core::aws::data::CallerIdentity;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    stack.aws::<UsEast1>("primary").add("caller", CallerIdentity {});
}
