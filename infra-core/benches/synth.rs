//! Synthesis benchmark: builds generated stacks of 100, 1,000 and 10,000 resources, synthesizes
//! and renders them, and reports the median time and the peak heap of each size.
//!
//! The targets: 10,000 resources in under 1 s, scaling linearly. Each stack is made of
//! pairs of regional cells, one per provider (`UsEast1` as `primary`, `UsWest2` as
//! `secondary`), 20 resources a pair: a KMS key with a key policy, its alias, an SNS topic
//! encrypted with the key, a log group encrypted with the key, an S3 bucket with its SSE-KMS
//! configuration and public access block, a DynamoDB table (GSI, stream, point-in-time
//! recovery, SSE with the key, a replica in the other region encrypted with the other region's
//! key), an IAM role and its inline policy granting typed actions on the table, index, stream,
//! objects, key, topic and log streams. So references, policy documents and nested blocks are
//! all exercised.
//!
//! One measured run is build (`Stack::new` and every `add`) + `Stack::synth` +
//! `Document::to_json_string`, everything dropped at the end. Time is the median of
//! [`RUNS`] runs after a warm-up; peak heap is the most bytes live at once during a run, above
//! what was live before it, counted by a global allocator wrapping `std::alloc::System`
//! (`peak_alloc`, a dev-dependency: writing one here needs `unsafe impl GlobalAlloc`, which the
//! workspace's `unsafe_code = "forbid"` refuses). Before any timing, each size is checked to
//! synthesize to exactly N resources and to byte-stable output.
//!
//! `cargo bench -p infra-core --bench synth` runs the full measurement;
//! `cargo bench -p infra-core --bench synth -- 10000` measures only the sizes given (for
//! profiling). Run without `--bench` (as `cargo test --benches` does) it makes one unmeasured
//! pass over the smallest size, so the bench cannot rot unnoticed.

use std::hint::black_box;
use std::time::{Duration, Instant};

use infra_core::aws::dynamodb::{
    self, Attribute, AttributeType, BillingMode, Projection, Replica, ServerSideEncryption,
    StreamViewType, TableOpts, Ttl,
    table::{GlobalSecondaryIndex, PointInTimeRecovery},
};
use infra_core::aws::{cloudwatch, iam, kms, s3, sns};
use infra_core::policy::{KeyPolicy, PolicyDocument, Principal, Statement, service};
use infra_core::{Arn, Aws, Document, OtherRegion, Ref, Region, Stack, Text, UsEast1, UsWest2};
use peak_alloc::PeakAlloc;

/// Counts live and peak heap bytes (two relaxed atomics per allocation).
#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// The stack sizes measured, in resources.
const SIZES: [usize; 3] = [100, 1_000, 10_000];
/// Measured runs per size (the median is reported).
const RUNS: usize = 7;
/// Unmeasured runs per size before the measured ones.
const WARM_UP: usize = 1;
/// Resources in one pair of regional cells (10 per provider).
const PER_PAIR: usize = 20;
/// The size the time target is for.
const TARGET_SIZE: usize = 10_000;
/// The time target for [`TARGET_SIZE`] resources.
const TARGET_TIME: Duration = Duration::from_secs(1);
/// Largest accepted growth of the per-resource time from the smallest to the largest size.
/// Linear scaling keeps it near 1; a quadratic step would make it about 100.
const LINEAR_TOLERANCE: f64 = 1.5;

