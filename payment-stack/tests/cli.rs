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
        "--environment-kind",
        "non-production",
        "flatten-outputs",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}

#[test]
fn environment_kind_decides_what_destroy_may_remove() {
    let cwd = scratch("kind");
    let read = |dir: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(cwd.join(dir).join("main.tf.json")).unwrap())
            .unwrap()
    };
    let o = run(&["--out", "default"], &cwd);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(
        &["--out", "np", "--environment-kind", "non-production"],
        &cwd,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let table =
        |doc: &serde_json::Value| doc["resource"]["aws_dynamodb_table"]["primary_payments"].clone();
    assert_eq!(
        table(&read("default"))["lifecycle"]["prevent_destroy"],
        true
    );
    assert!(table(&read("np")).get("lifecycle").is_none());
    assert_eq!(
        read("np")["resource"]["aws_s3_bucket"]["primary_audit_bucket"]["force_destroy"],
        true
    );
    let bad = run(&["--out", "bad", "--environment-kind", "staging"], &cwd);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("non-production"), "{}", stderr(&bad));
    assert!(!cwd.join("bad").exists(), "nothing written");
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
    // The stack, its state moves (renamed resources keep their state), its PCI evidence
    // report, and no temporary file left.
    let mut files: Vec<String> = std::fs::read_dir(cwd.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "compliance.json",
            "compliance.md",
            "main.tf.json",
            "moved.tf.json"
        ]
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
fn a_wildcard_cors_origin_exits_2() {
    let cwd = scratch("cors");
    let o = run(&["--cors-origin", "*", "--out", "o"], &cwd);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invalid CORS origin `*`"),
        "{}",
        stderr(&o)
    );
    assert!(!cwd.join("o").exists());
}

#[test]
fn an_invalid_alarm_email_exits_2() {
    let cwd = scratch("email");
    let o = run(&["--alarm-email", "nobody", "--out", "o"], &cwd);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invalid alarm email `nobody`"),
        "{}",
        stderr(&o)
    );
    assert!(!cwd.join("o").exists());
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

fn run_with_stdin(args: &[&str], cwd: &std::path::Path, input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_payment-stack"))
        .args(args)
        .current_dir(cwd)
        .env_remove("ENVIRONMENT_SUFFIX")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().expect("the binary runs")
}

fn read_json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn flatten_outputs_reads_standard_input_by_default() {
    let cwd = scratch("flatten-stdin");
    let o = run_with_stdin(
        &["flatten-outputs", "--out", "flat.json"],
        &cwd,
        r#"{"table_name": {"value": "payment-qa-payments", "type": "string", "sensitive": false},
            "replicas": {"value": ["us-west-2"], "type": ["list", "string"], "sensitive": false}}"#,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("(2 outputs)"), "{}", stderr(&o));
    assert_eq!(
        read_json(&cwd.join("flat.json")),
        serde_json::json!({"table_name": "payment-qa-payments", "replicas": "[\"us-west-2\"]"})
    );
    let written = std::fs::read_to_string(cwd.join("flat.json")).unwrap();
    assert!(written.ends_with("}\n"), "the file ends with a newline");
}

#[test]
fn flatten_outputs_reports_an_unreadable_input_and_exits_2() {
    let cwd = scratch("flatten-missing");
    let o = run(
        &[
            "flatten-outputs",
            "--input",
            "missing.json",
            "--out",
            "x.json",
        ],
        &cwd,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot read `missing.json`"),
        "{}",
        stderr(&o)
    );
    assert!(!cwd.join("x.json").exists());
}

#[test]
fn flatten_outputs_reports_text_that_is_not_json_and_exits_2() {
    let cwd = scratch("flatten-not-json");
    let o = run_with_stdin(
        &["flatten-outputs", "--out", "x.json"],
        &cwd,
        "Error: no outputs",
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error: the input is not JSON"),
        "{}",
        stderr(&o)
    );
    assert!(!cwd.join("x.json").exists());
}

