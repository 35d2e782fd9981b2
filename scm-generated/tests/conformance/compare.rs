//! Compares a body as sent with the body the crate writes back after decoding it.
//!
//! The two are compared as JSON values, with the equivalences HVS's wire format calls
//! for: keys match after trimming trailing spaces (`"targetRequestErrorMsg "`), `docSatus`
//! is `docStatus`, integers and decimals match by value whether sent as strings or numbers
//! (`"2000"`, `"2000.0"`, `2000`), any other number sent matches its text, and an empty
//! string matches a key left out. A key the catalogue
//! does not know may be dropped: that is noted, not failed. A key the crate writes that
//! was not sent fails unless it is `null`.

use std::str::FromStr;

use rust_decimal::Decimal;
use scm_codegen::model::{Catalogue, Field, FieldType};
use serde_json::{Map, Value};

/// The first difference found, with the JSON path to it.
#[derive(Debug, Clone)]
pub struct Diff {
    /// Where, as `$.docList[0].qty`.
    pub path: String,
    /// What differs: what was sent and what was written back.
    pub reason: String,
}

/// How an empty string that was sent must come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Empty {
    /// Left out, `null` or `""` again.
    Lenient,
    /// Left out or `null`: the crate must read `""` as "no value".
    Absent,
}

/// Compares `sent` with `written`; `fields` are the catalogue's fields of the top object.
///
/// Keys of `sent` that the catalogue does not know and that `written` drops are pushed
/// to `dropped` as paths.
pub fn compare(
    cat: &Catalogue,
    fields: &[&Field],
    sent: &Value,
    written: &Value,
    empty: Empty,
    dropped: &mut Vec<String>,
) -> Result<(), Diff> {
    let mut cmp = Cmp {
        cat,
        empty,
        dropped,
    };
    cmp.value(None, Some(fields.to_vec()), sent, written, "$")
}

/// The key as the catalogue spells it.
pub fn normal_key(k: &str) -> &str {
    match k.trim_end() {
        "docSatus" => "docStatus",
        other => other,
    }
}

/// The catalogue field a sent key stands for, by wire name or alias.
pub fn field_of<'f>(fields: &[&'f Field], key: &str) -> Option<&'f Field> {
    let key = normal_key(key);
    fields
        .iter()
        .find(|f| f.wire == key || f.aliases.iter().any(|a| normal_key(a) == key))
        .copied()
}

/// The fields of the objects a list or object field holds.
pub fn child_fields<'c>(cat: &'c Catalogue, f: &Field) -> Option<Vec<&'c Field>> {
    let shape = cat.shape(f.ty.shape()?)?;
    Some(shape.fields.iter().collect())
}

/// Whether the field holds an integer or a decimal.
fn is_numeric(f: &Field) -> bool {
    matches!(f.ty, FieldType::Integer | FieldType::Decimal { .. })
}

/// A number sent as a JSON number or as a string.
pub fn number(v: &Value) -> Option<Decimal> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    if text.is_empty() {
        return None;
    }
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
}

fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

struct Cmp<'a, 'd> {
    cat: &'a Catalogue,
    empty: Empty,
    dropped: &'d mut Vec<String>,
}

impl<'a> Cmp<'a, '_> {
    /// Compares the values of `field` (`None` at the top), whose objects have `fields`.
    fn value(
        &mut self,
        field: Option<&'a Field>,
        fields: Option<Vec<&'a Field>>,
        sent: &Value,
        written: &Value,
        path: &str,
    ) -> Result<(), Diff> {
        let diff = |reason: String| Diff {
            path: path.to_owned(),
            reason,
        };
        match (sent, written) {
            (Value::Object(s), Value::Object(w)) => self.object(fields, s, w, path),
            (Value::Array(s), Value::Array(w)) => {
                if s.len() != w.len() {
                    return Err(diff(format!(
                        "sent {} items, written back {}",
                        s.len(),
                        w.len()
                    )));
                }
                for (i, (s, w)) in s.iter().zip(w).enumerate() {
                    self.value(field, fields.clone(), s, w, &format!("{path}[{i}]"))?;
                }
                Ok(())
            }
            (Value::String(s), Value::String(w)) if s == w => Ok(()),
            (Value::String(s), Value::Null) if s.is_empty() => Ok(()),
            (Value::Null, Value::Null) => Ok(()),
            (Value::Bool(s), Value::Bool(w)) if s == w => Ok(()),
            (Value::Number(s), Value::Number(w)) if s == w => Ok(()),
            (
                s @ (Value::String(_) | Value::Number(_)),
                w @ (Value::String(_) | Value::Number(_)),
            ) if field.is_some_and(is_numeric) => match (number(s), number(w)) {
                (Some(a), Some(b)) if a == b => Ok(()),
                _ => Err(diff(format!("sent {}, written back {}", show(s), show(w)))),
            },
            (Value::Number(s), Value::String(w)) if s.to_string() == *w => Ok(()),
            (s, w) => Err(diff(format!("sent {}, written back {}", show(s), show(w)))),
        }
    }

    fn object(
        &mut self,
        fields: Option<Vec<&'a Field>>,
        sent: &Map<String, Value>,
        written: &Map<String, Value>,
        path: &str,
    ) -> Result<(), Diff> {
        let fields = fields.unwrap_or_default();
        let mut seen = Vec::new();
        for (raw, s) in sent {
            let key = normal_key(raw);
            seen.push(key);
            let here = format!("{path}.{key}");
            let field = field_of(&fields, key);
            let w = written.get(key);
            match (w, s) {
                (Some(w), Value::String(e)) if e.is_empty() && self.empty == Empty::Absent => {
                    if !w.is_null() {
                        return Err(Diff {
                            path: here,
                            reason: format!(
                                "sent \"\", written back {} (expected it left out)",
                                show(w)
                            ),
                        });
                    }
                }
                (Some(w), s) => {
                    let children = field.and_then(|f| child_fields(self.cat, f));
                    self.value(field, children, s, w, &here)?;
                }
                (None, Value::Null) => {}
                (None, Value::String(e)) if e.is_empty() => {}
                (None, s) => match field {
                    None => self.dropped.push(format!("{path}.{raw}")),
                    Some(_) => {
                        return Err(Diff {
                            path: here,
                            reason: format!(
                                "sent {}, written back nothing (a catalogue field)",
                                show(s)
                            ),
                        });
                    }
                },
            }
        }
        for (key, w) in written {
            if !w.is_null() && !seen.contains(&normal_key(key)) {
                return Err(Diff {
                    path: format!("{path}.{key}"),
                    reason: format!("not sent, written back {}", show(w)),
                });
            }
        }
        Ok(())
    }
}
