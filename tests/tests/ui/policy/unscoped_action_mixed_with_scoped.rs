// Actions that support only `*` are granted on `*` without a reason, but never together with
// resource-scoped ones: `sqs:SendMessage` must be granted on its queue.
use infra_core::aws::sqs;
use infra_core::policy::Statement;

fn main() {
    let _ = Statement::allow_unscoped((sqs::ListQueues, sqs::SendMessage));
}
