//! The crate's one reader of Terraform templates (`"arn:${aws_kms_key.main.arn}"`) and bare
//! expressions (`depends_on` entries such as `aws_kms_key.main`).
//!
//! It splits a template into its literal text and its `${…}`/`%{…}` sequences (see
//! [`segments`]; [`crate::Text::parse`] is built on it), and finds every traversal
//! (`root.name[index].attr…`) in the expression text, skipping function names, keywords, `for`
//! iterators, and string literals (whose own `${…}` are read in turn). `$${` and `%%{` are
//! literal text, as in Terraform: `$` or `%` followed by `{` is doubled to be literal. This is not
//! a full HCL parser (heredocs inside expressions are not read).

/// One step after the root of a traversal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// `.name`.
    Attr(String),
    /// `[…]`, `.*`, `[*]` or a legacy `.0`.
    Index,
}

/// A reference such as `aws_kms_key.main.arn` or `var.region`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Traversal {
    /// The first name (`aws_kms_key`, `var`, `data`).
    pub root: String,
    /// Everything after it.
    pub steps: Vec<Step>,
}

impl Traversal {
    /// The root and the first `n` steps, as written (`[…]` for any index).
    pub fn prefix(&self, n: usize) -> String {
        let mut out = self.root.clone();
        for step in self.steps.iter().take(n) {
            match step {
                Step::Attr(name) => {
                    out.push('.');
                    out.push_str(name);
                }
                Step::Index => out.push_str("[…]"),
            }
        }
        out
    }

    /// The name of step `i`, if it is an attribute step.
    pub fn attr(&self, i: usize) -> Option<&str> {
        match self.steps.get(i) {
            Some(Step::Attr(name)) => Some(name),
            _ => None,
        }
    }
}

/// One top-level piece of a template string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment<'a> {
    /// Literal text, unescaped (`$${` read as `${`).
    Literal(String),
    /// The expression inside a `${…}`.
    Interpolation(&'a str),
    /// The directive inside a `%{…}`.
    Directive(&'a str),
}

/// A template's literal text and `${…}`/`%{…}` sequences, in order; adjacent literal text is
/// one segment.
pub(crate) fn segments(text: &str) -> Result<Vec<Segment<'_>>, String> {
    let mut scanner = Scanner::new(text);
    scanner.template(false)?;
    Ok(scanner.segments)
}

/// Whether a string holds a `${…}` or `%{…}` sequence (escaped ones do not count).
pub(crate) fn has_template(text: &str) -> bool {
    let s = text.as_bytes();
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(b"$${") || s[i..].starts_with(b"%%{") {
            i += 3;
        } else if s[i..].starts_with(b"${") || s[i..].starts_with(b"%{") {
            return true;
        } else {
            i += 1;
        }
    }
    false
}

/// The traversals in every `${…}` and `%{…}` of a template string.
pub(crate) fn template_traversals(text: &str) -> Result<Vec<Traversal>, String> {
    let mut scanner = Scanner::new(text);
    scanner.template(false)?;
    Ok(scanner.found)
}

/// The escaped references in a template's literal text: `$${aws_kms_key.k.arn}` is literal text
/// that reads like a resource or data source reference, almost always one pasted into a string
/// (through `format!("{:?}", …)` or `render()`) instead of interpolated. Returns each as written
/// after the `$${` (`aws_kms_key.k.arn`); a template that cannot be read has none.
pub(crate) fn pasted_references(text: &str) -> Vec<String> {
    // Cheap test first: nearly every string has no `$${` at all.
    if !text.contains("$${") {
        return Vec::new();
    }
    let Ok(segments) = segments(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for segment in &segments {
        let Segment::Literal(literal) = segment else {
            continue;
        };
        let mut rest = literal.as_str();
        while let Some(at) = rest.find("${") {
            rest = &rest[at + 2..];
            if rest.starts_with("aws_") || rest.starts_with("data.") {
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || "_-.[]*".contains(c)))
                    .unwrap_or(rest.len());
                found.push(rest[..end].to_owned());
            }
        }
    }
    found
}

/// The traversals in a bare expression, such as a `depends_on` entry.
pub(crate) fn expression_traversals(text: &str) -> Result<Vec<Traversal>, String> {
    let mut scanner = Scanner::new(text);
    scanner.expression(None)?;
    Ok(scanner.found)
}

const KEYWORDS: &[&str] = &[
    "true", "false", "null", "in", "if", "else", "endif", "endfor",
];

