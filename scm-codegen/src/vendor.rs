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

/// The code of the token page.
const TOKEN: &str = "token";

/// The outcome of the common async reply page.
const ACCEPTED: &str = "accepted";

/// The common reply page of every async (B) submit.
const COMMON_REPLY: &str = "Response_Body_01.md";

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

/// What differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiffKind {
    /// A catalogue function has no vendor page.
    NoPage,
    /// The endpoint slug or path differs.
    Endpoint,
    /// The vendor page has an outcome table the catalogue lacks.
    OutcomeMissing,
    /// The catalogue has an outcome the vendor page lacks.
    OutcomeExtra,
    /// A vendor field is not in the catalogue.
    Missing,
    /// A catalogue field is not on the vendor page.
    Extra,
    /// The same name sits at another depth or under another parent.
    Nesting,
    /// The type differs.
    Type,
    /// The length differs.
    Length,
    /// The required-ness differs.
    Presence,
    /// The vendor page lists the same path twice.
    Twice,
    /// A declared deviation matches no difference.
    StaleDeviation,
}

impl DiffKind {
    /// A short description.
    pub fn as_str(self) -> &'static str {
        match self {
            DiffKind::NoPage => "no vendor page",
            DiffKind::Endpoint => "endpoint differs",
            DiffKind::OutcomeMissing => "outcome missing in catalogue",
            DiffKind::OutcomeExtra => "outcome extra in catalogue",
            DiffKind::Missing => "missing in catalogue",
            DiffKind::Extra => "extra in catalogue",
            DiffKind::Nesting => "nesting differs",
            DiffKind::Type => "type differs",
            DiffKind::Length => "length differs",
            DiffKind::Presence => "required-ness differs",
            DiffKind::Twice => "listed twice on the vendor page",
            DiffKind::StaleDeviation => "stale deviation: matches no difference",
        }
    }
}

/// One difference between the catalogue and a vendor page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// The function code.
    pub code: String,
    /// Where, as a deviation names it (`request.docList.qty`, `processed`, `endpoint`).
    pub path: String,
    /// What differs.
    pub kind: DiffKind,
    /// The catalogue's side (empty when it has none).
    pub catalogue: String,
    /// The vendor's side (empty when it has none).
    pub vendor: String,
    /// Another path a deviation may name: the catalogue's path of a field nested elsewhere.
    pub alt_path: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "-"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.kind.as_str())?;
        match (self.catalogue.is_empty(), self.vendor.is_empty()) {
            (true, true) => Ok(()),
            (false, true) => write!(f, " (catalogue {})", self.catalogue),
            (true, false) => write!(f, " (vendor {})", self.vendor),
            (false, false) => write!(f, " (catalogue {}, vendor {})", self.catalogue, self.vendor),
        }
    }
}

/// A difference the catalogue declares, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Declared {
    /// The difference.
    pub difference: Difference,
    /// Why the catalogue differs, from its `deviations`.
    pub reason: String,
}

/// The result of a vendor diff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Catalogue functions that had a vendor page.
    pub codes_compared: usize,
    /// Distinct field paths compared, over every request and outcome table of both sides.
    pub fields_checked: usize,
    /// Differences the catalogue does not declare, sorted by code and path.
    pub undeclared: Vec<Difference>,
    /// Differences the catalogue declares, sorted by code and path.
    pub declared: Vec<Declared>,
    /// Codes with a vendor page but not in the catalogue, sorted.
    pub out_of_scope: Vec<String>,
}

impl Report {
    /// How many differences are undeclared.
    pub fn undeclared_count(&self) -> usize {
        self.undeclared.len()
    }

    /// How many differences are declared.
    pub fn declared_count(&self) -> usize {
        self.declared.len()
    }

    /// How many codes are outside the scope.
    pub fn out_of_scope_count(&self) -> usize {
        self.out_of_scope.len()
    }

    /// The closing summary line.
    pub fn summary(&self) -> String {
        format!(
            "vendor-diff: {} codes compared, {} fields checked, {} undeclared differences, {} declared, {} codes outside the scope",
            self.codes_compared,
            self.fields_checked,
            self.undeclared_count(),
            self.declared_count(),
            self.out_of_scope_count()
        )
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut codes: BTreeSet<&str> = self.undeclared.iter().map(|d| d.code.as_str()).collect();
        codes.extend(self.declared.iter().map(|d| d.difference.code.as_str()));
        for code in codes {
            writeln!(f, "{code}")?;
            for d in self.undeclared.iter().filter(|d| d.code == code) {
                writeln!(f, "  undeclared  {d}")?;
            }
            for d in self.declared.iter().filter(|d| d.difference.code == code) {
                writeln!(f, "  declared    {}", d.difference)?;
                writeln!(f, "              reason: {}", d.reason)?;
            }
        }
        if !self.out_of_scope.is_empty() {
            writeln!(f, "outside the scope: {}", self.out_of_scope.join(", "))?;
        }
        write!(f, "{}", self.summary())
    }
}

