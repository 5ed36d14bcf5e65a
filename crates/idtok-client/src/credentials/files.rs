//! The vendors' credential files: reading them (with a warning when others may read them) and
//! parsing their INI format as Python's `configparser` does, which both vendors' libraries use.
//! A malformed file is an error that names the file and the line, never a panic.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use idtok_runtime::credentials::CredentialsError;

/// A file's text, or `Ok(None)` when there is no such file. Warns (a `tracing` WARN event, once
/// per file per process) when the file may be read by users other than its owner: it holds
/// secrets. A tool reads the same file more than once in a run (its region, then its
/// credentials); saying it once is enough.
pub fn read_private_file(path: &Path) -> Result<Option<String>, CredentialsError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(CredentialsError::new(format!(
                "cannot read {}: {error}",
                path.display()
            )))
        }
    };
    if let Some(mode) = readable_by_others(path) {
        warn_once(path, mode);
    }
    Ok(Some(text))
}

/// The profile files of one invocation of a tool, each read once: the first read of a path is
/// kept, and every later read of it (by either chain, or to find a profile's region) gets the
/// same text, so that a profile's region and its credentials come from one reading of its files.
/// Give the same one to the chain builders and the region lookups of one invocation
/// (`DefaultChainBuilder::files`). [`ReadOnce::default`] keeps nothing: each read reads the
/// file, which suits a long-running process whose files may change.
#[derive(Clone, Default)]
pub struct ReadOnce(Option<Arc<Mutex<Reads>>>);

impl std::fmt::Debug for ReadOnce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The files hold secrets: which were read, never what they say.
        let read = self.0.as_ref().map(|reads| {
            let reads = reads.lock().unwrap_or_else(|p| p.into_inner());
            reads.keys().cloned().collect::<Vec<_>>()
        });
        f.debug_struct("ReadOnce").field("read", &read).finish()
    }
}

/// What each path gave when it was first read.
type Reads = HashMap<PathBuf, Result<Option<String>, String>>;

impl ReadOnce {
    /// Files read once from now on.
    pub fn new() -> Self {
        Self(Some(Arc::default()))
    }

    /// [`read_private_file`], or what it gave the first time for this path.
    pub fn read(&self, path: &Path) -> Result<Option<String>, CredentialsError> {
        let Some(kept) = &self.0 else {
            return read_private_file(path);
        };
        let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
        let read = kept
            .entry(path.to_path_buf())
            .or_insert_with(|| read_private_file(path).map_err(|e| e.to_string()));
        read.clone().map_err(CredentialsError::new)
    }
}

/// The files already warned about in this process.
static WARNED: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

fn warn_once(path: &Path, mode: u32) {
    let first = WARNED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(path.to_path_buf());
    if first {
        tracing::warn!(
            file = %path.display(),
            mode = format_args!("{mode:o}"),
            "{} may be read by other users (mode {mode:o}) and holds credentials: run `chmod 600 {}`",
            path.display(),
            path.display()
        );
    }
}

/// The file's permission bits when group or others may read it (Unix); `None` otherwise.
pub fn readable_by_others(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o044 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// An INI file: sections of `key = value` (or `key: value`) lines. As `configparser` reads it:
/// keys are lower-cased, whitespace around keys and values is dropped, lines starting with `#`
/// or `;` are comments, an indented line continues the previous value, and a key or section
/// given twice is an error.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Ini {
    sections: BTreeMap<String, BTreeMap<String, String>>,
}