/// The account the generated policies name.
const ACCOUNT: &str = "123456789012";

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    if !full {
        smoke();
        return;
    }

    println!(
        "synth bench: {RUNS} runs per size after {WARM_UP} warm-up, build + synth + render, {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!();
    let results: Vec<Measured> = sizes().into_iter().map(measure).collect();

    println!("| N | median ms | min ms | ms per 1,000 resources | peak MiB | output bytes |");
    println!("| -: | -: | -: | -: | -: | -: |");
    for m in &results {
        println!(
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {} |",
            m.n,
            ms(m.total),
            ms(m.min),
            m.ms_per_1000(),
            mib(m.peak_bytes),
            m.output_bytes,
        );
    }

    println!();
    println!(
        "phases (median ms) and the heap live after each (MiB, cumulative: stack, + document, + JSON):"
    );
    println!();
    println!(
        "| N | build ms | synth ms | render ms | live MiB after build | after synth | after render |"
    );
    println!("| -: | -: | -: | -: | -: | -: | -: |");
    for m in &results {
        println!(
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            m.n,
            ms(m.build),
            ms(m.synth),
            ms(m.render),
            mib(m.live_after_build),
            mib(m.live_after_synth),
            mib(m.live_after_render),
        );
    }

    println!();
    println!("scaling (per-resource ratio to the previous size; 1.00 is linear):");
    for pair in results.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        println!(
            "  {:>6} -> {:>6}: time x{:.2}, peak heap x{:.2}, output bytes x{:.2}",
            a.n,
            b.n,
            b.ms_per_1000() / a.ms_per_1000(),
            b.peak_per_resource() / a.peak_per_resource(),
            b.bytes_per_resource() / a.bytes_per_resource(),
        );
    }

    println!();
    if let Some(big) = results.iter().find(|m| m.n == TARGET_SIZE) {
        println!(
            "target: {TARGET_SIZE} resources in under {} ms: {} ({:.2} ms)",
            TARGET_TIME.as_millis(),
            verdict(big.total < TARGET_TIME),
            ms(big.total),
        );
    }
    if let [first, .., last] = results.as_slice() {
        let growth = last.ms_per_1000() / first.ms_per_1000();
        println!(
            "target: linear scaling, per-resource time {} -> {} within x{LINEAR_TOLERANCE}: {} (x{growth:.2})",
            first.n,
            last.n,
            verdict(growth <= LINEAR_TOLERANCE),
        );
    }
}

/// The sizes to measure: [`SIZES`], or the numbers given after `--` (multiples of [`PER_PAIR`]),
/// for profiling one size alone: `cargo bench -p infra-core --bench synth -- 10000`.
fn sizes() -> Vec<usize> {
    let picked: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if picked.is_empty() {
        SIZES.to_vec()
    } else {
        picked
    }
}

