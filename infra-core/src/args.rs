//! How Rust values become Terraform arguments: the [`Argument`] and [`Block`] traits.
//!
//! Every field of a `#[derive(Resource)]` or `#[derive(Block)]` struct implements [`Argument`].
//! A plain field is required; `Option<T>` and `Vec<T>` are optional and skipped when empty.
//! A nested block is a struct deriving [`Block`]; `Vec` of blocks is a repeated block.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::refs::{Arn, Id, Name, Url};
use crate::shape::{ArgKind, ArgShape, BlockShape};
use crate::text::Text;

/// A value that can be the value of a Terraform argument.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a Terraform argument",
    label = "unsupported argument type",
    note = "arguments are `Text`, `String`, `bool`, integers, `f64`, references (`Arn<_>`, `Id<_>`, `Name<_>`, `Url<_>`), structs deriving `Block`, enums made with `string_enum!`, or `Option`, `Vec` and `BTreeMap<String, _>` of them"
)]
pub trait Argument {
    /// The JSON value, or `None` when the argument is absent and must be left out.
    fn to_value(&self) -> Option<Value>;
    /// The kind of value, for schema conformance.
    fn kind() -> ArgKind;
    /// Whether the Rust type forces a value.
    const REQUIRED: bool = true;
    /// Whether the value is a typed reference (`Arn<K>`, `Id<K>`) rather than plain text.
    const REFERENCE: bool = false;
}

/// A nested block (`#[derive(Block)]`): a group of arguments written as one JSON object.
pub trait Block {
    /// Writes the block's arguments.
    fn write_args(&self, args: &mut Args);
    /// The block's static shape.
    fn shape() -> BlockShape;
}

/// The arguments of one resource or block, in a sorted map.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Args {
    map: BTreeMap<String, Value>,
}

impl Args {
    /// No arguments.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` to `value`'s JSON, unless the value is absent.
    pub fn put<A: Argument + ?Sized>(&mut self, name: &str, value: &A) {
        self.put_value(name, value.to_value());
    }

    /// `put` after the value's JSON is built: one function for every argument type, so each
    /// type's instance of `put` is only the call to its `to_value`.
    fn put_value(&mut self, name: &str, value: Option<Value>) {
        if let Some(v) = value {
            self.map.insert(name.to_owned(), v);
        }
    }

    /// Sets `name` to a raw JSON value.
    pub fn put_json(&mut self, name: &str, value: Value) {
        self.map.insert(name.to_owned(), value);
    }

    /// The arguments as a JSON object.
    pub fn into_value(self) -> Value {
        Value::Object(self.map.into_iter().collect())
    }

    /// The arguments as a sorted map.
    pub fn into_map(self) -> BTreeMap<String, Value> {
        self.map
    }
}

/// Builds a [`BlockShape`] (used by generated code).
#[doc(hidden)]
pub fn arg_shape<A: Argument + ?Sized>(name: &str) -> ArgShape {
    shape_of(name, A::REQUIRED, A::kind(), A::REFERENCE)
}

/// The body of `arg_shape`, not generic: each argument type's instance is only the reads of
/// its constants and `kind()`.
fn shape_of(name: &str, required: bool, kind: ArgKind, reference: bool) -> ArgShape {
    ArgShape {
        name: name.to_owned(),
        required,
        kind,
        reference,
    }
}

// Not suggested in errors: a wrong field type should read "cannot be a Terraform argument",
// not list every block type of the crate.
#[diagnostic::do_not_recommend]
impl<B: Block> Argument for B {
    fn to_value(&self) -> Option<Value> {
        let mut args = Args::new();
        self.write_args(&mut args);
        Some(args.into_value())
    }
    fn kind() -> ArgKind {
        ArgKind::Block {
            repeated: false,
            shape: B::shape(),
        }
    }
}

impl Argument for Text {
    fn to_value(&self) -> Option<Value> {
        Some(Value::String(self.render()))
    }
    fn kind() -> ArgKind {
        ArgKind::String
    }
}

impl Argument for String {
    fn to_value(&self) -> Option<Value> {
        Text::literal(self.as_str()).to_value()
    }
    fn kind() -> ArgKind {
        ArgKind::String
    }
}

impl Argument for bool {
    fn to_value(&self) -> Option<Value> {
        Some(Value::Bool(*self))
    }
    fn kind() -> ArgKind {
        ArgKind::Bool
    }
}

macro_rules! number_argument {
    ($($t:ty),*) => {$(
        impl Argument for $t {
            fn to_value(&self) -> Option<Value> {
                Some(Value::from(*self))
            }
            fn kind() -> ArgKind {
                ArgKind::Number
            }
        }
    )*};
}
number_argument!(u8, u16, u32, u64, i32, i64);

impl Argument for f64 {
    fn to_value(&self) -> Option<Value> {
        serde_json::Number::from_f64(*self).map(Value::Number)
    }
    fn kind() -> ArgKind {
        ArgKind::Number
    }
}

