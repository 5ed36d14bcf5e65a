//! What `cargo xtask gen` remembers under `target/` between runs: a family's generated files
//! (keyed by its document), its models (keyed by what typify is given), rustfmt's output (keyed by
//! its input). Every key also holds the generator itself (this executable's size and modification
//! time, and the rustfmt it runs), so that a changed generator generates again. Best effort both
//! ways: an entry that cannot be read or written is generated again next time.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// The cache file of `kind` (a file-name prefix) for `key`.
pub fn entry(root: &Path, kind: &str, key: &impl Hash, extension: &str) -> Option<PathBuf> {
    let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let mut hasher = std::hash::DefaultHasher::new();
    key.hash(&mut hasher);
    exe.len().hash(&mut hasher);
    exe.modified().ok()?.hash(&mut hasher);
    std::env::var_os("RUSTFMT").hash(&mut hasher);
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Some(
        target
            .join("xtask-gen-cache")
            .join(format!("{kind}-{:016x}.{extension}", hasher.finish())),
    )
}

pub fn read(entry: Option<&Path>) -> Option<String> {
    std::fs::read_to_string(entry?).ok()
}

/// Writes beside, then renames: a run that reads the entry meanwhile sees all of it or nothing.
pub fn write(entry: Option<&Path>, text: &str) {
    let (Some(entry), Some(dir)) = (entry, entry.and_then(Path::parent)) else {
        return;
    };
    let temporary = entry.with_extension(format!("{}.tmp", std::process::id()));
    if std::fs::create_dir_all(dir).is_ok() && std::fs::write(&temporary, text).is_ok() {
        let _ = std::fs::rename(&temporary, entry);
    }
}
