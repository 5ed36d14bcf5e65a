//! Loading one OpenAPI document, and saying where in it a problem is.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::families::Family;

/// 1-based line and column in a document.
pub type LineColumn = (usize, usize);

/// A problem in a document: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The document, relative to the workspace root.
    pub document: String,
    /// 1-based line and column, when known.
    pub line: Option<LineColumn>,
    /// JSON pointer into the document (`/paths/~1Foo/post`), empty for the whole document.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some((line, column)) => write!(f, "{}:{line}:{column}", self.document)?,
            None => write!(f, "{}", self.document)?,
        }
        if !self.pointer.is_empty() {
            write!(f, ": {}", self.pointer)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A parsed document, with what is needed to point at any part of it.
pub struct Document {
    pub family: Family,
    pub openapi: openapiv3::OpenAPI,
    /// The same document as plain JSON, for what `openapiv3` does not model (extensions, pointers).
    pub json: serde_json::Value,
    /// Its operations, read once (`crate::operations`): what every generator stage reads.
    pub operations: Vec<crate::operations::Operation>,
    /// Where each node is written: the part (an index into `parts`) and its line and column.
    positions: HashMap<String, (usize, LineColumn)>,
    /// The text as written, for locating words inside a multi-line value and saying which file a
    /// problem is in.
    parts: Vec<Part>,
    /// The whole document in its authored key order (`serde_yaml` keeps it, `serde_json` sorts).
    pub bundle: serde_yaml::Value,
}

/// One file of a document, as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Part {
    /// Relative to the workspace root.
    pub path: String,
    pub source: String,
}

/// A document's files in the order they are bundled: the document itself, or the root of a
/// document written as a directory and then one file per tag, in the order of `tags`.
pub type Sources = Vec<Part>;

/// The name, in a document's directory, of the file with everything but the per-tag parts.
pub const ROOT_PART: &str = "openapi.yaml";

/// Writes a document's files under `root` (a scratch copy of the workspace, in tests).
pub fn write_parts(root: &Path, parts: &[Part]) -> std::io::Result<()> {
    for part in parts {
        let path = root.join(&part.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &part.source)?;
    }
    Ok(())
}

/// A problem with a whole file.
fn whole(message: String, document: &str) -> Problem {
    Problem {
        document: document.to_owned(),
        line: None,
        pointer: String::new(),
        message,
    }
}

/// Where a document's files are read from: the working tree, or a git revision.
pub trait DocumentFiles {
    /// The file's text; None when there is no such file.
    fn read(&self, path: &str) -> Result<Option<String>, String>;
    /// The names of the files in a directory; None when there is no such directory.
    fn list(&self, directory: &str) -> Result<Option<Vec<String>>, String>;
}

/// The files under the workspace root.
pub struct WorkingTree<'a>(pub &'a Path);

impl DocumentFiles for WorkingTree<'_> {
    fn read(&self, path: &str) -> Result<Option<String>, String> {
        match std::fs::read_to_string(self.0.join(path)) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {}: {e}", self.0.join(path).display())),
        }
    }
    fn list(&self, directory: &str) -> Result<Option<Vec<String>>, String> {
        let path = self.0.join(directory);
        if !path.is_dir() {
            return Ok(None);
        }
        let entries = std::fs::read_dir(&path)
            .map_err(|e| format!("cannot read the directory {}: {e}", path.display()))?;
        Ok(Some(
            entries
                .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                .collect(),
        ))
    }
}

/// The files of a git revision (a commit), read through git.
pub struct GitRevision<'a> {
    pub root: &'a Path,
    pub commit: &'a str,
}

