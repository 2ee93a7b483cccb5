//! The function's configuration, read only from environment variables and validated once at
//! start-up.
//!
//! Every problem is reported at once (not just the first) so that a misconfigured deployment
//! is fixed in one round. The variable names are a contract with the stack that deploys the
//! function; see the constants below.

use std::fmt;

/// DynamoDB table holding payments (required).
pub const TABLE_NAME: &str = "TABLE_NAME";
/// S3 bucket receiving audit objects (required).
pub const AUDIT_BUCKET: &str = "AUDIT_BUCKET";
/// Key prefix of audit objects (default [`DEFAULT_AUDIT_PREFIX`]).
pub const AUDIT_PREFIX: &str = "AUDIT_PREFIX";
/// ARN of the KMS key that encrypts audit objects (required).
pub const AUDIT_KMS_KEY_ARN: &str = "AUDIT_KMS_KEY_ARN";
/// CloudWatch namespace of the embedded-metric-format metrics (default [`DEFAULT_METRICS_NAMESPACE`]).
pub const METRICS_NAMESPACE: &str = "METRICS_NAMESPACE";
/// Environment suffix, e.g. `dev` (required); a metric dimension and part of every audit record.
pub const ENVIRONMENT: &str = "ENVIRONMENT";
/// Log level: `trace`, `debug`, `info`, `warn` or `error` (default `info`).
pub const LOG_LEVEL: &str = "LOG_LEVEL";
/// Region, provided by the Lambda runtime (required).
pub const AWS_REGION: &str = "AWS_REGION";
/// Host names on which `POST /payments` is refused (comma-separated; optional): the
/// latency-routed host, so that writes reach one region and its idempotency check.
pub const READ_ONLY_HOSTS: &str = "READ_ONLY_HOSTS";

/// Default of [`AUDIT_PREFIX`].
pub const DEFAULT_AUDIT_PREFIX: &str = "audit/";
/// Default of [`METRICS_NAMESPACE`].
pub const DEFAULT_METRICS_NAMESPACE: &str = "Payments";

/// A log level accepted by [`LOG_LEVEL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    /// Everything, including per-call SDK timings of this crate.
    Trace,
    /// Debugging detail.
    Debug,
    /// One line per request outcome.
    Info,
    /// Retries, audit gaps, client errors.
    Warn,
    /// Failures only.
    Error,
}

impl LogLevel {
    /// The matching `tracing` level.
    pub fn as_tracing(self) -> tracing::Level {
        match self {
            Self::Trace => tracing::Level::TRACE,
            Self::Debug => tracing::Level::DEBUG,
            Self::Info => tracing::Level::INFO,
            Self::Warn => tracing::Level::WARN,
            Self::Error => tracing::Level::ERROR,
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "trace" => Self::Trace,
            "debug" => Self::Debug,
            "info" => Self::Info,
            "warn" | "warning" => Self::Warn,
            "error" => Self::Error,
            _ => return None,
        })
    }
}

/// The validated configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// From [`TABLE_NAME`].
    pub table_name: String,
    /// From [`AUDIT_BUCKET`].
    pub audit_bucket: String,
    /// From [`AUDIT_PREFIX`]; ends with `/` (or is empty).
    pub audit_prefix: String,
    /// From [`AUDIT_KMS_KEY_ARN`].
    pub audit_kms_key_arn: String,
    /// From [`METRICS_NAMESPACE`].
    pub metrics_namespace: String,
    /// From [`ENVIRONMENT`].
    pub environment: String,
    /// From [`LOG_LEVEL`].
    pub log_level: LogLevel,
    /// From [`AWS_REGION`].
    pub region: String,
    /// From [`READ_ONLY_HOSTS`], lower case; empty when unset.
    pub read_only_hosts: Vec<String>,
}

