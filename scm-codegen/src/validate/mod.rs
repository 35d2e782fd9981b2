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

mod fields;
mod functions;
mod shapes;

use fields::{check_dictionary, lower_field};
use functions::check_functions;
use shapes::{check_cycles, check_shapes};

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
