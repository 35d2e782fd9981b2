//! `cargo xtask features [--build]`: every business area of the catalogue compiles alone.
//!
//! Checks `scm-generated` with no area, with each area alone and with all of them, so a
//! type that one area's code needs but another area's module holds is caught. With
//! `--build`, each configuration is built from a clean `scm-generated` and timed instead:
//! that is the measurement behind the build times in the notes.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

/// Runs the loop; fails on the first configuration that does not compile.
pub fn run(root: &Path, build: bool) -> ExitCode {
    let catalogue = match scm_codegen::load_dir(&root.join("spec"), "spec") {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    // `auth` is always compiled; every other area is a Cargo feature.
    let areas: Vec<&str> = catalogue
        .features
        .keys()
        .map(String::as_str)
        .filter(|f| *f != "auth")
        .collect();
    let mut configs: Vec<(String, Vec<&str>)> = vec![("(none)".into(), Vec::new())];
    configs.extend(areas.iter().map(|a| (a.to_string(), vec![*a])));
    configs.push(("(all)".into(), areas.clone()));
    let lines = generated_lines(root);
    println!("generated Rust: {lines} lines in scm-generated/src/generated");
    if build {
        // Dependencies are built once, untimed, so each timing is scm-generated alone.
        println!("building dependencies (not timed)");
        let warm = Command::new("cargo")
            .args(["build", "--quiet", "-p", "scm-generated"])
            .env("RUSTFLAGS", "-Dwarnings")
            .current_dir(root)
            .status();
        if !warm.is_ok_and(|s| s.success()) {
            eprintln!("error: scm-generated does not build");
            return ExitCode::FAILURE;
        }
    }
    for (i, (name, features)) in configs.iter().enumerate() {
        if build {
            let clean = Command::new("cargo")
                .args(["clean", "--quiet", "-p", "scm-generated"])
                .current_dir(root)
                .status();
            if !clean.is_ok_and(|s| s.success()) {
                eprintln!("error: `cargo clean -p scm-generated` failed");
                return ExitCode::FAILURE;
            }
        }
        let started = Instant::now();
        let mut cmd = Command::new("cargo");
        cmd.args([
            if build { "build" } else { "check" },
            "--quiet",
            "-p",
            "scm-generated",
        ])
        .args(["--no-default-features", "--features", &features.join(",")])
        .env("RUSTFLAGS", "-Dwarnings")
        .current_dir(root);
        let ok = cmd.status().is_ok_and(|s| s.success());
        println!(
            "[{}/{}] {:<18} {} in {:.1?}",
            i + 1,
            configs.len(),
            name,
            if ok { "ok" } else { "FAILED" },
            started.elapsed()
        );
        if !ok {
            eprintln!(
                "error: scm-generated does not compile with features [{}]",
                features.join(",")
            );
            return ExitCode::FAILURE;
        }
    }
    println!("{} feature configurations compile", configs.len());
    ExitCode::SUCCESS
}

fn generated_lines(root: &Path) -> usize {
    let dir = root.join("scm-generated/src/generated");
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .map(|t| t.lines().count())
        .sum()
}
