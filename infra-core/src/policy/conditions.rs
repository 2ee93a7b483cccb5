//! Typed condition keys: every key knows its service (`kms:ViaService` is a key of `kms`,
//! `aws:SourceAccount` a global one) and the type of its value (string, ARN, bool, number,
//! date, IP address, or a list of them), so a condition's operator fits its key and
//! [`Statement::allow_when`] refuses a key of another service than its actions'.
//!
//! The keys of each service are generated into `infra_core::iam::<prefix>::conditions`
//! (re-exported as `aws::kms::conditions`…); the global ones are in
//! [`policy::global`](super::global). A key may still be written as a string
//! (`Condition::string_equals("kms:ViaService", …)`): it is then [`Untyped`], unchecked.
//!
//! One bound, [`InService`] (through [`Conditions`]), decides every condition a statement takes:
//! [`Statement::allow_when`]/[`deny_when`](Statement::deny_when) check keys against their
//! actions' class, a key statement's `condition` against `kms`, a trust policy's against
//! `sts:AssumeRole`, and [`Statement::condition`], on a statement whose actions' class is no
//! longer known, takes global keys only ([`AnyActions`]). A key written as a string is accepted
//! everywhere, unchecked.

use std::borrow::Cow;
use std::marker::PhantomData;

use super::{Actions, Condition, Resources, Statement};
use crate::text::Text;

/// The value types of condition keys, as AWS's Service Authorization Reference names them.
pub mod key_type {
    /// A string (`kms:ViaService`); string and ARN operators take it.
    #[derive(Debug)]
    pub enum StringValue {}
    /// An ARN (`aws:SourceArn`); ARN and string operators take it.
    #[derive(Debug)]
    pub enum ArnValue {}
    /// `true` or `false` (`aws:SecureTransport`).
    #[derive(Debug)]
    pub enum BoolValue {}
    /// A number (`s3:max-keys`).
    #[derive(Debug)]
    pub enum NumericValue {}
    /// A date and time (`aws:CurrentTime`).
    #[derive(Debug)]
    pub enum DateValue {}
    /// An IP address or range (`aws:SourceIp`).
    #[derive(Debug)]
    pub enum IpAddressValue {}
    /// A list of strings (`aws:TagKeys`): `ForAnyValue:`/`ForAllValues:` operators take it.
    #[derive(Debug)]
    pub enum StringList {}
    /// A list of ARNs.
    #[derive(Debug)]
    pub enum ArnList {}
    /// A list of booleans.
    #[derive(Debug)]
    pub enum BoolList {}
}

/// The service of a key written as a string: not checked against the statement's actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Untyped {}

/// The service of the global keys (`aws:SourceArn`, `aws:SecureTransport`…), which a
/// statement of any service may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Global {}

/// A condition key of service `S` whose values are of type `V` (a [`key_type`]).
///
/// ```
/// use infra_core::aws::kms;
/// use infra_core::policy::{Condition, global};
/// let via = Condition::string_equals(kms::conditions::ViaService, "s3.us-east-1.amazonaws.com");
/// let tls = Condition::bool(global::SecureTransport, false);
/// # let _ = (via, tls);
/// ```
///
/// ```compile_fail
/// use infra_core::policy::{Condition, global};
/// // `aws:SecureTransport` is a bool: a string operator does not take it.
/// let wrong = Condition::string_equals(global::SecureTransport, "false");
/// ```
pub struct ConditionKey<S, V> {
    name: Cow<'static, str>,
    types: PhantomData<fn() -> (S, V)>,
}

impl<S, V> ConditionKey<S, V> {
    /// A key of a fixed name; only the generated and global keys call it.
    #[doc(hidden)]
    pub const fn __new(name: &'static str) -> Self {
        Self {
            name: Cow::Borrowed(name),
            types: PhantomData,
        }
    }

