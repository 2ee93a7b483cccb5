//! The override file (`tools/iam/overrides.txt`): what the automatic match of IAM resource types
//! to Terraform types cannot tell. Parsed here; checked against the data by [`crate::model`].
//!
//! One entry a line, `#` starts a comment:
//! - `always <prefix>…`: IAM modules compiled without a feature (what the payment stack uses);
//! - `prefix <iam prefix> <terraform name prefix>…`: more Terraform name prefixes to match the
//!   service's resource types against (`prefix states sfn`; `-` is the bare `aws_`);
//! - `kind <iam prefix>:<resource type> <terraform type or kind>`: the kind a resource type maps
//!   to, a Terraform type (`aws_iam_role`) or one of the hand-written kinds that are no
//!   Terraform type (`s3::Objects<R>`);
//! - `none <iam prefix>:<resource type>`: an automatic match that is wrong;
//! - `class <iam prefix> <resource type>[,<resource type>…] <Name>`: the name of the class of
//!   the actions that act on exactly these resource types (`class s3 accesspointobject,object
//!   ObjectActions`), where the generated name reads badly.

use std::collections::{BTreeMap, BTreeSet};

/// The parsed overrides; every entry keeps its line number for errors.
#[derive(Debug, Default)]
pub struct Overrides {
    /// Prefixes compiled without a feature.
    pub always: BTreeMap<String, usize>,
    /// IAM prefix → (Terraform name prefixes, line).
    pub prefixes: BTreeMap<String, (Vec<String>, usize)>,
    /// (IAM prefix, resource type) → (kind, line).
    pub kinds: BTreeMap<(String, String), (String, usize)>,
    /// (IAM prefix, resource type) → line.
    pub none: BTreeMap<(String, String), usize>,
    /// (IAM prefix, sorted resource types) → (class name, line).
    pub classes: BTreeMap<(String, Vec<String>), (String, usize)>,
}

impl Overrides {
    /// Parses the file; every syntax error is reported at once.
    pub fn parse(text: &str) -> Result<Overrides, String> {
        let mut out = Overrides::default();
        let mut errors = Vec::new();
        let mut seen = BTreeSet::new();
        for (n, line) in text.lines().enumerate() {
            let at = n + 1;
            let line = line.split('#').next().unwrap_or("").trim();
            let words: Vec<&str> = line.split_whitespace().collect();
            let resource_type = |w: &str| -> Option<(String, String)> {
                let (p, r) = w.split_once(':')?;
                Some((p.to_owned(), r.to_owned()))
            };
            match words.as_slice() {
                [] => {}
                ["always", prefixes @ ..] if !prefixes.is_empty() => {
                    for p in prefixes {
                        out.always.insert((*p).to_owned(), at);
                    }
                }
                ["prefix", iam, tf @ ..] if !tf.is_empty() => {
                    let tf = tf.iter().map(|s| (*s).to_owned()).collect();
                    if out.prefixes.insert((*iam).to_owned(), (tf, at)).is_some() {
                        errors.push(format!("line {at}: `prefix {iam}` is given twice"));
                    }
                }
                ["kind", rt, kind] => match resource_type(rt) {
                    Some(key) if seen.insert(key.clone()) => {
                        out.kinds.insert(key, ((*kind).to_owned(), at));
                    }
                    Some(_) => errors.push(format!("line {at}: `{rt}` is overridden twice")),
                    None => errors.push(format!(
                        "line {at}: expected `<iam prefix>:<resource type>`, found `{rt}`"
                    )),
                },
                ["none", rt] => match resource_type(rt) {
                    Some(key) if seen.insert(key.clone()) => {
                        out.none.insert(key, at);
                    }
                    Some(_) => errors.push(format!("line {at}: `{rt}` is overridden twice")),
                    None => errors.push(format!(
                        "line {at}: expected `<iam prefix>:<resource type>`, found `{rt}`"
                    )),
                },
                ["class", prefix, types, name] => {
                    let mut set: Vec<String> = types.split(',').map(str::to_owned).collect();
                    set.sort();
                    let key = ((*prefix).to_owned(), set);
                    if out.classes.insert(key, ((*name).to_owned(), at)).is_some() {
                        errors.push(format!("line {at}: the class of `{types}` is named twice"));
                    }
                }
                _ => errors.push(format!(
                    "line {at}: expected `always <prefix>…`, `prefix <iam prefix> <terraform prefix>…`, `kind <prefix>:<resource type> <kind>` or `none <prefix>:<resource type>` or `class <prefix> <resource types> <Name>`, found `{line}`"
                )),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors.join("\n"))
        }
    }
}

/// `; nearest: `a`, `b`, `c`` for an unknown `name` (empty when there are no candidates).
pub fn nearest_hint<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(name, c), c))
        .collect();
    scored.sort();
    let near: Vec<String> = scored
        .iter()
        .take(3)
        .map(|(_, c)| format!("`{c}`"))
        .collect();
    if near.is_empty() {
        String::new()
    } else {
        format!("; nearest: {}", near.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_parse_and_bad_lines_are_all_reported() {
        let o = Overrides::parse(
            "# c\nalways sqs kms\nprefix states sfn\nkind s3:object s3::Objects<R>\nnone ec2:image\n",
        )
        .unwrap();
        assert!(o.always.contains_key("kms"));
        assert_eq!(o.prefixes["states"].0, ["sfn"]);
        assert_eq!(o.kinds[&("s3".into(), "object".into())].0, "s3::Objects<R>");
        assert!(o.none.contains_key(&("ec2".into(), "image".into())));
        let err = Overrides::parse("kind s3 x\nbogus\nnone a:b\nkind a:b c\n").unwrap_err();
        assert!(
            err.contains("line 1: expected `<iam prefix>:<resource type>`"),
            "{err}"
        );
        assert!(err.contains("line 2: expected"), "{err}");
        assert!(err.contains("line 4: `a:b` is overridden twice"), "{err}");
    }

    #[test]
    fn the_nearest_names_come_first() {
        let hint = nearest_hint(
            "aws_sqs_queu",
            ["aws_sns_topic", "aws_sqs_queue", "aws_sqs_queue_policy"],
        );
        assert!(hint.starts_with("; nearest: `aws_sqs_queue`"), "{hint}");
    }
}
