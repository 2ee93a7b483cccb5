//! AWS Certificate Manager: public certificates validated through DNS, and their validation.
//!
//! A [`Certificate`] is regional: an API Gateway regional domain name takes only a certificate of
//! its own region (`Arn<Certificate<R>>`), and an edge-optimized one only a us-east-1 certificate.
//! Since the stack has no `for_each`, the DNS records that prove ownership are built one by one
//! with [`CertificateAttrs::validation_record`] and `route53::Record::validation`; a
//! [`CertificateValidation`] then waits for them. Give the certificate
//! `Meta::new().create_before_destroy()` so that a replacement is issued before the old one goes.

use crate::{Attributes, Region, Text, string_enum};

/// Certificate options (a block of [`Certificate`]: transparency logging).
pub use super::generated::overlay::acm::certificate::CertificateOptions;
/// The overlay-typed types (`infra-core/overlay/types/acm.toml`): `Certificate`,
/// `CertificateValidation`.
pub use super::generated::overlay::acm::*;

/// The generated `acm` types this module does not define (feature `acm`).
#[cfg(feature = "acm")]
pub use super::generated::acm::*;

string_enum! {
    /// How ACM checks that the requester controls the domain.
    pub enum ValidationMethod {
        /// A CNAME record in the domain's DNS zone (renews automatically while the record stays).
        Dns = "DNS",
        /// An e-mail to the domain's registered contacts.
        Email = "EMAIL",
    }
}

string_enum! {
    /// The algorithm of the certificate's key pair.
    pub enum KeyAlgorithm {
        /// RSA 2048 bits (the default).
        Rsa2048 = "RSA_2048",
        /// ECDSA on P-256.
        EcPrime256v1 = "EC_prime256v1",
        /// ECDSA on P-384.
        EcSecp384r1 = "EC_secp384r1",
    }
}

string_enum! {
    /// Whether the certificate is logged to public certificate transparency logs.
    pub enum TransparencyLogging {
        /// Logged (the default; browsers expect it).
        Enabled = "ENABLED",
        /// Not logged.
        Disabled = "DISABLED",
    }
}

/// One DNS record that proves ownership of one of a certificate's names, as expressions over
/// the certificate's `domain_validation_options`.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationRecord {
    /// The domain name this record validates.
    pub domain_name: Text,
    /// The record's name (`resource_record_name`).
    pub name: Text,
    /// The record's type (`resource_record_type`, always `CNAME` for ACM).
    pub record_type: Text,
    /// The record's value (`resource_record_value`).
    pub value: Text,
}

impl<R: Region> CertificateAttrs<R> {
    /// The `index`-th DNS validation record (`tolist(….domain_validation_options)[index]`).
    ///
    /// A certificate has one option per distinct name (its domain name plus each subject
    /// alternative name); a wildcard and its base name share one. The order is Terraform's set
    /// order, so create one record per index from 0 to the number of names minus 1.
    pub fn validation_record(&self, index: usize) -> ValidationRecord {
        let base = format!(
            "tolist({}.domain_validation_options)[{index}]",
            self.node().address()
        );
        let field = |name: &str| Text::expression(format!("{base}.{name}"));
        ValidationRecord {
            domain_name: field("domain_name"),
            name: field("resource_record_name"),
            record_type: field("resource_record_type"),
            value: field("resource_record_value"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_conforms as conforms;
    use crate::testing::assert_valid_ignoring as validates;
    use crate::{Stack, UsEast1};

    #[test]
    fn shapes_conform_to_the_schema() {
        conforms::<Certificate<UsEast1>>();
        conforms::<CertificateValidation<UsEast1>>();
    }

    #[test]
    fn validation_waits_on_the_records() {
        let stack = Stack::new();
        let east = stack.aws::<UsEast1>("primary");
        let cert = east.add(
            "api",
            Certificate {
                domain_name: "api.example.com".into(),
                validation_method: ValidationMethod::Dns,
                opts: CertificateOpts::default(),
            },
        );
        let record = cert.validation_record(1);
        assert_eq!(
            record.value.render(),
            "${tolist(aws_acm_certificate.primary_api.domain_validation_options)[1].resource_record_value}"
        );
        east.add(
            "api",
            CertificateValidation {
                certificate_arn: cert.arn(),
                opts: CertificateValidationOpts {
                    validation_record_fqdns: vec![record.name],
                    ..Default::default()
                },
            },
        );
        let doc = stack.synth().unwrap();
        validates(&doc, &[]);
        crate::testing::assert_has_resource(
            &doc,
            "aws_acm_certificate",
            &serde_json::json!({"domain_name": "api.example.com", "validation_method": "DNS"}),
        );
        crate::testing::assert_has_resource(
            &doc,
            "aws_acm_certificate_validation",
            &serde_json::json!({"certificate_arn": "${aws_acm_certificate.primary_api.arn}"}),
        );
    }
}