impl GitRevision<'_> {
    /// The object at `path`: its type and id; None when the revision has nothing there.
    fn entry(&self, path: &str) -> Result<Option<(String, String)>, String> {
        let stderr =
            |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).trim().to_owned();
        let listing = crate::git(
            self.root,
            &[
                "--literal-pathspecs",
                "ls-tree",
                "-z",
                self.commit,
                "--",
                path,
            ],
        )?;
        if !listing.status.success() {
            return Err(format!(
                "cannot list {}:{path}: {}",
                self.commit,
                stderr(&listing)
            ));
        }
        let listing = String::from_utf8_lossy(&listing.stdout);
        let Some(entry) = listing.split('\0').find(|e| !e.is_empty()) else {
            return Ok(None);
        };
        // `<mode> SP <type> SP <object> TAB <path>`
        let mut fields = entry.split(['\t', ' ']);
        match (fields.nth(1), fields.next()) {
            (Some(kind), Some(object)) => Ok(Some((kind.to_owned(), object.to_owned()))),
            _ => Err(format!(
                "git ls-tree gave {entry:?} for {}:{path}",
                self.commit
            )),
        }
    }

    fn git_stdout(&self, args: &[&str], what: &str) -> Result<Vec<u8>, String> {
        let output = crate::git(self.root, args)?;
        if !output.status.success() {
            return Err(format!(
                "cannot read {what}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(output.stdout)
    }
}

impl DocumentFiles for GitRevision<'_> {
    fn read(&self, path: &str) -> Result<Option<String>, String> {
        let what = format!("{}:{path}", self.commit);
        match self.entry(path)? {
            None => Ok(None),
            Some((kind, object)) if kind == "blob" => {
                let blob = self.git_stdout(&["cat-file", "blob", &object], &what)?;
                String::from_utf8(blob)
                    .map(Some)
                    .map_err(|_| format!("{what} is not UTF-8"))
            }
            Some(_) => Err(format!("{what} is not a file")),
        }
    }
    fn list(&self, directory: &str) -> Result<Option<Vec<String>>, String> {
        let what = format!("{}:{directory}", self.commit);
        match self.entry(directory)? {
            Some((kind, object)) if kind == "tree" => {
                let names = self.git_stdout(&["ls-tree", "-z", "--name-only", &object], &what)?;
                Ok(Some(
                    String::from_utf8_lossy(&names)
                        .split('\0')
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned)
                        .collect(),
                ))
            }
            _ => Ok(None),
        }
    }
}

impl Document {
    pub fn load(root: &Path, family: Family) -> Result<Self, Problem> {
        Self::parse_sources(family, &Self::read(root, family)?)
    }

    /// The family's document as written: `openapi/<stem>.yaml`, or when the directory
    /// `openapi/<stem>/` exists, its `openapi.yaml` and then one `<Tag>.yaml` per tag of that
    /// root, in the order of its `tags` (so the bundle keeps the order of the operations).
    pub fn read(root: &Path, family: Family) -> Result<Sources, Problem> {
        Self::read_from(family, &WorkingTree(root)).and_then(|found| {
            found.ok_or_else(|| {
                whole(
                    format!(
                        "cannot read {}: no such file or directory",
                        root.join(family.document).display()
                    ),
                    family.document,
                )
            })
        })
    }

