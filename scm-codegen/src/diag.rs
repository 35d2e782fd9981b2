//! Diagnostics: errors that point into the catalogue as `spec/file.yaml:line:col: message`.

use std::fmt;

/// One problem found in the catalogue, located in its source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as shown to the user (for example `spec/catalogue.yaml`).
    pub file: String,
    /// One-based line; 0 when the place is not known.
    pub line: u64,
    /// One-based column; 0 when the place is not known.
    pub column: u64,
    /// What is wrong, one lowercase line.
    pub message: String,
    /// How to fix it, where a hint helps.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at a known place.
    pub fn new(file: &str, at: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_owned(),
            line: at.line,
            column: at.column,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint shown under the message.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A line and column in a catalogue file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// One-based line.
    pub line: u64,
    /// One-based column.
    pub column: u64,
}

impl From<serde_saphyr::Location> for Pos {
    fn from(loc: serde_saphyr::Location) -> Self {
        Pos {
            line: loc.line(),
            column: loc.column(),
        }
    }
}

/// Every diagnostic of a failed load, sorted by file, line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Sorts and removes exact repeats, so the report reads top to bottom.
    pub fn sorted(mut list: Vec<Diagnostic>) -> Self {
        list.sort();
        list.dedup();
        Diagnostics(list)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "{n} error{} in the catalogue",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

/// The closest candidate to `word` by edit distance, if it is close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&word.to_lowercase(), &c.to_lowercase());
        if d <= 2.max(word.chars().count() / 3) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("bigdecmal", ["decimal", "string"]), None);
        assert_eq!(
            did_you_mean("decmal", ["decimal", "string"]),
            Some("decimal")
        );
        assert_eq!(did_you_mean("strin", ["decimal", "string"]), Some("string"));
        assert_eq!(did_you_mean("xyz", ["decimal", "string"]), None);
    }
}
