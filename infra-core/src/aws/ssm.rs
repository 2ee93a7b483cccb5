//! AWS Systems Manager Parameter Store: parameters, and the SSM IAM actions.
//!
//! A parameter's type and value come together from one of two constructors, so that what is
//! secret stays secret: [`Parameter::plain`] takes any plain value (never a `Sensitive` one) and
//! makes a `String` parameter; [`Parameter::secure`] takes a `Sensitive<Text>` and a KMS key of
//! the parameter's own region and makes a `SecureString`.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`ssm:GetParameter`).

use std::collections::BTreeMap;

use crate::aws::kms;
use crate::{Arn, Block, Id, PlainValue, Region, Resource, Sensitive, Text, string_enum};

/// The generated `ssm` types this module does not define (feature `ssm`).
#[cfg(feature = "ssm")]
pub use super::generated::ssm::*;

string_enum! {
    /// The type of a parameter.
    pub enum ParameterType {
        /// Plain text.
        String = "String",
        /// Text encrypted with a KMS key.
        SecureString = "SecureString",
    }
}

string_enum! {
    /// The storage tier of a parameter.
    pub enum Tier {
        /// Up to 4 KB, no policies, free.
        Standard = "Standard",
        /// Up to 8 KB, with policies.
        Advanced = "Advanced",
        /// Standard or Advanced as needed.
        IntelligentTiering = "Intelligent-Tiering",
    }
}

/// A parameter's type, value and key, made only by [`ParameterValue::plain`] or
/// [`ParameterValue::secure`].
#[derive(Block, Debug, Clone)]
pub struct ParameterValue<R: Region> {
    #[resource(rename = "type")]
    kind: ParameterType,
    value: Text,
    key_id: Option<Arn<kms::Key<R>>>,
}

impl<R: Region> ParameterValue<R> {
    /// A `String` parameter holding a plain value.
    pub fn plain(value: impl PlainValue) -> Self {
        Self {
            kind: ParameterType::String,
            value: value.plain_text(),
            key_id: None,
        }
    }

    /// A `SecureString` parameter holding a secret, encrypted with a key of the same region.
    pub fn secure(value: Sensitive<Text>, key: Arn<kms::Key<R>>) -> Self {
        Self {
            kind: ParameterType::SecureString,
            value: value.expose().clone(),
            key_id: Some(key),
        }
    }

    /// The parameter's type.
    pub fn kind(&self) -> ParameterType {
        self.kind
    }
}

/// A parameter (`aws_ssm_parameter`).
///
/// ```
/// use infra_core::{Sensitive, Stack, Text, UsEast1, aws::{kms, ssm}};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let key = east.add("data_key", kms::Key { enable_key_rotation: Some(true), ..Default::default() });
/// let api_key = Sensitive::new(Text::expression("aws_api_gateway_api_key.primary_client.value"));
/// let secret = east.add("api_key", ssm::Parameter::secure("/payment/api-key", api_key, key.arn()));
/// let endpoint = east.add("endpoint", ssm::Parameter::plain("/payment/endpoint", "https://api.example.com"));
/// let _arn: infra_core::Arn<ssm::Parameter<UsEast1>> = secret.arn();
/// // A fragment that refers to resources it does not declare: the rules would report
/// // them (`IC-REF-001`), so it is synthesized unchecked.
/// let json = stack.synth_unchecked().unwrap();
/// let s = &json.value()["resource"]["aws_ssm_parameter"]["primary_api_key"];
/// assert_eq!(s["type"], "SecureString");
/// assert_eq!(s["key_id"], "${aws_kms_key.primary_data_key.arn}");
/// let p = &json.value()["resource"]["aws_ssm_parameter"]["primary_endpoint"];
/// assert_eq!(p["type"], "String");
/// assert!(p.get("key_id").is_none());
/// # let _ = endpoint;
/// ```
///
/// A sensitive value cannot go into a plain `String` parameter:
///
/// ```compile_fail
/// use infra_core::{Sensitive, Text, UsEast1, aws::ssm};
/// let api_key = Sensitive::new(Text::expression("aws_api_gateway_api_key.k.value"));
/// let _p: ssm::Parameter<UsEast1> = ssm::Parameter::plain("/payment/api-key", api_key);
/// ```
///
/// Nor can a key of another region encrypt a `SecureString`:
///
/// ```compile_fail
/// use infra_core::{Arn, Sensitive, Text, UsEast1, UsWest2, aws::{kms, ssm}};
/// let west_key: Arn<kms::Key<UsWest2>> = Arn::from_text(Text::expression("aws_kms_key.w.arn"));
/// let api_key = Sensitive::new(Text::expression("aws_api_gateway_api_key.k.value"));
/// let _p: ssm::Parameter<UsEast1> = ssm::Parameter::secure("/payment/api-key", api_key, west_key);
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_ssm_parameter",
    exports(arn: Arn<Self>, id: Id<Self>, name: Text, version: Text)
)]
pub struct Parameter<R: Region> {
    /// The parameter's name (`/payment/api-key`).
    pub name: Text,
    /// The type, value and key.
    #[resource(flatten)]
    pub value: ParameterValue<R>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: ParameterOpts,
}

impl<R: Region> Parameter<R> {
    /// A `String` parameter holding a plain value (a `Sensitive` value does not compile here).
    pub fn plain(name: impl Into<Text>, value: impl PlainValue) -> Self {
        Self {
            name: name.into(),
            value: ParameterValue::plain(value),
            opts: ParameterOpts::default(),
        }
    }

    /// A `SecureString` parameter encrypted with `key`, a KMS key of the same region.
    pub fn secure(name: impl Into<Text>, value: Sensitive<Text>, key: Arn<kms::Key<R>>) -> Self {
        Self {
            name: name.into(),
            value: ParameterValue::secure(value, key),
            opts: ParameterOpts::default(),
        }
    }

    /// Replaces the optional arguments.
    pub fn with_opts(mut self, opts: ParameterOpts) -> Self {
        self.opts = opts;
        self
    }
}

/// Optional arguments of [`Parameter`].
#[derive(Block, Debug, Clone, Default)]
pub struct ParameterOpts {
    /// What the parameter holds.
    pub description: Option<Text>,
    /// The storage tier.
    pub tier: Option<Tier>,
    /// A regular expression the value must match.
    pub allowed_pattern: Option<Text>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
}

/// The `ssm` IAM actions, generated from AWS's authorization data.
pub use crate::iam::ssm::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UsEast1;
    use crate::policy::PolicyDocument;
    use crate::schema::{Kind, Schema, check_shape};

    #[test]
    fn shapes_conform_to_the_provider_schema() {
        type T = Parameter<UsEast1>;
        let report = check_shape(Schema::aws(), Kind::Resource, T::TYPE, &T::shape());
        assert!(report.is_ok(), "{report}");
    }

    #[test]
    fn get_parameter_acts_on_a_parameter() {
        let p: Arn<Parameter<UsEast1>> =
            Arn::from_text(Text::expression("aws_ssm_parameter.p.arn"));
        let doc = PolicyDocument::new().allow([GetParameter, GetParameters], p);
        assert!(doc.to_json().contains("ssm:GetParameters"));
    }
}