impl Ini {
    /// Parses `text`, read from `file` (named in errors).
    pub fn parse(file: &Path, text: &str) -> Result<Self, CredentialsError> {
        let fail = |line: usize, why: &str| {
            CredentialsError::new(format!("{}, line {line}: {why}", file.display()))
        };
        let mut ini = Ini::default();
        let mut section: Option<String> = None;
        let mut last_key: Option<String> = None;
        for (index, raw) in text.lines().enumerate() {
            let number = index + 1;
            let line = raw.trim_end();
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            if line.starts_with([' ', '\t']) {
                // A continuation of the previous value.
                let (Some(section), Some(key)) = (&section, &last_key) else {
                    return Err(fail(number, "an indented line that continues no value"));
                };
                let value = ini
                    .sections
                    .get_mut(section)
                    .and_then(|s| s.get_mut(key))
                    .expect("the key was inserted");
                value.push('\n');
                value.push_str(trimmed);
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix('[') {
                let name = rest
                    .strip_suffix(']')
                    .ok_or_else(|| fail(number, "a section header without its closing `]`"))?
                    .trim();
                if ini.sections.contains_key(name) {
                    return Err(fail(number, &format!("section [{name}] given twice")));
                }
                ini.sections.insert(name.to_owned(), BTreeMap::new());
                section = Some(name.to_owned());
                last_key = None;
                continue;
            }
            let Some(current) = &section else {
                return Err(fail(number, "a line before the first [section] header"));
            };
            let split = trimmed
                .find(['=', ':'])
                .ok_or_else(|| fail(number, "expected `key = value`"))?;
            let key = trimmed[..split].trim().to_lowercase();
            if key.is_empty() {
                return Err(fail(number, "a value without a key"));
            }
            let value = trimmed[split + 1..].trim().to_owned();
            let entries = ini.sections.get_mut(current).expect("section was inserted");
            if entries.contains_key(&key) {
                return Err(fail(
                    number,
                    &format!("key `{key}` given twice in [{current}]"),
                ));
            }
            entries.insert(key.clone(), value);
            last_key = Some(key);
        }
        Ok(ini)
    }

    /// A section's entries, if the file has it.
    pub fn section(&self, name: &str) -> Option<&BTreeMap<String, String>> {
        self.sections.get(name)
    }

    /// The names of the file's sections, in order.
    pub fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections.keys().map(String::as_str)
    }
}

/// The user's home directory, as the vendors' libraries find it: `HOME`, else `USERPROFILE`
/// (Windows).
pub fn home_dir(get: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    get("HOME")
        .or_else(|| get("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Ini, String> {
        Ini::parse(Path::new("/home/u/.alibabacloud/credentials.ini"), text)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn reads_sections_as_configparser_does() {
        let ini = parse(
            "# comment\n[default]\nType = access_key\naccess_key_id: LTAI\n  ; not a comment here\n\n[other]\nk=v\n",
        )
        .unwrap();
        let default = ini.section("default").unwrap();
        assert_eq!(default["type"], "access_key");
        assert_eq!(default["access_key_id"], "LTAI");
        assert_eq!(ini.section("other").unwrap()["k"], "v");
        assert_eq!(
            ini.section_names().collect::<Vec<_>>(),
            ["default", "other"]
        );
    }

    #[test]
    fn malformed_files_name_the_file_and_line() {
        for (text, why) in [
            (
                "key = v\n",
                "line 1: a line before the first [section] header",
            ),
            (
                "[default\n",
                "line 1: a section header without its closing `]`",
            ),
            ("[a]\nnot a pair\n", "line 2: expected `key = value`"),
            ("[a]\n= v\n", "line 2: a value without a key"),
            ("[a]\nk=1\n[a]\n", "line 3: section [a] given twice"),
            ("[a]\nk=1\nK=2\n", "line 3: key `k` given twice in [a]"),
        ] {
            let error = parse(text).unwrap_err();
            assert_eq!(
                error,
                format!("/home/u/.alibabacloud/credentials.ini, {why}"),
                "{text:?}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_may_read_is_noticed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("idtok-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("credentials");
        std::fs::write(&file, "[default]\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(readable_by_others(&file), Some(0o644));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(readable_by_others(&file), None);
        assert_eq!(read_private_file(&dir.join("absent")).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn read_once_keeps_the_first_read_of_each_path() {
        let dir = std::env::temp_dir().join(format!("idtok-read-once-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config.json");
        let absent = dir.join("absent");
        std::fs::write(&file, "first").unwrap();
        let once = ReadOnce::new();
        let each_time = ReadOnce::default();
        assert_eq!(once.read(&file).unwrap().as_deref(), Some("first"));
        assert_eq!(once.read(&absent).unwrap(), None);
        std::fs::write(&file, "second").unwrap();
        std::fs::write(&absent, "appeared").unwrap();
        assert_eq!(once.read(&file).unwrap().as_deref(), Some("first"));
        assert_eq!(once.read(&absent).unwrap(), None);
        // A clone shares what was read.
        assert_eq!(once.clone().read(&file).unwrap().as_deref(), Some("first"));
        assert_eq!(each_time.read(&file).unwrap().as_deref(), Some("second"));
        assert_eq!(
            each_time.read(&absent).unwrap().as_deref(),
            Some("appeared")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
