//! The `bootstrap` binary for the `provided.al2023` runtime.
//!
//! Start-up reads and validates the configuration (exiting with a clear message when it is
//! wrong), installs JSON logging and the panic hook, builds the SDK clients once, then serves
//! invocations (API Gateway events, and the scheduled reconcile event). `bootstrap reconcile
//! [GRACE_SECONDS] [PAGE_SIZE]` runs one reconciliation pass from the command line instead.
// The SDK's deeply nested futures exceed the default query depth when rustc computes the layout
// of the top-level future at `opt-level = "s"`; the compiler's own suggested remedy.
#![recursion_limit = "256"]

use lambda::audit::AuditWriter;
use lambda::aws::{self, ClientSettings};
use lambda::config::Config;
use lambda::handler::App;
use lambda::metrics::{Metrics, MetricsSink};
use lambda::store::PaymentStore;
use lambda_http::{LambdaEvent, service_fn};
use serde_json::Value;
use std::convert::Infallible;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("bootstrap: {e}");
            return ExitCode::from(2);
        }
    };
    lambda::logging::init(config.log_level);
    lambda::logging::install_panic_hook();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("bootstrap: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    runtime.block_on(async move {
        let app = build_app(&config).await;
        match args.first().map(String::as_str) {
            None => serve(app).await,
            Some("reconcile") => reconcile(app, &args[1..]).await,
            Some(other) => {
                eprintln!("bootstrap: unknown command `{other}`, expected `reconcile` or nothing");
                ExitCode::from(2)
            }
        }
    })
}

async fn build_app(config: &Config) -> App {
    let sdk = aws::load_sdk_config(&config.region, &ClientSettings::default()).await;
    let store = PaymentStore::new(aws::dynamodb_client(&sdk), &config.table_name);
    let audit = AuditWriter::new(
        aws::s3_client(&sdk),
        &config.audit_bucket,
        &config.audit_prefix,
        &config.audit_kms_key_arn,
        &config.environment,
    );
    let metrics = Metrics::new(
        &config.metrics_namespace,
        &config.environment,
        MetricsSink::Stdout,
    );
    App::new(store, audit, metrics).read_only_on(config.read_only_hosts.clone())
}

async fn serve(app: App) -> ExitCode {
    tracing::info!("ready");
    // The raw event is taken as JSON and converted by the app itself, so that even an event
    // `lambda_http` cannot convert gets a JSON response rather than a runtime error.
    let handler = service_fn(move |event: LambdaEvent<Value>| {
        let app = app.clone();
        async move { Ok::<_, Infallible>(app.handle_event(&event.payload, event.context).await) }
    });
    match lambda_http::lambda_runtime::run(handler).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "runtime loop ended");
            ExitCode::from(1)
        }
    }
}

async fn reconcile(app: App, args: &[String]) -> ExitCode {
    let defaults = lambda::reconcile::Options::default();
    let options = lambda::reconcile::Options {
        grace: args
            .first()
            .and_then(|s| s.parse().ok())
            .map_or(defaults.grace, Duration::from_secs),
        page_size: args
            .get(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(defaults.page_size),
        ..defaults
    };
    let budget = lambda::deadline::Budget::after(Duration::from_secs(15 * 60));
    match lambda::reconcile::reconcile(&app, &options, &budget).await {
        Ok(report) => {
            println!("{}", serde_json::to_string(&report).unwrap_or_default());
            if report.still_pending == 0 && report.failed == 0 && report.complete {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "reconciliation failed");
            ExitCode::from(1)
        }
    }
}
