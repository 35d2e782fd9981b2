//! Field types, lengths and the merge of a shape's field with its dictionary entry.

use super::*;

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
                        "write decimal(precision,scale) with 1 <= precision <= 38 \
                         and scale <= precision, as decimal(16,2)",
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
                    let ours = TYPE_NAMES
                        .iter()
                        .find(|(k, _)| *k == n)
                        .map_or(n, |(_, v)| *v);
                    format!("did you mean `{ours}`?")
                }
                None => "types are string, integer, date, timestamp, flag, decimal(p,s), \
                         list(Shape), object(Shape), code(CodeSet)"
                    .to_owned(),
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

pub(super) fn check_dictionary(cx: &mut Ctx) {
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

pub(super) fn lower_field(
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