    /// A key with a variable part (`kms:EncryptionContext:${EncryptionContextKey}`); only the
    /// generated and global keys call it.
    #[doc(hidden)]
    pub fn __templated(before: &str, variable: &str, after: &str) -> Self {
        Self {
            name: Cow::Owned(format!("{before}{variable}{after}")),
            types: PhantomData,
        }
    }

    /// The key's name (`kms:ViaService`).
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl<S, V> Clone for ConditionKey<S, V> {
    fn clone(&self) -> Self {
        Self {
            name: self.name.clone(),
            types: PhantomData,
        }
    }
}

impl<S, V> std::fmt::Debug for ConditionKey<S, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// A condition key that an operator taking values of type `V` accepts: a typed key of a
/// fitting type, or a string (unchecked).
#[diagnostic::on_unimplemented(
    message = "the condition key `{Self}` does not take this operator's values",
    label = "a key of another value type",
    note = "each typed key has AWS's value type: `Condition::bool` takes bool keys (`aws:SecureTransport`), `Condition::string_equals` string or ARN keys, `Condition::numeric_less_than` numeric keys…"
)]
pub trait Key<V>: KeyName {}

/// A condition key's name and service, whatever its value type (so that a key of the wrong
/// type is one error, at the key).
pub trait KeyName {
    /// The service of the key.
    type Service;
    /// The key's name.
    fn key_name(self) -> String;
}

impl KeyName for &str {
    type Service = Untyped;
    fn key_name(self) -> String {
        self.to_owned()
    }
}
impl<V> Key<V> for &str {}

impl<S, V> KeyName for ConditionKey<S, V> {
    type Service = S;
    fn key_name(self) -> String {
        self.name.into_owned()
    }
}

macro_rules! accepts {
    ($operator:ident: $($key:ident),+) => {
        $(impl<S> Key<key_type::$operator> for ConditionKey<S, key_type::$key> {})+
    };
}
// AWS lets string operators compare ARN keys and ARN operators compare string keys (its own
// examples use `ArnLike` on `kms:EncryptionContext:aws:logs:arn`), so both take both.
accepts!(StringValue: StringValue, ArnValue);
accepts!(BoolValue: BoolValue);
accepts!(NumericValue: NumericValue);
accepts!(DateValue: DateValue);
accepts!(IpAddressValue: IpAddressValue);
accepts!(StringList: StringList, ArnList);
accepts!(BoolList: BoolList);

impl<S> Condition<S> {
    fn with<V: Into<Text>>(
        operator: &'static str,
        key: String,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        Self {
            operator,
            key,
            values: values.into_iter().map(Into::into).collect(),
            service: PhantomData,
        }
    }

    /// The condition without its key's service, as a statement keeps it.
    pub(super) fn untyped(self) -> Condition {
        Condition {
            operator: self.operator,
            key: self.key,
            values: self.values,
            service: PhantomData,
        }
    }
}

