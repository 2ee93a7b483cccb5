//! AWS Certificate Manager: public certificates validated through DNS, and their validation.
//!
//! A [`Certificate`] is regional: an API Gateway regional domain name takes only a certificate of
//! its own region (`Arn<Certificate<R>>`), and an edge-optimized one only a us-east-1 certificate.
//! Since the stack has no `for_each`, the DNS records that prove ownership are built one by one
//! with [`CertificateAttrs::validation_record`] and `route53::Record::validation`; a
//! [`CertificateValidation`] then waits for them. Give the certificate
//! `Meta::new().create_before_destroy()` so that a replacement is issued before the old one goes.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::{Arn, Attributes, Block, Id, Region, Resource, Text, string_enum};

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

/// Certificate options (`options` block).
#[derive(Block, Debug, Clone, Default)]
pub struct CertificateOptions {
    /// Certificate transparency logging. Keep it enabled for public certificates.
    pub certificate_transparency_logging_preference: Option<TransparencyLogging>,
}

/// An ACM certificate issued by Amazon (`aws_acm_certificate`).
///
/// ```
/// use infra_core::{Stack, UsEast1, Meta, aws::acm};
/// let stack = Stack::new();
/// let cert = stack.aws::<UsEast1>("primary").add_with("api", acm::Certificate {
///     domain_name: "api.example.com".into(),
///     validation_method: acm::ValidationMethod::Dns,
///     opts: acm::CertificateOpts {
///         subject_alternative_names: vec!["pay.example.com".into()],
///         ..Default::default()
///     },
/// }, Meta::new().create_before_destroy());
/// let _arn: infra_core::Arn<acm::Certificate<UsEast1>> = cert.arn();
/// let record = cert.validation_record(0);
/// assert_eq!(
///     record.name.render(),
///     "${tolist(aws_acm_certificate.primary_api.domain_validation_options)[0].resource_record_name}"
/// );
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_acm_certificate",
    exports(arn: Arn<Self>, id: Id<Self>, domain_name: Text, status: Text, not_after: Text)
)]
pub struct Certificate<R: Region> {
    /// The certificate's main domain name.
    pub domain_name: Text,
    /// How ownership is proven (`Dns` for automatic renewal).
    pub validation_method: ValidationMethod,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: CertificateOpts<R>,
}

/// Optional arguments of [`Certificate`].
#[derive(Block, Debug, Clone, Default)]
pub struct CertificateOpts<R: Region> {
    /// Further names the certificate covers.
    pub subject_alternative_names: Vec<Text>,
    /// The key algorithm.
    pub key_algorithm: Option<KeyAlgorithm>,
    /// Certificate options (transparency logging).
    pub options: Option<CertificateOptions>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
    /// The region the certificate lives in.
    pub _region: PhantomData<R>,
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

/// Waits until a certificate is issued (`aws_acm_certificate_validation`).
///
/// Refer to the certificate through this resource's `certificate_arn` export (rather than the
/// certificate's own `arn`) where the certificate must already be valid, such as a domain name.
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_acm_certificate_validation",
    exports(id: Id<Self>, certificate_arn: Arn<Certificate<R>>)
)]
pub struct CertificateValidation<R: Region> {
    /// The certificate.
    pub certificate_arn: Arn<Certificate<R>>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: CertificateValidationOpts,
}

/// Optional arguments of [`CertificateValidation`].
#[derive(Block, Debug, Clone, Default)]
pub struct CertificateValidationOpts {
    /// The FQDNs of the validation records (`record.fqdn()` of each `route53::Record::validation`).
    pub validation_record_fqdns: Vec<Text>,
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
