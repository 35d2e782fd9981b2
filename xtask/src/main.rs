//! Project tasks: `cargo xtask regen [--check]`, `cargo xtask vendor-diff DIR`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("regen") => {
            let root = root();
            match scm_codegen::load_dir(&root.join("spec"), "spec") {
                Ok(c) => {
                    println!("{} functions, {} shapes", c.functions.len(), c.shapes.len());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: cargo xtask regen [--check] | vendor-diff DIR");
            ExitCode::from(2)
        }
    }
}
