//! Validation: checks the parsed files against each other and lowers them into the model.
//!
//! Every problem is collected with its place; the model is built only when there are none.

use std::collections::{BTreeMap, HashMap, HashSet};

use heck::ToSnakeCase;
use indexmap::IndexMap;
use serde_saphyr::Spanned;

use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Pos};
use crate::load::Parsed;
use crate::model::*;
use crate::raw::{self, FieldUse};

/// Type names a catalogue author may write, with the vendor's spellings that map to them.
const TYPE_NAMES: [(&str, &str); 12] = [
    ("string", "string"),
    ("integer", "integer"),
    ("date", "date"),
    ("timestamp", "timestamp"),
    ("flag", "flag"),
    ("decimal", "decimal(precision,scale)"),
    ("bigdecimal", "decimal(precision,scale)"),
    ("list", "list(Shape)"),
    ("object", "object(Shape)"),
    ("code", "code(CodeSet)"),
    ("String", "string"),
    ("boolean", "flag"),
];

/// Words Rust reserves; a field or function named so needs `rust_name`.
const KEYWORDS: [&str; 51] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

struct At<'a> {
    file: &'a str,
    pos: Pos,
}

struct Ctx<'a> {
    errors: Vec<Diagnostic>,
    features: IndexMap<String, (At<'a>, &'a raw::FeatureDef)>,
    kinds: IndexMap<String, (At<'a>, &'a raw::KindDef)>,
    outcomes: IndexMap<String, (At<'a>, &'a raw::OutcomeDef)>,
    codesets: IndexMap<String, (At<'a>, &'a raw::CodeSetDef)>,
    dictionary: IndexMap<String, (At<'a>, &'a FieldUse)>,
    shapes: IndexMap<String, (At<'a>, &'a raw::ShapeDef)>,
    functions: BTreeMap<String, (At<'a>, &'a raw::FunctionDef)>,
}

impl<'a> Ctx<'a> {
    fn err(&mut self, at: &At<'_>, msg: impl Into<String>) {
        self.errors.push(Diagnostic::new(at.file, at.pos, msg));
    }
    fn err_hint(&mut self, at: &At<'_>, msg: impl Into<String>, hint: impl Into<String>) {
        self.errors
            .push(Diagnostic::new(at.file, at.pos, msg).hint(hint));
    }
}

fn at<'a, T>(file: &'a str, s: &Spanned<T>) -> At<'a> {
    At {
        file,
        pos: Pos::from(s.referenced),
    }
}

/// Merges one section of every file, reporting a name defined twice.
fn merge<'a, T: 'a>(
    errors: &mut Vec<Diagnostic>,
    what: &str,
    out: &mut IndexMap<String, (At<'a>, &'a T)>,
    file: &'a str,
    section: &'a IndexMap<String, Spanned<T>>,
) {
    for (name, v) in section {
        let here = at(file, v);
        if let Some((first, _)) = out.get(name) {
            errors.push(
                Diagnostic::new(file, here.pos, format!("duplicate {what} `{name}`")).hint(
                    format!(
                        "first defined at {}:{}:{}",
                        first.file, first.pos.line, first.pos.column
                    ),
                ),
            );
        } else {
            out.insert(name.clone(), (here, &v.value));
        }
    }
}

/// Checks the parsed files and builds the model, or returns every problem found.
pub fn validate(files: &[Parsed]) -> Result<Catalogue, Diagnostics> {
    let mut errors = Vec::new();
    let mut features = IndexMap::new();
    let mut kinds = IndexMap::new();
    let mut outcomes = IndexMap::new();
    let mut codesets = IndexMap::new();
    let mut dictionary = IndexMap::new();
    let mut shapes = IndexMap::new();
    let mut fn_map: IndexMap<String, (At, &raw::FunctionDef)> = IndexMap::new();
    for p in files {
        let f = &p.file;
        let n = p.name.as_str();
        merge(&mut errors, "feature", &mut features, n, &f.features);
        merge(&mut errors, "kind", &mut kinds, n, &f.kinds);
        merge(&mut errors, "outcome", &mut outcomes, n, &f.outcomes);
        merge(&mut errors, "code set", &mut codesets, n, &f.codesets);
        merge(
            &mut errors,
            "dictionary field",
            &mut dictionary,
            n,
            &f.fields,
        );
        merge(&mut errors, "shape", &mut shapes, n, &f.shapes);
        merge(&mut errors, "function code", &mut fn_map, n, &f.functions);
    }
    let mut cx = Ctx {
        errors,
        features,
        kinds,
        outcomes,
        codesets,
        dictionary,
        shapes,
        functions: fn_map.into_iter().collect(),
    };
    let features = check_features(&mut cx);
    let codesets = check_codesets(&mut cx);
    check_dictionary(&mut cx);
    let shapes = check_shapes(&mut cx);
    check_cycles(&mut cx, &shapes);
    let outcomes = check_outcomes(&mut cx);
    let kinds = check_kinds(&mut cx);
    let functions = check_functions(&mut cx);
    if !cx.errors.is_empty() {
        return Err(Diagnostics::sorted(cx.errors));
    }
    Ok(Catalogue {
        features,
        kinds,
        outcomes,
        codesets,
        shapes,
        functions,
    })
}

