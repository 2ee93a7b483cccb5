//! The `payment-stack` binary as scripts use it: help, output, exit codes, nothing written on error.

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str], cwd: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_payment-stack"))
        .args(args)
        .current_dir(cwd)
        .env_remove("ENVIRONMENT_SUFFIX")
        .output()
        .expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("payment-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_lists_the_options() {
    let o = run(&["--help"], &std::env::temp_dir());
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout);
    for flag in [
        "--out",
        "--env-suffix",
        "--domain",
        "--backend",
        "--state-bucket",
        "flatten-outputs",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}

#[test]
fn synth_writes_a_terraform_ready_directory_and_says_what_next() {
    let cwd = scratch("synth");
    let o = run(&["--env-suffix", "qa"], &cwd);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(cwd.join("out/main.tf.json")).unwrap();
    assert!(written.contains("\"payment-qa-payments\""));
    assert!(written.contains("${path.module}/../dist/payment-processor.zip"));
    assert!(
        stderr(&o).contains("terraform -chdir=out init"),
        "{}",
        stderr(&o)
    );
    // Same input, same bytes.
    let again = run(&["--env-suffix", "qa", "--out", "again"], &cwd);
    assert!(again.status.success());
    assert_eq!(
        written,
        std::fs::read_to_string(cwd.join("again/main.tf.json")).unwrap()
    );
    assert_eq!(
        std::fs::read_dir(cwd.join("out")).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn an_invalid_suffix_exits_2_and_writes_nothing() {
    let cwd = scratch("bad-suffix");
    for bad in ["Prod", "way-too-long-suffix", "a_b", ""] {
        let o = run(&["--env-suffix", bad, "--out", "o"], &cwd);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("invalid environment suffix"),
            "{}",
            stderr(&o)
        );
        assert!(!cwd.join("o").exists(), "{bad}: something was written");
    }
}

#[test]
fn backend_configuration_is_validated() {
    let cwd = scratch("backend");
    let missing = run(&["--backend", "s3", "--out", "o"], &cwd);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    assert!(
        stderr(&missing).contains("--state-bucket"),
        "{}",
        stderr(&missing)
    );
    let bad = run(
        &[
            "--backend",
            "s3",
            "--state-bucket",
            "Not_A_Bucket",
            "--out",
            "o",
        ],
        &cwd,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("invalid state bucket `Not_A_Bucket`"),
        "{}",
        stderr(&bad)
    );
    assert!(!cwd.join("o").exists());
    let ok = run(
        &[
            "--backend",
            "s3",
            "--state-bucket",
            "acme-state",
            "--state-kms-key",
            "alias/state",
            "--out",
            "o",
        ],
        &cwd,
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cwd.join("o/main.tf.json")).unwrap())
            .unwrap();
    assert_eq!(v["terraform"]["backend"]["s3"]["bucket"], "acme-state");
    assert_eq!(v["terraform"]["backend"]["s3"]["kms_key_id"], "alias/state");
}

#[test]
fn a_blocked_output_path_exits_1() {
    let cwd = scratch("blocked");
    std::fs::write(cwd.join("file"), "not a directory").unwrap();
    let o = run(&["--out", "file"], &cwd);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(cwd.join("file")).unwrap(),
        "not a directory"
    );
}

#[test]
fn flatten_outputs_writes_the_integration_test_file() {
    let cwd = scratch("flatten");
    std::fs::write(
        cwd.join("tf.json"),
        r#"{"table_name": {"value": "payment-dev-payments", "type": "string", "sensitive": false},
            "api_key": {"value": "k", "type": "string", "sensitive": true}}"#,
    )
    .unwrap();
    let o = run(&["flatten-outputs", "--input", "tf.json"], &cwd);
    assert!(o.status.success(), "{}", stderr(&o));
    let flat: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(cwd.join("cfn-outputs/flat-outputs.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        flat,
        serde_json::json!({"table_name": "payment-dev-payments", "api_key": "k"})
    );
    std::fs::write(cwd.join("bad.json"), "[]").unwrap();
    let bad = run(
        &["flatten-outputs", "--input", "bad.json", "--out", "x.json"],
        &cwd,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(!cwd.join("x.json").exists());
}
