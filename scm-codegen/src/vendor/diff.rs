//! Comparing the catalogue with the parsed pages, path by path.

use super::*;

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
            "vendor-diff: {} codes compared, {} fields checked, {} undeclared differences, \
             {} declared, {} codes outside the scope",
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