macro_rules! operators {
    ($($(#[$doc:meta])* $name:ident($ty:ident) => $operator:literal;)+) => {
        impl Condition {
            $(
                $(#[$doc])*
                pub fn $name<K: Key<key_type::$ty>>(key: K, value: impl Into<Text>) -> Condition<K::Service> {
                    Condition::with($operator, key.key_name(), [value.into()])
                }
            )+
        }
    };
}

operators! {
    /// `StringEquals`.
    string_equals(StringValue) => "StringEquals";
    /// `StringNotEquals`.
    string_not_equals(StringValue) => "StringNotEquals";
    /// `StringLike`.
    string_like(StringValue) => "StringLike";
    /// `ArnLike`.
    arn_like(StringValue) => "ArnLike";
    /// `ArnEquals`.
    arn_equals(StringValue) => "ArnEquals";
    /// `NumericEquals`.
    numeric_equals(NumericValue) => "NumericEquals";
    /// `NumericLessThan`.
    numeric_less_than(NumericValue) => "NumericLessThan";
    /// `NumericGreaterThan`.
    numeric_greater_than(NumericValue) => "NumericGreaterThan";
    /// `DateLessThan`.
    date_less_than(DateValue) => "DateLessThan";
    /// `DateGreaterThan`.
    date_greater_than(DateValue) => "DateGreaterThan";
    /// `IpAddress`.
    ip_address(IpAddressValue) => "IpAddress";
    /// `NotIpAddress`.
    not_ip_address(IpAddressValue) => "NotIpAddress";
}

impl Condition {
    /// Any condition operator, key and values (the key unchecked).
    pub fn new<V: Into<Text>>(
        operator: &'static str,
        key: &str,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        Condition::with(operator, key.to_owned(), values)
    }

    /// `Bool`.
    pub fn bool<K: Key<key_type::BoolValue>>(key: K, value: bool) -> Condition<K::Service> {
        Condition::with("Bool", key.key_name(), [value.to_string()])
    }

    /// `ForAnyValue:StringEquals`: at least one of the key's values is one of `values`.
    pub fn for_any_value_string_equals<K: Key<key_type::StringList>, V: Into<Text>>(
        key: K,
        values: impl IntoIterator<Item = V>,
    ) -> Condition<K::Service> {
        Condition::with("ForAnyValue:StringEquals", key.key_name(), values)
    }

    /// `ForAllValues:StringEquals`: every one of the key's values is one of `values`.
    pub fn for_all_values_string_equals<K: Key<key_type::StringList>, V: Into<Text>>(
        key: K,
        values: impl IntoIterator<Item = V>,
    ) -> Condition<K::Service> {
        Condition::with("ForAllValues:StringEquals", key.key_name(), values)
    }
}

impl<S> Clone for Condition<S> {
    fn clone(&self) -> Self {
        Condition::with(self.operator, self.key.clone(), self.values.clone())
    }
}

impl<S> std::fmt::Debug for Condition<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Condition")
            .field("operator", &self.operator)
            .field("key", &self.key)
            .field("values", &self.values)
            .finish()
    }
}

impl<S> PartialEq for Condition<S> {
    fn eq(&self, other: &Self) -> bool {
        (self.operator, &self.key, &self.values) == (other.operator, &other.key, &other.values)
    }
}

/// Holds when the actions of class `Self` may be conditioned on keys of service `S`: every
/// generated class is in its own service and in [`Global`], and every class takes a key written
/// as a string ([`Untyped`], unchecked).
#[diagnostic::on_unimplemented(
    message = "a condition key of `{S}` cannot condition `{Self}` actions",
    label = "a condition key of another service",
    note = "a statement's condition keys are its actions' service's (`kms::conditions::ViaService` for `kms` actions) or global ones (`policy::global::SourceAccount`); `.condition(…)` on a built `Statement` (`AnyActions`) takes global keys only: pass a service's keys with its actions, `Statement::allow_when(actions, resources, conditions)`"
)]
pub trait InService<S> {}

impl<On: ?Sized> InService<Untyped> for On {}

/// The class of a built [`Statement`]'s actions, which its type no longer records: its
/// [`condition`](Statement::condition) takes global keys (and keys written as strings); a key of
/// a service goes with its actions through [`Statement::allow_when`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyActions {}

impl InService<Global> for AnyActions {}

/// The conditions of a checked statement: one condition, or a tuple of up to four.
#[diagnostic::on_unimplemented(
    message = "`{Self}` are not conditions of `{On}` actions",
    note = "pass a condition on a typed key of the actions' service or a global key, or a tuple of them; a key written as a string goes through `.condition(…)`"
)]
pub trait Conditions<On> {
    /// The conditions, untyped.
    fn into_conditions(self) -> Vec<Condition>;
}

impl<On: InService<S>, S> Conditions<On> for Condition<S> {
    fn into_conditions(self) -> Vec<Condition> {
        vec![self.untyped()]
    }
}