    /// The family's document from `files` (the working tree or a git revision): the directory
    /// `openapi/<stem>/` when it is there, else the single file `openapi/<stem>.yaml` (how the
    /// documents were written before they were split); None when neither is there.
    pub fn read_from(
        family: Family,
        files: &dyn DocumentFiles,
    ) -> Result<Option<Sources>, Problem> {
        let read = |relative: &str| -> Result<Option<Part>, Problem> {
            Ok(files
                .read(relative)
                .map_err(|e| whole(e, relative))?
                .map(|source| Part {
                    path: relative.to_owned(),
                    source,
                }))
        };
        let directory = family.directory();
        let Some(names) = files.list(directory).map_err(|e| whole(e, directory))? else {
            return Ok(read(family.document)?.map(|part| vec![part]));
        };
        let root_path = format!("{directory}/{ROOT_PART}");
        let root_part = read(&root_path)?
            .ok_or_else(|| whole(format!("{directory}/ has no {ROOT_PART}"), &root_path))?;
        // The tags, from a plain parse; a root that does not parse is reported by parse_sources,
        // alone (the parts cannot be told from strays without its tags).
        let Ok(parsed) = serde_yaml::from_str::<serde_yaml::Value>(&root_part.source) else {
            return Ok(Some(vec![root_part]));
        };
        let tags: Vec<String> = Some(parsed)
            .and_then(|v| v.get("tags").and_then(|t| t.as_sequence()).cloned())
            .into_iter()
            .flatten()
            .filter_map(|t| t.get("name").and_then(|n| n.as_str()).map(str::to_owned))
            .collect();
        let mut files_found: Vec<String> = names
            .into_iter()
            .filter(|name| name.ends_with(".yaml") && name != ROOT_PART)
            .collect();
        files_found.sort();
        if let Some(stray) = files_found
            .iter()
            .find(|f| !tags.iter().any(|t| **f == format!("{t}.yaml")))
        {
            return Err(whole(
                format!("{stray} is named after no tag of {directory}/{ROOT_PART}: a part holds the operations of one tag and is named <Tag>.yaml"),
                &format!("{directory}/{stray}"),
            ));
        }
        let mut sources = vec![root_part];
        for tag in &tags {
            let name = format!("{tag}.yaml");
            if files_found.contains(&name) {
                let path = format!("{directory}/{name}");
                sources
                    .push(read(&path)?.ok_or_else(|| whole("cannot be read".to_owned(), &path))?);
            }
        }
        Ok(Some(sources))
    }

    /// The bundle of `parts` as plain JSON, without reading it as OpenAPI: what `cargo xtask diff`
    /// and the version check compare (a revision's document need only be YAML).
    /// On failure, the part at fault and what is wrong with it.
    pub fn bundle_json(parts: &[Part]) -> Result<serde_json::Value, (String, String)> {
        let mut bundle = serde_yaml::Value::Null;
        let first = parts.first().map(|p| p.path.clone()).unwrap_or_default();
        for (index, part) in parts.iter().enumerate() {
            let value: serde_yaml::Value = serde_yaml::from_str(&part.source)
                .map_err(|e| (part.path.clone(), e.to_string()))?;
            if index == 0 {
                bundle = value;
            } else {
                merge_part(&mut bundle, value).map_err(|(pointer, message)| {
                    (part.path.clone(), format!("{pointer}: {message}"))
                })?;
            }
        }
        serde_json::to_value(&bundle).map_err(|e| (first, e.to_string()))
    }

    /// One document from one text (its family's document).
    pub fn parse(family: Family, source: &str) -> Result<Self, Problem> {
        Self::parse_sources(
            family,
            &[Part {
                path: family.document.to_owned(),
                source: source.to_owned(),
            }],
        )
    }

