//! Reading the catalogue: YAML files into `raw` structs, with every parse error collected.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::raw::SpecFile;

/// One catalogue file: the name shown in diagnostics and its text.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown in diagnostics (`spec/catalogue.yaml`).
    pub name: String,
    /// The YAML text.
    pub text: String,
}

/// A parsed catalogue file.
#[derive(Debug)]
pub struct Parsed {
    /// The name shown in diagnostics.
    pub name: String,
    /// Its contents.
    pub file: SpecFile,
}

/// Reads every `*.yaml` file below `dir`, sorted by path, naming each `{shown}/{relative}`.
pub fn read_dir(dir: &Path, shown: &str) -> Result<Vec<Source>, Diagnostics> {
    let mut paths = Vec::new();
    collect(dir, &mut paths).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            shown,
            Pos::default(),
            format!("cannot read: {e}"),
        )])
    })?;
    paths.sort();
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let rel = p
            .strip_prefix(dir)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        let name = format!("{shown}/{rel}");
        match std::fs::read_to_string(&p) {
            Ok(text) => sources.push(Source { name, text }),
            Err(e) => errors.push(Diagnostic::new(
                &name,
                Pos::default(),
                format!("cannot read: {e}"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(Diagnostics::sorted(errors))
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Parses every source; reports every file's syntax or shape errors at once.
pub fn parse(sources: &[Source]) -> Result<Vec<Parsed>, Diagnostics> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for s in sources {
        match serde_saphyr::from_str::<SpecFile>(&s.text) {
            Ok(file) => parsed.push(Parsed {
                name: s.name.clone(),
                file,
            }),
            Err(e) => errors.push(yaml_error(&s.name, &e)),
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(Diagnostics::sorted(errors))
    }
}

fn yaml_error(file: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let at = e.location().map(Pos::from).unwrap_or_default();
    let text = e.without_snippet().to_string();
    // The library appends its own position; ours leads the line instead.
    let message = text
        .lines()
        .next()
        .unwrap_or("invalid YAML")
        .split(" at line ")
        .next()
        .unwrap_or("invalid YAML")
        .trim()
        .to_owned();
    // The library's advice names its own API; catalogue authors need the key instead.
    let message = match message.split(", set DuplicateKeyPolicy").next() {
        Some(m) if m != message => match m.strip_prefix("duplicate mapping key: ") {
            Some(key) => format!("duplicate key `{key}` in one mapping"),
            None => "duplicate key in one mapping".to_owned(),
        },
        _ => message,
    };
    let hint = if message.contains("duplicate") {
        Some("each key may appear once in a mapping; merge the two entries or rename one")
    } else if message.contains("unknown field") {
        Some("see the field list in README.md, section \"The catalogue language\"")
    } else {
        None
    };
    let d = Diagnostic::new(file, at, lowercase_first(&message));
    match hint {
        Some(h) => d.hint(h),
        None => d,
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
