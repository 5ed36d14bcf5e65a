//! What `idtok` prints on success, in one output language for every command (operations, `--all`,
//! `whoami`, `--dry-run`, `--json-body-template`):
//!
//! - `--output json` (the default): an answer's body exactly as the service sent it (every field,
//!   keys in the server's order, numbers as written), re-indented for reading or made compact;
//!   only whitespace between JSON tokens changes;
//! - `--output yaml`: the same as YAML, keys in the server's order;
//! - `--output table`: one row per item of the answer's list, columns from the document (the
//!   generated `TABLES`), times (`x-unix-time`) as RFC 3339, columns empty in every row left out;
//! - `--output text`: the same rows as tab-separated values, one item a line, no header, every
//!   column kept so that `cut -f` finds the same field on every line (as `aws --output text`);
//! - `--query`: a JMESPath expression applied first; objects it returns as they were received keep
//!   the server's key order.
//!
//! Secrets: JSON and YAML print every field. A table and text mask the secrets (`format:
//! password`) of items an operation lists or reads, and show those of an operation that hands one
//! out (`x-issues-secret: true`), since its answer may be the only place the secret ever appears.

use std::collections::HashMap;
use std::io::Write;

/// JSON with its object keys in the order they were received: serde_yaml's mapping keeps the order
/// in which keys were read (serde_json's map sorts them), and it serializes back to JSON as well.
pub type Ordered = serde_yaml::Value;

/// The document a family is generated from (the generated `DOCUMENT` of each family).
#[derive(Clone, Copy, Debug)]
pub struct DocumentInfo {
    /// The document, relative to the workspace root.
    pub file: &'static str,
    /// Its `info.version`.
    pub api_version: &'static str,
}

/// What `--output table` and `text` show of an operation's answer (the generated `TABLES`).
#[derive(Debug)]
pub struct Table {
    /// The operationId.
    pub operation: &'static str,
    /// The answer's property that holds the rows: a list (one row per item) or one object (one
    /// row); empty: the answer itself.
    pub items: &'static str,
    /// The item schema's scalar properties, in the document's order.
    pub columns: &'static [Column],
    /// The names of the answer's secret fields (`format: password`).
    pub secret_names: &'static [&'static str],
    /// The operation creates or obtains the secrets of its answer (`x-issues-secret: true`): they
    /// are shown. Otherwise they are masked.
    pub issues_secret: bool,
}

/// A column of `--output table` and `text`.
#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    /// A secret (`format: password`).
    pub secret: bool,
    /// A point in time (`x-unix-time`): shown as RFC 3339 in a table.
    pub unix_time: Option<UnixTime>,
}

/// The unit of a UNIX time (`x-unix-time`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnixTime {
    Milliseconds,
    Seconds,
}

/// The first column of a table of an object's members: the member's name.
const NAME_COLUMN: &str = "name";

/// How a secret is shown in a table.
pub const MASK: &str = "********";

/// `--output`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Json,
    Yaml,
    Table,
    Text,
}

impl Format {
    pub const NAMES: [&'static str; 4] = ["json", "yaml", "table", "text"];

    pub fn parse(name: &str) -> Self {
        match name {
            "yaml" => Self::Yaml,
            "table" => Self::Table,
            "text" => Self::Text,
            _ => Self::Json,
        }
    }
}

/// Prints answers and idtok's own values in the format asked for.
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// One line per answer, no spaces (`--compact`); else indented by two spaces. JSON only.
    pub compact: bool,
    /// `--output`.
    pub format: Format,
    /// `--query`: a JMESPath expression (checked when the flag was read).
    pub query: Option<String>,
    /// The operation's table (`--output table`, `text`).
    pub table: Option<&'static Table>,
}

/// The JSON text `body` as an [`Ordered`] value, or why it is not JSON.
pub fn ordered(body: &[u8]) -> Result<Ordered, String> {
    serde_json::from_slice(body).map_err(|e| format!("the answer is not JSON: {e}"))
}

impl Output {
    /// Prints an answer (JSON as received) as asked, after `--query` if given. JSON without a
    /// query is the answer's own text, re-indented or compacted. An error says why it could not be
    /// printed (then nothing was).
    pub fn print_answer(&self, body: &[u8]) -> Result<(), String> {
        if self.format == Format::Json && self.query.is_none() {
            self.write(&layout(body, self.compact));
            return Ok(());
        }
        self.print(ordered(body)?, false)
    }

