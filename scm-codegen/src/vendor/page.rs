//! Reading the vendor pages: the endpoint, the request table and one table per outcome.

use super::*;

/// Bullet texts that introduce a response table, with their outcome; checked in order.
const OUTCOME_BULLETS: [(&str, &str); 8] = [
    ("requestId重复", "duplicate"),
    ("JSON格式错误", "parse_error"),
    ("还没处理完成", "pending"),
    ("无对象数据", "no_data"),
    ("有数据", "rows"),
    ("登录成功", "issued"),
    ("登录失败", "refused"),
    ("处理成功", "processed"),
];

/// The type names the vendor tables use, lowercased.
const VENDOR_TYPES: [&str; 6] = [
    "string",
    "integer",
    "date",
    "timestamp",
    "bigdecimal",
    "list",
];

/// One row of a vendor table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorField {
    /// Flattened path (`docList.lineList.qty`).
    pub path: String,
    /// Nesting depth: 0 at the top.
    pub depth: usize,
    /// Type as the vendor writes it, lowercased (`string`, `bigdecimal` …).
    pub ty: String,
    /// Length without markup (`36`, `16,6`, or empty).
    pub length: String,
    /// Required-ness: ✓ required, 条件 conditional, blank or `-` optional.
    pub presence: Presence,
    /// One-based line on the page.
    pub line: usize,
}

/// One vendor page, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The function code (`API010COF`, or `token`).
    pub code: String,
    /// The file, as named in messages.
    pub file: String,
    /// The endpoint path without markup (`/api/v1/processes/querystock`).
    pub endpoint: Option<String>,
    /// The bold slug of a `/api/v1/processes/**slug**` endpoint.
    pub slug: Option<String>,
    /// The request table.
    pub request: Vec<VendorField>,
    /// One table per outcome, in page order; an async page's `accepted` comes from the
    /// common reply page.
    pub outcomes: Vec<(String, Vec<VendorField>)>,
}

/// Where a table sits on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Preamble,
    Request,
    Response,
}

/// A table as scanned, before it is given an outcome.
struct Table {
    section: Section,
    /// The bullet line above it and that line's number.
    bullet: Option<(String, usize)>,
    fields: Vec<VendorField>,
}

/// A page as scanned.
struct Scanned {
    endpoint: Option<String>,
    slug: Option<String>,
    tables: Vec<Table>,
    /// Line of the link to the common reply page, if any.
    common_link: Option<usize>,
}

fn scan(file: &str, text: &str) -> Result<Scanned, VendorError> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut problems = Vec::new();
    let mut section = Section::Preamble;
    let mut bullet: Option<(String, usize)> = None;
    let mut out = Scanned {
        endpoint: None,
        slug: None,
        tables: Vec::new(),
        common_link: None,
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        let no = i + 1;
        i += 1;
        if line.starts_with("##") && !line.starts_with("###") {
            match line.trim_start_matches('#').trim() {
                "Request" => section = Section::Request,
                "Response" => section = Section::Response,
                _ => {}
            }
            bullet = None;
        } else if let Some(rest) = line.strip_prefix("* ") {
            bullet = Some((rest.trim().to_owned(), no));
        } else if out.endpoint.is_none() && line.contains("/api/v1/") {
            let (endpoint, slug) = endpoint_of(line);
            out.endpoint = Some(endpoint);
            out.slug = slug;
        } else if line.contains(COMMON_REPLY) && section != Section::Request {
            out.common_link = Some(no);
        } else if is_table_header(line) {
            let mut rows = Vec::new();
            while i < lines.len() && lines[i].trim().starts_with('|') {
                rows.push((i + 1, lines[i].trim()));
                i += 1;
            }
            match table_fields(file, &rows) {
                Ok(fields) => out.tables.push(Table {
                    section,
                    bullet: bullet.take(),
                    fields,
                }),
                Err(mut e) => problems.append(&mut e.problems),
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(VendorError { problems })
    }
}

fn is_table_header(line: &str) -> bool {
    let cells = split_row(line);
    cells.first().is_some_and(|c| c.trim() == "名称")
        && cells.get(1).is_some_and(|c| c.trim() == "类型")
}

/// The endpoint path of a request line, and its bold slug under `/api/v1/processes/`.
fn endpoint_of(line: &str) -> (String, Option<String>) {
    let start = line.find("/api/v1/").unwrap_or(0);
    let raw = line[start..].split_whitespace().next().unwrap_or("");
    let path = raw.replace("**", "");
    let slug = raw
        .strip_prefix("/api/v1/processes/**")
        .and_then(|r| r.split("**").next())
        .map(str::to_owned);
    (path, slug)
}

/// The cells of a table row, without the outer pipes.
fn split_row(line: &str) -> Vec<&str> {
    let inner = line.trim();
    let inner = inner.strip_prefix('|').unwrap_or(inner);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').collect()
}

/// Removes `<…>` tags.
fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Parses the rows of one table (separator line included) into flattened fields.
fn table_fields(file: &str, rows: &[(usize, &str)]) -> Result<Vec<VendorField>, VendorError> {
    let mut problems = Vec::new();
    let mut fields = Vec::new();
    let mut parents: Vec<String> = Vec::new();
    for &(no, row) in rows {
        let cells = split_row(row);
        if cells
            .iter()
            .all(|c| c.trim().chars().all(|ch| matches!(ch, ':' | '-' | ' ')))
        {
            continue; // the separator line
        }
        let mut problem = |m: String| {
            problems.push(PageProblem {
                file: file.to_owned(),
                line: no,
                message: m,
            })
        };
        if cells.len() < 4 {
            problem(format!(
                "table row has {} cells, expected name, type, length, required and note",
                cells.len()
            ));
            continue;
        }
        let name_cell = cells[0];
        let depth = name_cell.matches("&nbsp;").count() / 2;
        let name = name_cell.replace("&nbsp;", "").trim().to_owned();
        if name.is_empty() {
            problem("table row has no name".to_owned());
            continue;
        }
        let ty = cells[1].trim().to_lowercase();
        if !VENDOR_TYPES.contains(&ty.as_str()) {
            problem(format!("`{name}` has unknown type `{}`", cells[1].trim()));
            continue;
        }
        let mut length = strip_tags(cells[2]).split_whitespace().collect::<String>();
        if length == "-" {
            length.clear();
        }
        let presence = match cells[3].trim() {
            "✓" => Presence::Required,
            "条件" => Presence::Conditional,
            "" | "-" => Presence::Optional,
            other => {
                problem(format!("`{name}` has unknown required mark `{other}`"));
                continue;
            }
        };
        if depth > parents.len() {
            problem(format!(
                "`{name}` is nested {depth} deep but its parent is {} deep",
                parents.len()
            ));
            continue;
        }
        parents.truncate(depth);
        let path = parents
            .iter()
            .chain(std::iter::once(&name))
            .cloned()
            .collect::<Vec<_>>()
            .join(".");
        parents.push(name);
        fields.push(VendorField {
            path,
            depth,
            ty,
            length,
            presence,
            line: no,
        });
    }
    if problems.is_empty() {
        Ok(fields)
    } else {
        Err(VendorError { problems })
    }
}

/// The outcome a bullet line introduces.
fn outcome_of_bullet(text: &str) -> Option<&'static str> {
    OUTCOME_BULLETS
        .iter()
        .find(|(needle, _)| text.contains(needle))
        .map(|(_, o)| *o)
}

