//! Strings that may hold Terraform expressions: literal text, references and typed interpolation.
//!
//! A [`Text`] is a sequence of literal parts and expression parts. Literal parts are escaped when
//! rendered (`${` becomes `$${`, `%{` becomes `%%{`), so user text is never evaluated by Terraform;
//! expression parts render as `${…}`. There is no way to turn an arbitrary `String` into an
//! expression part except through the typed constructors of this crate and [`Text::expression`],
//! the documented raw escape hatch. [`Text::parse`] reads a rendered template back into its
//! parts.

use std::fmt;

use crate::template::{self, Segment};

/// One part of a [`Text`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Part {
    /// Literal text, escaped on rendering.
    Literal(String),
    /// A Terraform expression, rendered inside `${…}`.
    Expression(String),
}

/// A string argument value: literal text, a reference, or an interpolation of both.
///
/// ```
/// use infra_core::Text;
/// let literal = Text::from("cost is ${not evaluated}");
/// assert_eq!(literal.render(), "cost is $${not evaluated}");
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Text {
    parts: Vec<Part>,
}

impl Text {
    /// A literal string (escaped when rendered).
    pub fn literal(value: impl Into<String>) -> Self {
        let value = value.into();
        if value.is_empty() {
            return Self::default();
        }
        Self {
            parts: vec![Part::Literal(value)],
        }
    }

    /// A raw Terraform expression such as `filebase64sha256("x.zip")`, rendered as `${…}`.
    ///
    /// This is an escape hatch: prefer the typed accessors of resources. The expression is not
    /// checked here; the schema validator checks the references it contains.
    ///
    /// ```
    /// use infra_core::Text;
    /// assert_eq!(Text::expression("path.module").render(), "${path.module}");
    /// ```
    pub fn expression(expression: impl Into<String>) -> Self {
        Self {
            parts: vec![Part::Expression(expression.into())],
        }
    }

    /// Appends another text.
    pub fn push(&mut self, other: impl Into<Text>) {
        for part in other.into().parts {
            match (self.parts.last_mut(), part) {
                (Some(Part::Literal(last)), Part::Literal(next)) => last.push_str(&next),
                (_, part) => self.parts.push(part),
            }
        }
    }

    /// Appends literal text.
    pub fn push_str(&mut self, literal: &str) {
        self.push(Text::literal(literal));
    }

