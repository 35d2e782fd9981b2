//! Rust emitters: the generated part of `scm-generated`.

use crate::gen::Output;
use crate::model::Catalogue;

/// The generated Rust files of `scm-generated`.
pub fn outputs(_c: &Catalogue) -> Vec<Output> {
    Vec::new()
}
