//! Structured JSON logs (one object per line on stdout) and the panic hook.
//!
//! This crate logs at `LOG_LEVEL`; every dependency is capped at `warn` whatever `LOG_LEVEL`
//! says, because the SDK's and the runtime's debug/trace output can contain request bodies
//! (and so card tokens). Fields logged by this crate are ids, amounts, codes and timings only.

use crate::config::LogLevel;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Installs the global JSON subscriber on stdout. Safe to call more than once (later calls do
/// nothing).
pub fn init(level: LogLevel) {
    init_with_writer(level, std::io::stdout);
}

/// As [`init`], writing to `writer` (tests capture the logs this way).
pub fn init_with_writer<W>(level: LogLevel, writer: W)
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let ours = LevelFilter::from_level(level.as_tracing());
    let filter = Targets::new()
        .with_target("lambda", ours)
        .with_target("bootstrap", ours)
        .with_default(LevelFilter::WARN.min(ours));
    let fmt = tracing_subscriber::fmt::layer()
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .with_target(false)
        .with_ansi(false)
        .with_writer(writer);
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .try_init();
}

/// Logs panics as one structured line: the location and, when it is a string literal, the
/// message. Formatted panic messages are not logged because they could carry request data.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown".into());
        let message = info
            .payload()
            .downcast_ref::<&'static str>()
            .copied()
            .unwrap_or("<formatted>");
        tracing::error!(location = %location, panic = message, "panic");
    }));
}
