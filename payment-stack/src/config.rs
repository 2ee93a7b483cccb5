//! The stack's inputs: the environment suffix (validated), the naming rule and the tags.

use std::collections::BTreeMap;

use thiserror::Error;

/// The longest suffix that keeps every bucket name within S3's 63 characters
/// (`payment-{suffix}-audit-replica-{12-digit account}-{region}` is the longest name).
pub const MAX_SUFFIX_LEN: usize = 12;

/// Why an input was refused. Nothing is written when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// The environment suffix breaks the naming rule.
    #[error(
        "invalid environment suffix `{0}`: expected 1 to {MAX_SUFFIX_LEN} lowercase letters or digits, starting with a letter (it becomes part of S3 bucket names)"
    )]
    Suffix(String),
    /// The alarm address is not an email address.
    #[error("invalid alarm email `{0}`: expected an address such as `oncall@example.com`")]
    Email(String),
    /// The CORS origin is not an `https://` origin.
    #[error("invalid CORS origin `{0}`: expected `https://host` (one origin, no path, no `*`)")]
    CorsOrigin(String),
    /// A domain name is not a DNS name.
    #[error("invalid domain `{0}`: expected a lowercase DNS name such as `payments.example.com`")]
    Domain(String),
}

/// How an environment may be torn down.
///
/// | | production (the default) | non-production |
/// |---|---|---|
/// | payments table | `prevent_destroy`, deletion protection (table and replica) | neither: `terraform destroy` removes it |
/// | buckets (audit, access logs, both regions) | kept by `terraform destroy` while they hold objects | `force_destroy`: emptied and removed |
///
/// Everything else (encryption, logging, alarms, least privilege) is the same in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EnvironmentKind {
    /// Data is protected from `terraform destroy`; teardown is a deliberate, manual act.
    #[default]
    Production,
    /// Disposable: `terraform destroy` removes everything, data included, with no manual step.
    NonProduction,
}

/// Validated configuration of one deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    suffix: String,
    kind: EnvironmentKind,
    domain: String,
    lambda_zip: String,
    alarm_email: Option<String>,
    cors_origin: String,
}

impl Config {
    /// Validates the inputs.
    ///
    /// ```
    /// use payment_stack::Config;
    /// assert!(Config::new("dev", "payments.example.com").is_ok());
    /// assert!(Config::new("Dev", "payments.example.com").is_err());
    /// ```
    pub fn new(suffix: &str, domain: &str) -> Result<Self, ConfigError> {
        let valid_suffix = !suffix.is_empty()
            && suffix.len() <= MAX_SUFFIX_LEN
            && suffix.as_bytes()[0].is_ascii_lowercase()
            && suffix
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !valid_suffix {
            return Err(ConfigError::Suffix(suffix.to_owned()));
        }
        let valid_domain = domain.len() <= 200
            && domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
        if !valid_domain {
            return Err(ConfigError::Domain(domain.to_owned()));
        }
        Ok(Self {
            suffix: suffix.to_owned(),
            kind: EnvironmentKind::default(),
            domain: domain.to_owned(),
            lambda_zip: "../dist/payment-processor.zip".to_owned(),
            alarm_email: None,
            cors_origin: format!("https://{domain}"),
        })
    }

    /// Subscribes an email address to both regions' alarm topics (AWS asks it to confirm).
    ///
    /// ```
    /// use payment_stack::Config;
    /// let cfg = Config::new("dev", "payments.example.com").unwrap();
    /// assert!(cfg.clone().with_alarm_email("oncall@example.com").is_ok());
    /// assert!(cfg.with_alarm_email("not an address").is_err());
    /// ```
    pub fn with_alarm_email(mut self, email: &str) -> Result<Self, ConfigError> {
        let valid = match email.split_once('@') {
            Some((local, host)) => {
                !local.is_empty()
                    && host.contains('.')
                    && !email.chars().any(|c| c.is_whitespace() || c.is_control())
                    && !host.contains('@')
            }
            None => false,
        };
        if !valid {
            return Err(ConfigError::Email(email.to_owned()));
        }
        self.alarm_email = Some(email.to_owned());
        Ok(self)
    }