/// A field as the vendor would write it.
#[derive(Debug, Clone)]
struct CatField {
    ty: String,
    length: String,
    presence: Presence,
}

fn vendor_view(f: &Field) -> CatField {
    let len = |d: Option<u32>| f.length.or(d).map(|l| l.to_string()).unwrap_or_default();
    let (ty, length) = match &f.ty {
        FieldType::String | FieldType::Code(_) => ("string", len(None)),
        FieldType::Flag => ("string", len(Some(1))),
        FieldType::Integer => ("integer", len(None)),
        FieldType::Date => ("date", len(Some(10))),
        FieldType::Timestamp => ("timestamp", len(Some(19))),
        FieldType::Decimal { precision, scale } => ("bigdecimal", format!("{precision},{scale}")),
        FieldType::List(_) => ("list", String::new()),
        FieldType::Object(_) => ("object", String::new()),
    };
    CatField {
        ty: ty.to_owned(),
        length,
        presence: f.presence,
    }
}

/// Appends the flattened fields of a shape; a shape already on the way down is not
/// entered again.
fn flatten(
    cat: &Catalogue,
    shape: &str,
    prefix: &str,
    stack: &mut Vec<String>,
    out: &mut Vec<(String, CatField)>,
) {
    let Some(s) = cat.shape(shape) else { return };
    if stack.iter().any(|n| n == shape) {
        return;
    }
    stack.push(shape.to_owned());
    for f in &s.fields {
        let path = if prefix.is_empty() {
            f.wire.clone()
        } else {
            format!("{prefix}.{}", f.wire)
        };
        out.push((path.clone(), vendor_view(f)));
        if let Some(inner) = f.ty.shape() {
            flatten(cat, inner, &path, stack, out);
        }
    }
    stack.pop();
}

fn catalogue_fields(cat: &Catalogue, shapes: &[Option<&str>]) -> BTreeMap<String, CatField> {
    let mut out = Vec::new();
    for s in shapes.iter().flatten() {
        flatten(cat, s, "", &mut Vec::new(), &mut out);
    }
    let mut map = BTreeMap::new();
    for (p, f) in out {
        map.entry(p).or_insert(f);
    }
    map
}

fn leaf(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

fn presence_mark(p: Presence) -> &'static str {
    match p {
        Presence::Required => "✓ required",
        Presence::Optional => "optional",
        Presence::Conditional => "条件 conditional",
    }
}

/// Compares one table; returns the number of distinct paths checked.
fn compare_table(
    code: &str,
    section: &str,
    cat: &BTreeMap<String, CatField>,
    vendor: &[VendorField],
    diffs: &mut Vec<Difference>,
) -> usize {
    let full = |p: &str| format!("{section}.{p}");
    let mut diff = |path: String, kind: DiffKind, c: String, v: String, alt: Option<String>| {
        diffs.push(Difference {
            code: code.to_owned(),
            path,
            kind,
            catalogue: c,
            vendor: v,
            alt_path: alt,
        });
    };
    let mut vmap: BTreeMap<&str, &VendorField> = BTreeMap::new();
    for f in vendor {
        if vmap.insert(&f.path, f).is_some() {
            diff(
                full(&f.path),
                DiffKind::Twice,
                String::new(),
                format!("line {}", f.line),
                None,
            );
        }
    }
    let mut extra: Vec<&str> = cat
        .keys()
        .map(String::as_str)
        .filter(|p| !vmap.contains_key(p))
        .collect();
    let mut checked = 0;
    for (path, v) in &vmap {
        checked += 1;
        let (cpath, c) = match cat.get(*path) {
            Some(c) => (*path, c),
            None => match extra.iter().position(|e| leaf(e) == leaf(path)) {
                Some(i) => {
                    let e = extra.remove(i);
                    diff(
                        full(path),
                        DiffKind::Nesting,
                        e.to_owned(),
                        path.to_string(),
                        Some(full(e)),
                    );
                    (e, &cat[e])
                }
                None => {
                    diff(
                        full(path),
                        DiffKind::Missing,
                        String::new(),
                        format!("{} {}", v.ty, v.length).trim().to_owned(),
                        None,
                    );
                    continue;
                }
            },
        };
        let alt = (cpath != *path).then(|| full(cpath));
        if c.ty != v.ty {
            diff(
                full(path),
                DiffKind::Type,
                c.ty.clone(),
                v.ty.clone(),
                alt.clone(),
            );
        }
        if c.length != v.length {
            let show = |s: &str| {
                if s.is_empty() {
                    "none".to_owned()
                } else {
                    s.to_owned()
                }
            };
            diff(
                full(path),
                DiffKind::Length,
                show(&c.length),
                show(&v.length),
                alt.clone(),
            );
        }
        if c.presence != v.presence {
            diff(
                full(path),
                DiffKind::Presence,
                presence_mark(c.presence).to_owned(),
                presence_mark(v.presence).to_owned(),
                alt,
            );
        }
    }
    for e in extra {
        checked += 1;
        let c = &cat[e];
        diff(
            full(e),
            DiffKind::Extra,
            format!("{} {}", c.ty, c.length).trim().to_owned(),
            String::new(),
            None,
        );
    }
    checked
}