    /// One document from its parts: the first whole but for what the others add, each other one
    /// only `paths` and `components`. A path or component in two parts is a problem, not an
    /// overwrite; every node keeps the file, line and column it is written at.
    pub fn parse_sources(family: Family, parts: &[Part]) -> Result<Self, Problem> {
        let mut positions = HashMap::new();
        let mut bundle = serde_yaml::Value::Null;
        // Each part is read on its own (on every core: a document of hundreds of operations is
        // dozens of files), then merged in order.
        type Read = Result<(HashMap<String, LineColumn>, serde_yaml::Value), Problem>;
        let read: Vec<crate::parallel::Task<'_, Read>> = parts
            .iter()
            .map(|part| {
                Box::new(move || {
                    let problem = |line, pointer: String, message: String| Problem {
                        document: part.path.clone(),
                        line,
                        pointer,
                        message,
                    };
                    let found = self::positions(&part.source)
                        .map_err(|(line, pointer, message)| problem(line, pointer, message))?;
                    let value: serde_yaml::Value =
                        serde_yaml::from_str(&part.source).map_err(|e| {
                            problem(
                                e.location().map(|l| (l.line(), l.column())),
                                String::new(),
                                format!("not a JSON-compatible document: {e}"),
                            )
                        })?;
                    Ok((found, value))
                }) as crate::parallel::Task<'_, Read>
            })
            .collect();
        for (index, (part, read)) in parts
            .iter()
            .zip(crate::parallel::on_every_core(read))
            .enumerate()
        {
            let problem = |line, pointer: String, message: String| Problem {
                document: part.path.clone(),
                line,
                pointer,
                message,
            };
            let (found, value) = read?;
            if index == 0 {
                bundle = value;
            } else {
                merge_part(&mut bundle, value).map_err(|(pointer, message)| {
                    let line = found.get(&pointer).copied();
                    let first = positions
                        .get(&pointer)
                        .map(|&(p, (l, _)): &(usize, LineColumn)| {
                            format!(" (first in {}:{l})", parts[p].path)
                        })
                        .unwrap_or_default();
                    problem(line, pointer, format!("{message}{first}"))
                })?;
            }
            for (pointer, at) in found {
                positions.entry(pointer).or_insert((index, at));
            }
        }
        let first = parts.first().map(|p| p.path.clone()).unwrap_or_default();
        let problem = |line, message: String| Problem {
            document: first.clone(),
            line,
            pointer: String::new(),
            message,
        };
        let json: serde_json::Value = serde_json::to_value(&bundle)
            .map_err(|e| problem(None, format!("not a JSON-compatible document: {e}")))?;
        // Read from the ordered bundle so that operations keep the document's order (a
        // serde_json map would sort them). On failure, serde_path_to_error over the JSON names the
        // field, and the field's pointer gives the line.
        let openapi: openapiv3::OpenAPI =
            serde_yaml::from_value(bundle.clone()).map_err(|yaml_error| {
                let (pointer, message) =
                    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&json) {
                        Err(e) => refine(&json, pointer_of(e.path()), e.inner().to_string()),
                        Ok(_) => (String::new(), yaml_error.to_string()),
                    };
                let located = nearest_position(&positions, &pointer);
                Problem {
                    document: located.map_or(first.clone(), |(p, _)| parts[p].path.clone()),
                    line: located.map(|(_, at)| at),
                    pointer,
                    message: format!("not an OpenAPI 3.0 document: {message}"),
                }
            })?;
        let document = Self {
            family,
            operations: crate::operations::read(&json),
            json,
            positions,
            parts: parts.to_vec(),
            bundle,
            openapi,
        };
        if !document.openapi.openapi.starts_with("3.0.") {
            return Err(document.problem(
                "/openapi",
                format!(
                    "version {} is not 3.0.x; the generator reads OpenAPI 3.0 only",
                    document.openapi.openapi
                ),
            ));
        }
        Ok(document)
    }

    /// A problem at `pointer`, located at the nearest enclosing node that has a position.
    pub fn problem(&self, pointer: &str, message: impl Into<String>) -> Problem {
        let located = nearest_position(&self.positions, pointer);
        Problem {
            document: located
                .map_or(self.family.document, |(part, _)| &self.parts[part].path)
                .to_owned(),
            line: located.map(|(_, at)| at),
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }

    /// How generated code names where the document is written: `openapi/<stem>/` when it is a
    /// directory of parts, else its single file.
    pub fn written_in(&self) -> String {
        match self.parts.first() {
            Some(part) if part.path.ends_with(&format!("/{ROOT_PART}")) => {
                format!("{}/", self.family.directory())
            }
            _ => self.family.document.to_owned(),
        }
    }

    /// The files the document is written in, in bundle order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }
}