/// Every problem found in the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// One line per problem, naming the variable.
    pub problems: Vec<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration: {}", self.problems.join("; "))
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `get`, so tests need not touch the process environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut problems = Vec::new();
        let mut take =
            |name: &str, default: Option<&str>, check: &dyn Fn(&str) -> Option<String>| {
                let value = get(name).filter(|v| !v.is_empty());
                match (value, default) {
                    (Some(v), _) => {
                        if let Some(why) = check(&v) {
                            problems.push(format!("`{name}` {why}, found `{}`", printable(&v)));
                        }
                        v
                    }
                    (None, Some(d)) => d.to_owned(),
                    (None, None) => {
                        problems.push(format!("`{name}` is not set"));
                        String::new()
                    }
                }
            };
        let table_name = take(TABLE_NAME, None, &check_table_name);
        let audit_bucket = take(AUDIT_BUCKET, None, &check_bucket);
        let audit_prefix = take(AUDIT_PREFIX, Some(DEFAULT_AUDIT_PREFIX), &check_prefix);
        let audit_kms_key_arn = take(AUDIT_KMS_KEY_ARN, None, &check_kms_arn);
        let metrics_namespace = take(
            METRICS_NAMESPACE,
            Some(DEFAULT_METRICS_NAMESPACE),
            &check_namespace,
        );
        let environment = take(ENVIRONMENT, None, &check_environment);
        let log_level_raw = take(LOG_LEVEL, Some("info"), &|v| {
            LogLevel::parse(v)
                .is_none()
                .then(|| "must be one of `trace`, `debug`, `info`, `warn`, `error`".to_owned())
        });
        let region = take(AWS_REGION, None, &check_region);
        let read_only_hosts_raw = take(READ_ONLY_HOSTS, Some(""), &check_hosts);
        let read_only_hosts = read_only_hosts_raw
            .split(',')
            .filter(|h| !h.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        if !problems.is_empty() {
            return Err(ConfigError { problems });
        }
        Ok(Self {
            table_name,
            audit_bucket,
            audit_prefix,
            audit_kms_key_arn,
            metrics_namespace,
            environment,
            log_level: LogLevel::parse(&log_level_raw).unwrap_or(LogLevel::Info),
            region,
            read_only_hosts,
        })
    }
}

/// Host names: letters, digits, `-` and `.` separated by commas.
fn check_hosts(v: &str) -> Option<String> {
    let ok = v.split(',').all(|h| {
        !h.is_empty()
            && h.len() <= 253
            && h.split('.')
                .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    });
    (!ok).then(|| "must be comma-separated host names".to_owned())
}

/// Shows a value in an error message, cut short and without control characters.
fn printable(v: &str) -> String {
    let mut out: String = v
        .chars()
        .take(80)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if v.chars().count() > 80 {
        out.push('…');
    }
    out
}

fn check_table_name(v: &str) -> Option<String> {
    let ok = (3..=255).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    (!ok).then(|| "must be 3 to 255 characters of `A-Z a-z 0-9 _ . -`".to_owned())
}

fn check_bucket(v: &str) -> Option<String> {
    let ok = (3..=63).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.".contains(&b))
        && v.as_bytes()[0].is_ascii_alphanumeric()
        && v.as_bytes()[v.len() - 1].is_ascii_alphanumeric();
    (!ok).then(|| "must be a valid S3 bucket name (3 to 63 of `a-z 0-9 - .`)".to_owned())
}

fn check_prefix(v: &str) -> Option<String> {
    let ok = v.len() <= 256
        && v.ends_with('/')
        && !v.starts_with('/')
        && !v.contains("//")
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!-_.*'()/=".contains(&b));
    (!ok).then(|| "must be a relative S3 key prefix ending in `/`".to_owned())
}

fn check_kms_arn(v: &str) -> Option<String> {
    let mut parts = v.splitn(6, ':');
    let ok = parts.next() == Some("arn")
        && parts.next().is_some_and(|p| p.starts_with("aws"))
        && parts.next() == Some("kms")
        && parts.next().is_some_and(|r| !r.is_empty())
        && parts.next().is_some_and(|a| !a.is_empty())
        && parts
            .next()
            .is_some_and(|r| r.starts_with("key/") || r.starts_with("alias/"));
    (!ok).then(|| "must be a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`)".to_owned())
}