fn check_features(cx: &mut Ctx) -> IndexMap<String, Feature> {
    let mut out = IndexMap::new();
    let list: Vec<_> = cx
        .features
        .iter()
        .map(|(n, (a, f))| (n.clone(), a.file, a.pos, *f))
        .collect();
    for (name, file, pos, f) in list {
        if !is_snake(&name) {
            cx.err(
                &At { file, pos },
                format!("feature `{name}` must be snake_case"),
            );
        }
        if f.doc.trim().is_empty() {
            cx.err(&At { file, pos }, format!("feature `{name}` has no doc"));
        }
        out.insert(
            name.clone(),
            Feature {
                name,
                doc: f.doc.clone(),
            },
        );
    }
    out
}

fn check_codesets(cx: &mut Ctx) -> IndexMap<String, CodeSet> {
    let mut out = IndexMap::new();
    let list: Vec<_> = cx
        .codesets
        .iter()
        .map(|(n, (a, c))| (n.clone(), a.file, a.pos, *c))
        .collect();
    for (name, file, pos, set) in list {
        let here = At { file, pos };
        if !is_pascal(&name) {
            cx.err(&here, format!("code set `{name}` must be PascalCase"));
        }
        let mut seen = HashSet::new();
        let mut codes = Vec::new();
        for (value, c) in &set.codes {
            let cat = at(file, c);
            if !is_pascal(&c.value.name) || c.value.name == "Unknown" {
                cx.err_hint(
                    &cat,
                    format!(
                        "code `{value}` of `{name}` has variant name `{}`",
                        c.value.name
                    ),
                    "variant names are PascalCase and `Unknown` is kept for values outside the set",
                );
            }
            if !seen.insert(c.value.name.clone()) {
                cx.err(
                    &cat,
                    format!(
                        "two codes of `{name}` share the variant name `{}`",
                        c.value.name
                    ),
                );
            }
            if c.value.doc.trim().is_empty() {
                cx.err(&cat, format!("code `{value}` of `{name}` has no doc"));
            }
            codes.push(Code {
                value: value.clone(),
                name: c.value.name.clone(),
                label: c.value.label.clone(),
                doc: c.value.doc.clone(),
            });
        }
        if codes.is_empty() {
            cx.err(&here, format!("code set `{name}` has no codes"));
        }
        out.insert(
            name.clone(),
            CodeSet {
                name,
                doc: set.doc.clone(),
                codes,
            },
        );
    }
    out
}

