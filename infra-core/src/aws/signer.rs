//! AWS Signer: signing profiles for Lambda code signing.
//!
//! A profile's `version_arn` is what a Lambda code signing config trusts
//! (`lambda::CodeSigningConfig`'s allowed publishers).

use std::marker::PhantomData;

use crate::{Block, string_enum};

/// The overlay-typed types (`infra-core/overlay/types/signer.toml`): `SigningProfile`.
pub use super::generated::overlay::signer::*;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Kind, Schema, check_shape};
    use crate::{Resource, UsEast1};

    #[test]
    fn shapes_conform_to_the_provider_schema() {
        type T = SigningProfile<UsEast1>;
        let report = check_shape(Schema::aws(), Kind::Resource, T::TYPE, &T::shape());
        assert!(report.is_ok(), "{report}");
    }
}
