//! Structured JSON logs (one object per line on stdout), the panic hook, and the two guards
//! that keep secrets out of the logs whatever `LOG_LEVEL` says:
//!
//! - **a precise filter** ([`enabled`]): this crate's targets (`lambda`, `lambda::…`,
//!   `bootstrap`, `bootstrap::…`) log at `LOG_LEVEL`; every other target, `lambda_runtime` and
//!   `lambda_http` included (a prefix match on `lambda` used to let them through), is capped at
//!   `warn`, because the runtime's trace output holds the raw event (bodies, the `x-api-key`
//!   header) and the SDK's holds request bodies (card tokens);
//! - **redaction at the output boundary** ([`redact`]): every formatted line is scanned before
//!   it is written, and card numbers (any form [`crate::pan`] recognises), card tokens and the
//!   values of credential headers are masked. Fields logged by this crate are ids, amounts,
//!   codes and timings only; redaction is the net under that rule.

use crate::config::LogLevel;
use std::borrow::Cow;
use std::io::Write;
use tracing::{Level, Metadata};
use tracing_subscriber::filter::{FilterFn, LevelFilter};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// What replaces a card number.
pub const PAN_MASK: &str = "[card number]";
/// What replaces a secret value.
pub const SECRET_MASK: &str = "[redacted]";
/// Names whose values are credentials, matched case-insensitively (`x-api-key` headers, API
/// Gateway's `identity.apiKey`, `Authorization`, cookies, session tokens).
pub const SECRET_NAMES: &[&str] = &[
    "x-api-key",
    "apikey",
    "api_key",
    "authorization",
    "cookie",
    "x-amz-security-token",
];

/// Installs the global JSON subscriber on stdout. Safe to call more than once (later calls do
/// nothing).
pub fn init(level: LogLevel) {
    init_with_writer(level, std::io::stdout);
}

/// True when this crate's own code emitted at `target` (the library is `lambda`, the binary
/// `bootstrap`): an exact match or a module path below it, never a mere prefix.
pub fn is_own_target(target: &str) -> bool {
    ["lambda", "bootstrap"].iter().any(|own| {
        target
            .strip_prefix(own)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
    })
}

/// Whether a span or event at `target` and `level` is logged under `LOG_LEVEL = ours`.
pub fn enabled(target: &str, level: &Level, ours: LevelFilter) -> bool {
    let limit = if is_own_target(target) {
        ours
    } else {
        LevelFilter::WARN.min(ours)
    };
    limit >= *level
}

/// As [`init`], writing to `writer` (tests capture the logs this way). Every line goes
/// through [`redact`].
pub fn init_with_writer<W>(level: LogLevel, writer: W)
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let ours = LevelFilter::from_level(level.as_tracing());
    let filter =
        FilterFn::new(move |meta: &Metadata<'_>| enabled(meta.target(), meta.level(), ours))
            .with_max_level_hint(ours);
    let fmt = tracing_subscriber::fmt::layer()
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .with_target(false)
        .with_ansi(false)
        .with_writer(Redacting(writer));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .try_init();
}

/// A [`MakeWriter`] whose writers buffer one formatted event and write it redacted.
struct Redacting<W>(W);

impl<'a, W: MakeWriter<'a>> MakeWriter<'a> for Redacting<W> {
    type Writer = RedactingWriter<W::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter {
            inner: self.0.make_writer(),
            buffer: Vec::new(),
        }
    }
}

/// Buffers what the formatter writes and passes it on, redacted, when dropped (the formatter
/// makes one writer per event).
struct RedactingWriter<W: Write> {
    inner: W,
    buffer: Vec<u8>,
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.buffer);
        // Losing a log line must never fail a payment.
        let _ = self.inner.write_all(redact(&text).as_bytes());
        let _ = self.inner.flush();
    }
}