impl Document {
    /// The lines of the text that the value at `pointer` spans: the line of its key (or of its
    /// item in a sequence) and the lines below it indented further, as (1-based number, text).
    /// A block scalar's lines are its text, so a word in a description can be found on its own
    /// line. Empty when the pointer has no position of its own.
    pub fn value_lines(&self, pointer: &str) -> Vec<(usize, &str)> {
        let Some(&(part, (line, column))) = self.positions.get(pointer) else {
            return Vec::new();
        };
        let mut lines = self.parts[part].source.lines().enumerate().skip(line - 1);
        let Some((_, first)) = lines.next() else {
            return Vec::new();
        };
        let mut out = vec![(line, first)];
        for (i, text) in lines {
            let indent = text.len() - text.trim_start().len();
            if !text.trim().is_empty() && indent < column {
                break;
            }
            out.push((i + 1, text));
        }
        while out.last().is_some_and(|(_, text)| text.trim().is_empty()) {
            out.pop();
        }
        out
    }
}

/// Adds a part's `paths` and `components` to the bundle; a key both have is (its pointer, why).
fn merge_part(
    bundle: &mut serde_yaml::Value,
    part: serde_yaml::Value,
) -> Result<(), (String, String)> {
    use serde_yaml::{Mapping, Value};
    let serde_yaml::Value::Mapping(part) = part else {
        return Err((
            String::new(),
            "a part is a mapping of `paths` and `components`".to_owned(),
        ));
    };
    let Value::Mapping(bundle) = bundle else {
        return Err((String::new(), "the root part is no mapping".to_owned()));
    };
    let key = |k: &Value| k.as_str().unwrap_or_default().to_owned();
    for (section, value) in part {
        let name = key(&section);
        // The sections that hold a map of named things, and how deep the names are.
        let depth = match name.as_str() {
            "paths" => 1,
            "components" => 2,
            _ => {
                return Err((
                    format!("/{}", escape_token(&name)),
                    format!("a part holds only `paths` and `components`; {name:?} belongs in the root part ({ROOT_PART})"),
                ))
            }
        };
        let target = bundle
            .entry(section)
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        merge_named(target, value, &format!("/{}", escape_token(&name)), depth)?;
    }
    Ok(())
}

fn merge_named(
    target: &mut serde_yaml::Value,
    value: serde_yaml::Value,
    pointer: &str,
    depth: usize,
) -> Result<(), (String, String)> {
    use serde_yaml::Value;
    let (Value::Mapping(target), Value::Mapping(value)) = (target, value) else {
        return Err((pointer.to_owned(), "must be a mapping".to_owned()));
    };
    for (k, v) in value {
        let at = format!("{pointer}/{}", escape_token(k.as_str().unwrap_or_default()));
        match target.get_mut(&k) {
            Some(existing) if depth > 1 => merge_named(existing, v, &at, depth - 1)?,
            Some(_) => {
                return Err((
                    at,
                    "is written in two parts of the document; say it once".to_owned(),
                ))
            }
            None => {
                target.insert(k, v);
            }
        }
    }
    Ok(())
}

fn nearest_position<T: Copy>(positions: &HashMap<String, T>, pointer: &str) -> Option<T> {
    let mut at = pointer;
    loop {
        if let Some(position) = positions.get(at) {
            return Some(*position);
        }
        match at.rfind('/') {
            Some(i) => at = &at[..i],
            None => return positions.get("").copied(),
        }
    }
}

/// openapiv3 flattens `paths` into a map, where serde_path_to_error loses the trail; deserializing
/// each path item on its own finds the field that is wrong.
fn refine(json: &serde_json::Value, pointer: String, message: String) -> (String, String) {
    if pointer == "/paths" && json["paths"].is_object() {
        // A `$ref` path item is not a PathItem; it is not drilled into.
        for (path, item) in json["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, i)| i.get("$ref").is_none())
        {
            if let Err(e) = serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item) {
                return (
                    format!("/paths/{}{}", escape_token(path), pointer_of(e.path())),
                    e.inner().to_string(),
                );
            }
        }
    }
    (pointer, message)
}

