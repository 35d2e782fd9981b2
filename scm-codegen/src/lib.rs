//! Loads and validates the HVS catalogue in `spec/` and generates from it.
//!
//! The phases live in their own modules: [`load`] reads YAML, [`validate`] checks it and
//! lowers it into the plain [`model`], and the exporters and emitters read only the model.

#![deny(missing_docs)]

pub mod diag;
pub mod emit;
pub mod gen;
pub mod load;
pub mod model;
pub mod names;
pub mod openapi;
pub mod raw;
pub mod validate;
pub mod vendor;

use std::path::Path;

pub use diag::{Diagnostic, Diagnostics};
pub use model::Catalogue;

/// Loads the catalogue from a folder, naming files `{shown}/…` in diagnostics.
pub fn load_dir(dir: &Path, shown: &str) -> Result<Catalogue, Diagnostics> {
    let sources = load::read_dir(dir, shown)?;
    load_sources(&sources)
}

/// Loads the catalogue from in-memory sources (tests, tools).
pub fn load_sources(sources: &[load::Source]) -> Result<Catalogue, Diagnostics> {
    let parsed = load::parse(sources)?;
    validate::validate(&parsed)
}