impl<K> Argument for Arn<K> {
    fn to_value(&self) -> Option<Value> {
        self.text().to_value()
    }
    fn kind() -> ArgKind {
        ArgKind::String
    }
    const REFERENCE: bool = true;
}

impl<K> Argument for Id<K> {
    fn to_value(&self) -> Option<Value> {
        self.text().to_value()
    }
    fn kind() -> ArgKind {
        ArgKind::String
    }
    const REFERENCE: bool = true;
}

impl<K> Argument for Name<K> {
    fn to_value(&self) -> Option<Value> {
        self.text().to_value()
    }
    fn kind() -> ArgKind {
        ArgKind::String
    }
    const REFERENCE: bool = true;
}

impl<K> Argument for Url<K> {
    fn to_value(&self) -> Option<Value> {
        self.text().to_value()
    }
    fn kind() -> ArgKind {
        ArgKind::String
    }
    const REFERENCE: bool = true;
}

impl<A: Argument> Argument for Option<A> {
    fn to_value(&self) -> Option<Value> {
        self.as_ref().and_then(A::to_value)
    }
    fn kind() -> ArgKind {
        A::kind()
    }
    const REQUIRED: bool = false;
    const REFERENCE: bool = A::REFERENCE;
}

impl<A: Argument> Argument for Vec<A> {
    fn to_value(&self) -> Option<Value> {
        if self.is_empty() {
            return None;
        }
        Some(Value::Array(self.iter().filter_map(A::to_value).collect()))
    }
    fn kind() -> ArgKind {
        match A::kind() {
            ArgKind::Block { shape, .. } => ArgKind::Block {
                repeated: true,
                shape,
            },
            other => ArgKind::List(Box::new(other)),
        }
    }
    const REQUIRED: bool = false;
    const REFERENCE: bool = A::REFERENCE;
}

/// A map: Terraform reads the keys of a map value as templates too, so they are escaped like
/// literal text.
impl<A: Argument> Argument for BTreeMap<String, A> {
    fn to_value(&self) -> Option<Value> {
        if self.is_empty() {
            return None;
        }
        Some(Value::Object(
            self.iter()
                .filter_map(|(k, v)| v.to_value().map(|v| (crate::text::escape(k), v)))
                .collect(),
        ))
    }
    fn kind() -> ArgKind {
        ArgKind::Map(Box::new(A::kind()))
    }
    const REQUIRED: bool = false;
    const REFERENCE: bool = A::REFERENCE;
}

/// A list argument that the provider requires to be set and non-empty (`subnet_ids` of a
/// function's VPC config, the trusted signing profiles of a code signing config).
///
/// Build it from a non-empty array (`[a, b].into()`; an empty array does not compile) or with
/// [`OneOrMore::new`] and [`OneOrMore::and`].
///
/// ```
/// use infra_core::OneOrMore;
/// let two: OneOrMore<&str> = ["a", "b"].into();
/// assert_eq!(two.as_slice(), &["a", "b"]);
/// assert_eq!(OneOrMore::new(1).and(2).as_slice(), &[1, 2]);
/// ```
///
/// ```compile_fail
/// use infra_core::OneOrMore;
/// let none: OneOrMore<&str> = [].into();
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OneOrMore<T>(Vec<T>);

impl<T> OneOrMore<T> {
    /// A list of one item.
    pub fn new(first: T) -> Self {
        Self(vec![first])
    }

    /// Appends an item.
    pub fn and(mut self, next: T) -> Self {
        self.0.push(next);
        self
    }

    /// The items.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// The items, as a `Vec` (never empty).
    ///
    /// ```
    /// use infra_core::OneOrMore;
    /// assert_eq!(OneOrMore::new(1).and(2).into_vec(), vec![1, 2]);
    /// ```
    pub fn into_vec(self) -> Vec<T> {
        self.0
    }
}

impl<T, const N: usize> From<[T; N]> for OneOrMore<T> {
    fn from(items: [T; N]) -> Self {
        const { assert!(N > 0, "the list needs at least one item") };
        Self(items.into())
    }
}

impl<A: Argument> Argument for OneOrMore<A> {
    fn to_value(&self) -> Option<Value> {
        Some(Value::Array(
            self.0.iter().filter_map(A::to_value).collect(),
        ))
    }
    fn kind() -> ArgKind {
        ArgKind::List(Box::new(A::kind()))
    }
    const REQUIRED: bool = true;
    const REFERENCE: bool = A::REFERENCE;
}

/// An argument the provider requires even where its Rust type could be empty (a map): it is
/// always written, `{}` included, and counts as set.
///
/// ```
/// use std::collections::BTreeMap;
/// use infra_core::{Argument, Text, args::Required};
/// let labels: Required<BTreeMap<String, Text>> = Required(BTreeMap::new());
/// assert_eq!(labels.to_value(), Some(serde_json::json!({})));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Required<A>(pub A);