/// serde_path_to_error's path as a JSON pointer.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer.push_str(&format!("/{}", escape_token(key))),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    // Nearly every key needs no escape, and the loader and the lint escape every key of a
    // document they read, some twice: no copy then.
    if token.contains('~') || token.contains('/') {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// The line and column of every node, keyed by JSON pointer (for a mapping entry, its key's).
/// Where a document cannot be read: line and column, JSON pointer, sentence.
type Unreadable = (Option<LineColumn>, String, String);

fn positions(source: &str) -> Result<HashMap<String, LineColumn>, Unreadable> {
    #[derive(Default)]
    struct Collector {
        positions: HashMap<String, LineColumn>,
        // One frame per open mapping or sequence: the pointer to it, and where its next child goes.
        stack: Vec<Frame>,
        // A sequence element that is a container, placed at its first key.
        unplaced: Option<String>,
        // The first key given twice in one mapping: where, and the sentence.
        duplicate: Option<(LineColumn, String, String)>,
    }
    enum Frame {
        // `seen`: each key of the mapping and where it stood, to catch one given twice.
        Mapping {
            pointer: String,
            key: Option<String>,
            seen: HashMap<String, LineColumn>,
        },
        Sequence {
            pointer: String,
            index: usize,
        },
    }
    impl Collector {
        /// The pointer of the node that starts now, or None if this scalar is a mapping key.
        fn next_child(&mut self, scalar: Option<&str>, mark: Marker) -> Option<String> {
            let here = (mark.line(), mark.col() + 1);
            if matches!(self.stack.last(), Some(Frame::Sequence { .. })) {
                if let Some(container) = self.unplaced.take() {
                    // A sequence inside a sequence: place the outer one where the inner starts.
                    self.positions.insert(container, here);
                }
            }
            match self.stack.last_mut() {
                None => Some(String::new()),
                Some(Frame::Sequence { pointer, index }) => {
                    let child = format!("{pointer}/{index}");
                    *index += 1;
                    // A block mapping in a sequence is marked at its first `:`; a scalar child
                    // is marked where it starts. The mapping's first key fixes it up below.
                    if scalar.is_some() {
                        self.positions.insert(child.clone(), here);
                    } else {
                        self.unplaced = Some(child.clone());
                    }
                    Some(child)
                }
                Some(Frame::Mapping { pointer, key, seen }) => match key.take() {
                    Some(k) => Some(format!("{pointer}/{}", escape_token(&k))),
                    None => {
                        if let Some(container) = self.unplaced.take() {
                            self.positions.insert(container, here);
                        }
                        let k = scalar.unwrap_or_default().to_owned();
                        let at = format!("{pointer}/{}", escape_token(&k));
                        if let Some(first) = seen.insert(k.clone(), here) {
                            self.duplicate.get_or_insert((
                                here,
                                at.clone(),
                                format!("key {k:?} is given twice in one mapping (first on line {}); YAML keeps only one", first.0),
                            ));
                        }
                        self.positions.insert(at, here);
                        *key = Some(k);
                        None
                    }
                },
            }
        }
    }
    impl MarkedEventReceiver for Collector {
        fn on_event(&mut self, event: Event, mark: Marker) {
            match event {
                Event::Scalar(value, ..) => {
                    self.next_child(Some(&value), mark);
                }
                Event::Alias(_) => {
                    self.next_child(None, mark);
                }
                Event::MappingStart(..) => {
                    if let Some(pointer) = self.next_child(None, mark) {
                        self.stack.push(Frame::Mapping {
                            pointer,
                            key: None,
                            seen: HashMap::new(),
                        });
                    }
                }
                Event::SequenceStart(..) => {
                    if let Some(pointer) = self.next_child(None, mark) {
                        self.stack.push(Frame::Sequence { pointer, index: 0 });
                    }
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    self.stack.pop();
                }
                _ => {}
            }
        }
    }
    let mut collector = Collector::default();
    Parser::new_from_str(source)
        .load(&mut collector, false)
        .map_err(|e| {
            let mark = e.marker();
            (
                Some((mark.line(), mark.col() + 1)),
                String::new(),
                format!("not valid YAML: {}", e.info()),
            )
        })?;
    if let Some((at, pointer, message)) = collector.duplicate {
        return Err((Some(at), pointer, message));
    }
    Ok(collector.positions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::families::FAMILIES;

    const SOURCE: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: v\npaths:\n  /a/{b}:\n    get:\n      parameters:\n        - name: b\n          in: path\n          required: true\n          schema: {type: string}\n      responses: {}\n";

    #[test]
    fn positions_follow_pointers_into_mappings_and_sequences() {
        let positions = positions(SOURCE).unwrap();
        assert_eq!(positions["/info/version"], (4, 3));
        assert_eq!(positions["/paths/~1a~1{b}/get"], (7, 5));
        assert_eq!(positions["/paths/~1a~1{b}/get/parameters/0"], (9, 11));
        assert_eq!(positions["/paths/~1a~1{b}/get/parameters/0/in"], (10, 11));
    }

    #[test]
    fn a_problem_points_at_its_nearest_located_ancestor() {
        let document = Document::parse(FAMILIES[0], SOURCE).unwrap();
        let problem = document.problem("/paths/~1a~1{b}/get/security", "no security");
        assert_eq!(problem.line, Some((7, 5)));
        assert_eq!(
            problem.to_string(),
            "openapi/eiam-2021-12-01.yaml:7:5: /paths/~1a~1{b}/get/security: no security"
        );
    }

    #[test]
    fn broken_yaml_names_document_line_and_cause() {
        let error = Document::parse(FAMILIES[1], "openapi: 3.0.3\ninfo: [\n")
            .err()
            .unwrap();
        assert_eq!(error.document, "openapi/eiam-developerapi-2022-02-25.yaml");
        assert!(error.line.is_some());
        assert!(
            error.message.starts_with("not valid YAML"),
            "{}",
            error.message
        );
    }

    fn part(path: &str, source: &str) -> Part {
        Part {
            path: path.to_owned(),
            source: source.to_owned(),
        }
    }

    const ROOT: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: v\ntags:\n  - name: A\n  - name: B\npaths: {}\ncomponents:\n  schemas:\n    Shared: {type: string}\n";
    const PART_A: &str = "paths:\n  /a:\n    get:\n      operationId: GetA\n      responses: {}\ncomponents:\n  schemas:\n    A: {type: string}\n";
    const PART_B: &str = "paths:\n  /b:\n    get:\n      operationId: GetB\n      security: [{nope: []}]\n      responses: {}\n";

    #[test]
    fn parts_bundle_into_one_document_in_order_and_problems_name_their_file() {
        let document = Document::parse_sources(
            FAMILIES[0],
            &[
                part("openapi/x/openapi.yaml", ROOT),
                part("openapi/x/A.yaml", PART_A),
                part("openapi/x/B.yaml", PART_B),
            ],
        )
        .unwrap();
        let paths: Vec<&String> = document.openapi.paths.paths.keys().collect();
        assert_eq!(paths, ["/a", "/b"]);
        let schemas: Vec<&String> = document
            .openapi
            .components
            .as_ref()
            .unwrap()
            .schemas
            .keys()
            .collect();
        assert_eq!(schemas, ["Shared", "A"]);
        // A problem in a part: its file, and the line in that file.
        let problem = document.problem("/paths/~1b/get/security", "no such scheme");
        assert_eq!(
            problem.to_string(),
            "openapi/x/B.yaml:5:7: /paths/~1b/get/security: no such scheme"
        );
        assert_eq!(
            document.problem("/info/title", "").line,
            Some((3, 3)),
            "the root's nodes stay in the root"
        );
        assert_eq!(
            document.value_lines("/paths/~1a/get/operationId"),
            [(4, "      operationId: GetA")]
        );
        // The same document written as one file is the same bundle.
        let whole = ROOT.replace(
            "paths: {}\n",
            "paths:\n  /a:\n    get:\n      operationId: GetA\n      responses: {}\n  /b:\n    get:\n      operationId: GetB\n      security: [{nope: []}]\n      responses: {}\n",
        ).replace("    Shared: {type: string}\n", "    Shared: {type: string}\n    A: {type: string}\n");
        let single = Document::parse(FAMILIES[0], &whole).unwrap();
        assert_eq!(single.bundle, document.bundle);
        assert_eq!(single.json, document.json);
    }

    #[test]
    fn a_path_or_component_in_two_parts_is_a_problem_not_an_overwrite() {
        let again = PART_A.replace("GetA", "GetAgain");
        let error = Document::parse_sources(
            FAMILIES[0],
            &[
                part("openapi/x/openapi.yaml", ROOT),
                part("openapi/x/A.yaml", PART_A),
                part("openapi/x/B.yaml", &again),
            ],
        )
        .err()
        .unwrap();
        assert_eq!(
            error.to_string(),
            "openapi/x/B.yaml:2:3: /paths/~1a: is written in two parts of the document; say it once (first in openapi/x/A.yaml:2)"
        );
        let shared = "components:\n  schemas:\n    Shared: {type: integer}\n";
        let error = Document::parse_sources(
            FAMILIES[0],
            &[
                part("openapi/x/openapi.yaml", ROOT),
                part("openapi/x/A.yaml", shared),
            ],
        )
        .err()
        .unwrap();
        assert_eq!(error.document, "openapi/x/A.yaml");
        assert_eq!(error.pointer, "/components/schemas/Shared");
        let stray = "info:\n  title: other\n";
        let error = Document::parse_sources(
            FAMILIES[0],
            &[
                part("openapi/x/openapi.yaml", ROOT),
                part("openapi/x/A.yaml", stray),
            ],
        )
        .err()
        .unwrap();
        assert!(
            error
                .message
                .contains("a part holds only `paths` and `components`"),
            "{error}"
        );
    }

    #[test]
    fn a_document_directory_is_read_root_first_then_one_part_per_tag_in_tag_order() {
        let dir = std::env::temp_dir().join(format!("xtask-parts-{}", std::process::id()));
        let documents = dir.join("openapi/eiam-2021-12-01");
        std::fs::create_dir_all(&documents).unwrap();
        std::fs::write(documents.join("openapi.yaml"), ROOT).unwrap();
        // B sorts after A by name, and comes after it by tag too; swap the tags to see the order.
        std::fs::write(documents.join("A.yaml"), PART_A).unwrap();
        std::fs::write(documents.join("B.yaml"), PART_B).unwrap();
        let swapped = ROOT.replace("  - name: A\n  - name: B\n", "  - name: B\n  - name: A\n");
        std::fs::write(documents.join("openapi.yaml"), &swapped).unwrap();
        let document = Document::load(&dir, FAMILIES[0]).unwrap();
        // progenitor generates in this order.
        let paths: Vec<&String> = document.openapi.paths.paths.keys().collect();
        assert_eq!(paths, ["/b", "/a"]);
        let files: Vec<&str> = document.parts().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            files,
            [
                "openapi/eiam-2021-12-01/openapi.yaml",
                "openapi/eiam-2021-12-01/B.yaml",
                "openapi/eiam-2021-12-01/A.yaml"
            ]
        );
        // A file that is no tag's is not silently left out.
        std::fs::write(documents.join("C.yaml"), PART_B).unwrap();
        let error = Document::load(&dir, FAMILIES[0]).err().unwrap();
        assert_eq!(error.document, "openapi/eiam-2021-12-01/C.yaml");
        assert!(error.message.contains("named after no tag"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_field_of_the_wrong_shape_names_its_path_and_line() {
        let source = "openapi: 3.0.3\ninfo:\n  title: t\n  version: v\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let error = Document::parse(FAMILIES[2], source).err().unwrap();
        assert_eq!(error.line.map(|l| l.0), Some(8), "{error}");
        assert_eq!(error.pointer, "/paths/~1a/get/responses", "{error}");
    }
}
