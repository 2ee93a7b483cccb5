//! Detection of primary account numbers (card numbers) in untrusted text.
//!
//! The function accepts card *tokens* only. Any body, header or string value that contains
//! something that looks like a PAN is rejected before it is parsed further, and is never logged
//! or echoed; the log writer masks anything that still looks like one ([`find_pans`]).
//!
//! "Looks like a PAN", after normalisation:
//!
//! - **digits** are any Unicode decimal digit (general category `Nd`: ASCII, full-width
//!   `４１１１`, Arabic-Indic, Devanagari, mathematical…), read by value ([`digit_value`]);
//! - digits form **groups** (maximal runs of digits); groups separated by one to
//!   [`MAX_SEPARATOR_RUN`] **separators** ([`is_separator`]: spaces of every width including
//!   no-break and zero-width ones, hyphens and dashes, dots and middle dots) form a **run**;
//! - a run contains a PAN when some consecutive groups of it hold 13 to 19 digits in total,
//!   start with a major industry identifier that issues cards, and pass the Luhn check. So
//!   `4111 1111 1111 1111 2030` (a card followed by a year) is found, while one unbroken group
//!   longer than 19 digits (an id, a hash) is not a card number.
//!
//! Major industry identifiers (ISO/IEC 7812, the first digit): `1` (airlines: UATP, always 15
//! digits, which also keeps 13-digit epoch milliseconds and 16-digit microseconds out), `2` to
//! `6` (Mastercard, Amex, Visa, Discover, …), `7` (petroleum), `8` (healthcare,
//! telecommunications), `9` (national assignment: Troy `9792`, …). `0` is reserved for ISO/TC 68
//! and is issued to no card.

use std::ops::Range;

/// Shortest PAN length (ISO/IEC 7812 allows 8, but no network issues fewer than 13 digits).
pub const MIN_PAN_DIGITS: usize = 13;
/// Longest PAN length.
pub const MAX_PAN_DIGITS: usize = 19;
/// Length of a UATP card number, the only one starting with `1`.
pub const UATP_DIGITS: usize = 15;
/// Most separator characters between two digit groups of one run (`4111 - 1111`).
pub const MAX_SEPARATOR_RUN: usize = 3;

/// The first code point of every block of ten Unicode decimal digits (category `Nd`, Unicode
/// 14; each block holds the digits 0 to 9 in order). Generated with Python's `unicodedata`:
/// `[c for c in range(0x110000) if unicodedata.category(chr(c)) == 'Nd' and unicodedata.decimal(chr(c)) == 0]`.
const DIGIT_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The value of `c` when it is a Unicode decimal digit (`'7'`, `'７'`, `'٧'`, `'𝟕'`).
pub fn digit_value(c: char) -> Option<u8> {
    let cp = u32::from(c);
    if c.is_ascii() {
        return c.is_ascii_digit().then(|| (cp - 0x30) as u8);
    }
    let block = DIGIT_ZEROS
        .partition_point(|&zero| zero <= cp)
        .checked_sub(1)?;
    let offset = cp - DIGIT_ZEROS[block];
    // `offset < 10` makes the cast lossless.
    (offset < 10).then_some(offset as u8)
}

/// True for the characters that may separate digit groups of one card number: spaces (any
/// width, no-break, zero-width), hyphens, dashes and minus signs, dots and middle dots, and
/// their full-width forms.
pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '-'
            | '.'
            | '\u{00A0}' // no-break space
            | '\u{00AD}' // soft hyphen
            | '\u{00B7}' // middle dot
            | '\u{2000}'..='\u{200D}' // en quad … zero-width joiner
            | '\u{2010}'..='\u{2015}' // hyphen … horizontal bar
            | '\u{2024}' // one dot leader
            | '\u{2027}' // hyphenation point
            | '\u{202F}' // narrow no-break space
            | '\u{205F}' // medium mathematical space
            | '\u{2060}' // word joiner
            | '\u{2212}' // minus sign
            | '\u{2E3A}' | '\u{2E3B}' // two- and three-em dash
            | '\u{3000}' // ideographic space
            | '\u{30FB}' // katakana middle dot
            | '\u{FE58}' | '\u{FE63}' // small em dash, small hyphen-minus
            | '\u{FEFF}' // zero-width no-break space
            | '\u{FF0D}' // full-width hyphen-minus
            | '\u{FF0E}' // full-width full stop
            | '\u{FF65}' // half-width katakana middle dot
    )
}