impl<A: Argument> Argument for Required<A> {
    fn to_value(&self) -> Option<Value> {
        Some(self.0.to_value().unwrap_or_else(|| match A::kind() {
            ArgKind::List(_) => Value::Array(Vec::new()),
            _ => Value::Object(serde_json::Map::new()),
        }))
    }
    fn kind() -> ArgKind {
        A::kind()
    }
    const REQUIRED: bool = true;
    const REFERENCE: bool = A::REFERENCE;
}

/// A `dynamic` argument, or an object the model does not break down: any JSON value, whose
/// strings are written literally (a `${` in them is escaped, as in every other string).
///
/// ```
/// use infra_core::{Argument, JsonValue};
/// let v: JsonValue = serde_json::json!({"a": ["${x}", 1]});
/// assert_eq!(v.to_value(), Some(serde_json::json!({"a": ["$${x}", 1]})));
/// ```
impl Argument for Value {
    fn to_value(&self) -> Option<Value> {
        fn escape(v: &Value) -> Value {
            match v {
                Value::String(s) => Value::String(Text::literal(s.as_str()).render()),
                Value::Array(items) => Value::Array(items.iter().map(escape).collect()),
                Value::Object(map) => {
                    Value::Object(map.iter().map(|(k, v)| (k.clone(), escape(v))).collect())
                }
                other => other.clone(),
            }
        }
        (!self.is_null()).then(|| escape(self))
    }
    fn kind() -> ArgKind {
        ArgKind::Json
    }
}

/// Declares an open enum whose variants render as fixed Terraform strings.
///
/// Every enum made here also has an `Other(&'static str)` variant: a value the model does not
/// list yet (a runtime AWS added last week), written as given. No enum ever forces a
/// `raw_override`; when the model later lists the value, prefer the named variant (the two are
/// not equal as Rust values, though they render the same). `Other` is not checked against
/// anything; its text is escaped like any literal string.
///
/// ```
/// infra_core::string_enum! {
///     /// How a table is billed.
///     pub enum BillingMode {
///         /// On-demand capacity.
///         PayPerRequest = "PAY_PER_REQUEST",
///         /// Provisioned capacity.
///         Provisioned = "PROVISIONED",
///     }
/// }
/// assert_eq!(BillingMode::PayPerRequest.as_str(), "PAY_PER_REQUEST");
/// // A value the enum does not list:
/// assert_eq!(BillingMode::Other("ON_DEMAND_V2").as_str(), "ON_DEMAND_V2");
/// ```
#[macro_export]
macro_rules! string_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this enum does not list yet, written as given.
            Other(&'static str),
        }
        impl $name {
            /// The value as Terraform spells it.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Other(value) => value,
                }
            }
        }
        impl $crate::Argument for $name {
            fn to_value(&self) -> ::core::option::Option<$crate::__private::Value> {
                let text = match self {
                    // A listed value is a fixed Terraform string; another one is user text.
                    Self::Other(value) => $crate::Text::literal(*value).render(),
                    _ => self.as_str().to_owned(),
                };
                ::core::option::Option::Some($crate::__private::Value::String(text))
            }
            fn kind() -> $crate::shape::ArgKind {
                $crate::shape::ArgKind::String
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_and_empty_values_are_left_out() {
        let mut args = Args::new();
        args.put("a", &None::<Text>);
        args.put("b", &Vec::<Text>::new());
        args.put("c", &BTreeMap::<String, Text>::new());
        args.put("d", &Some(3u32));
        args.put("e", &vec![Text::from("x")]);
        assert_eq!(args.into_value(), serde_json::json!({"d": 3, "e": ["x"]}));
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(
            String::from("${x}").to_value(),
            Some(Value::String("$${x}".into()))
        );
    }

    #[test]
    fn map_keys_are_escaped_like_values() {
        let map = BTreeMap::from([("k-${a}-%{b}".to_owned(), Text::from("v-${c}"))]);
        assert_eq!(
            map.to_value(),
            Some(serde_json::json!({"k-$${a}-%%{b}": "v-$${c}"}))
        );
    }

    crate::string_enum! {
        /// A test enum.
        enum Color {
            /// Red.
            Red = "RED",
        }
    }

    #[test]
    fn an_open_enum_writes_listed_and_other_values() {
        assert_eq!(Color::Red.to_value(), Some(Value::String("RED".into())));
        assert_eq!(
            Color::Other("BLUE").to_value(),
            Some(Value::String("BLUE".into()))
        );
        // An unlisted value is user text: escaped like any literal.
        assert_eq!(
            Color::Other("${x}").to_value(),
            Some(Value::String("$${x}".into()))
        );
        assert_eq!(Color::Other("BLUE").as_str(), "BLUE");
        assert_eq!(Color::kind(), ArgKind::String);
    }

    #[test]
    fn kinds_describe_rust_types() {
        assert_eq!(<Option<u32>>::kind(), ArgKind::Number);
        assert!(!arg_shape::<Option<u32>>("n").required);
        assert!(arg_shape::<u32>("n").required);
        assert_eq!(
            <Vec<Text>>::kind(),
            ArgKind::List(Box::new(ArgKind::String))
        );
    }
}