/// Parses a type expression; on failure reports it and returns `None`.
fn parse_type(cx: &mut Ctx, here: &At, owner: &str, text: &str) -> Option<FieldType> {
    let text = text.trim();
    let (head, arg) = match text.find('(') {
        Some(i) if text.ends_with(')') => (&text[..i], Some(&text[i + 1..text.len() - 1])),
        _ => (text, None),
    };
    let ty = match (head, arg) {
        ("string", None) => FieldType::String,
        ("integer", None) => FieldType::Integer,
        ("date", None) => FieldType::Date,
        ("timestamp", None) => FieldType::Timestamp,
        ("flag", None) => FieldType::Flag,
        ("decimal", Some(a)) => {
            let parts: Vec<_> = a.split(',').map(|p| p.trim().parse::<u32>()).collect();
            match parts.as_slice() {
                [Ok(p), Ok(s)] if (1..=38).contains(p) && s <= p => FieldType::Decimal {
                    precision: *p,
                    scale: *s,
                },
                _ => {
                    cx.err_hint(
                        here,
                        format!("{owner}: bad precision/scale `{a}` in `{text}`"),
                        "write decimal(precision,scale) with 1 <= precision <= 38 and scale <= precision, as decimal(16,2)",
                    );
                    return None;
                }
            }
        }
        ("list", Some(s)) if !s.trim().is_empty() => FieldType::List(s.trim().to_owned()),
        ("object", Some(s)) if !s.trim().is_empty() => FieldType::Object(s.trim().to_owned()),
        ("code", Some(s)) if !s.trim().is_empty() => FieldType::Code(s.trim().to_owned()),
        _ => {
            let hint = match did_you_mean(head, TYPE_NAMES.iter().map(|(n, _)| *n)) {
                Some(n) => {
                    let ours = TYPE_NAMES.iter().find(|(k, _)| *k == n).map_or(n, |(_, v)| *v);
                    format!("did you mean `{ours}`?")
                }
                None => "types are string, integer, date, timestamp, flag, decimal(p,s), list(Shape), object(Shape), code(CodeSet)".to_owned(),
            };
            cx.err_hint(here, format!("{owner}: unknown type `{text}`"), hint);
            return None;
        }
    };
    Some(ty)
}

fn check_length(
    cx: &mut Ctx,
    here: &At,
    owner: &str,
    ty: &FieldType,
    len: Option<i64>,
) -> Option<u32> {
    match (ty, len) {
        (FieldType::Decimal { .. } | FieldType::List(_) | FieldType::Object(_), Some(l)) => {
            cx.err_hint(
                here,
                format!("{owner}: bad length {l} for a {} field", ty.hvs_name()),
                "decimals take their digits from decimal(p,s); lists and objects have no length",
            );
            None
        }
        (FieldType::Flag, Some(l)) if l != 1 => {
            cx.err_hint(
                here,
                format!("{owner}: bad length {l} for a flag"),
                "a Y/N flag has length 1",
            );
            None
        }
        (_, Some(l)) if !(1..=65_535).contains(&l) => {
            cx.err_hint(
                here,
                format!("{owner}: bad length {l}"),
                "a length is a character count from 1 to 65535",
            );
            None
        }
        (FieldType::String | FieldType::Code(_), None) => {
            cx.err_hint(
                here,
                format!("{owner}: string field has no length"),
                "add `length:` (maximum characters)",
            );
            None
        }
        (_, l) => l.map(|l| l as u32),
    }
}

fn check_dictionary(cx: &mut Ctx) {
    let list: Vec<_> = cx
        .dictionary
        .iter()
        .map(|(n, (a, u))| (n.clone(), a.file, a.pos, *u))
        .collect();
    for (name, file, pos, u) in list {
        let here = At { file, pos };
        if u.presence.is_some() {
            cx.err_hint(
                &here,
                format!("dictionary field `{name}` sets a presence"),
                "presence belongs to each use in a shape",
            );
        }
        if let Some(t) = &u.r#type {
            if let Some(ty) = parse_type(cx, &here, &format!("field `{name}`"), t) {
                check_length(
                    cx,
                    &here,
                    &format!("field `{name}`"),
                    &ty,
                    u.length.as_ref().map(|l| l.value),
                );
            }
        }
    }
}

