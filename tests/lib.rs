//! Workspace-level tests live in `tests/`; this library holds what several of them read.

/// The types `infra-core/overlay/handwritten.txt` lists (the generator leaves them out), as
/// `(is a data source, Terraform type)`, in file order.
pub fn handwritten_types() -> Vec<(bool, String)> {
    include_str!("../infra-core/overlay/handwritten.txt")
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let tf = l.split_whitespace().nth(2).unwrap_or_default();
            match tf.strip_prefix("data.") {
                Some(name) => (true, name.to_owned()),
                None => (false, tf.to_owned()),
            }
        })
        .collect()
}
