//! The list of hand-written types (`infra-core/overlay/handwritten.txt`): the seed of the overlay.
//!
//! Each line is `<module> <RustType> <terraform type>`, for example `sqs Queue<R> aws_sqs_queue`
//! or `data CallerIdentity data.aws_caller_identity`. The generator leaves these types out (the
//! hand-written module wins), and refuses an entry that names a type the schema does not have,
//! naming the nearest types it does have.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::Kind;
use crate::schema::ProviderSchema;

/// The parsed list.
#[derive(Debug, Default)]
pub struct HandWritten {
    /// `(kind, terraform type)` → `(module, Rust type)`.
    entries: BTreeMap<(Kind, String), (String, String)>,
    /// Every public item name of each hand-written module (blocks, enums, actions too), which a
    /// generated name re-exported into that module must not take.
    public_names: BTreeMap<String, BTreeSet<String>>,
}

impl HandWritten {
    /// Parses the list and checks every entry against `schema`; all errors are reported at once.
    pub fn parse(text: &str, schema: &ProviderSchema) -> Result<HandWritten, String> {
        let mut entries = BTreeMap::new();
        let mut errors = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let at = format!("line {}", n + 1);
            let parts: Vec<&str> = line.split_whitespace().collect();
            let [module, rust_type, qualified] = parts.as_slice() else {
                errors.push(format!(
                    "{at}: expected `<module> <RustType> <terraform type>`, found `{line}`"
                ));
                continue;
            };
            let (kind, tf_name) = match qualified.strip_prefix("data.") {
                Some(name) => (Kind::Data, name),
                None => (Kind::Resource, *qualified),
            };
            let known = match kind {
                Kind::Resource => schema.resource_schemas.contains_key(tf_name),
                Kind::Data => schema.data_source_schemas.contains_key(tf_name),
            };
            if !known {
                let names: Vec<String> = match kind {
                    Kind::Resource => schema.resource_schemas.keys().cloned().collect(),
                    Kind::Data => schema
                        .data_source_schemas
                        .keys()
                        .map(|n| format!("data.{n}"))
                        .collect(),
                };
                errors.push(format!(
                    "{at}: the schema has no `{qualified}`{}",
                    nearest_hint(qualified, &names)
                ));
                continue;
            }
            let value = ((*module).to_owned(), (*rust_type).to_owned());
            if entries.insert((kind, tf_name.to_owned()), value).is_some() {
                errors.push(format!("{at}: `{qualified}` is listed twice"));
            }
        }
        if errors.is_empty() {
            Ok(HandWritten {
                entries,
                public_names: BTreeMap::new(),
            })
        } else {
            Err(errors.join("\n"))
        }
    }

    /// `sqs::Queue<R>` when the type is hand-written.
    pub fn rust_path(&self, kind: Kind, tf_name: &str) -> Option<String> {
        self.entries
            .get(&(kind, tf_name.to_owned()))
            .map(|(module, ty)| format!("{module}::{ty}"))
    }

    /// Records the public items of the hand-written module `module`, from its source text:
    /// `pub struct|enum|trait|type|const|static|fn|mod NAME` at the start of a line (after
    /// indentation), and `NAMEAttrs` for every struct (what `#[derive(Resource)]` adds).
    pub fn add_module_source(&mut self, module: &str, source: &str) {
        const KINDS: &[&str] = &[
            "struct", "enum", "trait", "type", "const", "static", "fn", "mod",
        ];
        let names = self.public_names.entry(module.to_owned()).or_default();
        for line in source.lines() {
            let Some(rest) = line.trim_start().strip_prefix("pub ") else {
                continue;
            };
            let mut words = rest.split_whitespace();
            let (Some(kind), Some(name)) = (words.next(), words.next()) else {
                continue;
            };
            if !KINDS.contains(&kind) {
                continue;
            }
            let name: String = name
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if kind == "struct" {
                names.insert(format!("{name}Attrs"));
            }
            names.insert(name);
        }
    }

    /// Whether the hand-written module `module` has a public item named `name`.
    pub fn module_has(&self, module: &str, name: &str) -> bool {
        self.public_names
            .get(module)
            .is_some_and(|names| names.contains(name))
    }

    /// The modules of the list.
    pub fn modules(&self) -> BTreeSet<&str> {
        self.entries.values().map(|(m, _)| m.as_str()).collect()
    }

    /// The Rust names (without generics) of the hand-written types of a module.
    pub fn rust_names_in_module<'a>(&'a self, module: &'a str) -> impl Iterator<Item = &'a str> {
        self.entries
            .values()
            .filter(move |(m, _)| m == module)
            .map(|(_, ty)| ty.split('<').next().unwrap_or(ty))
    }
}

