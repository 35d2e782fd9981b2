//! Checking a request against the catalogue before it is sent.
//!
//! Every shape implements [`Validate`] through `#[scm_macros::shape]`: required fields,
//! one-of groups, lengths in characters (a Chinese character counts one), decimal digits
//! and non-empty required lists. All violations are collected, each with its path in wire
//! names (`docList[0].lineList[2].qty`).

use std::fmt;

/// One rule a value breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where, in wire names: `docList[0].lineList[2].qty`.
    pub path: String,
    /// What is wrong: `required`, `longer than 20 characters (23)` …
    pub message: String,
}

impl Violation {
    /// A violation of the field `wire` below `prefix` (as built by [`item_prefix`]).
    pub fn new(prefix: &str, wire: &str, message: impl Into<String>) -> Self {
        Violation {
            path: format!("{prefix}{wire}"),
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every violation of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The violations, in field order.
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(f, "{n} invalid field{}: ", if n == 1 { "" } else { "s" })?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// A value that can be checked against the catalogue's rules.
pub trait Validate {
    /// Appends every violation of this value, its paths starting with `prefix`.
    fn validate_at(&self, prefix: &str, out: &mut Vec<Violation>);

    /// Checks the value; lists every violation at once.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        self.validate_at("", &mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations })
        }
    }
}

/// The prefix of the fields of an item: `docList[0].` for a list item, `parameters.` for
/// an object.
pub fn item_prefix(prefix: &str, wire: &str, index: Option<usize>) -> String {
    match index {
        Some(i) => format!("{prefix}{wire}[{i}]."),
        None => format!("{prefix}{wire}."),
    }
}

/// A message when `value` has more than `max` characters.
pub fn check_len(value: &str, max: usize) -> Option<String> {
    let n = value.chars().count();
    (n > max).then(|| format!("longer than {max} characters ({n})"))
}

/// A message when `value` has more digits than `decimal(precision, scale)` allows.
pub fn check_decimal(value: &rust_decimal::Decimal, precision: u32, scale: u32) -> Option<String> {
    let v = value.normalize();
    if v.scale() > scale {
        return Some(format!("more than {scale} digits after the point ({v})"));
    }
    let int_digits = v.trunc().abs().to_string().trim_start_matches('0').len() as u32;
    let max_int = precision - scale;
    (int_digits > max_int).then(|| format!("more than {max_int} digits before the point ({v})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn lengths_count_characters() {
        assert_eq!(check_len("采购订单", 4), None);
        assert_eq!(
            check_len("采购订单-进口", 4).as_deref(),
            Some("longer than 4 characters (7)")
        );
    }

    #[test]
    fn decimals_check_both_sides_of_the_point() {
        assert_eq!(check_decimal(&Decimal::new(650, 2), 16, 2), None);
        assert_eq!(
            check_decimal(&Decimal::new(6500, 3), 16, 2),
            None,
            "trailing zeros are free"
        );
        assert!(check_decimal(&Decimal::new(6501, 3), 16, 2).is_some());
        assert!(check_decimal(&Decimal::new(1_000_000, 0), 8, 2).is_some());
        assert_eq!(check_decimal(&Decimal::new(999_999, 0), 8, 2), None);
    }
}
