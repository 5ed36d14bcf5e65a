//! How long `cargo xtask gen` takes warm (everything already built): the whole command as a user
//! runs it, and the in-process part (parse, check, typify, progenitor, rustfmt) on its own.
//!
//! `cargo bench -p xtask --bench gen`. The budget (issue 2) is 0.5 s wall for all three documents.

use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};

fn generate(c: &mut Criterion) {
    let root = xtask::workspace_root();
    let mut group = c.benchmark_group("gen");
    group.sample_size(10);

    // With the generated files cached under target/ (a warm run), this measures the cache.
    group.bench_function("generate_all (in process, three documents)", |b| {
        b.iter(|| xtask::gen::codegen::generate_all(&root).expect("the documents generate"))
    });

    // The command itself: cargo's freshness check, process start, generation, the up-to-date check.
    // Built once first so that what is measured is the warm run.
    let status = Command::new(env!("CARGO"))
        .args(["xtask", "gen"])
        .current_dir(&root)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo xtask gen failed");
    group.bench_function("cargo xtask gen (warm, whole command)", |b| {
        b.iter(|| {
            let output = Command::new(env!("CARGO"))
                .args(["xtask", "gen"])
                .current_dir(&root)
                .output()
                .expect("cargo runs");
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        })
    });
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
