//! End to end with the real `bootstrap` binary: cargo-lambda's local Lambda emulator
//! (`cargo lambda watch --only-lambda-apis`) serves the Runtime API and the Invoke API on
//! 127.0.0.1; the test runs the binary cargo built for this test against it, with its AWS
//! endpoint pointed at moto, and invokes it with API Gateway REST proxy events.
//!
//! `--only-lambda-apis` is used so cargo-lambda does not rebuild the function with its own
//! flags (minutes on two cores): the binary under test is exactly `CARGO_BIN_EXE_bootstrap`.
//! Needs `cargo-lambda` (`pip install cargo-lambda`) and moto; fails with instructions otherwise.

mod support;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::*;

/// Longest the emulator and the function may live.
const LIFETIME_SECS: &str = "300";

/// A child process under `timeout`, stopped on drop.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = Command::new("kill")
                .args(["-TERM", &self.0.id().to_string()])
                .stderr(Stdio::null())
                .status();
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.0.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

fn cargo_lambda_installed() -> bool {
    Command::new("cargo-lambda")
        .args(["lambda", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Invokes the function through cargo-lambda's Invoke API; returns the proxy response.
fn invoke(port: u16, event: &Value) -> Value {
    let body = event.to_string();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "POST /2015-03-31/functions/_/invocations HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw);
    let (head, payload) = text.split_once("\r\n\r\n").unwrap();
    let payload = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(payload)
    } else {
        payload.to_owned()
    };
    serde_json::from_str(&payload).unwrap_or_else(|e| panic!("{e}: {head}\n{payload}"))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

fn status_of(r: &Value) -> u64 {
    r["statusCode"]
        .as_u64()
        .unwrap_or_else(|| panic!("not a proxy response: {r}"))
}

fn body_of(r: &Value) -> Value {
    serde_json::from_str(r["body"].as_str().unwrap_or("null")).unwrap()
}

fn header<'a>(r: &'a Value, name: &str) -> Option<&'a str> {
    r["headers"][name]
        .as_str()
        .or_else(|| r["multiValueHeaders"][name][0].as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_binary_under_cargo_lambda_watch() {
    assert!(
        cargo_lambda_installed(),
        "cargo-lambda not found on PATH: this test runs the function under `cargo lambda watch`; \
         install it with `pip install cargo-lambda`"
    );
    let moto = Moto::start();
    let env = Env::new(&moto, "watch", None).await;
    let port = free_port();

    let watch = Proc(
        Command::new("timeout")
            .args([
                LIFETIME_SECS,
                "cargo-lambda",
                "lambda",
                "watch",
                "--only-lambda-apis",
            ])
            .args(["-A", "127.0.0.1", "-P", &port.to_string()])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn cargo lambda watch"),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "cargo lambda watch did not listen within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let mut function = Proc(
        Command::new("timeout")
            .arg(LIFETIME_SECS)
            .arg(env!("CARGO_BIN_EXE_bootstrap"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env(
                "AWS_LAMBDA_RUNTIME_API",
                format!("http://127.0.0.1:{port}/.rt"),
            )
            .env("AWS_LAMBDA_FUNCTION_NAME", "_")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
            .env("AWS_REGION", REGION)
            .env("AWS_ENDPOINT_URL", moto.endpoint())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("TABLE_NAME", &env.table)
            .env("AUDIT_BUCKET", &env.bucket)
            .env("AUDIT_KMS_KEY_ARN", &env.kms_arn)
            .env("ENVIRONMENT", "e2e")
            // The most verbose level: even so, no secret may reach the output.
            .env("LOG_LEVEL", "trace")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn bootstrap"),
    );
    let output = Arc::new(Mutex::new(String::new()));
    for pipe in [
        Box::new(function.0.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(function.0.stderr.take().unwrap()),
    ] {
        let output = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                output.lock().unwrap().push_str(&(line + "\n"));
            }
        });
    }

    let json_ct = [("Content-Type", "application/json")];
    let valid = payment("pay_watch_1", 2500).to_string();

    // Valid create, then read back.
    let created = invoke(
        port,
        &event_json("POST", "/payments", &json_ct, Some(&valid)),
    );
    assert_eq!(
        status_of(&created),
        201,
        "{created}\n{}",
        output.lock().unwrap()
    );
    let created_body = body_of(&created);
    assert_eq!(created_body["status"], "ACCEPTED");
    assert_eq!(header(&created, "content-type"), Some("application/json"));
    let read = invoke(
        port,
        &event_json(
            "GET",
            "/payments/pay_watch_1?merchant_id=merchant_1",
            &[],
            None,
        ),
    );
    assert_eq!(status_of(&read), 200);
    assert_eq!(body_of(&read), created_body);

    // Duplicate and conflicting replays.
    let dup = invoke(
        port,
        &event_json("POST", "/payments", &json_ct, Some(&valid)),
    );
    assert_eq!(status_of(&dup), 201);
    assert_eq!(header(&dup, "idempotent-replayed"), Some("true"));
    assert_eq!(body_of(&dup), created_body);
    let conflict = payment("pay_watch_1", 2501).to_string();
    let conflicted = invoke(
        port,
        &event_json("POST", "/payments", &json_ct, Some(&conflict)),
    );
    assert_eq!(status_of(&conflicted), 409);

    // Hostile events.
    let pan =
        json!({"payment_id": "pay_watch_pan", "amount": 1, "currency": "USD", "merchant_id": "m",
        "customer_id": "c", "card_token": "tok_x", "description": "5555 5555 5555 4444"})
        .to_string();
    let wide_pan =
        json!({"payment_id": "pay_watch_wide", "amount": 1, "currency": "USD", "merchant_id": "m",
        "customer_id": "c", "card_token": "tok_x", "description": "４１１１\u{a0}1111.1111 1111"})
        .to_string();
    let huge = "x".repeat(100_000);
    let hostile: Vec<(Value, u64)> = vec![
        (event_json("POST", "/payments", &json_ct, Some(&pan)), 400),
        (
            event_json("POST", "/payments", &json_ct, Some(&wide_pan)),
            400,
        ),
        (event_json("POST", "/payments", &json_ct, Some(&huge)), 413),
        (
            event_json(
                "POST",
                "/payments",
                &[("Content-Type", "text/xml")],
                Some("<a/>"),
            ),
            415,
        ),
        (
            event_json("POST", "/payments", &json_ct, Some("{\"amount\": 1e400}")),
            400,
        ),
        (event_json("GET", "/payments/..%2F..%2Fetc", &[], None), 400),
        (event_json("PUT", "/payments/pay_watch_1", &[], None), 405),
        (event_json("GET", "/nope", &[], None), 404),
    ];
    for (ev, want) in hostile {
        let r = invoke(port, &ev);
        assert_eq!(status_of(&r), want, "{r}");
        let b = body_of(&r);
        assert!(
            b["error"]["code"].is_string() && b["request_id"].is_string(),
            "{b}"
        );
    }

    // A body flagged base64 that is not base64 (API Gateway never sends one) fails inside
    // lambda_http's event conversion, before the handler; the runtime reports the error and
    // the function must go on serving.
    let mut bad64 = event_json("POST", "/payments", &json_ct, Some("!!not base64!!"));
    bad64["isBase64Encoded"] = json!(true);
    let r = invoke(port, &bad64);
    eprintln!("invalid base64 event -> {r}");
    assert!(
        r.get("statusCode").is_none_or(|s| s.as_u64() >= Some(400)),
        "{r}"
    );
    let after = invoke(port, &event_json("GET", "/health", &[], None));
    assert_eq!(
        status_of(&after),
        200,
        "the function survives a malformed event"
    );

    // Concurrent identical requests: exactly one record, one audit object.
    let same = payment("pay_watch_many", 4000).to_string();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let ev = event_json("POST", "/payments", &json_ct, Some(&same));
            tokio::task::spawn_blocking(move || invoke(port, &ev))
        })
        .collect();
    let mut fresh = 0;
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(status_of(&r), 201, "{r}");
        if header(&r, "idempotent-replayed").is_none() {
            fresh += 1;
        }
    }
    assert_eq!(fresh, 1);

    // Health.
    let health = invoke(port, &event_json("GET", "/health", &[], None));
    assert_eq!(
        (status_of(&health), body_of(&health)),
        (200, json!({"status": "ok"}))
    );

    // What landed in the table and the bucket.
    assert_eq!(env.items("pay_watch_1").await.len(), 2);
    assert_eq!(env.items("pay_watch_many").await.len(), 2);
    assert!(env.items("pay_watch_pan").await.is_empty());
    let (keys, versions) = env.audit_objects().await;
    // Two payments, and the health probe's one object.
    let probe = format!("{PREFIX}{}", lambda::audit::PROBE_KEY);
    assert!(keys.contains(&probe), "{keys:?}");
    assert_eq!((keys.len(), versions), (3, 3), "{keys:?}");
    for key in &keys {
        let head = env
            .s3
            .head_object()
            .bucket(&env.bucket)
            .key(key)
            .send()
            .await
            .unwrap();
        assert_eq!(head.ssekms_key_id(), Some(env.kms_arn.as_str()));
    }

    // The function's own output at `LOG_LEVEL=trace`: JSON logs with request ids, EMF
    // metrics, and no token, card number (in any form) or API key.
    std::thread::sleep(Duration::from_millis(300));
    let out = output.lock().unwrap().clone();
    assert!(out.contains("\"_aws\""), "no EMF metrics in output:\n{out}");
    assert!(out.contains("\"PaymentCreated\":1.0"), "{out}");
    assert!(out.contains("\"request_id\""), "{out}");
    assert!(
        !out.contains("SECRETtoken"),
        "card token leaked into the function's output"
    );
    assert!(
        !lambda::pan::contains_pan(&out),
        "card number leaked into the function's output:\n{out}"
    );
    assert!(
        !out.contains(API_KEY),
        "API key leaked into the function's output"
    );
    assert!(out.contains("request finished"), "{out}");
    assert!(!out.contains("panicked at"), "{out}");
    drop(function);
    drop(watch);
}
