//! Project tasks: `cargo xtask regen [--check]`, `cargo xtask vendor-diff DIR`,
//! `cargo xtask features [--build]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod features;
mod regen;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("regen") => {
            match args.get(1).map(String::as_str) {
                None => regen::run(&root(), false),
                Some("--check") => regen::run(&root(), true),
                Some(other) => {
                    eprintln!("error: unknown option `{other}` for regen; use `cargo xtask regen [--check]`");
                    ExitCode::from(2)
                }
            }
        }
        Some("vendor-diff") => vendor_diff(args.get(1).map(String::as_str)),
        Some("features") => match args.get(1).map(String::as_str) {
            None => features::run(&root(), false),
            Some("--build") => features::run(&root(), true),
            Some(other) => {
                eprintln!("error: unknown option `{other}`; use `cargo xtask features [--build]`");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("usage: cargo xtask regen [--check] | vendor-diff DIR | features [--build]");
            ExitCode::from(2)
        }
    }
}

/// `cargo xtask vendor-diff DIR`: the catalogue against the vendor pages in DIR; fails on
/// undeclared differences.
fn vendor_diff(dir: Option<&str>) -> ExitCode {
    let Some(dir) = dir else {
        eprintln!("usage: cargo xtask vendor-diff DIR");
        return ExitCode::from(2);
    };
    let catalogue = match scm_codegen::load_dir(&root().join("spec"), "spec") {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match scm_codegen::vendor::run(&catalogue, Path::new(dir)) {
        Ok(report) => {
            println!("{report}");
            if report.undeclared_count() > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
