//! Amazon SNS: topics, topic policies and subscriptions.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`sns:Publish`).

use std::marker::PhantomData;

use crate::aws::kms;
use crate::policy::PolicyDocument;
use crate::{Arn, Id, Name, Region, Resource, Text};

/// The generated `sns` types this module does not define (feature `sns`).
#[cfg(feature = "sns")]
pub use super::generated::sns::*;

/// A topic (`aws_sns_topic`).
#[derive(Resource, Debug, Clone, Default)]
#[resource(type = "aws_sns_topic", exports(arn: Arn<Self>, id: Id<Self>, name: Name<Self>))]
pub struct Topic<R: Region> {
    /// The topic's name.
    pub name: Option<Text>,
    /// The KMS key that encrypts messages at rest (a key of the topic's own region).
    pub kms_master_key_id: Option<Id<kms::Key<R>>>,
    /// The region the topic lives in.
    pub _region: PhantomData<R>,
}

/// A topic's access policy (`aws_sns_topic_policy`).
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_sns_topic_policy", exports(id: Id<Self>))]
pub struct TopicPolicy<R: Region> {
    /// The topic.
    pub arn: Arn<Topic<R>>,
    /// The policy.
    pub policy: PolicyDocument,
}

/// A subscription (`aws_sns_topic_subscription`).
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_sns_topic_subscription", exports(arn: Arn<Self>, id: Id<Self>))]
pub struct Subscription<R: Region> {
    /// The topic.
    pub topic_arn: Arn<Topic<R>>,
    /// `email`, `sqs`, `lambda`, `https`…
    pub protocol: Text,
    /// The endpoint.
    pub endpoint: Text,
}

/// The `sns` IAM actions, generated from AWS's authorization data.
pub use crate::iam::sns::*;