macro_rules! tuple_conditions {
    ($($c:ident . $i:tt),+) => {
        impl<On, $($c: Conditions<On>),+> Conditions<On> for ($($c,)+) {
            fn into_conditions(self) -> Vec<Condition> {
                let mut all = Vec::new();
                $(all.extend(self.$i.into_conditions());)+
                all
            }
        }
    };
}
tuple_conditions!(A.0, B.1);
tuple_conditions!(A.0, B.1, C.2);
tuple_conditions!(A.0, B.1, C.2, D.3);

impl Statement {
    /// Allows `actions` on `resources` under `conditions`, each on a key of the actions'
    /// service or a global key: a key of another service does not compile.
    ///
    /// ```
    /// use infra_core::{Stack, UsEast1, aws::kms, policy::{Condition, Statement, global}};
    /// let stack = Stack::new();
    /// let east = stack.aws::<UsEast1>("primary");
    /// let key = east.add("data_key", kms::Key::default());
    /// let s = Statement::allow_when(
    ///     [kms::Decrypt],
    ///     key.arn(),
    ///     (
    ///         Condition::string_equals(kms::conditions::ViaService, "s3.us-east-1.amazonaws.com"),
    ///         Condition::string_equals(global::SourceAccount, "111122223333"),
    ///     ),
    /// );
    /// # let _ = s;
    /// ```
    ///
    /// ```compile_fail
    /// use infra_core::{Stack, UsEast1, aws::{kms, s3}, policy::{Condition, Statement}};
    /// let stack = Stack::new();
    /// let east = stack.aws::<UsEast1>("primary");
    /// let key = east.add("data_key", kms::Key::default());
    /// let s = Statement::allow_when(
    ///     [kms::Decrypt],
    ///     key.arn(),
    ///     Condition::string_equals(s3::conditions::x_amz_server_side_encryption, "aws:kms"),
    /// );
    /// ```
    pub fn allow_when<On>(
        actions: impl Actions<On>,
        resources: impl Resources<On>,
        conditions: impl Conditions<On>,
    ) -> Self {
        let mut s = Statement::allow(actions, resources);
        s.conditions.extend(conditions.into_conditions());
        s
    }

    /// Denies `actions` on `resources` under `conditions` (checked as in
    /// [`allow_when`](Statement::allow_when)).
    pub fn deny_when<On>(
        actions: impl Actions<On>,
        resources: impl Resources<On>,
        conditions: impl Conditions<On>,
    ) -> Self {
        let mut s = Statement::deny(actions, resources);
        s.conditions.extend(conditions.into_conditions());
        s
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ActsOn, PolicyDocument, global};
    use super::*;
    use crate::Arn;

    enum Things {}
    enum Thing {}
    enum Svc {}
    impl ActsOn<Thing> for Things {}
    impl InService<Svc> for Things {}
    impl InService<Global> for Things {}
    const DO: super::super::Action<Things> = crate::action!("svc:Do");
    const LEVEL: ConditionKey<Svc, key_type::NumericValue> = ConditionKey::__new("svc:Level");

    #[test]
    fn typed_and_string_keys_render_the_same() {
        let typed = Condition::string_equals(global::SourceAccount, "1");
        let untyped = Condition::string_equals("aws:SourceAccount", "1");
        assert_eq!(typed.untyped(), untyped);
        let arn: Arn<Thing> = Arn::from_text(Text::expression("aws_thing.t.arn"));
        let doc = PolicyDocument::new().statement(Statement::allow_when(
            [DO],
            arn,
            (
                Condition::numeric_less_than(LEVEL, "3"),
                Condition::bool(global::SecureTransport, true),
            ),
        ));
        assert!(
            doc.to_json().contains(
                r#""Condition":{"Bool":{"aws:SecureTransport":"true"},"NumericLessThan":{"svc:Level":"3"}}"#
            ),
            "{}",
            doc.to_json()
        );
    }

    #[test]
    fn templated_keys_put_the_variable_in_place() {
        let tag = global::ResourceTag("team");
        assert_eq!(tag.name(), "aws:ResourceTag/team");
    }
}
