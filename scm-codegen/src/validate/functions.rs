//! Function codes: kinds, modes, slugs, and their relations to each other.

use super::*;

pub(super) fn check_functions(cx: &mut Ctx) -> IndexMap<String, Function> {
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
                    format!(
                        "add `result_query: {nnf}` and define {nnf}; \
                         its outcome is only knowable there"
                    ),
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