/// `--unchecked`: synthesize with `Stack::synth_unchecked`, without the rules, to measure
/// what the rules at synth cost (the difference in the synth column).
fn unchecked() -> bool {
    std::env::args().any(|a| a == "--unchecked")
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The medians and peak of one size.
struct Measured {
    n: usize,
    total: Duration,
    min: Duration,
    build: Duration,
    synth: Duration,
    render: Duration,
    peak_bytes: usize,
    live_after_build: usize,
    live_after_synth: usize,
    live_after_render: usize,
    output_bytes: usize,
}

impl Measured {
    fn ms_per_1000(&self) -> f64 {
        ms(self.total) * 1_000.0 / self.n as f64
    }
    fn peak_per_resource(&self) -> f64 {
        self.peak_bytes as f64 / self.n as f64
    }
    fn bytes_per_resource(&self) -> f64 {
        self.output_bytes as f64 / self.n as f64
    }
}

/// The phases of one run, and the heap above the run's starting point.
struct Run {
    build: Duration,
    synth: Duration,
    render: Duration,
    peak_bytes: usize,
    live_after_build: usize,
    live_after_synth: usize,
    live_after_render: usize,
    output_bytes: usize,
}

impl Run {
    fn total(&self) -> Duration {
        self.build + self.synth + self.render
    }
}

/// One build + synth + render of a stack of `n` resources; all of it is dropped before returning.
fn run(n: usize) -> Run {
    ALLOC.reset_peak_usage();
    let base = ALLOC.current_usage();

    let live = || ALLOC.current_usage().saturating_sub(base);

    let t0 = Instant::now();
    let stack = generate(n);
    let t1 = Instant::now();
    let live_after_build = live();
    let unchecked = unchecked();
    let t2 = Instant::now();
    let doc = if unchecked {
        stack.synth_unchecked()
    } else {
        stack.synth()
    }
    .expect("the generated stack is valid");
    let t3 = Instant::now();
    let live_after_synth = live();
    let t4 = Instant::now();
    let json = doc.to_json_string();
    let t5 = Instant::now();
    let live_after_render = live();

    let peak_bytes = ALLOC.peak_usage().saturating_sub(base);
    let output_bytes = black_box(&json).len();
    drop(black_box(json));
    drop(black_box(doc));
    drop(black_box(stack));
    Run {
        build: t1 - t0,
        synth: t3 - t2,
        render: t5 - t4,
        peak_bytes,
        live_after_build,
        live_after_synth,
        live_after_render,
        output_bytes,
    }
}

fn measure(n: usize) -> Measured {
    check(n);
    for _ in 0..WARM_UP {
        run(n);
    }
    let runs: Vec<Run> = (0..RUNS).map(|_| run(n)).collect();
    let median = |f: fn(&Run) -> Duration| {
        let mut v: Vec<Duration> = runs.iter().map(f).collect();
        v.sort();
        v[v.len() / 2]
    };
    let max = |f: fn(&Run) -> usize| runs.iter().map(f).max().unwrap_or(0);
    Measured {
        n,
        total: median(Run::total),
        min: runs.iter().map(Run::total).min().unwrap_or_default(),
        build: median(|r| r.build),
        synth: median(|r| r.synth),
        render: median(|r| r.render),
        peak_bytes: max(|r| r.peak_bytes),
        live_after_build: max(|r| r.live_after_build),
        live_after_synth: max(|r| r.live_after_synth),
        live_after_render: max(|r| r.live_after_render),
        output_bytes: runs[0].output_bytes,
    }
}

/// Outside the timing: the stack of size `n` synthesizes to exactly `n` resources, and twice
/// to the same bytes.
fn check(n: usize) {
    let doc = generate(n).synth().expect("the generated stack is valid");
    let count = resource_count(&doc);
    assert_eq!(
        count, n,
        "the generated stack has {count} resources, not {n}"
    );
    let again = generate(n).synth().expect("the generated stack is valid");
    assert_eq!(
        doc.to_json_string(),
        again.to_json_string(),
        "output is not byte-stable"
    );
}

fn resource_count(doc: &Document) -> usize {
    doc.value()["resource"].as_object().map_or(0, |types| {
        types
            .values()
            .filter_map(|v| v.as_object())
            .map(|m| m.len())
            .sum()
    })
}

/// Without `--bench`: one unmeasured pass over the smallest size.
fn smoke() {
    let n = SIZES[0];
    check(n);
    let r = run(n);
    println!(
        "synth bench smoke run: {n} resources, {:.2} ms, {} output bytes (run with `cargo bench` to measure)",
        ms(r.total()),
        r.output_bytes
    );
}

/// A stack of `n` resources (`n` a multiple of [`PER_PAIR`]) over two providers.
fn generate(n: usize) -> Stack {
    assert!(
        n.is_multiple_of(PER_PAIR),
        "sizes are multiples of {PER_PAIR}"
    );
    let stack = Stack::new();
    stack.default_tags([("team", "payments"), ("environment", "bench")]);
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    for i in 0..n / PER_PAIR {
        let east_key = key(&east, i);
        let west_key = key(&west, i);
        cell(&east, i, &east_key, west_key.arn());
        cell(&west, i, &west_key, east_key.arn());
    }
    stack
}

/// A KMS key whose policy delegates to the account and lets the regional services use it.
fn key<R: Region>(aws: &Aws<R>, i: usize) -> Ref<kms::Key<R>> {
    let policy = KeyPolicy::new()
        .statement(
            Statement::on_this_key([kms::AllKeyActions])
                .sid("AccountRoot")
                .principal(Principal::account_root(ACCOUNT)),
        )
        .statement(
            Statement::on_this_key([kms::Encrypt, kms::Decrypt, kms::GenerateDataKey])
                .sid("Services")
                .principal(Principal::service(service::Sns))
                .principal(Principal::service(service::Logs(R::default()))),
        );
    aws.add(
        &format!("key_{i}"),
        kms::Key {
            description: Some(format!("bench cell {i}").into()),
            enable_key_rotation: Some(true),
            deletion_window_in_days: Some(30),
            policy: Some(policy),
            tags: tags(i),
            ..Default::default()
        },
    )
}

/// The nine other resources of one regional cell: everything encrypted with `key`, the table
/// replicated into the other region with that region's key.
fn cell<R: Region, O: OtherRegion<R>>(
    aws: &Aws<R>,
    i: usize,
    key: &Ref<kms::Key<R>>,
    other_key: Arn<kms::Key<O>>,
) {
    let prefix = format!("bench-{}-{i}", aws.alias());

    aws.add(
        &format!("key_alias_{i}"),
        kms::Alias {
            name: format!("alias/{prefix}").into(),
            target_key_id: key.key_id(),
            opts: Default::default(),
        },
    );

    let topic = aws.add(
        &format!("alarms_{i}"),
        sns::Topic {
            name: Some(format!("{prefix}-alarms").into()),
            kms_master_key_id: Some(key.key_id()),
            ..Default::default()
        },
    );

    let logs = aws.add(
        &format!("logs_{i}"),
        cloudwatch::LogGroup {
            name: Some(format!("/bench/{prefix}").into()),
            retention_in_days: Some(90),
            kms_key_id: Some(key.arn()),
            tags: tags(i),
            ..Default::default()
        },
    );

    let bucket = aws.add(
        &format!("data_{i}"),
        s3::Bucket {
            bucket: Some(format!("{prefix}-data").into()),
            tags: tags(i),
            ..Default::default()
        },
    );
    aws.add(
        &format!("data_sse_{i}"),
        s3::ServerSideEncryptionConfiguration {
            bucket: bucket.id(),
            rule: vec![s3::SseRule::kms(key.arn())],
            opts: Default::default(),
        },
    );
    aws.add(
        &format!("data_public_access_{i}"),
        s3::PublicAccessBlock::all(bucket.id()),
    );

    let table = aws.add(
        &format!("items_{i}"),
        dynamodb::Table {
            name: format!("{prefix}-items").into(),
            hash_key: "pk".into(),
            attribute: vec![
                Attribute::new("pk", AttributeType::S),
                Attribute::new("sk", AttributeType::S),
                Attribute::new("status", AttributeType::S),
            ],
            opts: TableOpts {
                range_key: Some("sk".into()),
                billing_mode: Some(BillingMode::PayPerRequest),
                stream_enabled: Some(true),
                stream_view_type: Some(StreamViewType::NewAndOldImages),
                deletion_protection_enabled: Some(true),
                global_secondary_index: vec![GlobalSecondaryIndex {
                    range_key: Some("sk".into()),
                    non_key_attributes: vec!["amount".into(), "currency".into()],
                    ..GlobalSecondaryIndex::new("by-status", "status", Projection::Include)
                }],
                point_in_time_recovery: Some(PointInTimeRecovery {
                    enabled: true,
                    recovery_period_in_days: None,
                }),
                server_side_encryption: Some(ServerSideEncryption::kms(key.arn())),
                replica: vec![Replica::in_region(other_key).point_in_time_recovery()],
                ttl: Some(Ttl {
                    attribute_name: Some("expires_at".into()),
                    enabled: Some(true),
                }),
                tags: tags(i),
                ..Default::default()
            },
        },
    );

    let role = aws.add(
        &format!("worker_{i}"),
        iam::Role {
            assume_role_policy: PolicyDocument::trust(service::Lambda),
            opts: iam::RoleOpts {
                name: Some(format!("{prefix}-worker").into()),
                description: Some("reads and writes the cell's items".into()),
                tags: tags(i),
                ..Default::default()
            },
        },
    );
    aws.add(
        &format!("worker_policy_{i}"),
        iam::RolePolicy {
            role: role.id(),
            name: "cell-access".into(),
            policy: PolicyDocument::new()
                .allow(
                    [dynamodb::GetItem, dynamodb::PutItem, dynamodb::UpdateItem],
                    table.arn(),
                )
                .allow(
                    [dynamodb::Query],
                    (table.arn(), table.index_arn("by-status")),
                )
                .allow(
                    [dynamodb::GetRecords, dynamodb::GetShardIterator],
                    table.stream_arn(),
                )
                .allow([s3::GetObject, s3::PutObject], bucket.objects("items/*"))
                .allow([s3::ListBucket], bucket.arn())
                .allow([kms::Decrypt, kms::GenerateDataKey], key.arn())
                .allow([sns::Publish], topic.arn())
                .allow(
                    [cloudwatch::CreateLogStream, cloudwatch::PutLogEvents],
                    logs.streams_arn(),
                ),
            opts: Default::default(),
        },
    );
}

fn tags(i: usize) -> std::collections::BTreeMap<String, Text> {
    [
        ("cell".to_owned(), Text::from(i.to_string())),
        ("cost-center".to_owned(), Text::from("cc-4711")),
    ]
    .into_iter()
    .collect()
}