    /// Prints a value after `--query`, in the format asked for. `items`: the value is the list of
    /// rows itself (the items of `--all`), not an answer that holds them.
    pub fn print(&self, value: Ordered, items: bool) -> Result<(), String> {
        let (value, queried) = match &self.query {
            Some(query) => (search(query, &value)?, true),
            None => (value, false),
        };
        let text = match self.format {
            Format::Json => {
                let text = if self.compact {
                    serde_json::to_string(&value)
                } else {
                    serde_json::to_string_pretty(&value)
                };
                text.map_err(|e| format!("cannot write JSON: {e}"))? + "\n"
            }
            Format::Yaml => {
                serde_yaml::to_string(&value).map_err(|e| format!("cannot write YAML: {e}"))?
            }
            Format::Table | Format::Text => {
                let rows = self.rows(&value, items, queried);
                if self.format == Format::Table {
                    rows.aligned()
                } else {
                    rows.tab_separated()
                }
            }
        };
        self.write(text.as_bytes());
        Ok(())
    }

    /// Prints bytes exactly as received: an answer that is not the documented JSON.
    pub fn print_raw(&self, body: &[u8]) {
        let mut bytes = body.to_vec();
        if !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        self.write(&bytes);
    }

    /// Prints a value idtok made itself as JSON (progenitor's list hook).
    pub fn print_json<T: serde::Serialize + ?Sized>(&self, value: &T) {
        let text = if self.compact {
            serde_json::to_vec(value)
        } else {
            serde_json::to_vec_pretty(value)
        };
        if let Ok(mut text) = text {
            text.push(b'\n');
            self.write(&text);
        }
    }

    fn write(&self, bytes: &[u8]) {
        let mut stdout = std::io::stdout().lock();
        // A closed stdout (`idtok ... | head`) is not worth a panic.
        let _ = stdout.write_all(bytes).and_then(|()| stdout.flush());
    }

    /// The rows of a table or text: the answer's list as the document describes it (its columns,
    /// its secrets), or, for a query's result or a value of idtok's own, its objects' keys.
    fn rows(&self, value: &Ordered, items: bool, queried: bool) -> Rows {
        let shown = Shown {
            secret_names: self
                .table
                .filter(|t| !t.issues_secret)
                .map(|t| t.secret_names)
                .unwrap_or_default(),
            times: self.table.map(|t| t.columns).unwrap_or_default(),
            rfc3339: self.format == Format::Table,
        };
        match (queried, self.table) {
            (false, Some(table)) => rows_of_answer(table, value, items, &shown),
            _ => rows_of_value(value, &shown),
        }
    }
}

/// Checks a JMESPath expression (for `--query`).
pub fn check_query(text: &str) -> Result<String, String> {
    match jmespath::compile(text) {
        Ok(_) => Ok(text.to_owned()),
        Err(e) => Err(format!("not a JMESPath expression: {e}")),
    }
}

/// `query` applied to `value`. The jmespath crate returns objects with sorted keys; each object of
/// the result gets back the key order it had in `value` (or the order a multiselect hash of the
/// expression names), see [`KeyOrders`].
pub fn search(query: &str, value: &Ordered) -> Result<Ordered, String> {
    let failed = |e: &dyn std::fmt::Display| format!("--query {query:?}: {e}");
    let expression = jmespath::compile(query).map_err(|e| failed(&e))?;
    let input = serde_json::to_value(value).map_err(|e| failed(&e))?;
    let result = expression.search(input).map_err(|e| failed(&e))?;
    let result = serde_json::to_value(&*result).map_err(|e| failed(&e))?;
    let mut orders = KeyOrders::default();
    orders.learn_expression(expression.as_ast());
    orders.learn(value);
    Ok(orders.apply(result))
}

/// The key orders of the objects in an answer, to put them back on the objects of a query's result:
/// an object with the same keys as one received takes its order; one with other keys (a
/// projection of some of them) takes the order in which its keys first appear in the answer.
#[derive(Default)]
pub struct KeyOrders {
    /// Sorted key set (joined by NUL) → the first order seen for it.
    exact: HashMap<String, Vec<String>>,
    /// Key → where it first appears in the answer (or the expression).
    rank: HashMap<String, usize>,
}

