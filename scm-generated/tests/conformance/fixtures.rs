//! Builds replies and requests from the catalogue, every value written as HVS writes it.
//!
//! Strings are short and within their length, integers and decimals are strings within
//! their precision and scale, dates and timestamps in HVS's formats, flags `Y`, codes the
//! first of their code set, lists two items long. The envelope codes that tell outcomes
//! apart are set to select the outcome the reply is built for.

use scm_codegen::model::{Catalogue, Field, FieldType, Function, Presence};
use serde_json::{Map, Value};

/// Lists are this long.
const ITEMS: usize = 2;
/// Nested shapes deeper than this are left out (the catalogue nests two levels).
const DEPTH: usize = 6;

/// What to build.
#[derive(Debug, Clone, Copy)]
pub struct Build<'a> {
    /// The catalogue.
    pub cat: &'a Catalogue,
    /// The outcome a reply is built for; `None` for a request.
    pub outcome: Option<&'a str>,
    /// Whether optional scalar fields are written as `""`.
    pub blank_optionals: bool,
}

/// The fields of a function's reply in one outcome: its envelope's, then its body's.
pub fn reply_fields<'c>(cat: &'c Catalogue, f: &'c Function, outcome: &str) -> Vec<&'c Field> {
    let Some(o) = cat.outcomes.get(outcome) else {
        return Vec::new();
    };
    let shapes = [o.envelope.as_deref(), cat.body_of(f, o)];
    shapes_fields(cat, &shapes)
}

/// The fields of a function's request: its envelope's, then its body's.
pub fn request_fields<'c>(cat: &'c Catalogue, f: &'c Function) -> Vec<&'c Field> {
    let (envelope, body) = cat.request_shapes(f);
    shapes_fields(cat, &[envelope, body])
}

fn shapes_fields<'c>(cat: &'c Catalogue, shapes: &[Option<&str>]) -> Vec<&'c Field> {
    shapes
        .iter()
        .flatten()
        .filter_map(|s| cat.shape(s))
        .flat_map(|s| s.fields.iter())
        .collect()
}

impl Build<'_> {
    /// An object holding every one of `fields`.
    pub fn object(&self, fields: &[&Field], item: usize, depth: usize) -> Value {
        let mut map = Map::new();
        for f in fields {
            if let Some(v) = self.field(f, item, depth) {
                map.insert(f.wire.clone(), v);
            }
        }
        Value::Object(map)
    }

    fn field(&self, f: &Field, item: usize, depth: usize) -> Option<Value> {
        let blank = self.blank_optionals && f.presence == Presence::Optional;
        let text = |s: String| Some(Value::String(if blank { String::new() } else { s }));
        match &f.ty {
            FieldType::String => text(string(f, item)),
            FieldType::Integer => text(if f.length == Some(1) { "1" } else { "12" }.to_owned()),
            FieldType::Decimal { precision, scale } => text(decimal(*precision, *scale)),
            FieldType::Date => text("2024-03-05".to_owned()),
            FieldType::Timestamp => text("2024-03-05 10:20:30".to_owned()),
            FieldType::Flag => text("Y".to_owned()),
            FieldType::Code(set) => {
                let code = self.discriminator(&f.wire).map(str::to_owned).or_else(|| {
                    let set = self.cat.codesets.get(set)?;
                    Some(set.codes.first()?.value.clone())
                });
                text(code.unwrap_or_default())
            }
            FieldType::List(shape) => {
                let fields = self.shape_fields(shape, depth)?;
                let items = (0..ITEMS)
                    .map(|i| self.object(&fields, i + 1, depth + 1))
                    .collect();
                Some(Value::Array(items))
            }
            FieldType::Object(shape) => {
                let fields = self.shape_fields(shape, depth)?;
                Some(self.object(&fields, item, depth + 1))
            }
        }
    }

    fn shape_fields(&self, shape: &str, depth: usize) -> Option<Vec<&Field>> {
        if depth >= DEPTH {
            return None;
        }
        Some(self.cat.shape(shape)?.fields.iter().collect())
    }

    /// The envelope codes that select the outcome being built.
    fn discriminator(&self, wire: &str) -> Option<&'static str> {
        let outcome = self.outcome?;
        Some(match (wire, outcome) {
            ("requestResult", "duplicate") => "6",
            ("requestResult", _) => "1",
            ("targetRequestStatus", "pending") => "0",
            ("targetRequestStatus", _) => "1",
            ("targetRequestResult", "pending") => "0",
            ("targetRequestResult", "parse_error") => "6",
            ("targetRequestResult", _) => "1",
            _ => return None,
        })
    }
}

/// A short text within the field's length, different per list item.
fn string(f: &Field, item: usize) -> String {
    let base: String = f
        .wire
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(6)
        .collect();
    let full = format!("{item}{base}");
    let max = f.length.map_or(usize::MAX, |l| l.max(1) as usize);
    full.chars().take(max).collect()
}

/// `12.50` within the precision and scale.
fn decimal(precision: u32, scale: u32) -> String {
    let whole = match precision.saturating_sub(scale) {
        0 => "0",
        1 => "1",
        _ => "12",
    };
    match scale {
        0 => whole.to_owned(),
        1 => format!("{whole}.5"),
        s => format!("{whole}.5{}", "0".repeat(s as usize - 1)),
    }
}

/// Every catalogue field of the object tree `fields` describes, with its JSON path.
pub fn walk<'c>(
    cat: &'c Catalogue,
    fields: &[&'c Field],
    value: &Value,
    path: &str,
    out: &mut Vec<(String, &'c Field)>,
) {
    let Value::Object(map) = value else { return };
    for f in fields {
        let Some(v) = map.get(&f.wire) else { continue };
        let here = format!("{path}.{}", f.wire);
        out.push((here.clone(), f));
        let Some(children) = f.ty.shape().and_then(|s| cat.shape(s)) else {
            continue;
        };
        let children: Vec<&Field> = children.fields.iter().collect();
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(cat, &children, item, &format!("{here}[{i}]"), out);
                }
            }
            other => walk(cat, &children, other, &here, out),
        }
    }
}

/// The value at a path made by [`walk`], for changing it.
pub fn at<'v>(value: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    let mut v = value;
    for step in path.strip_prefix("$.")?.split('.') {
        let (key, index) = match step.split_once('[') {
            Some((k, i)) => (k, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (step, None),
        };
        v = v.get_mut(key)?;
        if let Some(i) = index {
            v = v.get_mut(i)?;
        }
    }
    Some(v)
}