fn check_shapes(cx: &mut Ctx) -> IndexMap<String, Shape> {
    let names: Vec<String> = cx.shapes.keys().cloned().collect();
    let mut own: IndexMap<String, Vec<Field>> = IndexMap::new();
    for name in &names {
        let (file, pos, def) = {
            let (a, d) = &cx.shapes[name];
            (a.file, a.pos, *d)
        };
        let here = At { file, pos };
        if !is_pascal(name) {
            cx.err(&here, format!("shape `{name}` must be PascalCase"));
        }
        if def.doc.trim().is_empty() {
            cx.err(&here, format!("shape `{name}` has no doc"));
        }
        let mut fields = Vec::new();
        for (wire, u) in &def.fields {
            if let Some(f) = lower_field(cx, file, name, wire, u) {
                fields.push(f);
            }
        }
        own.insert(name.clone(), fields);
    }
    let mut out = IndexMap::new();
    for name in &names {
        let (file, pos, def) = {
            let (a, d) = &cx.shapes[name];
            (a.file, a.pos, *d)
        };
        // Inherited fields first, following `extends` until it ends or loops.
        let mut chain = vec![name.clone()];
        let mut cur = def.extends.as_ref();
        while let Some(parent) = cur {
            let pat = at(file, parent);
            if chain.contains(&parent.value) {
                cx.err(
                    &pat,
                    format!(
                        "shape `{name}` extends itself through `{}`",
                        chain.join("` -> `")
                    ),
                );
                break;
            }
            match cx.shapes.get(&parent.value) {
                Some((_, pdef)) => {
                    chain.push(parent.value.clone());
                    cur = pdef.extends.as_ref();
                }
                None => {
                    let hint = suggest(&parent.value, cx.shapes.keys());
                    cx.err_hint(
                        &pat,
                        format!("shape `{name}` extends unknown shape `{}`", parent.value),
                        hint,
                    );
                    break;
                }
            }
        }
        let mut fields = Vec::new();
        for s in chain.iter().rev() {
            if let Some(f) = own.get(s) {
                fields.extend(f.iter().cloned());
            }
        }
        let places: HashMap<&str, At> = def
            .fields
            .iter()
            .map(|(w, u)| (w.as_str(), at(file, u)))
            .collect();
        check_names(cx, &At { file, pos }, &places, name, &fields);
        // Fields written in the shape but dropped for an error reported already.
        let declared: HashSet<&str> = chain
            .iter()
            .filter_map(|s| cx.shapes.get(s).map(|(_, d)| *d))
            .flat_map(|d| d.fields.keys().map(String::as_str))
            .collect();
        let mut one_of = Vec::new();
        for g in &def.one_of {
            let gat = at(file, g);
            for m in &g.value {
                match fields.iter().find(|f| &f.wire == m) {
                    None if declared.contains(m.as_str()) => {}
                    None => cx.err_hint(
                        &gat,
                        format!("one-of group of shape `{name}` names missing field `{m}`"),
                        suggest(m, fields.iter().map(|f| &f.wire)),
                    ),
                    Some(f) if f.presence == Presence::Required => cx.err(
                        &gat,
                        format!(
                            "one-of group of shape `{name}` names `{m}`, which is always required"
                        ),
                    ),
                    _ => {}
                }
            }
            if g.value.len() < 2 {
                cx.err(
                    &gat,
                    format!("one-of group of shape `{name}` needs at least two fields"),
                );
            }
            one_of.push(g.value.clone());
        }
        out.insert(
            name.clone(),
            Shape {
                name: name.clone(),
                doc: def.doc.clone(),
                fields,
                one_of,
            },
        );
    }
    out
}

fn lower_field(
    cx: &mut Ctx,
    file: &str,
    shape: &str,
    wire: &str,
    u: &Spanned<FieldUse>,
) -> Option<Field> {
    let here = at(file, u);
    let owner = format!("field `{wire}` of `{shape}`");
    let dict = cx.dictionary.get(wire).map(|(_, d)| *d);
    let u = &u.value;
    let presence = match u.presence.as_deref() {
        Some("required") => Presence::Required,
        Some("optional") | None => Presence::Optional,
        Some("conditional") => Presence::Conditional,
        Some(other) => {
            let hint = match did_you_mean(other, ["required", "optional", "conditional"]) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "presence is required, optional or conditional".to_owned(),
            };
            cx.err_hint(&here, format!("{owner}: unknown presence `{other}`"), hint);
            Presence::Optional
        }
    };
    let type_text = u.r#type.as_ref().or(dict.and_then(|d| d.r#type.as_ref()));
    let Some(type_text) = type_text else {
        cx.err_hint(
            &here,
            format!("{owner} has no type"),
            "give it `type:` or add it to the field dictionary (spec/fields.yaml)",
        );
        return None;
    };
    // A use that takes its type and length from the dictionary was checked there; saying
    // so again at every use would bury the one place to fix.
    let from_dict = u.r#type.is_none() && u.length.is_none();
    let before = cx.errors.len();
    let ty = parse_type(cx, &here, &owner, type_text);
    if from_dict {
        cx.errors.truncate(before);
    }
    let ty = ty?;
    let len = u
        .length
        .as_ref()
        .or(dict.and_then(|d| d.length.as_ref()))
        .map(|l| l.value);
    // A shape that overrides the type of a dictionary string (to a decimal, say) drops its length.
    let len = if u.r#type.is_some()
        && u.length.is_none()
        && !matches!(
            ty,
            FieldType::String | FieldType::Code(_) | FieldType::Integer
        ) {
        None
    } else {
        len
    };
    let before = cx.errors.len();
    let length = check_length(cx, &here, &owner, &ty, len);
    if from_dict {
        cx.errors.truncate(before);
    }
    match &ty {
        FieldType::List(s) | FieldType::Object(s) if !cx.shapes.contains_key(s) => {
            let hint = suggest(s, cx.shapes.keys());
            cx.err_hint(
                &here,
                format!("{owner} refers to unknown shape `{s}`"),
                hint,
            );
        }
        FieldType::Code(s) if !cx.codesets.contains_key(s) => {
            let hint = suggest(s, cx.codesets.keys());
            cx.err_hint(
                &here,
                format!("{owner} refers to unknown code set `{s}`"),
                hint,
            );
        }
        _ => {}
    }
    let doc = u
        .doc
        .clone()
        .or_else(|| dict.and_then(|d| d.doc.clone()))
        .unwrap_or_default();
    if doc.trim().is_empty() {
        cx.err_hint(
            &here,
            format!("{owner} has no doc"),
            "describe it in English, here or in the field dictionary",
        );
    }
    let label = u
        .label
        .clone()
        .or_else(|| dict.and_then(|d| d.label.clone()))
        .unwrap_or_default();
    let rust_name = u
        .rust_name
        .clone()
        .or_else(|| dict.and_then(|d| d.rust_name.clone()))
        .unwrap_or_else(|| wire.trim().to_snake_case());
    let mut aliases = dict.map(|d| d.aliases.clone()).unwrap_or_default();
    aliases.extend(u.aliases.iter().cloned());
    Some(Field {
        wire: wire.to_owned(),
        rust_name,
        ty,
        length,
        presence,
        label,
        doc,
        when: u.when.clone(),
        aliases,
        secret: u.secret.or(dict.and_then(|d| d.secret)).unwrap_or(false),
    })
}

