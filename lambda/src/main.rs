//! Placeholder: the payment processor function is built in its own issue.
fn main() {}
