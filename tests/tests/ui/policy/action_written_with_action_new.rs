// Actions are written with `action!`, which checks the name while compiling; `Action::new`
// could be called at run time, where a `*` was a panic.
use infra_core::aws::dynamodb::ItemActions;
use infra_core::policy::Action;

fn main() {
    let everything: Action<ItemActions> = Action::new("dynamodb:*");
    let _ = everything;
}