#[test]
fn flatten_outputs_into_a_blocked_path_exits_1() {
    let cwd = scratch("flatten-blocked");
    std::fs::write(cwd.join("file"), "not a directory").unwrap();
    let o = run_with_stdin(
        &["flatten-outputs", "--out", "file/flat.json"],
        &cwd,
        r#"{"a": {"value": "x"}}"#,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(cwd.join("file")).unwrap(),
        "not a directory"
    );
}

#[test]
fn an_s3_backend_without_a_kms_key_uses_the_default_encryption() {
    let cwd = scratch("backend-no-kms");
    let o = run(
        &[
            "--backend",
            "s3",
            "--state-bucket",
            "acme-state",
            "--state-key",
            "qa/payments.tfstate",
            "--state-region",
            "eu-west-1",
            "--out",
            "o",
        ],
        &cwd,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let s3 = &read_json(&cwd.join("o/main.tf.json"))["terraform"]["backend"]["s3"];
    assert_eq!(s3["bucket"], "acme-state");
    assert_eq!(s3["key"], "qa/payments.tfstate");
    assert_eq!(s3["region"], "eu-west-1");
    assert_eq!(s3["encrypt"], true);
    assert!(s3.get("kms_key_id").is_none(), "{s3}");
}

#[test]
fn an_invalid_state_kms_key_exits_2_and_writes_nothing() {
    let cwd = scratch("backend-bad-kms");
    let o = run(
        &[
            "--backend",
            "s3",
            "--state-bucket",
            "acme-state",
            "--state-kms-key",
            "my-key",
            "--out",
            "o",
        ],
        &cwd,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("invalid state KMS key `my-key`"),
        "{}",
        stderr(&o)
    );
    assert!(!cwd.join("o").exists());
}

#[test]
fn an_invalid_domain_exits_2_and_writes_nothing() {
    let cwd = scratch("bad-domain");
    let o = run(&["--domain", "Payments.Example.com", "--out", "o"], &cwd);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("invalid domain `Payments.Example.com`"),
        "{}",
        stderr(&o)
    );
    assert!(!cwd.join("o").exists());
}

#[test]
fn the_suffix_can_come_from_the_environment() {
    let cwd = scratch("env-suffix");
    let o = Command::new(env!("CARGO_BIN_EXE_payment-stack"))
        .args(["--out", "o"])
        .current_dir(&cwd)
        .env("ENVIRONMENT_SUFFIX", "pr42")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(cwd.join("o/main.tf.json")).unwrap();
    assert!(written.contains("\"payment-pr42-payments\""));
    assert!(!written.contains("payment-dev-"));
}

#[test]
fn a_nested_output_directory_gets_a_zip_path_relative_to_it() {
    let cwd = scratch("nested-out");
    let o = run(
        &["--out", "build/tf", "--lambda-zip", "artifacts/fn.zip"],
        &cwd,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(cwd.join("build/tf/main.tf.json")).unwrap();
    assert!(
        written.contains("${path.module}/../../artifacts/fn.zip"),
        "the zip path is relative to build/tf"
    );
    assert!(
        stderr(&o).contains("terraform -chdir=build/tf init"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_absolute_zip_path_is_kept_absolute() {
    let cwd = scratch("absolute-zip");
    let zip = cwd.join("dist/fn.zip");
    let o = run(&["--out", "o", "--lambda-zip", zip.to_str().unwrap()], &cwd);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = read_json(&cwd.join("o/main.tf.json"));
    let functions = doc["resource"]["aws_lambda_function"].as_object().unwrap();
    assert_eq!(functions.len(), 2);
    for (name, f) in functions {
        let filename = f["filename"].as_str().unwrap();
        assert_eq!(filename, zip.to_str().unwrap(), "{name}");
        assert_eq!(
            f["source_code_hash"],
            format!("${{filebase64sha256(\"{}\")}}", zip.display()),
            "{name}"
        );
    }
}
