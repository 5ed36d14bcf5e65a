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
    positions: HashMap<String, LineColumn>,
    /// The text as written, for locating words inside a multi-line value.
    source: String,
}

impl Document {
    pub fn load(root: &Path, family: Family) -> Result<Self, Problem> {
        Self::parse(family, &Self::read(root, family)?)
    }

    /// The family's document as written, for callers that need the text as well as the parse.
    pub fn read(root: &Path, family: Family) -> Result<String, Problem> {
        let path = root.join(family.document);
        std::fs::read_to_string(&path).map_err(|e| Problem {
            document: family.document.to_owned(),
            line: None,
            pointer: String::new(),
            message: format!("cannot read {}: {e}", path.display()),
        })
    }

    pub fn parse(family: Family, source: &str) -> Result<Self, Problem> {
        let problem = |line, message: String| Problem {
            document: family.document.to_owned(),
            line,
            pointer: String::new(),
            message,
        };
        let positions = positions(source).map_err(|(line, pointer, message)| Problem {
            pointer,
            ..problem(line, message)
        })?;
        let json: serde_json::Value = serde_yaml::from_str(source).map_err(|e| {
            problem(
                e.location().map(|l| (l.line(), l.column())),
                format!("not a JSON-compatible document: {e}"),
            )
        })?;
        // Parsed from the source so that operations keep the document's order (a serde_json map
        // would sort them). On failure, serde_path_to_error over the JSON names the field, and
        // the field's pointer gives the line.
        let openapi: openapiv3::OpenAPI = serde_yaml::from_str(source).map_err(|yaml_error| {
            let (pointer, message) =
                match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&json) {
                    Err(e) => refine(&json, pointer_of(e.path()), e.inner().to_string()),
                    Ok(_) => (String::new(), yaml_error.to_string()),
                };
            let line = nearest_position(&positions, &pointer);
            Problem {
                pointer,
                ..problem(line, format!("not an OpenAPI 3.0 document: {message}"))
            }
        })?;
        if !openapi.openapi.starts_with("3.0.") {
            return Err(Problem {
                pointer: "/openapi".to_owned(),
                line: positions.get("/openapi").copied(),
                ..problem(
                    None,
                    format!(
                        "version {} is not 3.0.x; the generator reads OpenAPI 3.0 only",
                        openapi.openapi
                    ),
                )
            });
        }
        Ok(Self {
            family,
            openapi,
            operations: crate::operations::read(&json),
            json,
            positions,
            source: source.to_owned(),
        })
    }

    /// A problem at `pointer`, located at the nearest enclosing node that has a position.
    pub fn problem(&self, pointer: &str, message: impl Into<String>) -> Problem {
        Problem {
            document: self.family.document.to_owned(),
            line: nearest_position(&self.positions, pointer),
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }
}

impl Document {
    /// The lines of the text that the value at `pointer` spans: the line of its key (or of its
    /// item in a sequence) and the lines below it indented further, as (1-based number, text).
    /// A block scalar's lines are its text, so a word in a description can be found on its own
    /// line. Empty when the pointer has no position of its own.
    pub fn value_lines(&self, pointer: &str) -> Vec<(usize, &str)> {
        let Some(&(line, column)) = self.positions.get(pointer) else {
            return Vec::new();
        };
        let mut lines = self.source.lines().enumerate().skip(line - 1);
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

fn nearest_position(positions: &HashMap<String, LineColumn>, pointer: &str) -> Option<LineColumn> {
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
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
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

    #[test]
    fn a_field_of_the_wrong_shape_names_its_path_and_line() {
        let source = "openapi: 3.0.3\ninfo:\n  title: t\n  version: v\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let error = Document::parse(FAMILIES[2], source).err().unwrap();
        assert_eq!(error.line.map(|l| l.0), Some(8), "{error}");
        assert_eq!(error.pointer, "/paths/~1a/get/responses", "{error}");
    }
}