/// Parses one function page. `common` is the table of the common async reply, used for
/// a page that links to it; without it such a link is an error.
pub fn parse_page(
    file: &str,
    code: &str,
    text: &str,
    common: Option<&[VendorField]>,
) -> Result<Page, VendorError> {
    let scanned = scan(file, text)?;
    let mut problems = Vec::new();
    let mut page = Page {
        code: code.to_owned(),
        file: file.to_owned(),
        endpoint: scanned.endpoint,
        slug: scanned.slug,
        request: Vec::new(),
        outcomes: Vec::new(),
    };
    let mut has_request = false;
    let mut problem = |line: usize, m: String| {
        problems.push(PageProblem {
            file: file.to_owned(),
            line,
            message: m,
        })
    };
    for t in scanned.tables {
        let line = t.fields.first().map_or(0, |f| f.line);
        match t.section {
            Section::Preamble => problem(line, "table before the Request section".to_owned()),
            Section::Request if has_request => problem(line, "a second request table".to_owned()),
            Section::Request => {
                has_request = true;
                page.request = t.fields;
            }
            Section::Response => {
                let Some((text, at)) = t.bullet else {
                    problem(
                        line,
                        "response table without a bullet line naming its outcome".to_owned(),
                    );
                    continue;
                };
                let Some(outcome) = outcome_of_bullet(&text) else {
                    problem(at, format!("no known outcome in the bullet line `{text}`"));
                    continue;
                };
                if page.outcomes.iter().any(|(o, _)| o == outcome) {
                    problem(at, format!("a second table for outcome `{outcome}`"));
                    continue;
                }
                page.outcomes.push((outcome.to_owned(), t.fields));
            }
        }
    }
    if let Some(at) = scanned.common_link {
        match common {
            Some(c) if !page.outcomes.iter().any(|(o, _)| o == ACCEPTED) => {
                page.outcomes.push((ACCEPTED.to_owned(), c.to_vec()));
            }
            Some(_) => problem(at, format!("a second table for outcome `{ACCEPTED}`")),
            None => problem(at, format!("links to {COMMON_REPLY}, which was not read")),
        }
    }
    if !has_request {
        problem(0, "no request table".to_owned());
    }
    if problems.is_empty() {
        Ok(page)
    } else {
        Err(VendorError { problems })
    }
}

/// Parses the common async reply page: its one table.
pub fn parse_common_reply(file: &str, text: &str) -> Result<Vec<VendorField>, VendorError> {
    let mut scanned = scan(file, text)?;
    match scanned.tables.len() {
        1 => Ok(scanned.tables.remove(0).fields),
        n => Err(VendorError::one(
            file,
            0,
            format!("expected one table, found {n}"),
        )),
    }
}
