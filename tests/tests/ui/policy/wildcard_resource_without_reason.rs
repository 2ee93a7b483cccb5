// A `*` resource needs the explicit `allow_any_resource(…, because(…))`.
use infra_core::aws::dynamodb;
use infra_core::policy::PolicyDocument;

fn main() {
    let _ = PolicyDocument::new().allow([dynamodb::GetItem], "*");
}
