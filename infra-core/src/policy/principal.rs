//! Who a resource-based policy statement applies to: a typed service, an account, a principal
//! ARN, or (with a reason) anyone.

use super::Reason;
use super::service::Service;
use crate::refs::Arn;
use crate::text::Text;

/// Who a resource-based policy statement applies to.
///
/// Every form is typed or takes a reason: a service is its type
/// ([`Principal::service`]`(service::Lambda)`), a role or other principal its ARN
/// ([`Principal::arn`]), an account its ID ([`Principal::account_root`]); granting to anyone
/// (`"AWS": "*"`) needs [`Principal::anyone`] with a reason, like a wildcard action.
///
/// ```
/// use infra_core::policy::{Principal, because, service};
/// let lambda = Principal::service(service::Lambda);
/// let public = Principal::anyone(because("the public website's objects are public"));
/// assert_ne!(lambda, public);
/// ```
///
/// A service name string does not compile:
///
/// ```compile_fail
/// use infra_core::policy::Principal;
/// let _ = Principal::service("lambda.amazonaws.com");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Principal(Kind);

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Service(Text),
    AccountRoot(Text),
    Aws(Text),
}

mod sealed {
    /// Never implemented: the old enum variants exist only to point at the typed forms.
    #[diagnostic::on_unimplemented(
        message = "`Principal::Aws` takes no string: name the principal by its ARN, or grant to anyone with a reason",
        label = "a principal string is not checked",
        note = "a role or other principal: `Principal::arn(role.arn())`; an account: `Principal::account_root(account_id)`; everyone (`\"AWS\": \"*\"`): `Principal::anyone(because(\"why this must be public\"))`"
    )]
    pub trait UseTypedAwsPrincipal {}

    /// Never implemented: the old enum variant exists only to point at the typed form.
    #[diagnostic::on_unimplemented(
        message = "`Principal::Service` takes no string: write the service as its type",
        label = "a service name string is not checked",
        note = "`Principal::service(service::Lambda)` (from `infra_core::policy::service`); a service this crate does not type yet: `Principal::untyped_service(\"name.amazonaws.com\", because(\"why\"))`"
    )]
    pub trait UseTypedService {}
}

impl Principal {
    /// An AWS service principal, written as its type: `Principal::service(service::Lambda)`.
    pub fn service<S: Service>(service: S) -> Self {
        Principal(Kind::Service(service.name()))
    }

    /// A service principal this crate has no type for yet, by name; the reason is required,
    /// so that every untyped service is greppable.
    pub fn untyped_service(name: impl Into<Text>, reason: Reason) -> Self {
        let _ = reason;
        Principal(Kind::Service(name.into()))
    }

    /// The root of an account (delegates to the account's IAM policies).
    pub fn account_root(account_id: impl Into<Text>) -> Self {
        Principal(Kind::AccountRoot(account_id.into()))
    }

    /// A principal ARN, such as a role's.
    pub fn arn<K>(arn: Arn<K>) -> Self {
        Principal(Kind::Aws(arn.text().clone()))
    }

    /// Everyone, including anonymous callers (`"AWS": "*"`). The reason is required: a
    /// resource policy open to anyone should be rare, explained and greppable.
    pub fn anyone(reason: Reason) -> Self {
        let _ = reason;
        Principal(Kind::Aws(Text::literal("*")))
    }

    /// Replaced by [`Principal::arn`], [`Principal::account_root`] and [`Principal::anyone`];
    /// calling it is a compile error that says so.
    #[doc(hidden)]
    #[allow(non_snake_case)] // Named like the enum variant it replaces, so old code meets its error.
    pub fn Aws<T: sealed::UseTypedAwsPrincipal>(_: T) -> Self {
        unreachable!("the bound is never satisfied")
    }

    /// Replaced by [`Principal::service`]; calling it is a compile error that says so.
    #[doc(hidden)]
    #[allow(non_snake_case)] // Named like the enum variant it replaces, so old code meets its error.
    pub fn Service<T: sealed::UseTypedService>(_: T) -> Self {
        unreachable!("the bound is never satisfied")
    }

    /// The principal's key (`Service`, `AWS`) and value in a statement's `Principal`.
    pub(super) fn key_and_value(&self) -> (&'static str, Text) {
        match &self.0 {
            Kind::Service(s) => ("Service", s.clone()),
            Kind::AccountRoot(id) => {
                let mut t = Text::from("arn:aws:iam::");
                t.push(id.clone());
                t.push_str(":root");
                ("AWS", t)
            }
            Kind::Aws(a) => ("AWS", a.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UsEast1;
    use crate::policy::{because, service};

    #[test]
    fn each_form_renders_its_key_and_value() {
        let render = |p: Principal| {
            let (k, v) = p.key_and_value();
            (k, v.render())
        };
        assert_eq!(
            render(Principal::service(service::VpcFlowLogs)),
            ("Service", "vpc-flow-logs.amazonaws.com".to_owned())
        );
        assert_eq!(
            render(Principal::service(service::Logs(UsEast1))),
            ("Service", "logs.us-east-1.amazonaws.com".to_owned())
        );
        assert_eq!(
            render(Principal::account_root("111122223333")),
            ("AWS", "arn:aws:iam::111122223333:root".to_owned())
        );
        assert_eq!(
            render(Principal::anyone(because("a public bucket"))),
            ("AWS", "*".to_owned())
        );
        assert_eq!(
            render(Principal::untyped_service(
                "new.amazonaws.com",
                because("not typed yet")
            )),
            ("Service", "new.amazonaws.com".to_owned())
        );
    }
}