    /// `true` when the text has no parts.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The literal value, when the text holds no expression.
    pub fn as_literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Expression(_) => return None,
            }
        }
        Some(out)
    }

    /// When the text is exactly one expression, that expression (without `${}`).
    pub fn as_expression(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Expression(e)] => Some(e),
            _ => None,
        }
    }

    /// The Terraform JSON string: literals escaped, expressions as `${…}`.
    ///
    /// Literal `$`s right before an expression are written `${"$"}` (`${"$$"}`…), because `$${`
    /// would read as an escaped `${`.
    ///
    /// ```
    /// use infra_core::{interpolate, Text};
    /// let price = interpolate!("costs $ {} or ${{literal}}", Text::expression("var.price"));
    /// assert_eq!(price.render(), "costs $ ${var.price} or $${literal}");
    /// let tight = interpolate!("US${}", Text::expression("var.price"));
    /// assert_eq!(tight.render(), r#"US${"$"}${var.price}"#);
    /// assert_eq!(Text::parse(&tight.render()), Ok(tight));
    /// ```
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out, |literal, out| out.push_str(literal));
        out
    }

    /// The text as a JSON string literal (quotes included) inside a Terraform template whose
    /// result is JSON, such as a policy document: literal parts JSON-encoded and escaped,
    /// expressions as `${…}`, unencoded (Terraform reads them before the result is JSON).
    pub(crate) fn json_string_in_template(&self, out: &mut String) {
        out.push('"');
        self.render_into(out, |literal, out| {
            let quoted = serde_json::Value::from(literal).to_string();
            out.push_str(&quoted[1..quoted.len() - 1]);
        });
        out.push('"');
    }

    /// The text as a quoted string of a Terraform expression (`"a-${x}"`): literal parts with
    /// HCL's string escapes and escaped template sequences, expressions as `${…}`.
    pub(crate) fn hcl_quoted(&self) -> String {
        let mut out = String::from('"');
        self.render_into(&mut out, |literal, out| {
            for c in literal.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
        });
        out.push('"');
        out
    }

    /// Renders the parts: each literal encoded by `encode` (which must not add `$`, `%` or
    /// `{`) and then escaped, each expression as `${…}`.
    fn render_into(&self, out: &mut String, encode: impl Fn(&str, &mut String)) {
        let mut encoded = String::new();
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                Part::Literal(s) => {
                    // Every `$` right before `${` would make an escape: write that run of `$`
                    // as an expression of its own.
                    let before_expression =
                        matches!(self.parts.get(i + 1), Some(Part::Expression(_)));
                    let kept = if before_expression {
                        s.trim_end_matches('$')
                    } else {
                        s
                    };
                    encoded.clear();
                    encode(kept, &mut encoded);
                    escape_into(&encoded, out);
                    if kept.len() < s.len() {
                        out.push_str("${\"");
                        out.push_str(&s[kept.len()..]);
                        out.push_str("\"}");
                    }
                }
                Part::Expression(e) => {
                    out.push_str("${");
                    out.push_str(e);
                    out.push('}');
                }
            }
        }
    }

    /// Reads a rendered Terraform template back into its parts: the inverse of
    /// [`Text::render`] (`Text::parse(&t.render()) == Ok(t)` for every text whose expressions
    /// are well formed). Escapes are read as Terraform reads them (`$${` is a literal `${`),
    /// and an expression that is a string of `$`s only (`"$"`) as that literal text.
    ///
    /// ```
    /// use infra_core::{Text, TextPart};
    /// let text = Text::parse(r#"arn:${replace(var.x, "}", "")}/$${literal}"#).unwrap();
    /// assert_eq!(
    ///     text.parts().collect::<Vec<_>>(),
    ///     [
    ///         TextPart::Literal("arn:"),
    ///         TextPart::Expression(r#"replace(var.x, "}", "")"#),
    ///         TextPart::Literal("/${literal}"),
    ///     ]
    /// );
    /// assert!(Text::parse("${unterminated").is_err());
    /// assert!(Text::parse("%{ if true }x%{ endif }").is_err());
    /// ```
    pub fn parse(template: &str) -> Result<Text, TemplateError> {
        let error = |reason: String| TemplateError {
            template: template.to_owned(),
            reason,
        };
        let mut text = Text::default();
        for segment in template::segments(template).map_err(error)? {
            match segment {
                Segment::Literal(literal) => text.push_str(&literal),
                Segment::Interpolation(e) if dollars(e).is_some() => {
                    text.push_str(dollars(e).unwrap_or_default());
                }
                Segment::Interpolation(e) => text.push(Text::expression(e)),
                Segment::Directive(d) => {
                    return Err(error(format!(
                        "the directive `%{{{d}}}` cannot be held by a `Text`"
                    )));
                }
            }
        }
        Ok(text)
    }

    /// The parts, in order; adjacent literal parts are always merged into one.
    ///
    /// ```
    /// use infra_core::{interpolate, Text, TextPart};
    /// let t = interpolate!("{}/*", Text::expression("aws_s3_bucket.b.arn"));
    /// assert_eq!(
    ///     t.parts().collect::<Vec<_>>(),
    ///     [TextPart::Expression("aws_s3_bucket.b.arn"), TextPart::Literal("/*")]
    /// );
    /// ```
    pub fn parts(&self) -> impl Iterator<Item = TextPart<'_>> {
        self.parts.iter().map(|part| match part {
            Part::Literal(s) => TextPart::Literal(s),
            Part::Expression(e) => TextPart::Expression(e),
        })
    }
}

/// The `$`s of an expression that is a string of `$`s only (`"$$"`), the way [`Text::render`]
/// writes literal `$`s right before an expression.
fn dollars(expression: &str) -> Option<&str> {
    let inner = expression.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.is_empty() && inner.bytes().all(|b| b == b'$')).then_some(inner)
}

/// One part of a [`Text`], as [`Text::parts`] yields it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPart<'a> {
    /// Literal text, unescaped.
    Literal(&'a str),
    /// A Terraform expression, without the `${}` around it.
    Expression(&'a str),
}

/// A string that [`Text::parse`] cannot read as a template of literal text and `${…}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed template `{template}`: {reason}")]
pub struct TemplateError {
    template: String,
    reason: String,
}

/// `literal` with its Terraform template sequences escaped (`${` to `$${`, `%{` to `%%{`): how
/// literal text is written wherever Terraform reads a string as a template.
pub(crate) fn escape(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len());
    escape_into(literal, &mut out);
    out
}