/// `line` with card numbers, card tokens and credential values masked. Unchanged (borrowed)
/// when there is nothing to mask.
///
/// ```
/// use lambda::logging::redact;
/// let line = r#"{"body":"card 4111 1111 1111 1111","headers":{"x-api-key":"k3y"},"t":"tok_abcdefgh1234"}"#;
/// assert_eq!(
///     redact(line),
///     r#"{"body":"card [card number]","headers":{"x-api-key":"[redacted]"},"t":"tok_[redacted]"}"#
/// );
/// ```
pub fn redact(line: &str) -> Cow<'_, str> {
    let mut masks: Vec<(usize, usize, &str)> = crate::pan::find_pans(line)
        .into_iter()
        .map(|r| (r.start, r.end, PAN_MASK))
        .collect();
    masks.extend(token_ranges(line).map(|(s, e)| (s, e, SECRET_MASK)));
    masks.extend(secret_value_ranges(line).map(|(s, e)| (s, e, SECRET_MASK)));
    if masks.is_empty() {
        return Cow::Borrowed(line);
    }
    masks.sort_unstable();
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    for (start, end, mask) in masks {
        if end <= at {
            continue; // inside a range already masked
        }
        if start >= at {
            out.push_str(&line[at..start]);
            out.push_str(mask);
        }
        at = end;
    }
    out.push_str(&line[at..]);
    Cow::Owned(out)
}

/// The alphanumeric part of every `tok_…` card token (at least 8 characters after `tok_`).
fn token_ranges(line: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    line.match_indices("tok_").filter_map(|(i, p)| {
        let start = i + p.len();
        let len = line[start..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        (len >= 8).then_some((start, start + len))
    })
}

/// The value after every credential name of [`SECRET_NAMES`] that is assigned one: past up to
/// eight quote, escape, colon, equals, bracket or space characters (a colon or an equals sign
/// among them), up to the next quote, backslash, comma, space, bracket or brace.
fn secret_value_ranges(line: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let lower = line.to_ascii_lowercase();
    let mut found = Vec::new();
    for name in SECRET_NAMES {
        for (i, _) in lower.match_indices(name) {
            let bytes = line.as_bytes();
            let mut start = i + name.len();
            let mut skipped = 0;
            let mut assigned = false;
            while start < bytes.len()
                && skipped < 8
                && matches!(bytes[start], b'"' | b'\\' | b':' | b'=' | b'[' | b' ')
            {
                assigned |= matches!(bytes[start], b':' | b'=');
                start += 1;
                skipped += 1;
            }
            let len = bytes[start..]
                .iter()
                .take_while(|b| !matches!(b, b'"' | b'\\' | b',' | b' ' | b']' | b'}' | b'\n'))
                .count();
            if len > 0 && assigned {
                found.push((start, start + len));
            }
        }
    }
    found.into_iter()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_crates_targets_follow_log_level() {
        let trace = LevelFilter::TRACE;
        for own in ["lambda", "lambda::handler", "bootstrap", "bootstrap::x"] {
            assert!(enabled(own, &Level::TRACE, trace), "{own}");
        }
        for dependency in [
            "lambda_runtime",
            "lambda_runtime::layers::api_response",
            "lambda_http",
            "lambda_runtime_api_client",
            "lambdas",
            "aws_smithy_runtime::client::orchestrator",
            "hyper",
        ] {
            assert!(!enabled(dependency, &Level::TRACE, trace), "{dependency}");
            assert!(!enabled(dependency, &Level::DEBUG, trace), "{dependency}");
            assert!(!enabled(dependency, &Level::INFO, trace), "{dependency}");
            assert!(enabled(dependency, &Level::WARN, trace), "{dependency}");
        }
        assert!(!enabled("lambda", &Level::DEBUG, LevelFilter::INFO));
        assert!(!enabled("hyper", &Level::WARN, LevelFilter::ERROR));
    }

    #[test]
    fn redaction_table() {
        let cases: &[(&str, &str)] = &[
            ("nothing secret 12345", "nothing secret 12345"),
            ("pan 4111111111111111.", "pan [card number]."),
            (
                "wide ４１１１１１１１１１１１１１１１ x",
                "wide [card number] x",
            ),
            (
                "tok_SECRETtoken1234 and tok_…1234",
                "tok_[redacted] and tok_…1234",
            ),
            (r#""x-api-key":"abcDEF123""#, r#""x-api-key":"[redacted]""#),
            (r#""X-Api-Key": ["abc"]"#, r#""X-Api-Key": ["[redacted]"]"#),
            (r#"\"apiKey\":\"k-1\""#, r#"\"apiKey\":\"[redacted]\""#),
            ("authorization=Bearer", "authorization=[redacted]"),
            ("an apikey mention", "an apikey mention"),
        ];
        for (line, want) in cases {
            assert_eq!(redact(line), *want, "{line}");
        }
        assert!(matches!(redact("plain"), Cow::Borrowed(_)));
    }
}
