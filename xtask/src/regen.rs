//! `cargo xtask regen [--check]`: loads the catalogue and writes every generated file.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use scm_codegen::gen::{self, Status};

/// Regenerates (or with `check`, verifies) every output under `root`.
pub fn run(root: &Path, check: bool) -> ExitCode {
    let started = Instant::now();
    let catalogue = match scm_codegen::load_dir(&root.join("spec"), "spec") {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let outputs = gen::outputs(&catalogue);
    let report = match gen::sync(root, &outputs, check) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot write generated files: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stale = 0;
    let mut wrote = 0;
    for (path, status) in &report {
        match status {
            Status::Wrote => {
                wrote += 1;
                println!("wrote     {path}");
            }
            Status::Unchanged => println!("unchanged {path}"),
            Status::Stale => {
                stale += 1;
                println!("stale     {path}");
            }
        }
    }
    println!(
        "{} function codes, {} shapes, {} code sets: {} files ({wrote} written) in {:.2?}",
        catalogue.functions.len(),
        catalogue.shapes.len(),
        catalogue.codesets.len(),
        report.len(),
        started.elapsed()
    );
    if stale > 0 {
        eprintln!("error: {stale} generated file(s) are out of date; run `cargo xtask regen` and commit the result");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