/// `, nearest: `a`, `b`, `c`` for the three names closest to `name` (edit distance), or nothing.
pub fn nearest_hint(name: &str, candidates: &[String]) -> String {
    let mut scored: Vec<(usize, &String)> = candidates
        .iter()
        .map(|c| (edit_distance(name, c), c))
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

/// Levenshtein distance over bytes (names are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            cur.push(substitute.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::parse;

    const SCHEMA: &str = r#"{"format_version": "1.0", "provider_schemas": {"p": {
        "provider": {"version": 0, "block": {}},
        "resource_schemas": {
            "aws_sqs_queue": {"version": 0, "block": {}},
            "aws_sqs_queue_policy": {"version": 0, "block": {}},
            "aws_sns_topic": {"version": 0, "block": {}}
        },
        "data_source_schemas": {"aws_caller_identity": {"version": 0, "block": {}}}
    }}}"#;

    #[test]
    fn entries_are_checked_against_the_schema() {
        let schema = parse(SCHEMA, "p").unwrap();
        let hand = HandWritten::parse(
            "# comment\nsqs Queue<R> aws_sqs_queue\ndata CallerIdentity data.aws_caller_identity\n",
            &schema,
        )
        .unwrap();
        assert_eq!(
            hand.rust_path(Kind::Resource, "aws_sqs_queue").as_deref(),
            Some("sqs::Queue<R>")
        );
        assert_eq!(hand.rust_path(Kind::Data, "aws_sqs_queue"), None);
        assert_eq!(
            hand.rust_names_in_module("sqs").collect::<Vec<_>>(),
            ["Queue"]
        );
    }

    #[test]
    fn an_unknown_type_names_the_nearest_schema_types() {
        let schema = parse(SCHEMA, "p").unwrap();
        let err = HandWritten::parse(
            "sqs Queue<R> aws_sqs_queu\nsqs Queue<R> data.aws_caller_identiti\nbad line\n",
            &schema,
        )
        .unwrap_err();
        assert!(
            err.contains("line 1: the schema has no `aws_sqs_queu`; nearest: `aws_sqs_queue`, `aws_sns_topic`"),
            "{err}"
        );
        assert!(err.contains("line 2: the schema has no `data.aws_caller_identiti`; nearest: `data.aws_caller_identity`"), "{err}");
        assert!(
            err.contains("line 3: expected `<module> <RustType> <terraform type>`"),
            "{err}"
        );
    }

    #[test]
    fn public_names_of_a_module_source() {
        let mut hand = HandWritten::default();
        hand.add_module_source(
            "dynamodb",
            "pub struct Table<R: Region> {\n    pub name: Text,\n}\npub(crate) struct Hidden;\n    pub enum BillingMode {\npub const GetItem: Action = x;\n",
        );
        for name in ["Table", "TableAttrs", "BillingMode", "GetItem"] {
            assert!(hand.module_has("dynamodb", name), "{name}");
        }
        assert!(!hand.module_has("dynamodb", "Hidden"));
        assert!(!hand.module_has("dynamodb", "name"));
        assert!(!hand.module_has("sqs", "Table"));
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