fn check_namespace(v: &str) -> Option<String> {
    let ok = v.len() <= 255
        && !v.starts_with("AWS/")
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/#:".contains(&b));
    (!ok).then(|| "must be a custom CloudWatch namespace".to_owned())
}

fn check_environment(v: &str) -> Option<String> {
    let ok = v.len() <= 64
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-".contains(&b));
    (!ok).then(|| "must be 1 to 64 characters of `A-Z a-z 0-9 _ -`".to_owned())
}

fn check_region(v: &str) -> Option<String> {
    let ok = v.len() <= 32
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    (!ok).then(|| "must be a region name such as `us-east-1`".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn valid() -> Vec<(&'static str, &'static str)> {
        vec![
            (TABLE_NAME, "payments-dev"),
            (AUDIT_BUCKET, "payments-audit-dev"),
            (AUDIT_KMS_KEY_ARN, KEY),
            (ENVIRONMENT, "dev"),
            (AWS_REGION, "us-east-1"),
        ]
    }

    #[test]
    fn defaults_apply() {
        let c = env(&valid()).unwrap();
        assert_eq!(c.audit_prefix, "audit/");
        assert_eq!(c.metrics_namespace, "Payments");
        assert_eq!(c.log_level, LogLevel::Info);
        assert_eq!(c.table_name, "payments-dev");
        assert!(c.read_only_hosts.is_empty());
    }

    #[test]
    fn read_only_hosts_are_a_checked_lower_case_list() {
        let mut vars = valid();
        vars.push((READ_ONLY_HOSTS, "API-Latency.example.com,b.example.com"));
        let c = env(&vars).unwrap();
        assert_eq!(
            c.read_only_hosts,
            ["api-latency.example.com", "b.example.com"]
        );
        let mut bad = valid();
        bad.push((READ_ONLY_HOSTS, "a.example.com,,b"));
        let err = env(&bad).unwrap_err();
        assert!(
            err.to_string()
                .contains("`READ_ONLY_HOSTS` must be comma-separated host names"),
            "{err}"
        );
    }

    #[test]
    fn all_missing_are_reported_together() {
        let err = env(&[]).unwrap_err();
        assert_eq!(err.problems.len(), 5, "{err}");
        for name in [
            TABLE_NAME,
            AUDIT_BUCKET,
            AUDIT_KMS_KEY_ARN,
            ENVIRONMENT,
            AWS_REGION,
        ] {
            assert!(
                err.to_string().contains(&format!("`{name}` is not set")),
                "{err}"
            );
        }
    }

    #[test]
    fn invalid_values_are_named() {
        let cases: &[(&str, &str)] = &[
            (TABLE_NAME, "a"),
            (TABLE_NAME, "bad name"),
            (AUDIT_BUCKET, "Upper"),
            (AUDIT_BUCKET, "-x-"),
            (AUDIT_PREFIX, "/abs/"),
            (AUDIT_PREFIX, "no-slash"),
            (AUDIT_PREFIX, "a//b/"),
            (AUDIT_KMS_KEY_ARN, "alias/foo"),
            (AUDIT_KMS_KEY_ARN, "arn:aws:s3:::bucket"),
            (METRICS_NAMESPACE, "AWS/Lambda"),
            (ENVIRONMENT, "dev env"),
            (LOG_LEVEL, "verbose"),
            (AWS_REGION, "US-EAST-1"),
        ];
        for (name, value) in cases {
            let mut vars = valid();
            vars.retain(|(k, _)| k != name);
            vars.push((name, value));
            let err = env(&vars).expect_err(&format!("{name}={value} accepted"));
            assert_eq!(err.problems.len(), 1, "{err}");
            assert!(err.problems[0].starts_with(&format!("`{name}`")), "{err}");
        }
    }

    #[test]
    fn log_level_and_prefix_overrides() {
        let mut vars = valid();
        vars.push((LOG_LEVEL, "DEBUG"));
        vars.push((AUDIT_PREFIX, "payments/audit/"));
        let c = env(&vars).unwrap();
        assert_eq!(c.log_level, LogLevel::Debug);
        assert_eq!(c.audit_prefix, "payments/audit/");
    }
}
