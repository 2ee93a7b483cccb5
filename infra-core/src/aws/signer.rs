//! AWS Signer: signing profiles for Lambda code signing.
//!
//! A profile's `version_arn` is what a Lambda code signing config trusts
//! (`lambda::CodeSigningConfig`'s allowed publishers).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::{Arn, Block, Id, Region, Resource, Text, string_enum};

/// The generated `signer` types this module does not define (feature `signer`).
#[cfg(feature = "signer")]
pub use super::generated::signer::*;

string_enum! {
    /// The signing platform of a profile.
    pub enum Platform {
        /// Lambda code signing with SHA-384 and ECDSA.
        AwsLambdaSha384Ecdsa = "AWSLambda-SHA384-ECDSA",
    }
}

string_enum! {
    /// The unit of a signature validity period.
    pub enum ValidityUnit {
        /// Days.
        Days = "DAYS",
        /// Months.
        Months = "MONTHS",
        /// Years.
        Years = "YEARS",
    }
}

/// How long signatures made with the profile stay valid.
#[derive(Block, Debug, Clone)]
pub struct SignatureValidityPeriod {
    /// The unit.
    #[resource(rename = "type")]
    pub unit: ValidityUnit,
    /// How many units.
    pub value: u32,
}

/// A specific version of a signing profile: what a code signing config trusts.
#[derive(Debug)]
pub struct ProfileVersion<R>(PhantomData<R>);

/// A signing profile (`aws_signer_signing_profile`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::signer};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let profile = east.add("lambda", signer::SigningProfile {
///     platform_id: signer::Platform::AwsLambdaSha384Ecdsa,
///     opts: signer::SigningProfileOpts {
///         name_prefix: Some("payment".into()),
///         ..Default::default()
///     },
/// });
/// let _v: infra_core::Arn<signer::ProfileVersion<UsEast1>> = profile.version_arn();
/// let json = stack.synth().unwrap();
/// let p = &json.value()["resource"]["aws_signer_signing_profile"]["primary_lambda"];
/// assert_eq!(p["platform_id"], "AWSLambda-SHA384-ECDSA");
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_signer_signing_profile",
    exports(
        arn: Arn<Self>,
        id: Id<Self>,
        name: Text,
        version: Text,
        version_arn: Arn<ProfileVersion<R>>
    )
)]
pub struct SigningProfile<R: Region> {
    /// The signing platform.
    pub platform_id: Platform,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: SigningProfileOpts<R>,
}

/// Optional arguments of [`SigningProfile`].
#[derive(Block, Debug, Clone, Default)]
pub struct SigningProfileOpts<R: Region> {
    /// The profile's name (letters, digits and underscores).
    pub name: Option<Text>,
    /// A name prefix, the rest generated.
    pub name_prefix: Option<Text>,
    /// How long signatures stay valid.
    pub signature_validity_period: Option<SignatureValidityPeriod>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
    /// The region the profile lives in.
    pub _region: PhantomData<R>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UsEast1;
    use crate::schema::{Kind, Schema, check_shape};

    #[test]
    fn shapes_conform_to_the_provider_schema() {
        type T = SigningProfile<UsEast1>;
        let report = check_shape(Schema::aws(), Kind::Resource, T::TYPE, &T::shape());
        assert!(report.is_ok(), "{report}");
    }
}