/// Compares one function with its page; returns the number of paths checked.
fn compare_function(
    cat: &Catalogue,
    f: &Function,
    page: &Page,
    diffs: &mut Vec<Difference>,
) -> usize {
    let code = f.code.as_str();
    let mut checked = 0;
    match (&f.slug, &page.slug) {
        (Some(ours), theirs) if Some(ours) != theirs.as_ref() => diffs.push(Difference {
            code: code.to_owned(),
            path: "endpoint".to_owned(),
            kind: DiffKind::Endpoint,
            catalogue: ours.clone(),
            vendor: theirs
                .clone()
                .or_else(|| page.endpoint.clone())
                .unwrap_or_default(),
            alt_path: None,
        }),
        (None, _) if page.endpoint.as_deref() != Some(f.path.as_str()) => diffs.push(Difference {
            code: code.to_owned(),
            path: "endpoint".to_owned(),
            kind: DiffKind::Endpoint,
            catalogue: f.path.clone(),
            vendor: page.endpoint.clone().unwrap_or_default(),
            alt_path: None,
        }),
        _ => {}
    }
    let (env, body) = cat.request_shapes(f);
    checked += compare_table(
        code,
        "request",
        &catalogue_fields(cat, &[env, body]),
        &page.request,
        diffs,
    );
    let ours = cat.outcomes_of(f);
    for o in &ours {
        match page.outcomes.iter().find(|(name, _)| *name == o.name) {
            Some((_, table)) => {
                let fields = catalogue_fields(cat, &[o.envelope.as_deref(), cat.body_of(f, o)]);
                checked += compare_table(code, &o.name, &fields, table, diffs);
            }
            None => diffs.push(Difference {
                code: code.to_owned(),
                path: o.name.clone(),
                kind: DiffKind::OutcomeExtra,
                catalogue: String::new(),
                vendor: String::new(),
                alt_path: None,
            }),
        }
    }
    for (name, _) in &page.outcomes {
        if !ours.iter().any(|o| o.name == *name) {
            diffs.push(Difference {
                code: code.to_owned(),
                path: name.clone(),
                kind: DiffKind::OutcomeMissing,
                catalogue: String::new(),
                vendor: String::new(),
                alt_path: None,
            });
        }
    }
    checked
}

/// Compares the catalogue with parsed pages. Pages whose code is not in the catalogue are
/// outside the scope; catalogue codes without a page are differences.
pub fn compare(cat: &Catalogue, pages: &[Page]) -> Report {
    let mut report = Report::default();
    let by_code: BTreeMap<&str, &Page> = pages.iter().map(|p| (p.code.as_str(), p)).collect();
    report.out_of_scope = by_code
        .keys()
        .filter(|c| !cat.functions.contains_key(**c))
        .map(|c| c.to_string())
        .collect();
    for f in cat.functions.values() {
        let mut diffs = Vec::new();
        match by_code.get(f.code.as_str()) {
            Some(page) => {
                report.codes_compared += 1;
                report.fields_checked += compare_function(cat, f, page, &mut diffs);
            }
            None => diffs.push(Difference {
                code: f.code.clone(),
                path: "page".to_owned(),
                kind: DiffKind::NoPage,
                catalogue: String::new(),
                vendor: String::new(),
                alt_path: None,
            }),
        }
        let mut used = vec![false; f.deviations.len()];
        for d in diffs {
            let names = |path: &str| path == d.path || d.alt_path.as_deref() == Some(path);
            let hits: Vec<usize> = (0..f.deviations.len())
                .filter(|&i| names(&f.deviations[i].path))
                .collect();
            match hits.first() {
                Some(&first) => {
                    for &i in &hits {
                        used[i] = true;
                    }
                    report.declared.push(Declared {
                        difference: d,
                        reason: f.deviations[first].reason.clone(),
                    });
                }
                None => report.undeclared.push(d),
            }
        }
        for (dev, used) in f.deviations.iter().zip(used) {
            if !used {
                report.undeclared.push(Difference {
                    code: f.code.clone(),
                    path: dev.path.clone(),
                    kind: DiffKind::StaleDeviation,
                    catalogue: String::new(),
                    vendor: String::new(),
                    alt_path: None,
                });
            }
        }
    }
    report.undeclared.sort();
    report.declared.sort();
    report
}

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
