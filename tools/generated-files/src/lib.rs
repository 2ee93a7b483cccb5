//! What a generator (`infra-codegen`, `infra-iamgen`) hands back: every file it generates, in
//! memory, and the stale ones; [`Output::check`] compares them with the committed files
//! (`--check`), [`Output::write`] writes the ones that changed.
//!
//! ```
//! use generated_files::Output;
//! use std::path::PathBuf;
//!
//! let root = std::env::temp_dir().join(format!("generated-files-doc-{}", std::process::id()));
//! let out = Output::new(vec![(PathBuf::from("gen/a.rs"), b"// a\n".to_vec())]);
//! assert_eq!(out.differing(&root), ["gen/a.rs"]);
//! out.write(&root, "doc").unwrap();
//! assert!(out.differing(&root).is_empty());
//! # std::fs::remove_dir_all(&root).unwrap();
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The files a generator produces (paths relative to the workspace root, their bytes) and the
/// stale ones (generated earlier, generated no more).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Every generated file, with its bytes.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// Files the generator wrote before and writes no more, sorted.
    pub stale: Vec<PathBuf>,
}

impl Output {
    /// The output of `files`, none stale yet (see [`Output::with_stale_in`]).
    pub fn new(files: Vec<(PathBuf, Vec<u8>)>) -> Self {
        Output {
            files,
            stale: Vec::new(),
        }
    }

    /// The files directly in each of `dirs` (relative to `root`) that are not generated: stale.
    /// A directory that does not exist yet has none.
    pub fn with_stale_in(self, root: &Path, dirs: &[&str]) -> Self {
        let mut stale = self.stale;
        for dir in dirs {
            let dir = PathBuf::from(dir);
            let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = dir.join(entry.file_name());
                if entry.path().is_file() && !self.files.iter().any(|(p, _)| *p == path) {
                    stale.push(path);
                }
            }
        }
        stale.sort();
        Output {
            files: self.files,
            stale,
        }
    }

    /// The files under `root` that differ from the output (missing ones included), then the
    /// stale ones, marked so.
    pub fn differing(&self, root: &Path) -> Vec<String> {
        let mut differ: Vec<String> = self
            .files
            .iter()
            .filter(|(p, bytes)| std::fs::read(root.join(p)).ok().as_ref() != Some(bytes))
            .map(|(p, _)| p.display().to_string())
            .collect();
        differ.extend(
            self.stale
                .iter()
                .map(|p| format!("{} (no longer generated)", p.display())),
        );
        differ
    }

    /// `--check`: success when every file under `root` is what `tool` generates; otherwise
    /// exit 1, naming every file that differs on standard error.
    pub fn check(&self, root: &Path, tool: &str) -> ExitCode {
        let differ = self.differing(root);
        if differ.is_empty() {
            eprintln!("{tool}: {} files up to date", self.files.len());
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "{tool}: {} file(s) differ from the generator's output (run `cargo run -p {tool}` to regenerate):",
            differ.len()
        );
        for d in differ {
            eprintln!("  {d}");
        }
        ExitCode::from(1)
    }

    /// Writes under `root` the files that changed (each to a temporary sibling, then renamed,
    /// so a reader never sees half a file) and removes the stale ones; reports the counts.
    pub fn write(&self, root: &Path, tool: &str) -> Result<ExitCode, String> {
        let mut written = 0;
        for (path, bytes) in &self.files {
            let full = root.join(path);
            if std::fs::read(&full).ok().as_ref() == Some(bytes) {
                continue;
            }
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
            }
            let tmp = full.with_extension("tmp~");
            std::fs::write(&tmp, bytes)
                .map_err(|e| format!("cannot write `{}`: {e}", tmp.display()))?;
            std::fs::rename(&tmp, &full)
                .map_err(|e| format!("cannot write `{}`: {e}", full.display()))?;
            written += 1;
        }
        for path in &self.stale {
            std::fs::remove_file(root.join(path))
                .map_err(|e| format!("cannot remove `{}`: {e}", path.display()))?;
        }
        eprintln!(
            "{tool}: {written} of {} files written, {} stale removed",
            self.files.len(),
            self.stale.len()
        );
        Ok(ExitCode::SUCCESS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("generated-files-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("gen")).unwrap();
        dir
    }

    #[test]
    fn check_names_changed_missing_and_stale_files_and_write_makes_them_agree() {
        let root = scratch("agree");
        std::fs::write(root.join("gen/same.rs"), "same").unwrap();
        std::fs::write(root.join("gen/changed.rs"), "old").unwrap();
        std::fs::write(root.join("gen/gone.rs"), "gone").unwrap();
        let files = ["same", "changed", "new"]
            .iter()
            .map(|n| (PathBuf::from(format!("gen/{n}.rs")), n.as_bytes().to_vec()))
            .collect();
        let out = Output::new(files).with_stale_in(&root, &["gen", "missing"]);
        assert_eq!(out.stale, [PathBuf::from("gen/gone.rs")]);
        assert_eq!(
            out.differing(&root),
            [
                "gen/changed.rs",
                "gen/new.rs",
                "gen/gone.rs (no longer generated)"
            ]
        );
        assert_eq!(out.check(&root, "t"), ExitCode::from(1));
        out.write(&root, "t").unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("gen/changed.rs")).unwrap(),
            "changed"
        );
        assert!(!root.join("gen/gone.rs").exists());
        let again = Output::new(out.files.clone()).with_stale_in(&root, &["gen"]);
        assert!(again.differing(&root).is_empty());
        assert_eq!(again.check(&root, "t"), ExitCode::SUCCESS);
        // No temporary file is left beside the written ones.
        let mut names: Vec<String> = std::fs::read_dir(root.join("gen"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["changed.rs", "new.rs", "same.rs"]);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_write_that_cannot_create_its_directory_says_where() {
        let root = scratch("blocked");
        std::fs::write(root.join("file"), "not a directory").unwrap();
        let out = Output::new(vec![(PathBuf::from("file/a.rs"), b"a".to_vec())]);
        let err = out.write(&root, "t").unwrap_err();
        assert!(err.starts_with("cannot create `"), "{err}");
        assert_eq!(
            std::fs::read_to_string(root.join("file")).unwrap(),
            "not a directory"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