impl KeyOrders {
    fn key_set<'a>(keys: impl Iterator<Item = &'a str>) -> String {
        let mut keys: Vec<&str> = keys.collect();
        keys.sort_unstable();
        keys.join("\0")
    }

    fn remember(&mut self, keys: Vec<String>) {
        for key in &keys {
            let next = self.rank.len();
            self.rank.entry(key.clone()).or_insert(next);
        }
        self.exact
            .entry(Self::key_set(keys.iter().map(String::as_str)))
            .or_insert(keys);
    }

    fn learn(&mut self, value: &Ordered) {
        match value {
            Ordered::Mapping(map) => {
                let keys = map.keys().filter_map(|k| k.as_str().map(str::to_owned));
                self.remember(keys.collect());
                map.values().for_each(|v| self.learn(v));
            }
            Ordered::Sequence(items) => items.iter().for_each(|v| self.learn(v)),
            _ => {}
        }
    }

    /// The key orders a multiselect hash (`{id: Id, name: Name}`) writes out.
    fn learn_expression(&mut self, ast: &jmespath::ast::Ast) {
        use jmespath::ast::Ast;
        match ast {
            Ast::MultiHash { elements, .. } => {
                self.remember(elements.iter().map(|e| e.key.clone()).collect());
                elements
                    .iter()
                    .for_each(|e| self.learn_expression(&e.value));
            }
            Ast::Comparison { lhs, rhs, .. }
            | Ast::Projection { lhs, rhs, .. }
            | Ast::And { lhs, rhs, .. }
            | Ast::Or { lhs, rhs, .. }
            | Ast::Subexpr { lhs, rhs, .. } => {
                self.learn_expression(lhs);
                self.learn_expression(rhs);
            }
            Ast::Condition {
                predicate, then, ..
            } => {
                self.learn_expression(predicate);
                self.learn_expression(then);
            }
            Ast::Expref { ast: node, .. }
            | Ast::Flatten { node, .. }
            | Ast::Not { node, .. }
            | Ast::ObjectValues { node, .. } => self.learn_expression(node),
            Ast::Function { args, .. } => args.iter().for_each(|a| self.learn_expression(a)),
            Ast::MultiList { elements, .. } => {
                elements.iter().for_each(|e| self.learn_expression(e))
            }
            _ => {}
        }
    }

    fn apply(&self, value: serde_json::Value) -> Ordered {
        match value {
            serde_json::Value::Object(mut object) => {
                let set = Self::key_set(object.keys().map(String::as_str));
                let keys: Vec<String> = match self.exact.get(&set) {
                    Some(order) => order.clone(),
                    None => {
                        let mut keys: Vec<String> = object.keys().cloned().collect();
                        // Keys never seen (from a literal) after the others, alphabetically.
                        keys.sort_by_key(|k| {
                            (self.rank.get(k).copied().unwrap_or(usize::MAX), k.clone())
                        });
                        keys
                    }
                };
                let mut map = serde_yaml::Mapping::new();
                for key in keys {
                    if let Some(field) = object.remove(&key) {
                        map.insert(Ordered::String(key), self.apply(field));
                    }
                }
                Ordered::Mapping(map)
            }
            serde_json::Value::Array(items) => {
                Ordered::Sequence(items.into_iter().map(|i| self.apply(i)).collect())
            }
            other => serde_yaml::to_value(other).unwrap_or(Ordered::Null),
        }
    }
}

/// How cells are written: which field names are masked, which columns are times and whether they
/// are shown as RFC 3339 (a table) or as sent (text).
struct Shown {
    secret_names: &'static [&'static str],
    times: &'static [Column],
    rfc3339: bool,
}

impl Shown {
    fn masked(&self, name: &str, cell: &Ordered) -> bool {
        !cell.is_null() && self.secret_names.contains(&name)
    }

    fn cell(&self, name: &str, cell: &Ordered) -> String {
        if self.masked(name, cell) {
            return MASK.to_owned();
        }
        let unit = self
            .times
            .iter()
            .find(|c| c.name == name)
            .and_then(|c| c.unix_time);
        match unit {
            Some(unit) if self.rfc3339 => rfc3339(cell, unit).unwrap_or_else(|| self.text(cell)),
            _ => self.text(cell),
        }
    }

