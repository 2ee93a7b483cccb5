//! Detection of primary account numbers (card numbers) in untrusted text.
//!
//! The function accepts card *tokens* only. Any body, header or string value that contains
//! something that looks like a PAN is rejected before it is parsed further, and is never logged
//! or echoed. "Looks like a PAN" means: a maximal run of 13 to 19 digits, optionally grouped by
//! single spaces or dashes (`4111 1111 1111 1111`, `4111-1111-1111-1111`), whose first digit is
//! a major-network prefix (2 to 6) and which passes the Luhn check. The prefix rule keeps epoch
//! timestamps (which start with `1`) from being mistaken for card numbers.

/// Shortest PAN length (ISO/IEC 7812 allows 8, but no network issues fewer than 13 digits).
pub const MIN_PAN_DIGITS: usize = 13;
/// Longest PAN length.
pub const MAX_PAN_DIGITS: usize = 19;

/// Returns true when `text` contains a digit run that looks like a card number.
///
/// ```
/// assert!(lambda::pan::contains_pan("card 4111 1111 1111 1111 exp 12/30"));
/// assert!(!lambda::pan::contains_pan("order 1700000000000"));
/// ```
pub fn contains_pan(text: &str) -> bool {
    contains_pan_bytes(text.as_bytes())
}

/// Byte version of [`contains_pan`], for bodies that are not (yet) known to be UTF-8.
pub fn contains_pan_bytes(bytes: &[u8]) -> bool {
    let mut digits: Vec<u8> = Vec::with_capacity(MAX_PAN_DIGITS + 1);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            // A run only starts where the previous byte is not a digit.
            digits.push(b - b'0');
            i += 1;
            continue;
        }
        let is_separator = (b == b' ' || b == b'-')
            && !digits.is_empty()
            && i + 1 < bytes.len()
            && bytes[i + 1].is_ascii_digit()
            && i > 0
            && bytes[i - 1].is_ascii_digit();
        if is_separator {
            i += 1;
            continue;
        }
        if looks_like_pan(&digits) {
            return true;
        }
        digits.clear();
        i += 1;
    }
    looks_like_pan(&digits)
}

fn looks_like_pan(digits: &[u8]) -> bool {
    (MIN_PAN_DIGITS..=MAX_PAN_DIGITS).contains(&digits.len())
        && (2..=6).contains(&digits[0])
        && luhn_valid(digits)
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
            ("4111111111111112", false),     // Luhn fails
            ("1700000000000", false),        // epoch millis: prefix 1
            ("4111  1111 1111 1111", false), // double separator splits the run
            ("411111111111", false),         // 12 digits
            ("41111111111111111111", false), // 20 digits
            ("", false),
            ("no digits here", false),
            ("12345", false),
            ("2024-01-15", false),
        ];
        for (text, expected) in cases {
            assert_eq!(contains_pan(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]));
        assert!(!luhn_valid(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 4]));
        assert!(!luhn_valid(&[]));
    }
}
