// `Statement::on_this_key` renders `"Resource": "*"`: in a role's identity policy that is every
// key in the account, so it belongs only in the key's own policy.
use infra_core::aws::{iam, kms};
use infra_core::policy::{PolicyDocument, Statement, service};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let role = east.add("exec", iam::Role {
        assume_role_policy: PolicyDocument::trust(service::Lambda),
        opts: iam::RoleOpts::default(),
    });
    east.add("exec_policy", iam::RolePolicy {
        role: role.id(),
        name: "exec".into(),
        policy: PolicyDocument::new().statement(Statement::on_this_key([kms::Decrypt])),
        opts: Default::default(),
    });
}