    /// A cell: a string as itself (on one line), null as nothing, an array or object as compact
    /// JSON with its secret fields masked.
    fn text(&self, cell: &Ordered) -> String {
        match cell {
            Ordered::Null => String::new(),
            Ordered::String(text) => text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect(),
            Ordered::Bool(b) => b.to_string(),
            Ordered::Number(n) => n.to_string(),
            Ordered::Sequence(_) | Ordered::Mapping(_) => {
                let mut cell = cell.clone();
                self.mask(&mut cell);
                serde_json::to_string(&cell).unwrap_or_default()
            }
            Ordered::Tagged(tagged) => self.text(&tagged.value),
        }
    }

    /// Replaces the values of secret fields, at any depth.
    fn mask(&self, value: &mut Ordered) {
        match value {
            Ordered::Mapping(map) => {
                for (key, field) in map.iter_mut() {
                    let name = key.as_str().unwrap_or_default();
                    if self.masked(name, field) {
                        *field = Ordered::String(MASK.to_owned());
                    } else {
                        self.mask(field);
                    }
                }
            }
            Ordered::Sequence(items) => items.iter_mut().for_each(|i| self.mask(i)),
            _ => {}
        }
    }
}

/// A UNIX time as RFC 3339 in UTC (`2022-04-13T06:10:25Z`, with `.mmm` when milliseconds are not
/// zero); `None` for what is not a time from 1970 on.
pub fn rfc3339(cell: &Ordered, unit: UnixTime) -> Option<String> {
    let value = cell.as_f64()?;
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    let millis = match unit {
        UnixTime::Milliseconds => value,
        UnixTime::Seconds => value * 1000.0,
    }
    .round() as u64;
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_millis(millis);
    let mut text = idtok_runtime::signing::acs3_date(time);
    if !millis.is_multiple_of(1000) {
        text.pop();
        text.push_str(&format!(".{:03}Z", millis % 1000));
    }
    Some(text)
}

/// A header and rows of cells.
struct Rows {
    header: Vec<String>,
    cells: Vec<Vec<String>>,
    /// A list of scalars (or one scalar): one value a line, no header.
    bare: bool,
}

