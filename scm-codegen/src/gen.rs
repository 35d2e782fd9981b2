//! Everything `cargo xtask regen` writes, as one list of files, so that regeneration, the
//! `--check` mode and the freshness test share one code path.

use std::path::{Path, PathBuf};

use crate::model::Catalogue;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the workspace root, with `/` separators.
    pub path: String,
    /// Full contents, `\n` line endings.
    pub contents: String,
}

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Written because it was missing or different.
    Wrote,
    /// Already up to date.
    Unchanged,
    /// Different on disk (check mode writes nothing).
    Stale,
}

/// Every generated file, in a fixed order.
pub fn outputs(c: &Catalogue) -> Vec<Output> {
    let mut out = vec![Output {
        path: "spec/openapi.json".into(),
        contents: crate::openapi::render(c),
    }];
    out.extend(crate::emit::outputs(c));
    out
}

/// Writes (or, with `check`, compares) every output below `root`; returns each file's status.
pub fn sync(
    root: &Path,
    outputs: &[Output],
    check: bool,
) -> std::io::Result<Vec<(String, Status)>> {
    let mut report = Vec::new();
    for o in outputs {
        let path: PathBuf = root.join(&o.path);
        let current = std::fs::read_to_string(&path).ok();
        let same = current.as_deref().map(|c| c.replace("\r\n", "\n")) == Some(o.contents.clone());
        let status = match (same, check) {
            (true, _) => Status::Unchanged,
            (false, true) => Status::Stale,
            (false, false) => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(&path, &o.contents)?;
                Status::Wrote
            }
        };
        report.push((o.path.clone(), status));
    }
    Ok(report)
}
