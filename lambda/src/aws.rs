//! AWS SDK set-up (retries, timeouts, endpoints) and the classification of SDK errors into
//! transient faults (answered with `503` and `Retry-After`) and permanent ones (`500`).

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use std::time::Duration;

/// Retry and timeout settings shared by the DynamoDB and S3 clients.
///
/// The SDK's *standard* retry mode retries throttling, `5xx`, timeouts and connection errors with
/// exponential backoff and full jitter, bounded by `max_attempts` and by a client-side retry
/// quota; `operation_timeout` bounds the whole call including retries, so a request never
/// outlives API Gateway's 29 s integration timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientSettings {
    /// Attempts per call, the first included.
    pub max_attempts: u32,
    /// Base of the exponential backoff.
    pub initial_backoff: Duration,
    /// Cap of a single backoff.
    pub max_backoff: Duration,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
    /// Timeout of one attempt.
    pub attempt_timeout: Duration,
    /// Timeout of a call, all attempts included.
    pub operation_timeout: Duration,
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(2),
            attempt_timeout: Duration::from_secs(3),
            operation_timeout: Duration::from_secs(8),
        }
    }
}

impl ClientSettings {
    /// The SDK retry configuration.
    pub fn retry_config(&self) -> RetryConfig {
        RetryConfig::standard()
            .with_max_attempts(self.max_attempts)
            .with_initial_backoff(self.initial_backoff)
            .with_max_backoff(self.max_backoff)
    }

    /// The SDK timeout configuration.
    pub fn timeout_config(&self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(self.connect_timeout)
            .operation_attempt_timeout(self.attempt_timeout)
            .operation_timeout(self.operation_timeout)
            .build()
    }
}

/// Loads the SDK configuration the way the Lambda needs it: the region from [`crate::config`],
/// credentials from the standard chain (the runtime's environment variables), and an endpoint
/// override only when `AWS_ENDPOINT_URL` is set (tests and emulators).
pub async fn load_sdk_config(region: &str, settings: &ClientSettings) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .retry_config(settings.retry_config())
        .timeout_config(settings.timeout_config())
        .load()
        .await
}

/// A DynamoDB client for `sdk`.
pub fn dynamodb_client(sdk: &SdkConfig) -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::new(sdk)
}

/// An S3 client for `sdk`; path-style addressing when the endpoint is overridden, because
/// emulators on `127.0.0.1` cannot serve virtual-hosted bucket names.
pub fn s3_client(sdk: &SdkConfig) -> aws_sdk_s3::Client {
    let conf = aws_sdk_s3::config::Builder::from(sdk)
        .force_path_style(sdk.endpoint_url().is_some())
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

/// What went wrong in an AWS call, after the SDK's own retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fault {
    /// Throttling, `5xx`, timeouts, connection failures: the caller may retry later (`503`).
    #[error("transient AWS error: {0}")]
    Transient(String),
    /// Anything else (permissions, missing resources, malformed data): `500`.
    #[error("AWS error: {0}")]
    Permanent(String),
}

impl Fault {
    /// True for [`Fault::Transient`].
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Transient(_))
    }
}

/// Error codes that mean "try again later" whatever their HTTP status.
const TRANSIENT_CODES: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "TransactionInProgressException",
    "TransactionConflictException",
    "InternalServerError",
    "InternalFailure",
    "InternalError",
    "ServiceUnavailable",
    "SlowDown",
    "RequestTimeout",
    "RequestTimeoutException",
    "OperationAborted",
];

/// Classifies an SDK error. The message holds the error code or kind only: SDK error messages
/// can quote request content, so they are not carried.
pub fn classify<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> Fault {
    match err {
        SdkError::TimeoutError(_) => Fault::Transient("timeout".into()),
        SdkError::DispatchFailure(_) => Fault::Transient("dispatch failure".into()),
        SdkError::ResponseError(_) => Fault::Transient("unreadable response".into()),
        SdkError::ServiceError(se) => {
            let status = se.raw().status().as_u16();
            let code = se.err().code().unwrap_or("unknown").to_owned();
            if status >= 500 || status == 429 || TRANSIENT_CODES.contains(&code.as_str()) {
                Fault::Transient(format!("{code} (HTTP {status})"))
            } else {
                Fault::Permanent(format!("{code} (HTTP {status})"))
            }
        }
        _ => Fault::Permanent("request construction failed".into()),
    }
}
