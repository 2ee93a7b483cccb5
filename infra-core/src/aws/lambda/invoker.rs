//! Who invokes a function through a [`Permission`](super::Permission), and from where: the
//! principal and the `source_arn` of one statement of the function's resource-based policy,
//! typed together.
//!
//! Each constructor names the service that invokes and takes the ARN of the one resource of
//! that service that may: an API's execute-api ARN for API Gateway, a rule's ARN for
//! EventBridge. So a permission cannot name `events.amazonaws.com` with an API's ARN, cannot
//! leave `source_arn` out (which would let any account's API or rule invoke the function), and
//! cannot scope the function to a resource of another region.

use std::marker::PhantomData;

use crate::aws::{apigateway, events, s3, sns};
use crate::policy::service::{self, Service};
use crate::{Arn, Block, Region, Text};

/// The invoker of a [`Permission`](super::Permission): a service and its resource that may
/// invoke the function, of the function's own region.
///
/// ```
/// use infra_core::{Arn, Text, UsEast1, aws::{apigateway, lambda}};
/// let api: Arn<apigateway::ExecuteApi<UsEast1>> =
///     Arn::from_text(Text::expression("aws_api_gateway_rest_api.api.execution_arn"));
/// let invoker = lambda::Invoker::api_gateway(api);
/// assert_eq!(invoker.principal().render(), "apigateway.amazonaws.com");
/// assert_eq!(invoker.source_arn().render(), "${aws_api_gateway_rest_api.api.execution_arn}");
/// ```
#[derive(Block, Debug, Clone)]
pub struct Invoker<R: Region> {
    principal: Text,
    source_arn: Text,
    _region: PhantomData<R>,
}

impl<R: Region> Invoker<R> {
    fn new<S: Service, K>(service: S, source: Arn<K>) -> Self {
        Self {
            principal: service.name(),
            source_arn: source.into(),
            _region: PhantomData,
        }
    }

    /// API Gateway, from the API (or the stage, method and path) that integrates the function:
    /// `Invoker::api_gateway(api.execute_arn("v1", "*", "*"))`.
    pub fn api_gateway(api: Arn<apigateway::ExecuteApi<R>>) -> Self {
        Self::new(service::ApiGateway, api)
    }

    /// An EventBridge rule (a schedule or an event pattern) that targets the function.
    pub fn events_rule(rule: Arn<events::Rule<R>>) -> Self {
        Self::new(service::Events, rule)
    }

    /// The notifications of an S3 bucket.
    pub fn s3_bucket(bucket: Arn<s3::Bucket<R>>) -> Self {
        Self::new(service::S3, bucket)
    }

    /// An SNS topic the function subscribes to.
    pub fn sns_topic(topic: Arn<sns::Topic<R>>) -> Self {
        Self::new(service::Sns, topic)
    }

    /// The service principal.
    pub fn principal(&self) -> &Text {
        &self.principal
    }

    /// The ARN the permission is scoped to.
    pub fn source_arn(&self) -> &Text {
        &self.source_arn
    }
}