    /// The one origin browsers may call the API from (default `https://{domain}`).
    ///
    /// ```
    /// use payment_stack::Config;
    /// let cfg = Config::new("dev", "payments.example.com").unwrap();
    /// assert_eq!(cfg.cors_origin(), "https://payments.example.com");
    /// assert!(cfg.clone().with_cors_origin("https://shop.example.com").is_ok());
    /// assert!(cfg.with_cors_origin("*").is_err());
    /// ```
    pub fn with_cors_origin(mut self, origin: &str) -> Result<Self, ConfigError> {
        let host = origin.strip_prefix("https://").unwrap_or_default();
        let (name, port) = host.split_once(':').unwrap_or((host, "443"));
        let valid = !name.is_empty()
            && name.split('.').all(|l| {
                !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
            && port.parse::<u16>().is_ok();
        if !valid {
            return Err(ConfigError::CorsOrigin(origin.to_owned()));
        }
        self.cors_origin = origin.to_owned();
        Ok(self)
    }

    /// Sets how the environment may be torn down (default [`EnvironmentKind::Production`]).
    ///
    /// ```
    /// use payment_stack::{Config, EnvironmentKind};
    /// let cfg = Config::new("pr7", "payments.example.com").unwrap();
    /// assert!(cfg.is_production());
    /// assert!(!cfg.with_environment_kind(EnvironmentKind::NonProduction).is_production());
    /// ```
    pub fn with_environment_kind(mut self, kind: EnvironmentKind) -> Self {
        self.kind = kind;
        self
    }

    /// How the environment may be torn down.
    pub fn environment_kind(&self) -> EnvironmentKind {
        self.kind
    }

    /// Whether data is protected from `terraform destroy` ([`EnvironmentKind::Production`]).
    pub fn is_production(&self) -> bool {
        self.kind == EnvironmentKind::Production
    }

    /// The CORS origin.
    pub fn cors_origin(&self) -> &str {
        &self.cors_origin
    }

    /// The address subscribed to the alarm topics, if any.
    pub fn alarm_email(&self) -> Option<&str> {
        self.alarm_email.as_deref()
    }

    /// Sets the deployment zip's path, relative to the output directory.
    pub fn with_lambda_zip(mut self, path: &str) -> Self {
        self.lambda_zip = path.to_owned();
        self
    }

    /// The environment suffix.
    pub fn suffix(&self) -> &str {
        &self.suffix
    }

    /// The zone the platform owns (`payments.example.com`).
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The API's failover host name (`api.payments.example.com`).
    pub fn api_host(&self) -> String {
        format!("api.{}", self.domain)
    }

    /// The API's latency-routed host name (`api-latency.payments.example.com`).
    pub fn latency_host(&self) -> String {
        format!("api-latency.{}", self.domain)
    }

    /// The deployment zip's path relative to the output directory.
    pub fn lambda_zip(&self) -> &str {
        &self.lambda_zip
    }

    /// The naming rule: `payment-{suffix}-{resource}`.
    pub fn name(&self, resource: &str) -> String {
        format!("payment-{}-{}", self.suffix, resource)
    }

    /// The tags every taggable resource carries (through the providers' `default_tags`).
    pub fn tags(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("Environment".to_owned(), self.suffix.clone()),
            ("Project".to_owned(), "payment-infrastructure".to_owned()),
            ("ManagedBy".to_owned(), "infra-core".to_owned()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_rules() {
        for ok in ["dev", "pr123", "a", "abcdefghijkl"] {
            assert!(Config::new(ok, "x.example.com").is_ok(), "{ok}");
        }
        for bad in ["", "Dev", "1dev", "de_v", "de-v", "abcdefghijklm", "dév"] {
            assert_eq!(
                Config::new(bad, "x.example.com"),
                Err(ConfigError::Suffix(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn domain_rules() {
        for bad in ["example", "Example.com", "a..b", "-a.com", "a_b.com"] {
            assert!(Config::new("dev", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn naming() {
        let c = Config::new("qa", "p.example.com").unwrap();
        assert_eq!(c.name("payments"), "payment-qa-payments");
        assert_eq!(c.api_host(), "api.p.example.com");
        assert_eq!(c.tags()["Project"], "payment-infrastructure");
    }
}
