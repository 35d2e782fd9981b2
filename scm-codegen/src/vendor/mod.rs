//! The vendor diff: checks the catalogue against the vendor's Markdown reference pages.
//!
//! The vendor publishes one page per function code (`processes/API*.md`), a page for the
//! token endpoint (`tokens/Tokens.md`) and the common reply of every async submit
//! (`processes/Response_Body_01.md`). Each page has a request table and one table per
//! response outcome. [`parse_page`] reads a page into a [`Page`]; [`compare`] flattens the
//! catalogue's request and outcome shapes into paths (`docList.lineList.qty`) and reports
//! every field that differs in name, nesting, type, length or required-ness, and every
//! outcome present on one side only. Differences that a function declares in its
//! `deviations` are listed apart with their reason; [`run`] does all of it for a folder.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::{Catalogue, Field, FieldType, Function, Presence};

mod diff;
mod page;

pub use diff::{compare, Declared, DiffKind, Difference, Report};
pub use page::{parse_common_reply, parse_page, Page, VendorField};

/// The code of the token page.
const TOKEN: &str = "token";

/// The outcome of the common async reply page.
const ACCEPTED: &str = "accepted";

/// The common reply page of every async (B) submit.
const COMMON_REPLY: &str = "Response_Body_01.md";

/// One problem reading a vendor page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageProblem {
    /// The file.
    pub file: String,
    /// One-based line; 0 when it concerns the whole file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

/// The vendor pages could not be read or parsed; every problem names its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorError {
    /// Every problem found, in file order.
    pub problems: Vec<PageProblem>,
}

impl VendorError {
    fn one(file: &str, line: usize, message: impl Into<String>) -> Self {
        VendorError {
            problems: vec![PageProblem {
                file: file.to_owned(),
                line,
                message: message.into(),
            }],
        }
    }
}

impl fmt::Display for VendorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for VendorError {}

fn read(path: &Path) -> Result<String, VendorError> {
    std::fs::read_to_string(path)
        .map_err(|e| VendorError::one(&path.display().to_string(), 0, format!("cannot read: {e}")))
}

/// Reads the vendor pages in `dir` (`processes/API*.md`, `tokens/Tokens.md` and
/// `processes/Response_Body_01.md`) and compares the catalogue with them. Pages of codes
/// outside the catalogue are listed, not parsed.
pub fn run(catalogue: &Catalogue, dir: &Path) -> Result<Report, VendorError> {
    let processes = dir.join("processes");
    let entries = std::fs::read_dir(&processes).map_err(|e| {
        VendorError::one(
            &processes.display().to_string(),
            0,
            format!("cannot read: {e}"),
        )
    })?;
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| {
                VendorError::one(
                    &processes.display().to_string(),
                    0,
                    format!("cannot read: {e}"),
                )
            })?
            .path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if let Some(code) = name.strip_suffix(".md").filter(|c| c.starts_with("API")) {
            files.push((code.to_owned(), path.clone()));
        }
    }
    let tokens = dir.join("tokens").join("Tokens.md");
    if tokens.is_file() {
        files.push((TOKEN.to_owned(), tokens));
    }
    files.sort();
    let common_path = processes.join(COMMON_REPLY);
    let mut common: Option<Vec<VendorField>> = None;
    let mut pages = Vec::new();
    let mut problems = Vec::new();
    for (code, path) in files {
        let shown = path.display().to_string();
        if !catalogue.functions.contains_key(&code) {
            pages.push(Page {
                code,
                file: shown,
                endpoint: None,
                slug: None,
                request: Vec::new(),
                outcomes: Vec::new(),
            });
            continue;
        }
        let text = match read(&path) {
            Ok(t) => t,
            Err(mut e) => {
                problems.append(&mut e.problems);
                continue;
            }
        };
        if common.is_none() && text.contains(COMMON_REPLY) {
            let parsed = read(&common_path)
                .and_then(|t| parse_common_reply(&common_path.display().to_string(), &t));
            match parsed {
                Ok(c) => common = Some(c),
                Err(e) => return Err(e),
            }
        }
        match parse_page(&shown, &code, &text, common.as_deref()) {
            Ok(p) => pages.push(p),
            Err(mut e) => problems.append(&mut e.problems),
        }
    }
    if problems.is_empty() {
        Ok(compare(catalogue, &pages))
    } else {
        Err(VendorError { problems })
    }
}