impl Rows {
    /// Columns padded to their widest cell, two spaces apart, a header line first; columns empty
    /// in every row left out.
    fn aligned(&self) -> String {
        if self.bare {
            return self.tab_separated();
        }
        let kept: Vec<usize> = (0..self.header.len())
            .filter(|&c| self.cells.is_empty() || self.cells.iter().any(|row| !row[c].is_empty()))
            .collect();
        let width = |text: &str| text.chars().count();
        let widths: Vec<usize> = kept
            .iter()
            .map(|&c| {
                std::iter::once(&self.header[c])
                    .chain(self.cells.iter().map(|row| &row[c]))
                    .map(|cell| width(cell))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for line in std::iter::once(&self.header).chain(self.cells.iter()) {
            let mut text = String::new();
            for (i, &column) in kept.iter().enumerate() {
                if i > 0 {
                    text.push_str("  ");
                }
                text.push_str(&line[column]);
                text.extend(std::iter::repeat_n(' ', widths[i] - width(&line[column])));
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
        out
    }

    /// One row a line, cells separated by tabs (a tab inside a cell was written as a space).
    fn tab_separated(&self) -> String {
        self.cells.iter().map(|row| row.join("\t") + "\n").collect()
    }
}

/// The rows of an answer as the document describes it: its rows where `table` says, its columns.
fn rows_of_answer(table: &Table, value: &Ordered, items: bool, shown: &Shown) -> Rows {
    let rows: Vec<&Ordered> = {
        let place = if items || table.items.is_empty() {
            Some(value)
        } else {
            value.get(table.items)
        };
        match place {
            Some(Ordered::Sequence(rows)) => rows.iter().collect(),
            Some(Ordered::Null) | None => Vec::new(),
            Some(row) => vec![row],
        }
    };
    if table.columns.is_empty() || !rows.iter().all(|row| row.is_mapping()) {
        return rows_of_value(
            &Ordered::Sequence(rows.into_iter().cloned().collect()),
            shown,
        );
    }
    let header: Vec<String> = table.columns.iter().map(|c| c.name.to_owned()).collect();
    let cells = rows
        .iter()
        .map(|row| {
            table
                .columns
                .iter()
                .map(|column| match row.get(column.name) {
                    // Masked by the column's own mark too, in case the name alone would not be.
                    Some(cell) if column.secret && !cell.is_null() && !table.issues_secret => {
                        MASK.to_owned()
                    }
                    Some(cell) => shown.cell(column.name, cell),
                    None => String::new(),
                })
                .collect()
        })
        .collect();
    Rows {
        header,
        cells,
        bare: false,
    }
}

/// The rows of any value (a query's result, a value of idtok's own): a list of objects is one row
/// each, columns the keys in the order they first appear; an object whose members are all objects
/// (`whoami`'s vendors) is one row per member, its name first; another object is one row; a list
/// of other values one value a line; anything else its text.
fn rows_of_value(value: &Ordered, shown: &Shown) -> Rows {
    if let Some(members) = value.as_mapping().filter(|m| {
        !m.is_empty() && m.values().all(Ordered::is_mapping) && m.keys().all(Ordered::is_string)
    }) {
        let listed: Vec<Ordered> = members
            .iter()
            .map(|(name, member)| {
                let mut row = serde_yaml::Mapping::new();
                row.insert(NAME_COLUMN.into(), name.clone());
                for (key, field) in member.as_mapping().into_iter().flatten() {
                    row.insert(key.clone(), field.clone());
                }
                Ordered::Mapping(row)
            })
            .collect();
        return rows_of_value(&Ordered::Sequence(listed), shown);
    }
    let objects: Vec<&serde_yaml::Mapping> = match value {
        Ordered::Mapping(object) => vec![object],
        Ordered::Sequence(items) if !items.is_empty() && items.iter().all(Ordered::is_mapping) => {
            items.iter().filter_map(Ordered::as_mapping).collect()
        }
        Ordered::Sequence(items) => {
            return Rows {
                header: Vec::new(),
                cells: items.iter().map(|i| vec![shown.text(i)]).collect(),
                bare: true,
            };
        }
        other => {
            return Rows {
                header: Vec::new(),
                cells: vec![vec![shown.text(other)]],
                bare: true,
            };
        }
    };
    let mut header: Vec<String> = Vec::new();
    for object in &objects {
        for key in object.keys().filter_map(Ordered::as_str) {
            if !header.iter().any(|h| h == key) {
                header.push(key.to_owned());
            }
        }
    }
    let cells = objects
        .iter()
        .map(|object| {
            header
                .iter()
                .map(|key| match object.get(key.as_str()) {
                    Some(cell) => shown.cell(key, cell),
                    None => String::new(),
                })
                .collect()
        })
        .collect();
    Rows {
        header,
        cells,
        bare: false,
    }
}

/// `body` (JSON) with its whitespace between tokens replaced: two-space indentation, one member
/// per line, `": "` after keys; or none at all. Strings are copied byte for byte. Empty arrays and
/// objects stay `[]` and `{}`. Ends with a newline.
pub fn layout(body: &[u8], compact: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 4);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    // After `{` or `[`: the line break waits until we know the container is not empty.
    let mut opened = false;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', depth * 2));
    };
    for &byte in body {
        if in_string {
            out.push(byte);
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if byte.is_ascii_whitespace() {
            continue;
        }
        if opened {
            opened = false;
            if byte != b'}' && byte != b']' && !compact {
                newline(&mut out, depth);
            }
        }
        match byte {
            b'{' | b'[' => {
                out.push(byte);
                depth += 1;
                opened = true;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if !compact && !matches!(out.last(), Some(b'{' | b'[')) {
                    newline(&mut out, depth);
                }
                out.push(byte);
            }
            b',' => {
                out.push(byte);
                if !compact {
                    newline(&mut out, depth);
                }
            }
            b':' => {
                out.push(byte);
                if !compact {
                    out.push(b' ');
                }
            }
            b'"' => {
                out.push(byte);
                in_string = true;
            }
            _ => out.push(byte),
        }
    }
    out.push(b'\n');
    out
}