/// Returns true when `text` contains a digit run that looks like a card number.
///
/// ```
/// assert!(lambda::pan::contains_pan("card 4111 1111 1111 1111 exp 12/30"));
/// assert!(lambda::pan::contains_pan("card ４１１１．１１１１．１１１１．１１１１"));
/// assert!(!lambda::pan::contains_pan("order 1700000000000"));
/// ```
pub fn contains_pan(text: &str) -> bool {
    let mut found = false;
    scan(text, |_| {
        found = true;
        false
    });
    found
}

/// Byte version of [`contains_pan`], for bodies that are not (yet) known to be UTF-8: invalid
/// sequences count as neither digits nor separators.
pub fn contains_pan_bytes(bytes: &[u8]) -> bool {
    contains_pan(&String::from_utf8_lossy(bytes))
}

/// The byte ranges of `text` that hold a card number (first digit to last digit, separators
/// included), in order; ranges may overlap when one run holds several candidates.
pub fn find_pans(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    scan(text, |range| {
        found.push(range);
        true
    });
    found
}

/// A maximal run of digits: its digit values and byte range.
struct Group {
    digits: Vec<u8>,
    range: Range<usize>,
}

/// Calls `hit` with each PAN's byte range until it returns false.
fn scan(text: &str, mut hit: impl FnMut(Range<usize>) -> bool) {
    let mut run: Vec<Group> = Vec::new();
    let mut separators = 0usize;
    let mut more = true;
    for (i, c) in text.char_indices() {
        if !more {
            return;
        }
        if let Some(d) = digit_value(c) {
            let end = i + c.len_utf8();
            match run.last_mut() {
                Some(g) if separators == 0 => {
                    g.digits.push(d);
                    g.range.end = end;
                }
                _ => run.push(Group {
                    digits: vec![d],
                    range: i..end,
                }),
            }
            separators = 0;
        } else if is_separator(c) && !run.is_empty() && separators < MAX_SEPARATOR_RUN {
            separators += 1;
        } else {
            more = check_run(&run, &mut hit);
            run.clear();
            separators = 0;
        }
    }
    if more {
        check_run(&run, &mut hit);
    }
}

/// Checks every span of consecutive groups of `run`; false when `hit` asked to stop.
fn check_run(run: &[Group], hit: &mut impl FnMut(Range<usize>) -> bool) -> bool {
    let mut digits: Vec<u8> = Vec::with_capacity(MAX_PAN_DIGITS);
    for first in 0..run.len() {
        digits.clear();
        for last in &run[first..] {
            digits.extend_from_slice(&last.digits);
            if digits.len() > MAX_PAN_DIGITS {
                break;
            }
            if looks_like_pan(&digits) && !hit(run[first].range.start..last.range.end) {
                return false;
            }
        }
    }
    true
}

fn looks_like_pan(digits: &[u8]) -> bool {
    let issuing = match digits.first() {
        Some(1) => digits.len() == UATP_DIGITS,
        Some(2..=9) => true,
        _ => false,
    };
    issuing && (MIN_PAN_DIGITS..=MAX_PAN_DIGITS).contains(&digits.len()) && luhn_valid(digits)
}

