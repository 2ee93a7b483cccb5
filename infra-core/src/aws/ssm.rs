//! AWS Systems Manager Parameter Store: parameters, and the SSM IAM actions.
//!
//! A parameter's type and value come together from one of two constructors, so that what is
//! secret stays secret: [`Parameter::plain`] takes any plain value (never a `Sensitive` one) and
//! makes a `String` parameter; [`Parameter::secure`] takes a `Sensitive<Text>` and a KMS key of
//! the parameter's own region and makes a `SecureString`.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`ssm:GetParameter`).

use crate::aws::kms;
use crate::{Arn, Block, PlainValue, Region, Sensitive, Text, string_enum};

/// The overlay-typed types (`infra-core/overlay/types/ssm.toml`): `Parameter`.
pub use super::generated::overlay::ssm::*;

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
    pub fn with_opts(mut self, opts: ParameterOpts<R>) -> Self {
        self.opts = opts;
        self
    }
}

/// The `ssm` IAM actions, generated from AWS's authorization data.
pub use crate::iam::ssm::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicyDocument;
    use crate::schema::{Kind, Schema, check_shape};
    use crate::{Resource, UsEast1};

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
