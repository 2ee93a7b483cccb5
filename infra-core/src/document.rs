//! A synthesized Terraform JSON document, its byte-stable rendering and its atomic write.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::stack::SynthError;

/// The file name a stack is written to.
pub const MAIN_FILE: &str = "main.tf.json";

/// The file a stack's `moved` blocks are written to, beside [`MAIN_FILE`] (Terraform reads
/// every `*.tf.json` of the directory as one module). They have a file of their own because
/// scanners that read Terraform JSON resource by resource (checkov's `terraform_json`) cannot
/// parse a `moved` block, and would otherwise skip the whole `main.tf.json`.
pub const MOVED_FILE: &str = "moved.tf.json";

/// A Terraform root module as JSON. Objects are sorted, so rendering is byte-stable.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    value: Value,
}

impl Document {
    /// Wraps a JSON value.
    pub fn new(value: Value) -> Self {
        Self { value }
    }

    /// The JSON value.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Pretty JSON with two-space indents and a final newline: the bytes that are written.
    pub fn to_json_string(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.value)
            .expect("a JSON value with string keys always serializes");
        s.push('\n');
        s
    }

    /// Writes `main.tf.json` into `dir` (created if missing): first to a temporary file in the
    /// same directory, flushed to disk, then renamed over the target, so a reader sees either
    /// the old file or the complete new one. On error the temporary file is removed.
    ///
    /// ```
    /// use infra_core::Document;
    /// let dir = std::env::temp_dir().join(format!("infra-doc-{}", std::process::id()));
    /// let path = Document::new(serde_json::json!({"output": {}})).write_to(&dir).unwrap();
    /// assert!(std::fs::read_to_string(&path).unwrap().ends_with("}\n"));
    /// # std::fs::remove_dir_all(dir).unwrap();
    /// ```
    pub fn write_to(&self, dir: &Path) -> Result<PathBuf, SynthError> {
        let bytes = self.to_json_string();
        write_atomically(&dir.join(MAIN_FILE), bytes.as_bytes())
    }

    /// The document without its `moved` blocks, and the blocks as a document of their own
    /// (`None` when there are none): what [`MAIN_FILE`] and [`MOVED_FILE`] hold.
    ///
    /// ```
    /// use infra_core::Document;
    /// let doc = Document::new(serde_json::json!({"output": {}, "moved": [{"from": "a.b", "to": "a.c"}]}));
    /// let (main, moved) = doc.split_moved();
    /// assert_eq!(main.value(), &serde_json::json!({"output": {}}));
    /// assert_eq!(moved.unwrap().value()["moved"][0]["to"], "a.c");
    /// ```
    pub fn split_moved(&self) -> (Document, Option<Document>) {
        let mut main = self.value.clone();
        let moved = main
            .as_object_mut()
            .and_then(|root| root.remove("moved"))
            .map(|blocks| Document::new(serde_json::json!({ "moved": blocks })));
        (Document::new(main), moved)
    }
}

/// Writes `bytes` to `path` through a temporary sibling and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<PathBuf, SynthError> {
    let err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| SynthError::Write { path: p, source }
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(err(dir))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    match result {
        Ok(()) => Ok(path.to_path_buf()),
        Err(source) => {
            let _ = fs::remove_file(&tmp);
            Err(SynthError::Write {
                path: path.to_path_buf(),
                source,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("infra-core-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn failed_write_leaves_no_file_behind() {
        let dir = scratch("blocked");
        // The target path is a non-empty directory, so the final rename must fail.
        fs::create_dir_all(dir.join(MAIN_FILE).join("occupied")).unwrap();
        let doc = Document::new(serde_json::json!({"a": 1}));
        let err = doc.write_to(&dir).unwrap_err();
        assert!(matches!(err, SynthError::Write { .. }), "{err}");
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(leftovers, vec![MAIN_FILE.to_owned()]);
        assert!(dir.join(MAIN_FILE).is_dir());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn write_replaces_previous_content() {
        let dir = scratch("replace");
        Document::new(serde_json::json!({"v": 1}))
            .write_to(&dir)
            .unwrap();
        Document::new(serde_json::json!({"v": 2}))
            .write_to(&dir)
            .unwrap();
        assert_eq!(
            fs::read_to_string(dir.join(MAIN_FILE)).unwrap(),
            "{\n  \"v\": 2\n}\n"
        );
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(dir).unwrap();
    }
}