/// `places` has the fields written in the shape itself; problems with them point at the
/// field, problems with inherited ones at the shape.
fn check_names(cx: &mut Ctx, here: &At, places: &HashMap<&str, At>, shape: &str, fields: &[Field]) {
    let mut rust: HashMap<&str, &str> = HashMap::new();
    let mut wire: HashMap<&str, &str> = HashMap::new();
    for f in fields {
        let here = places.get(f.wire.as_str()).unwrap_or(here);
        if KEYWORDS.contains(&f.rust_name.as_str()) {
            cx.err_hint(
                here,
                format!(
                    "field `{}` of `{shape}` maps to the Rust keyword `{}`",
                    f.wire, f.rust_name
                ),
                format!(
                    "add `rust_name: {}_value` (or another name) to the field",
                    f.rust_name
                ),
            );
        } else if !is_snake(&f.rust_name) {
            cx.err(
                here,
                format!(
                    "field `{}` of `{shape}` has Rust name `{}`, which is not snake_case",
                    f.wire, f.rust_name
                ),
            );
        }
        if let Some(other) = rust.insert(&f.rust_name, &f.wire) {
            cx.err_hint(
                here,
                format!(
                    "fields `{other}` and `{}` of `{shape}` both map to the Rust name `{}`",
                    f.wire, f.rust_name
                ),
                "give one of them a `rust_name:`",
            );
        }
        if wire.insert(&f.wire, &f.wire).is_some() {
            cx.err(
                here,
                format!(
                    "field `{}` appears twice in `{shape}` (through `extends`)",
                    f.wire
                ),
            );
        }
    }
    for f in fields {
        let here = places.get(f.wire.as_str()).unwrap_or(here);
        for a in &f.aliases {
            if let Some(owner) = wire.get(a.as_str()) {
                cx.err_hint(
                    here,
                    format!(
                        "alias `{a}` of field `{}` of `{shape}` collides with field `{owner}`",
                        f.wire
                    ),
                    "a wire name can belong to one field only; drop the alias or the other field",
                );
            }
        }
    }
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for f in fields {
        let here = places.get(f.wire.as_str()).unwrap_or(here);
        for a in &f.aliases {
            if let Some(other) = seen.insert(a, &f.wire) {
                if other != f.wire {
                    cx.err(
                        here,
                        format!(
                            "alias `{a}` of `{shape}` is claimed by `{other}` and `{}`",
                            f.wire
                        ),
                    );
                }
            }
        }
    }
}