struct Scanner<'a> {
    text: &'a str,
    s: &'a [u8],
    i: usize,
    found: Vec<Traversal>,
    iterators: Vec<String>,
    /// The top-level segments, filled by `template(false)`.
    segments: Vec<Segment<'a>>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            text,
            s: text.as_bytes(),
            i: 0,
            found: Vec::new(),
            iterators: Vec::new(),
            segments: Vec::new(),
        }
    }

    /// Adds literal text to the top-level segments.
    fn literal(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.segments.last_mut() {
            Some(Segment::Literal(last)) => last.push_str(text),
            _ => self.segments.push(Segment::Literal(text.to_owned())),
        }
    }

    fn rest(&self) -> &[u8] {
        &self.s[self.i..]
    }

    /// Template text, up to the end (`quoted` false: the top level, whose segments are
    /// recorded) or an unescaped closing quote (a string literal inside an expression).
    fn template(&mut self, quoted: bool) -> Result<(), String> {
        let top = !quoted;
        // Start of the literal text not yet recorded (top level only).
        let mut start = self.i;
        loop {
            let Some(&c) = self.s.get(self.i) else {
                if quoted {
                    return Err("unterminated string literal".to_owned());
                }
                let text = self.text;
                self.literal(&text[start..]);
                return Ok(());
            };
            if quoted && c == b'\\' {
                self.i += 2;
            } else if quoted && c == b'"' {
                self.i += 1;
                return Ok(());
            } else if self.rest().starts_with(b"$${") || self.rest().starts_with(b"%%{") {
                if top {
                    let text = self.text;
                    // Everything up to the escape, then the escape's meaning (`${` or `%{`).
                    self.literal(&text[start..self.i]);
                    self.literal(&text[self.i + 1..self.i + 3]);
                    start = self.i + 3;
                }
                self.i += 3;
            } else if self.rest().starts_with(b"${") || self.rest().starts_with(b"%{") {
                let open = self.i;
                self.i += 2;
                self.expression(Some(b'}'))?;
                if top {
                    let text = self.text;
                    self.literal(&text[start..open]);
                    let inner = &text[open + 2..self.i - 1];
                    self.segments.push(if c == b'$' {
                        Segment::Interpolation(inner)
                    } else {
                        Segment::Directive(inner)
                    });
                    start = self.i;
                }
            } else {
                self.i += 1;
            }
        }
    }

    /// Expression text up to and including `close` at depth zero (or to the end for `None`).
    fn expression(&mut self, close: Option<u8>) -> Result<(), String> {
        loop {
            let Some(&c) = self.s.get(self.i) else {
                return match close {
                    Some(close) => Err(format!("missing closing `{}`", close as char)),
                    None => Ok(()),
                };
            };
            if Some(c) == close {
                self.i += 1;
                return Ok(());
            }
            match c {
                b'"' => {
                    self.i += 1;
                    self.template(true)?;
                }
                b'{' => {
                    self.i += 1;
                    self.expression(Some(b'}'))?;
                }
                b'(' => {
                    self.i += 1;
                    self.expression(Some(b')'))?;
                }
                b'[' => {
                    self.i += 1;
                    self.expression(Some(b']'))?;
                }
                b'}' | b')' | b']' => return Err(format!("unexpected `{}`", c as char)),
                b'0'..=b'9' => {
                    while self
                        .s
                        .get(self.i)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.')
                    {
                        self.i += 1;
                    }
                }
                c if is_ident_start(c) => self.traversal()?,
                _ => self.i += 1,
            }
        }
    }

    fn ident(&mut self) -> String {
        let start = self.i;
        while self.s.get(self.i).is_some_and(|c| is_ident_char(*c)) {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
    }

    fn skip_spaces(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn traversal(&mut self) -> Result<(), String> {
        let root = self.ident();
        // `provider::aws::arn_parse(…)`: a provider-defined function.
        if self.rest().starts_with(b"::") {
            while self.rest().starts_with(b"::") {
                self.i += 2;
                self.ident();
            }
            return Ok(());
        }
        if root == "for" {
            // `for k, v in …`: `k` and `v` name elements, not declarations.
            loop {
                self.skip_spaces();
                if !self.s.get(self.i).copied().is_some_and(is_ident_start) {
                    break;
                }
                let name = self.ident();
                if name == "in" {
                    break;
                }
                self.iterators.push(name);
                self.skip_spaces();
                if self.s.get(self.i) == Some(&b',') {
                    self.i += 1;
                }
            }
            return Ok(());
        }
        if KEYWORDS.contains(&root.as_str()) {
            return Ok(());
        }
        let mut steps = Vec::new();
        loop {
            match (self.s.get(self.i), self.s.get(self.i + 1)) {
                (Some(b'.'), Some(&c)) if is_ident_start(c) => {
                    self.i += 1;
                    steps.push(Step::Attr(self.ident()));
                }
                (Some(b'.'), Some(b'*')) => {
                    self.i += 2;
                    steps.push(Step::Index);
                }
                (Some(b'.'), Some(c)) if c.is_ascii_digit() => {
                    self.i += 1;
                    while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                        self.i += 1;
                    }
                    steps.push(Step::Index);
                }
                (Some(b'['), _) => {
                    self.i += 1;
                    self.expression(Some(b']'))?;
                    steps.push(Step::Index);
                }
                _ => break,
            }
        }
        let call = {
            let save = self.i;
            self.skip_spaces();
            let call = self.s.get(self.i) == Some(&b'(');
            self.i = save;
            call
        };
        // A bare name is a function, an object key or an iterator; none is a reference.
        if !call && !steps.is_empty() && !self.iterators.contains(&root) {
            self.found.push(Traversal { root, steps });
        }
        Ok(())
    }
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(text: &str) -> Vec<String> {
        template_traversals(text)
            .unwrap()
            .iter()
            .map(|t| t.prefix(t.steps.len()))
            .collect()
    }

    #[test]
    fn finds_references_in_templates() {
        assert_eq!(refs("${aws_kms_key.main.arn}"), ["aws_kms_key.main.arn"]);
        assert_eq!(
            refs("arn:${data.aws_partition.current.partition}:s3:::${var.bucket}/*"),
            ["data.aws_partition.current.partition", "var.bucket"]
        );
        assert_eq!(
            refs(r#"${replace(aws_x.y.arn, "a", "b")}"#),
            ["aws_x.y.arn"]
        );
        assert_eq!(
            refs("${aws_subnet.private[count.index].id}"),
            ["count.index", "aws_subnet.private[…].id"]
        );
        assert_eq!(
            refs("${aws_subnet.private.*.id}"),
            ["aws_subnet.private[…].id"]
        );
    }

    #[test]
    fn reads_nested_strings_braces_and_function_calls() {
        assert_eq!(
            refs(r#"${jsonencode({ "Resource" = "${aws_s3_bucket.b.arn}/*", Effect = "Allow" })}"#),
            ["aws_s3_bucket.b.arn"]
        );
        assert_eq!(
            refs(r#"${filebase64sha256("${path.module}/lambda.zip")}"#),
            ["path.module"]
        );
        assert_eq!(refs(r#"${format("}%s{", local.x)}"#), ["local.x"]);
        assert_eq!(
            refs("${provider::aws::arn_parse(var.arn).region}"),
            ["var.arn"]
        );
    }

    #[test]
    fn skips_for_iterators_and_keywords() {
        assert_eq!(
            refs("${[for s in var.subnets : s.id if s.public == true]}"),
            ["var.subnets"]
        );
        assert_eq!(
            refs("%{ for k, v in local.tags }${k}=${v.value}%{ endfor }"),
            ["local.tags"]
        );
    }

    #[test]
    fn escaped_templates_are_literal_text() {
        assert!(refs("$${aws_kms_key.nope.arn}").is_empty());
        assert!(refs("%%{ if var.x }").is_empty());
        assert!(!has_template("cost: $${amount} and 100%%{x}"));
        assert!(has_template("a ${var.x}"));
        assert!(has_template("%{ if true }x%{ endif }"));
        assert_eq!(refs("$${literal} ${var.real}"), ["var.real"]);
    }

    #[test]
    fn reports_unterminated_templates() {
        assert!(template_traversals("${aws_kms_key.main.arn").is_err());
        assert!(template_traversals(r#"${upper("abc)}"#).is_err());
        assert!(template_traversals("${var.x)}").is_err());
    }

    #[test]
    fn splits_templates_into_literal_text_and_sequences() {
        use Segment::*;
        assert_eq!(segments("").unwrap(), []);
        assert_eq!(
            segments(r#"a$${b}%%{c}${replace(var.x, "}", "")}d%{ if x }e"#).unwrap(),
            [
                Literal("a${b}%{c}".into()),
                Interpolation(r#"replace(var.x, "}", "")"#),
                Literal("d".into()),
                Directive(" if x "),
                Literal("e".into()),
            ]
        );
        // `$` before `$${` is a literal `$`; `$` before `${` starts the escape.
        assert_eq!(segments("$$${x}").unwrap(), [Literal("$${x}".into())]);
        assert_eq!(
            segments("é${a}ü").unwrap(),
            [Literal("é".into()), Interpolation("a"), Literal("ü".into())]
        );
        assert!(segments("${a").is_err());
    }

    #[test]
    fn finds_escaped_references_in_literal_text_only() {
        assert_eq!(
            pasted_references("Arn<kms::Key>($${aws_kms_key.k.arn}) $${data.aws_region.r.name}"),
            ["aws_kms_key.k.arn", "data.aws_region.r.name"]
        );
        assert!(pasted_references("${aws_kms_key.k.arn} $${aws:username} $${var.x}").is_empty());
        assert!(pasted_references(r#"${replace(x, "$${aws_a.b}", "")}"#).is_empty());
        assert!(pasted_references("no sequences at all").is_empty());
    }

    #[test]
    fn reads_bare_expressions() {
        let found = expression_traversals("aws_kms_key.main").unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].root, "aws_kms_key");
        assert_eq!(found[0].attr(0), Some("main"));
        assert_eq!(found[0].attr(1), None);
    }
}
