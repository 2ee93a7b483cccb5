// A `*` in an action name needs `action!("…*", because(…))`.
use infra_core::action;
use infra_core::aws::s3::ObjectActions;
use infra_core::policy::Action;

const ALL_S3: Action<ObjectActions> = action!("s3:*");

fn main() {
    let _ = ALL_S3;
}
