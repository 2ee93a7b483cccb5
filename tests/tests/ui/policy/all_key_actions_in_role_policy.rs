// `kms::AllKeyActions` (`kms:*`) is for the account-root statement of a key policy only: no
// identity policy accepts it.
use infra_core::aws::{iam, kms};
use infra_core::policy::{PolicyDocument, service};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add("key", kms::Key::default());
    let role = east.add("exec", iam::Role {
        assume_role_policy: PolicyDocument::trust(service::Lambda),
        opts: iam::RoleOpts::default(),
    });
    east.add("exec_policy", iam::RolePolicy {
        role: role.id(),
        name: "exec".into(),
        policy: PolicyDocument::new().allow([kms::AllKeyActions], key.arn()),
        opts: Default::default(),
    });
}
