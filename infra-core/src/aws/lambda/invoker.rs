//! Who invokes a function through a [`Permission`](super::Permission), and from where: the
//! principal and the `source_arn` of one statement of the function's resource-based policy,
//! typed together.
//!
//! Each constructor names the service that invokes and takes the ARN of the one resource of
//! that service that may: a rule's ARN for EventBridge, a topic's for SNS. So a permission
//! cannot name `events.amazonaws.com` with an API's ARN, cannot leave `source_arn` out (which
//! would let any account's API or rule invoke the function), and cannot scope the function to a
//! resource of another region.
//!
//! API Gateway is stricter: every API of a region has the same type, so an API's ARN would not
//! say whether that API calls the function. A permission for API Gateway is built whole by
//! [`Permission::api_gateway`] from the [`LambdaRoute`](apigateway::LambdaRoute) of the
//! integration that calls the function ([`RestApiAttrs::lambda_proxy`](apigateway::RestApiAttrs::lambda_proxy)),
//! which sets both the `source_arn` and the `function_name`.

use std::marker::PhantomData;

use super::{Permission, PermissionAction, PermissionOpts};
use crate::aws::{apigateway, events, s3, sns};
use crate::policy::service::{self, Service};
use crate::{Arn, Block, Region, Text};

/// The invoker of a [`Permission`](super::Permission): a service and its resource that may
/// invoke the function, of the function's own region.
///
/// ```
/// use infra_core::{Arn, Text, UsEast1, aws::{events, lambda}};
/// let rule: Arn<events::Rule<UsEast1>> =
///     Arn::from_text(Text::expression("aws_cloudwatch_event_rule.nightly.arn"));
/// let invoker = lambda::Invoker::events_rule(rule);
/// assert_eq!(invoker.principal().render(), "events.amazonaws.com");
/// assert_eq!(invoker.source_arn().render(), "${aws_cloudwatch_event_rule.nightly.arn}");
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

/// What [`Permission::api_gateway`] is scoped by: the route of a Lambda proxy integration
/// ([`LambdaRoute`](apigateway::LambdaRoute)), never an API's ARN.
#[diagnostic::on_unimplemented(
    message = "a Lambda permission for API Gateway is scoped by the integration that calls the function, not by `{Self}`",
    label = "not the route of a Lambda integration",
    note = "every API of a region has the same type: build the integration with `api.lambda_proxy(method.target(), &function)` and pass its `.route(stage, method, path)`, so the permission names that API and that function"
)]
pub trait IntegrationRoute<R: Region>: sealed::Sealed {
    /// The route.
    fn into_route(self) -> apigateway::LambdaRoute<R>;
}

mod sealed {
    pub trait Sealed {}
    impl<R: crate::Region> Sealed for crate::aws::apigateway::LambdaRoute<R> {}
}

impl<R: Region> IntegrationRoute<R> for apigateway::LambdaRoute<R> {
    fn into_route(self) -> apigateway::LambdaRoute<R> {
        self
    }
}

impl<R: Region> Permission<R> {
    /// Lets API Gateway invoke the function from `route` of the API whose integration calls it
    /// (`lambda:InvokeFunction`, principal `apigateway.amazonaws.com`): the `source_arn` and the
    /// `function_name` both come from the route, so neither can name another API or function.
    ///
    /// An API's ARN is refused (take the route from the integration,
    /// [`RestApiAttrs::lambda_proxy`](apigateway::RestApiAttrs::lambda_proxy)):
    ///
    /// ```compile_fail
    /// use infra_core::{Ref, Node, NodeKind, UsEast1, aws::{apigateway as apigw, lambda}};
    /// let api = Ref::<apigw::RestApi<UsEast1>>::new(Node::new(NodeKind::Resource, "aws_api_gateway_rest_api", "api"));
    /// let _ = lambda::Permission::api_gateway(api.execute_arn("v1", "*", "*"), Default::default());
    /// ```
    pub fn api_gateway(route: impl IntegrationRoute<R>, opts: PermissionOpts<R>) -> Self {
        let route = route.into_route();
        Self {
            action: PermissionAction::InvokeFunction,
            function_name: route.function_name().clone(),
            invoker: Invoker::new(service::ApiGateway, route.source_arn().clone()),
            opts,
        }
    }
}