/// Rejects shapes that contain themselves: HVS bodies are trees.
fn check_cycles(cx: &mut Ctx, shapes: &IndexMap<String, Shape>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Active,
        Done,
    }
    fn visit(
        name: &str,
        shapes: &IndexMap<String, Shape>,
        marks: &mut HashMap<String, Mark>,
        path: &mut Vec<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        match marks.get(name) {
            Some(Mark::Done) => return,
            Some(Mark::Active) => {
                let start = path.iter().position(|p| p == name).unwrap_or(0);
                let mut cycle = path[start..].to_vec();
                cycle.push(name.to_owned());
                found.push(cycle);
                return;
            }
            None => {}
        }
        let Some(shape) = shapes.get(name) else {
            return;
        };
        marks.insert(name.to_owned(), Mark::Active);
        path.push(name.to_owned());
        for f in &shape.fields {
            if let Some(s) = f.ty.shape() {
                visit(s, shapes, marks, path, found);
            }
        }
        path.pop();
        marks.insert(name.to_owned(), Mark::Done);
    }
    let mut marks = HashMap::new();
    let mut found = Vec::new();
    for name in shapes.keys() {
        visit(name, shapes, &mut marks, &mut Vec::new(), &mut found);
    }
    for cycle in found {
        let (file, pos) = {
            let (a, _) = &cx.shapes[&cycle[0]];
            (a.file, a.pos)
        };
        cx.err_hint(
            &At { file, pos },
            format!("shape reference cycle: {}", cycle.join(" -> ")),
            "HVS bodies are trees; a shape cannot contain itself",
        );
    }
}

fn check_outcomes(cx: &mut Ctx) -> IndexMap<String, Outcome> {
    let mut out = IndexMap::new();
    let list: Vec<_> = cx
        .outcomes
        .iter()
        .map(|(n, (a, o))| (n.clone(), a.file, *o, a.pos))
        .collect();
    for (name, file, o, pos) in list {
        if let Some(e) = &o.envelope {
            check_shape_ref(cx, file, e, &format!("outcome `{name}`"));
        }
        let body = match o.body.as_ref().map(|b| b.value.as_str()) {
            None => None,
            Some("result") => Some(Body::Result),
            Some("rows") => Some(Body::Rows),
            Some(other) => {
                let b = o
                    .body
                    .as_ref()
                    .map(|b| at(file, b))
                    .unwrap_or(At { file, pos });
                cx.err_hint(
                    &b,
                    format!("outcome `{name}` has unknown body `{other}`"),
                    "body is `result` or `rows`",
                );
                None
            }
        };
        out.insert(
            name.clone(),
            Outcome {
                name,
                doc: o.doc.clone(),
                envelope: o.envelope.as_ref().map(|e| e.value.clone()),
                body,
                status: o.status.unwrap_or(200),
            },
        );
    }
    out
}

fn check_shape_ref(cx: &mut Ctx, file: &str, s: &Spanned<String>, owner: &str) {
    if !cx.shapes.contains_key(&s.value) {
        let hint = suggest(&s.value, cx.shapes.keys());
        cx.err_hint(
            &at(file, s),
            format!("{owner} refers to unknown shape `{}`", s.value),
            hint,
        );
    }
}

fn check_kinds(cx: &mut Ctx) -> IndexMap<Kind, KindProtocol> {
    let mut out = IndexMap::new();
    let list: Vec<_> = cx
        .kinds
        .iter()
        .map(|(n, (a, k))| (n.clone(), a.file, a.pos, *k))
        .collect();
    for (name, file, pos, k) in list {
        let Some(kind) = Kind::parse(&name) else {
            let hint = suggest(&name, Kind::ALL.iter().map(|(_, n)| *n));
            cx.err_hint(&At { file, pos }, format!("unknown kind `{name}`"), hint);
            continue;
        };
        for s in k.request_envelope.iter().chain(k.request.iter()) {
            check_shape_ref(cx, file, s, &format!("kind `{name}`"));
        }
        for o in k.sync.iter().chain(k.r#async.iter()) {
            if !cx.outcomes.contains_key(&o.value) {
                let hint = suggest(&o.value, cx.outcomes.keys());
                cx.err_hint(
                    &at(file, o),
                    format!("kind `{name}` lists unknown outcome `{}`", o.value),
                    hint,
                );
            }
        }
        out.insert(
            kind,
            KindProtocol {
                doc: k.doc.clone(),
                request_envelope: k.request_envelope.as_ref().map(|s| s.value.clone()),
                request: k.request.as_ref().map(|s| s.value.clone()),
                sync: k.sync.iter().map(|s| s.value.clone()).collect(),
                r#async: k.r#async.iter().map(|s| s.value.clone()).collect(),
            },
        );
    }
    out
}

