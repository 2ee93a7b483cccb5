//! The newcomer's stack: one region, a KMS key, an encrypted bucket, a function allowed to put
//! objects into it, and the bucket's name as an output (the `components` module's example).
//!
//! `cargo run -p infra-core --example newcomer -- OUT_DIR` writes `OUT_DIR/main.tf.json`;
//! `scripts/test` scans it with checkov, and `infra-core/tests/components.rs` checks the
//! properties the components promise on the same stack.

use std::path::PathBuf;
use std::process::ExitCode;

use infra_core::components::{Artifact, Function, Key, SecureBucket};
use infra_core::{Stack, UsEast1};

/// The stack, built with the same lines as the module example.
pub fn newcomer() -> Stack {
    let app = Stack::new();
    {
        let east = app.aws::<UsEast1>("main");
        let key = Key::new(&east.scope("data"));
        let bucket = SecureBucket::new(&east.scope("uploads"), &key);
        let ingest = Function::new(
            &east.scope("ingest"),
            &key,
            Artifact::zip("dist/ingest.zip"),
        );
        bucket.grant_put(&ingest, "incoming/*");
        app.output("bucket_name", bucket.name());
    }
    app
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = match args.as_slice() {
        [flag] if flag == "--help" || flag == "-h" => {
            println!(
                "usage: newcomer OUT_DIR\n\nWrites the newcomer stack's main.tf.json into OUT_DIR."
            );
            return ExitCode::SUCCESS;
        }
        [dir] if !dir.starts_with('-') => PathBuf::from(dir),
        _ => {
            eprintln!("error: expected one argument, the output directory (see --help)");
            return ExitCode::from(2);
        }
    };
    match newcomer().write(&dir) {
        Ok(path) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