/// Escapes Terraform template sequences in literal text.
fn escape_into(literal: &str, out: &mut String) {
    let mut chars = literal.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if (c == '$' || c == '%') && chars.peek() == Some(&'{') {
            out.push(c);
        }
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({:?})", self.render())
    }
}

impl From<&str> for Text {
    fn from(value: &str) -> Self {
        Text::literal(value)
    }
}

impl From<String> for Text {
    fn from(value: String) -> Self {
        Text::literal(value)
    }
}

impl From<&String> for Text {
    fn from(value: &String) -> Self {
        Text::literal(value.as_str())
    }
}

/// A value that can be interpolated into a [`Text`] with [`interpolate!`](crate::interpolate).
///
/// References (`Arn<_>`, `Id<_>`, `Name<_>`, `Url<_>`, [`Text`]) interpolate as `${…}`; literals are escaped.
/// [`Sensitive`](crate::Sensitive) values do not implement it, so a secret cannot be glued into
/// a plain string.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be interpolated into text",
    note = "interpolate references (`Arn<_>`, `Id<_>`, `Name<_>`, `Url<_>`, `Text`), string literals and numbers; a `Sensitive` value cannot be glued into a plain string"
)]
pub trait Interpolate {
    /// The value as text.
    fn to_text(&self) -> Text;
}

impl Interpolate for Text {
    fn to_text(&self) -> Text {
        self.clone()
    }
}
impl Interpolate for &str {
    fn to_text(&self) -> Text {
        Text::literal(*self)
    }
}
impl Interpolate for String {
    fn to_text(&self) -> Text {
        Text::literal(self.as_str())
    }
}
macro_rules! interpolate_number {
    ($($t:ty),*) => {$(
        impl Interpolate for $t {
            fn to_text(&self) -> Text {
                Text::literal(self.to_string())
            }
        }
    )*};
}
interpolate_number!(u8, u16, u32, u64, i32, i64, usize);

impl<T: Interpolate + ?Sized> Interpolate for &T {
    fn to_text(&self) -> Text {
        (**self).to_text()
    }
}

/// Builds a [`Text`] from a format string whose `{}` holes take typed values.
///
/// Each `{}` takes the next argument, which must implement [`Interpolate`]; literal parts of the
/// format string are escaped like any literal. `{{` and `}}` stand for literal braces.
///
/// ```
/// use infra_core::{interpolate, Text};
/// let bucket = Text::expression("aws_s3_bucket.audit.arn");
/// let objects = interpolate!("{}/audit/*", bucket);
/// assert_eq!(objects.render(), "${aws_s3_bucket.audit.arn}/audit/*");
/// ```
#[macro_export]
macro_rules! interpolate {
    ($fmt:literal $(, $arg:expr)* $(,)?) => {
        $crate::__private::interpolate($fmt, &[$(&$arg as &dyn $crate::Interpolate),*])
    };
}

/// Implementation of [`interpolate!`]: splits the format string at `{}` holes.
#[doc(hidden)]
pub fn interpolate_parts(format: &str, args: &[&dyn Interpolate]) -> Text {
    let mut out = Text::default();
    let mut literal = String::new();
    let mut args = args.iter();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('{', Some('{')) | ('}', Some('}')) => {
                chars.next();
                literal.push(c);
            }
            ('{', Some('}')) => {
                chars.next();
                out.push_str(&std::mem::take(&mut literal));
                match args.next() {
                    Some(arg) => out.push(arg.to_text()),
                    None => literal.push_str("{}"),
                }
            }
            _ => literal.push(c),
        }
    }
    out.push_str(&literal);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_template_sequences() {
        assert_eq!(
            Text::from("a ${b} %{c} $d %e").render(),
            "a $${b} %%{c} $d %e"
        );
        assert_eq!(Text::from("$${x}").render(), "$$${x}");
    }

    #[test]
    fn expressions_render_inside_braces() {
        let mut t = Text::from("arn:");
        t.push(Text::expression("aws_x.y.arn"));
        t.push_str("/*");
        assert_eq!(t.render(), "arn:${aws_x.y.arn}/*");
        assert_eq!(t.as_literal(), None);
        assert_eq!(Text::from("abc").as_literal().as_deref(), Some("abc"));
    }

    #[test]
    fn interpolation_fills_holes_in_order_and_escapes_literals() {
        let a = Text::expression("aws_a.b.arn");
        let t = crate::interpolate!("${{x}} {}-{} {{}}", a, 7u32);
        assert_eq!(t.render(), "$${x} ${aws_a.b.arn}-7 {}");
    }
}
