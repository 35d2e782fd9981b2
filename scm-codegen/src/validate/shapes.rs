//! Shapes: inheritance, names, one-of groups and reference cycles.

use super::*;

/// Words Rust reserves; a field or function named so needs `rust_name`.
const KEYWORDS: [&str; 51] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

pub(super) fn check_shapes(cx: &mut Ctx) -> IndexMap<String, Shape> {
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
pub(super) fn check_cycles(cx: &mut Ctx, shapes: &IndexMap<String, Shape>) {
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
