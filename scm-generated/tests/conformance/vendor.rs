//! Finds the JSON samples on the vendor's Markdown pages and what each one shows.
//!
//! A sample is the fenced block after a line starting `JSON格式样例`. Before the page's
//! `## Response` heading it is a request; after it, a reply of the outcome whose bullet
//! (`* 处理成功时返回如下JSON数据` …) it sits under.

use std::path::{Path, PathBuf};

/// One fenced sample of a page.
#[derive(Debug, Clone)]
pub struct Sample {
    /// 1-based position among the page's samples.
    pub index: usize,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// Whether it sits in the request part of the page.
    pub request: bool,
    /// The bullet line of the response section it sits in.
    pub section: Option<String>,
    /// The text between the fences.
    pub text: String,
}

/// The pages to read with their function codes: `processes/API*.md`, and the token page
/// as `token`; sorted by code.
pub fn pages(docs: &Path) -> Vec<(String, PathBuf)> {
    let mut pages: Vec<(String, PathBuf)> = std::fs::read_dir(docs.join("processes"))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .filter_map(|p| {
                    let name = p.file_name()?.to_str()?;
                    let code = name.strip_prefix("API")?.strip_suffix(".md")?;
                    Some((format!("API{code}"), p.clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    pages.sort();
    let token = docs.join("tokens/Tokens.md");
    if token.exists() {
        pages.push(("token".to_owned(), token));
    }
    pages
}

fn is_fence(line: &str) -> bool {
    line.trim_start().starts_with("```")
}

fn is_response_heading(line: &str) -> bool {
    line.strip_prefix("## ")
        .is_some_and(|rest| rest.trim() == "Response")
}

/// Every sample of a page, in page order.
pub fn samples(page: &str) -> Vec<Sample> {
    let mut out = Vec::new();
    let mut request = true;
    let mut section = None;
    let mut wanted = false;
    let mut open: Option<(usize, Vec<&str>)> = None;
    for (n, line) in page.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if let Some((start, body)) = open.as_mut() {
            if is_fence(line) {
                out.push(Sample {
                    index: out.len() + 1,
                    line: *start,
                    request,
                    section: section.clone(),
                    text: body.join("\n"),
                });
                open = None;
            } else {
                body.push(line);
            }
            continue;
        }
        if is_response_heading(line) {
            request = false;
        } else if !request && line.starts_with("* ") {
            section = Some(line[2..].trim().to_owned());
        } else if line.starts_with("JSON格式样例") {
            wanted = true;
        } else if wanted && is_fence(line) {
            wanted = false;
            open = Some((n + 1, Vec::new()));
        }
    }
    out
}

/// The outcome a response section's bullet announces.
pub fn outcome_of_section(bullet: &str) -> Option<&'static str> {
    const BY_TEXT: [(&str, &str); 8] = [
        ("处理成功", "processed"),
        ("requestId重复", "duplicate"),
        ("JSON格式错误", "parse_error"),
        ("还没处理完成", "pending"),
        ("无对象数据", "no_data"),
        ("有数据", "rows"),
        ("登录成功", "issued"),
        ("登录失败", "refused"),
    ];
    BY_TEXT
        .iter()
        .find(|(text, _)| bullet.contains(text))
        .map(|(_, outcome)| *outcome)
}

/// Removes `/* … */` comments outside JSON strings.
pub fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            let mut last = ' ';
            for c in chars.by_ref() {
                if last == '*' && c == '/' {
                    break;
                }
                last = c;
            }
        } else {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

/// Why a sample is not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// `(待补充)`: to be supplied.
    Placeholder,
    /// Nothing, or `{}`.
    Empty,
    /// Not JSON even without its comments.
    InvalidJson,
    /// A code outside the project's scope.
    OutOfScope,
}

/// The sample's JSON, or why there is none to check.
pub fn parse(sample: &Sample) -> Result<serde_json::Value, Skip> {
    let text = strip_comments(&sample.text);
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    match compact.as_str() {
        "(待补充)" | "（待补充）" => Err(Skip::Placeholder),
        "" | "{}" => Err(Skip::Empty),
        _ => serde_json::from_str(&text).map_err(|_| Skip::InvalidJson),
    }
}