fn check_functions(cx: &mut Ctx) -> IndexMap<String, Function> {
    let mut slugs: HashMap<String, (String, Pos, String)> = HashMap::new();
    let mut out = IndexMap::new();
    let list: Vec<_> = cx
        .functions
        .iter()
        .map(|(n, (a, f))| (n.clone(), a.file, a.pos, *f))
        .collect();
    for (code, file, pos, f) in &list {
        let here = At { file, pos: *pos };
        let kind = Kind::parse(&f.kind.value);
        if kind.is_none() {
            let hint = suggest(&f.kind.value, Kind::ALL.iter().map(|(_, n)| *n));
            cx.err_hint(
                &at(file, &f.kind),
                format!("{code}: unknown kind `{}`", f.kind.value),
                hint,
            );
        } else if let Some(k) = kind {
            if !cx.kinds.contains_key(k.as_str()) {
                cx.err(
                    &at(file, &f.kind),
                    format!(
                        "{code}: kind `{}` has no protocol under `kinds:`",
                        f.kind.value
                    ),
                );
            }
        }
        let mode = match f.mode.value.as_str() {
            "sync" => Some(Mode::Sync),
            "async" => Some(Mode::Async),
            other => {
                cx.err_hint(
                    &at(file, &f.mode),
                    format!("{code}: unknown mode `{other}`"),
                    "mode is `sync` (F) or `async` (B)",
                );
                None
            }
        };
        let code_ok = code == "token"
            || (code.len() == 9
                && code.starts_with("API")
                && code[3..]
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        if !code_ok {
            cx.err_hint(
                &here,
                format!("function code `{code}` is not of the form APInnnXYM"),
                "for example API010COF",
            );
        }
        if let (true, Some(m)) = (code.starts_with("API"), mode) {
            let want = if code.ends_with('B') {
                Mode::Async
            } else {
                Mode::Sync
            };
            if m != want {
                cx.err(
                    &at(file, &f.mode),
                    format!(
                        "{code}: mode `{}` does not match the code's last letter",
                        m.as_str()
                    ),
                );
            }
        }
        if !is_snake(&f.name.value) {
            cx.err(
                &at(file, &f.name),
                format!("{code}: name `{}` must be snake_case", f.name.value),
            );
        }
        if !cx.features.contains_key(&f.feature.value) {
            let hint = suggest(&f.feature.value, cx.features.keys());
            cx.err_hint(
                &at(file, &f.feature),
                format!("{code}: unknown feature `{}`", f.feature.value),
                hint,
            );
        }
        if f.doc.trim().is_empty() {
            cx.err(&here, format!("{code} has no doc"));
        }
        let path = match (&f.slug, &f.path) {
            (Some(s), _) => {
                if let Some((other, opos, ofile)) = slugs.get(&s.value) {
                    cx.err_hint(
                        &at(file, s),
                        format!("{code}: duplicate slug `{}`, also used by {other}", s.value),
                        format!("{other} is at {ofile}:{}:{}", opos.line, opos.column),
                    );
                } else {
                    slugs.insert(
                        s.value.clone(),
                        (code.clone(), Pos::from(s.referenced), file.to_string()),
                    );
                }
                format!("/api/v1/processes/{}", s.value)
            }
            (None, Some(p)) => p.clone(),
            (None, None) => {
                cx.err(&here, format!("{code} has neither `slug` nor `path`"));
                String::new()
            }
        };
        for (what, s) in [
            ("request", &f.request),
            ("result", &f.result),
            ("rows", &f.rows),
        ] {
            if let Some(s) = s {
                check_shape_ref(cx, file, s, &format!("{code} {what}"));
            }
        }
        let mut request = f.request.as_ref().map(|s| s.value.clone());
        let mut result = f.result.as_ref().map(|s| s.value.clone());
        if let Some(twin) = &f.request_of {
            match cx.functions.get(&twin.value) {
                Some((_, t)) => request = t.request.as_ref().map(|s| s.value.clone()),
                None => cx.err_hint(
                    &at(file, twin),
                    format!(
                        "{code}: `request_of` names unknown function `{}`",
                        twin.value
                    ),
                    suggest(&twin.value, cx.functions.keys()),
                ),
            }
        }
        if let Some(of) = &f.result_of {
            match cx.functions.get(&of.value) {
                Some((_, t)) => result = t.result.as_ref().map(|s| s.value.clone()),
                None => cx.err_hint(
                    &at(file, of),
                    format!("{code}: `result_of` names unknown function `{}`", of.value),
                    suggest(&of.value, cx.functions.keys()),
                ),
            }
        }
        if let Some(q) = &f.result_query {
            match cx.functions.get(&q.value) {
                Some((_, t)) if t.kind.value == "result_query" => {}
                Some(_) => cx.err(
                    &at(file, &f.kind),
                    format!(
                        "{code}: `result_query` names {}, which is not a result query",
                        q.value
                    ),
                ),
                None => cx.err_hint(
                    &at(file, q),
                    format!(
                        "{code}: `result_query` names unknown function `{}`",
                        q.value
                    ),
                    format!("add {} (kind: result_query) or fix the name", q.value),
                ),
            }
        }
        match (kind, mode) {
            (Some(Kind::Create), Some(Mode::Async)) if f.result_query.is_none() => {
                let nnf = format!("{}NNF", code.get(..6).unwrap_or(code));
                cx.err_hint(
                    &here,
                    format!("{code} is an async create without its result query"),
                    format!("add `result_query: {nnf}` and define {nnf}; its outcome is only knowable there"),
                );
            }
            (Some(Kind::Create | Kind::Upload | Kind::DocumentAction | Kind::Auth), _)
                if request.is_none() =>
            {
                cx.err(
                    &here,
                    format!("{code} has no request shape (`request` or `request_of`)"),
                );
            }
            (Some(Kind::Query), _) if f.rows.is_none() || request.is_none() => {
                cx.err(
                    &here,
                    format!("{code} is a query and needs `request` and `rows`"),
                );
            }
            (Some(Kind::ResultQuery), _) if f.result_of.is_none() => {
                cx.err(
                    &here,
                    format!("{code} is a result query and needs `result_of`"),
                );
            }
            _ => {}
        }
        if matches!(
            (kind, mode),
            (
                Some(Kind::Create | Kind::Upload | Kind::DocumentAction | Kind::Auth),
                Some(Mode::Sync)
            )
        ) && result.is_none()
        {
            cx.err(&here, format!("{code} has no result shape"));
        }
        let (Some(kind), Some(mode)) = (kind, mode) else {
            continue;
        };
        out.insert(
            code.clone(),
            Function {
                code: code.clone(),
                kind,
                mode,
                slug: f.slug.as_ref().map(|s| s.value.clone()),
                path,
                title: f.title.clone(),
                name: f.name.value.clone(),
                feature: f.feature.value.clone(),
                doc: f.doc.clone(),
                request,
                request_of: f.request_of.as_ref().map(|s| s.value.clone()),
                result,
                rows: f.rows.as_ref().map(|s| s.value.clone()),
                result_of: f.result_of.as_ref().map(|s| s.value.clone()),
                result_query: f.result_query.as_ref().map(|s| s.value.clone()),
                deviations: f
                    .deviations
                    .iter()
                    .map(|d| Deviation {
                        path: d.path.clone(),
                        reason: d.reason.clone(),
                    })
                    .collect(),
            },
        );
    }
    // Rust method names must be unique across the whole client.
    let mut methods: HashMap<String, String> = HashMap::new();
    for (code, file, pos, _) in &list {
        if let Some(f) = out.get(code) {
            let m = crate::names::method_name(f);
            if let Some(other) = methods.insert(m.clone(), code.clone()) {
                cx.err_hint(
                    &At { file, pos: *pos },
                    format!("{code} and {other} both map to the client method `{m}`"),
                    "give one of them another `name`",
                );
            }
        }
    }
    out
}

fn suggest<'a, S: AsRef<str> + 'a>(word: &str, candidates: impl IntoIterator<Item = S>) -> String {
    let owned: Vec<String> = candidates
        .into_iter()
        .map(|s| s.as_ref().to_owned())
        .collect();
    match did_you_mean(word, owned.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "no similar name is defined".to_owned(),
    }
}

fn is_snake(s: &str) -> bool {
    !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_pascal(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}
