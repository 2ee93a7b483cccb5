//! The inputs: the compact authorization data (`tools/iam/*.json.gz`, cut by
//! `tools/iam/extract.py`) and the resource layer's Terraform types with their Rust paths.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;

/// The authorization data: where it comes from, and every service by IAM prefix.
#[derive(Debug, Deserialize)]
pub struct IamData {
    /// The package it was cut from.
    pub source: Source,
    /// Service prefix (`sqs`, `execute-api`) → service.
    pub services: BTreeMap<String, Service>,
}

/// The package the data was cut from.
#[derive(Debug, Deserialize)]
pub struct Source {
    /// The npm package name.
    pub package: String,
    /// Its version.
    pub version: String,
}

/// One service of the Service Authorization Reference.
#[derive(Debug, Deserialize)]
pub struct Service {
    /// Its name (`Amazon SQS`).
    pub name: String,
    /// Action name → action.
    pub actions: BTreeMap<String, ActionData>,
    /// Resource type → its ARN format.
    pub resources: BTreeMap<String, String>,
    /// Condition key → its value type (`String`, `ARN`, `Bool`…).
    pub conditions: BTreeMap<String, String>,
}

/// One action.
#[derive(Debug, Deserialize)]
pub struct ActionData {
    /// The access level as AWS writes it (`Write`, `Tagging, Write`…).
    pub access: String,
    /// What it grants.
    pub description: String,
    /// The resource types it acts on; empty when it supports only `*`.
    pub resources: Vec<String>,
}

/// Reads a file, gunzipping it when its name ends in `.gz`.
pub fn read(path: &Path) -> Result<String, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot gunzip `{}`: {e}", path.display()))?;
        Ok(text)
    } else {
        String::from_utf8(bytes).map_err(|e| format!("`{}` is not UTF-8: {e}", path.display()))
    }
}

/// Parses the authorization data.
pub fn parse(text: &str) -> Result<IamData, String> {
    serde_json::from_str(text).map_err(|e| format!("invalid authorization data: {e}"))
}

/// A Terraform type of the resource layer and where its Rust type lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TfType {
    /// `sqs` in `crate::aws::sqs::Queue`.
    pub module: String,
    /// `Queue`.
    pub name: String,
    /// Generic over its region (`Queue<R>`).
    pub regional: bool,
    /// Generated (behind the feature named like its module) rather than hand-written.
    pub generated: bool,
}

/// The resource layer's types: managed resources and data sources by Terraform name.
#[derive(Debug, Default)]
pub struct TfTypes {
    /// `aws_sqs_queue` → its Rust type.
    pub resources: BTreeMap<String, TfType>,
    /// `aws_sqs_queue` (the data source) → its Rust type.
    pub data_sources: BTreeMap<String, TfType>,
}

impl TfTypes {
    /// Adds the hand-written list (`infra-core/overlay/handwritten.txt`: `<module> <RustType>
    /// <terraform type>` lines, `data.` before a data source's name).
    pub fn add_handwritten(&mut self, text: &str) -> Result<(), String> {
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            let [module, rust, tf] = parts.as_slice() else {
                return Err(format!(
                    "line {}: expected `<module> <RustType> <terraform type>`",
                    n + 1
                ));
            };
            let (name, regional) = match rust.strip_suffix("<R>") {
                Some(name) => (name, true),
                None => (*rust, false),
            };
            let ty = TfType {
                module: (*module).to_owned(),
                name: name.to_owned(),
                regional,
                generated: false,
            };
            match tf.strip_prefix("data.") {
                Some(tf) => self.data_sources.insert(tf.to_owned(), ty),
                None => self.resources.insert((*tf).to_owned(), ty),
            };
        }
        Ok(())
    }

    /// Adds the types a generated service module lists in its `__types()` function, one
    /// `crate::shape::TypeEntry::of::<Name<crate::UsEast1>>(crate::NodeKind::Resource,
    /// "aws_x", "module::Name")` line each.
    pub fn add_generated(&mut self, source: &str) -> Result<(), String> {
        const ENTRY: &str = "crate::shape::TypeEntry::of::<";
        for line in source.lines() {
            let Some(rest) = line.trim().strip_prefix(ENTRY) else {
                continue;
            };
            let quoted: Vec<&str> = rest.split('"').collect();
            let (Some(tf), Some(path)) = (quoted.get(1), quoted.get(3)) else {
                return Err(format!("unexpected `__types` line: `{}`", line.trim()));
            };
            let Some((module, name)) = path.split_once("::") else {
                return Err(format!(
                    "unexpected Rust path `{path}` in `{}`",
                    line.trim()
                ));
            };
            let ty = TfType {
                module: module.to_owned(),
                name: name.to_owned(),
                regional: rest.starts_with(&format!("{name}<crate::UsEast1>")),
                generated: true,
            };
            if rest.contains("crate::NodeKind::Data") {
                self.data_sources.insert((*tf).to_owned(), ty);
            } else {
                self.resources.insert((*tf).to_owned(), ty);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_and_handwritten_types_are_read_with_their_paths() {
        let mut types = TfTypes::default();
        types
            .add_generated(
                r#"        crate::shape::TypeEntry::of::<StateMachine<crate::UsEast1>>(crate::NodeKind::Resource, "aws_sfn_state_machine", "sfn::StateMachine"),
        crate::shape::TypeEntry::of::<DataZone>(crate::NodeKind::Data, "aws_route53_zone", "route53::DataZone"),"#,
            )
            .unwrap();
        types
            .add_handwritten("# comment\niam Role aws_iam_role\nsqs Queue<R> aws_sqs_queue\n")
            .unwrap();
        let sfn = &types.resources["aws_sfn_state_machine"];
        assert_eq!(
            (
                sfn.module.as_str(),
                sfn.name.as_str(),
                sfn.regional,
                sfn.generated
            ),
            ("sfn", "StateMachine", true, true)
        );
        assert!(!types.data_sources["aws_route53_zone"].regional);
        assert!(!types.resources["aws_iam_role"].regional);
        assert!(types.resources["aws_sqs_queue"].regional);
        assert!(types.add_handwritten("sqs Queue<R>").is_err());
    }
}