/// The Luhn (mod 10) check over decimal digits (each element `0..=9`).
pub fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    !digits.is_empty() && sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `4111111111111111` with each ASCII digit mapped into the digit block starting at `zero`.
    fn in_block(zero: u32) -> String {
        "4111111111111111"
            .chars()
            .map(|c| char::from_u32(zero + (u32::from(c) - 0x30)).unwrap())
            .collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, bool)] = &[
            ("4111111111111111", true),
            ("4111 1111 1111 1111", true),
            ("4111-1111-1111-1111", true),
            ("x4111111111111111y", true),
            ("tok_4111111111111111", true),
            ("{\"n\":4111111111111111}", true),
            ("378282246310005", true),       // Amex, 15 digits
            ("5555555555554444", true),      // Mastercard
            ("2223003122003222", true),      // Mastercard 2-series
            ("6011111111111117", true),      // Discover
            ("3530111333300000", true),      // JCB
            ("4111111111111112", false),     // Luhn fails
            ("1700000000000", false),        // epoch millis: prefix 1, 13 digits
            ("1700000000000001", false),     // epoch micros: prefix 1, 16 digits (Luhn-valid)
            ("411111111111", false),         // 12 digits
            ("41111111111111111111", false), // one 20-digit group: an id, not a card
            ("", false),
            ("no digits here", false),
            ("12345", false),
            ("2024-01-15", false),
            ("version 1.2.3.4", false),
            // The issue's gaps.
            ("4111.1111.1111.1111", true),                      // dots
            ("4111  1111  1111  1111", true),                   // double spaces
            ("4111\u{00A0}1111\u{00A0}1111\u{00A0}1111", true), // no-break spaces
            ("4111\u{202F}1111\u{2007}1111\u{2009}1111", true), // narrow, figure, thin spaces
            ("4111\u{200B}1111\u{200B}1111\u{200B}1111", true), // zero-width spaces
            ("4111\u{2013}1111\u{2014}1111\u{2212}1111", true), // en dash, em dash, minus
            ("4111 - 1111 - 1111 - 1111", true),                // spaced dashes
            ("４１１１１１１１１１１１１１１１", true),         // full-width digits
            ("４１１１　１１１１　１１１１　１１１１", true),   // and the ideographic space
            ("4111１１１１1111１１１１", true),                 // mixed widths
            ("4111    1111 1111 1111", false),                  // four spaces end the run
            ("4111 1111 1111 1111 2030", true),                 // a card, then a year
            ("order 12 4111 1111 1111 1111", true),             // a number, then a card
            // Every major industry identifier that issues cards.
            ("122000000000003", true),   // UATP (1), 15 digits
            ("1220000000000002", false), // 1 with 16 digits is not UATP
            ("9792000000000003", true),  // Troy (9)
            ("7000000000000005", true),  // petroleum (7)
            ("8000000000000003", true),  // healthcare (8)
            ("0000000000000000", false), // 0 issues no cards
        ];
        for (text, expected) in cases {
            assert_eq!(contains_pan(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn every_unicode_digit_block_is_read_by_value() {
        for (i, &zero) in DIGIT_ZEROS.iter().enumerate() {
            if i > 0 {
                assert!(
                    zero >= DIGIT_ZEROS[i - 1] + 10,
                    "sorted, disjoint: {zero:#X}"
                );
            }
            for d in 0..10u8 {
                let c = char::from_u32(zero + u32::from(d)).unwrap();
                assert!(c.is_numeric(), "{c:?} ({:#X})", u32::from(c));
                assert_eq!(digit_value(c), Some(d), "{c:?}");
            }
            assert!(contains_pan(&in_block(zero)), "digits from {zero:#X}");
        }
        for c in ['a', '/', '¹', '½', '①', 'Ⅳ', '\u{FF0F}'] {
            assert_eq!(digit_value(c), None, "{c:?}");
        }
    }

    #[test]
    fn ranges_cover_the_number_and_its_separators() {
        let text = "pay 4111 1111 1111 1111 now, then ５５５５５５５５５５５５４４４４";
        let found: Vec<&str> = find_pans(text).into_iter().map(|r| &text[r]).collect();
        assert!(found.contains(&"4111 1111 1111 1111"), "{found:?}");
        assert!(
            found.contains(&"５５５５５５５５５５５５４４４４"),
            "{found:?}"
        );
        assert!(find_pans("nothing 1234").is_empty());
        assert!(contains_pan_bytes(b"\xff4111111111111111\xfe"));
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]));
        assert!(!luhn_valid(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 4]));
        assert!(!luhn_valid(&[]));
    }
}
