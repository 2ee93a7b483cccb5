//! The schema index: the provider schema the generator reads, in a form infra-core's validator
//! can open without reading all of it (`infra-core/src/aws/generated/schema.idx`).
//!
//! A synth validates a stack's few dozen types against the full schema (about 2,400 types,
//! 3.5 MB of JSON). Decompressing and scanning the whole `.json.gz` on every run was most of a
//! synth's time, so the generator writes each type's schema as its own deflate stream, behind a
//! text table of contents:
//!
//! ```text
//! infra-core schema index 1
//! provider registry.terraform.io/hashicorp/aws
//! version 6.66.0
//! config 0 812
//! resource aws_accessanalyzer_analyzer 812 377
//! …
//! data aws_vpcs 2651200 410
//! end
//! <the deflate streams, one after another; offsets and lengths count from here>
//! ```
//!
//! `config` is the provider's own configuration; every other line is a resource or data source
//! with the offset and length of its stream. Each stream inflates to the type's JSON exactly as
//! `terraform providers schema -json` nests it (`{"block": …, "version": …}`), with keys sorted.
//! The bytes are reproducible: the same schema gives the same index (keys sorted, fixed level).

use std::io::Write;

use flate2::Compression;
use flate2::write::DeflateEncoder;
use serde_json::Value;

/// The first line of every index, with its format version.
pub const MAGIC: &str = "infra-core schema index 1";

/// The index of `provider`'s schema inside `text` (a `terraform providers schema -json`
/// document), for provider version `version`.
pub fn write(text: &str, provider: &str, version: &str) -> Result<Vec<u8>, String> {
    let root: Value =
        serde_json::from_str(text).map_err(|e| format!("the schema is not JSON: {e}"))?;
    let schema = root
        .get("provider_schemas")
        .and_then(|p| p.get(provider))
        .ok_or_else(|| format!("the schema has no provider `{provider}`"))?;
    let config = schema
        .get("provider")
        .ok_or_else(|| format!("provider `{provider}` has no `provider` configuration"))?;
    let mut toc = format!("{MAGIC}\nprovider {provider}\nversion {version}\n");
    let mut payload = Vec::new();
    let mut entry = |line: &str, value: &Value| -> Result<(), String> {
        let json = serde_json::to_string(value).map_err(|e| e.to_string())?;
        let mut deflate = DeflateEncoder::new(Vec::new(), Compression::best());
        deflate
            .write_all(json.as_bytes())
            .map_err(|e| e.to_string())?;
        let stream = deflate.finish().map_err(|e| e.to_string())?;
        toc.push_str(&format!("{line} {} {}\n", payload.len(), stream.len()));
        payload.extend_from_slice(&stream);
        Ok(())
    };
    entry("config", config)?;
    for (section, word) in [
        ("resource_schemas", "resource"),
        ("data_source_schemas", "data"),
    ] {
        let Some(types) = schema.get(section).and_then(Value::as_object) else {
            continue;
        };
        // serde_json's map is sorted by key, so the order is the same on every run.
        for (name, value) in types {
            if name.contains(char::is_whitespace) {
                return Err(format!("{section}: the type name `{name}` has whitespace"));
            }
            entry(&format!("{word} {name}"), value)?;
        }
    }
    toc.push_str("end\n");
    let mut out = toc.into_bytes();
    out.extend_from_slice(&payload);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    const SCHEMA: &str = r#"{"format_version": "1.0", "provider_schemas": {"p/x": {
        "provider": {"version": 0, "block": {"attributes": {"region": {"type": "string", "optional": true}}}},
        "resource_schemas": {
            "x_b": {"version": 1, "block": {"attributes": {"name": {"type": "string", "required": true}}}},
            "x_a": {"version": 0, "block": {}}
        },
        "data_source_schemas": {"x_a": {"version": 0, "block": {"attributes": {"id": {"type": "string", "computed": true}}}}}
    }}}"#;

    /// Reads one stream of an index back, as infra-core does.
    fn inflate(index: &[u8], line: &str) -> Value {
        let text = String::from_utf8_lossy(index);
        let end = text.find("end\n").unwrap() + 4;
        let entry = text[..end]
            .lines()
            .find_map(|l| l.strip_prefix(line).and_then(|r| r.strip_prefix(' ')))
            .unwrap_or_else(|| panic!("no `{line}` in the index"));
        let (offset, len) = entry.split_once(' ').unwrap();
        let (offset, len): (usize, usize) = (offset.parse().unwrap(), len.parse().unwrap());
        let mut json = String::new();
        flate2::read::DeflateDecoder::new(&index[end + offset..end + offset + len])
            .read_to_string(&mut json)
            .unwrap();
        serde_json::from_str(&json).unwrap()
    }

    #[test]
    fn every_type_reads_back_as_the_schema_has_it_in_sorted_order() {
        let index = write(SCHEMA, "p/x", "1.2.3").unwrap();
        let text = String::from_utf8_lossy(&index);
        let toc: Vec<&str> = text.lines().take(7).collect();
        assert_eq!(&toc[..3], [MAGIC, "provider p/x", "version 1.2.3"]);
        let names: Vec<&str> = toc[3..]
            .iter()
            .map(|l| l.rsplitn(3, ' ').nth(2).unwrap())
            .collect();
        assert_eq!(
            names,
            ["config", "resource x_a", "resource x_b", "data x_a"]
        );
        let root: Value = serde_json::from_str(SCHEMA).unwrap();
        let p = &root["provider_schemas"]["p/x"];
        assert_eq!(inflate(&index, "config"), p["provider"]);
        assert_eq!(
            inflate(&index, "resource x_b"),
            p["resource_schemas"]["x_b"]
        );
        assert_eq!(inflate(&index, "data x_a"), p["data_source_schemas"]["x_a"]);
        assert_eq!(
            write(SCHEMA, "p/x", "1.2.3").unwrap(),
            index,
            "reproducible"
        );
    }

    #[test]
    fn a_schema_without_the_provider_is_an_error_naming_it() {
        let err = write(SCHEMA, "p/y", "1").unwrap_err();
        assert!(err.contains("no provider `p/y`"), "{err}");
        let err = write("not json", "p/x", "1").unwrap_err();
        assert!(err.contains("not JSON"), "{err}");
    }
}
