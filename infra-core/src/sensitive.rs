//! Sensitive values and the sinks that may receive them.
//!
//! A [`Sensitive`] value (an API key, a secret) renders like any other argument, but it does not
//! implement [`PlainValue`] or [`Interpolate`](crate::Interpolate): it cannot become a plain output,
//! a plain environment variable or part of a plain string. Only sinks that take `Sensitive` accept
//! it: sensitive outputs, SSM `SecureString` parameters and other secret stores.

use serde_json::Value;

use crate::args::Argument;
use crate::refs::{Arn, FromAttribute, Id, Name, Node, Url};
use crate::shape::ArgKind;
use crate::text::Text;

/// A value that must not be shown in plain text.
///
/// ```
/// use infra_core::{Sensitive, Text};
/// let secret = Sensitive::new(Text::expression("aws_api_gateway_api_key.k.value"));
/// assert_eq!(secret.expose().render(), "${aws_api_gateway_api_key.k.value}");
/// assert_eq!(format!("{secret:?}"), "Sensitive(***)");
/// ```
#[derive(Clone, PartialEq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Marks a value as sensitive.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The wrapped value, for a sensitive sink to render.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> std::fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sensitive(***)")
    }
}

impl FromAttribute for Sensitive<Text> {
    fn from_attribute(node: &Node, attribute: &str) -> Self {
        Sensitive(node.attribute(attribute))
    }
}

impl<A: Argument> Argument for Sensitive<A> {
    fn to_value(&self) -> Option<Value> {
        self.0.to_value()
    }
    fn kind() -> ArgKind {
        A::kind()
    }
    const REQUIRED: bool = A::REQUIRED;
}

/// A value that may be shown in plain text: a plain output, an environment variable, a tag.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a plain value",
    label = "this value may be secret",
    note = "a `Sensitive` value may flow only into sensitive sinks: `sensitive_output`, an SSM `SecureString` parameter, or another argument typed `Sensitive<_>`"
)]
pub trait PlainValue {
    /// The value as text.
    fn plain_text(&self) -> Text;
}

impl PlainValue for Text {
    fn plain_text(&self) -> Text {
        self.clone()
    }
}
impl PlainValue for &str {
    fn plain_text(&self) -> Text {
        Text::literal(*self)
    }
}
impl PlainValue for String {
    fn plain_text(&self) -> Text {
        Text::literal(self.as_str())
    }
}
impl<K> PlainValue for Arn<K> {
    fn plain_text(&self) -> Text {
        self.text().clone()
    }
}
impl<K> PlainValue for Id<K> {
    fn plain_text(&self) -> Text {
        self.text().clone()
    }
}
impl<K> PlainValue for Name<K> {
    fn plain_text(&self) -> Text {
        self.text().clone()
    }
}
impl<K> PlainValue for Url<K> {
    fn plain_text(&self) -> Text {
        self.text().clone()
    }
}
impl<T: PlainValue> PlainValue for &T {
    fn plain_text(&self) -> Text {
        (**self).plain_text()
    }
}
