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

/// Writes `bytes` to `path` through a temporary sibling and a rename: a set of one file
/// ([`write_set`]).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<PathBuf, SynthError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Err(SynthError::Write {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file"),
        });
    };
    write_set(dir, &[(&name, FileChange::Write(bytes))])?;
    Ok(path.to_path_buf())
}

/// What [`write_set`] does with one file of the set.
#[derive(Debug, Clone, Copy)]
pub enum FileChange<'a> {
    /// The file gets these bytes.
    Write(&'a [u8]),
    /// A file left by an earlier write that the new set no longer has: removed if present.
    Remove,
}

/// Writes a set of files into `dir` (created if missing) as one change: every new file is first
/// written to a temporary sibling and flushed; only when all of them are on disk are they
/// renamed over their targets, in the order given (put the file readers look at first last),
/// and then the files marked [`FileChange::Remove`] are removed.
///
/// If writing a temporary file fails, nothing in `dir` has changed. If a rename fails, the files
/// already renamed are put back as they were (from hard links, or copies, taken just before), so
/// the set is either the old one or the new one; only a crash in the middle of the renames, or
/// a failing removal of a stale file, can leave a mix, and the latter is reported as an error.
///
/// ```
/// use infra_core::document::{write_set, FileChange};
/// let dir = std::env::temp_dir().join(format!("infra-set-{}", std::process::id()));
/// write_set(&dir, &[("a.json", FileChange::Write(b"{}\n")), ("b.json", FileChange::Remove)])
///     .unwrap();
/// assert_eq!(std::fs::read(dir.join("a.json")).unwrap(), b"{}\n");
/// assert!(!dir.join("b.json").exists());
/// # std::fs::remove_dir_all(dir).unwrap();
/// ```
pub fn write_set(dir: &Path, files: &[(&str, FileChange<'_>)]) -> Result<(), SynthError> {
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SynthError::Write { path, source }
    };
    fs::create_dir_all(dir).map_err(failed(dir))?;
    let sibling =
        |name: &str, what: &str| dir.join(format!(".{name}.{}.{what}", std::process::id()));
    let writes: Vec<(PathBuf, PathBuf, &[u8])> = files
        .iter()
        .filter_map(|(name, change)| match change {
            FileChange::Write(bytes) => Some((dir.join(name), sibling(name, "tmp"), *bytes)),
            FileChange::Remove => None,
        })
        .collect();
    // 1. Stage: every new file in a temporary sibling, on disk.
    for (i, (path, tmp, bytes)) in writes.iter().enumerate() {
        let staged = (|| {
            let mut file = fs::File::create(tmp)?;
            file.write_all(bytes)?;
            file.sync_all()
        })();
        if let Err(source) = staged {
            for (_, tmp, _) in &writes[..=i] {
                let _ = fs::remove_file(tmp);
            }
            return Err(SynthError::Write {
                path: path.clone(),
                source,
            });
        }
    }
    // 2. Commit: each target's old content kept aside, then the rename; a failed rename puts the
    // renamed ones back.
    let mut committed: Vec<(&Path, Option<PathBuf>)> = Vec::new();
    let mut outcome = Ok(());
    for (path, tmp, _) in &writes {
        let backup = if path.is_file() {
            let backup = sibling(
                &path.file_name().unwrap_or_default().to_string_lossy(),
                "old",
            );
            let _ = fs::remove_file(&backup);
            match fs::hard_link(path, &backup).or_else(|_| fs::copy(path, &backup).map(drop)) {
                Ok(()) => Some(backup),
                Err(source) => {
                    outcome = Err(SynthError::Write {
                        path: path.clone(),
                        source,
                    });
                    break;
                }
            }
        } else {
            None
        };
        if let Err(source) = fs::rename(tmp, path) {
            if let Some(backup) = backup {
                let _ = fs::remove_file(backup);
            }
            outcome = Err(SynthError::Write {
                path: path.clone(),
                source,
            });
            break;
        }
        committed.push((path, backup));
    }
    if let Err(e) = outcome {
        for (path, backup) in committed.into_iter().rev() {
            let _ = match backup {
                Some(backup) => fs::rename(backup, path),
                None => fs::remove_file(path),
            };
        }
        for (_, tmp, _) in &writes {
            let _ = fs::remove_file(tmp);
        }
        return Err(e);
    }
    for (_, backup) in committed {
        if let Some(backup) = backup {
            let _ = fs::remove_file(backup);
        }
    }
    // 3. The files the new set no longer has.
    for (name, change) in files {
        if let FileChange::Remove = change {
            let path = dir.join(name);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(failed(&path)(e));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir`, sorted.
    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

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
        assert_eq!(listing(&dir), [MAIN_FILE]);
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

    #[test]
    fn a_set_whose_last_rename_fails_keeps_the_old_set() {
        let dir = scratch("set-rollback");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(MOVED_FILE), "old moves\n").unwrap();
        // The main file's path is a non-empty directory, so its rename, the last, fails.
        fs::create_dir_all(dir.join(MAIN_FILE).join("occupied")).unwrap();
        let err = write_set(
            &dir,
            &[
                (MOVED_FILE, FileChange::Write(b"new moves\n")),
                (MAIN_FILE, FileChange::Write(b"{}\n")),
            ],
        )
        .unwrap_err();
        assert!(matches!(err, SynthError::Write { .. }), "{err}");
        assert_eq!(
            fs::read_to_string(dir.join(MOVED_FILE)).unwrap(),
            "old moves\n"
        );
        assert_eq!(listing(&dir), [MAIN_FILE, MOVED_FILE]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_set_whose_first_rename_fails_changes_nothing_and_a_new_file_is_undone() {
        let dir = scratch("set-new-undone");
        fs::create_dir_all(dir.join("blocked.json").join("occupied")).unwrap();
        let err = write_set(
            &dir,
            &[
                ("fresh.json", FileChange::Write(b"1\n")),
                ("blocked.json", FileChange::Write(b"2\n")),
            ],
        )
        .unwrap_err();
        assert!(matches!(err, SynthError::Write { .. }), "{err}");
        // `fresh.json` did not exist before: the rollback removes it again.
        assert_eq!(listing(&dir), ["blocked.json"]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_set_replaces_writes_and_removes() {
        let dir = scratch("set-ok");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("stale.md"), "old report\n").unwrap();
        fs::write(dir.join(MAIN_FILE), "old\n").unwrap();
        write_set(
            &dir,
            &[
                (MOVED_FILE, FileChange::Write(b"moves\n")),
                ("stale.md", FileChange::Remove),
                ("never-there.md", FileChange::Remove),
                (MAIN_FILE, FileChange::Write(b"new\n")),
            ],
        )
        .unwrap();
        assert_eq!(fs::read_to_string(dir.join(MAIN_FILE)).unwrap(), "new\n");
        assert_eq!(fs::read_to_string(dir.join(MOVED_FILE)).unwrap(), "moves\n");
        assert_eq!(listing(&dir), [MAIN_FILE, MOVED_FILE]);
        fs::remove_dir_all(dir).unwrap();
    }
}
