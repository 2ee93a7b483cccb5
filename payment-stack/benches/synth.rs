//! Synthesis speed and memory of the payment stack (a bench binary, run by `cargo bench`).
//!
//! Two measurements: in-process (`build` + `synth` + render, median of many runs, peak heap
//! from a counting allocator), and the release binary as users run it (median wall time of
//! whole runs including process start and the atomic write, peak resident memory from
//! `/usr/bin/time` when the machine has it).

use std::process::Command;
use std::time::{Duration, Instant};

use payment_stack::{Config, build};
use peak_alloc::PeakAlloc;

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let cfg = Config::new("dev", "payments.example.com").expect("valid config");

    // Warm up, then measure in-process synthesis.
    let bytes = build(&cfg).synth().expect("synth").to_json_string().len();
    let mut samples = Vec::new();
    ALLOC.reset_peak_usage();
    let before = ALLOC.current_usage();
    for _ in 0..51 {
        let start = Instant::now();
        let json = build(&cfg).synth().expect("synth").to_json_string();
        samples.push(start.elapsed());
        std::hint::black_box(json);
    }
    let peak_heap = ALLOC.peak_usage().saturating_sub(before);
    let in_process = median(samples);

    // The binary, as `cargo run -p payment-stack` runs it.
    let exe = env!("CARGO_BIN_EXE_payment-stack");
    let out = std::env::temp_dir().join(format!("payment-bench-{}", std::process::id()));
    let mut runs = Vec::new();
    for _ in 0..21 {
        let start = Instant::now();
        let status = Command::new(exe)
            .args(["--out".as_ref(), out.as_os_str()])
            .stderr(std::process::Stdio::null())
            .status()
            .expect("the binary runs");
        runs.push(start.elapsed());
        assert!(status.success());
    }
    let binary = median(runs);
    let rss = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(exe)
        .args(["--out".as_ref(), out.as_os_str()])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stderr).into_owned();
            text.lines().last()?.trim().parse::<u64>().ok()
        });
    let _ = std::fs::remove_dir_all(&out);

    println!("payment stack synthesis ({bytes} bytes of JSON)");
    println!(
        "  in-process build+synth+render, median of 51: {:.2} ms",
        in_process.as_secs_f64() * 1e3
    );
    println!(
        "  in-process peak heap:                        {:.2} MiB",
        peak_heap as f64 / 1048576.0
    );
    println!(
        "  binary wall time, median of 21 runs:         {:.2} ms",
        binary.as_secs_f64() * 1e3
    );
    match rss {
        Some(kib) => println!(
            "  binary peak resident memory:                 {:.2} MiB",
            kib as f64 / 1024.0
        ),
        None => println!("  binary peak resident memory:                 (no /usr/bin/time here)"),
    }
}
