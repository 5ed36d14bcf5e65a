//! What `idtok` prints on success. `--output json` (the default): the answer's body exactly as the
//! service sent it (every field, keys in the server's order, numbers as written), re-indented for
//! reading or made compact; only whitespace between JSON tokens changes. `--output yaml`: the
//! same answer as YAML, keys in the server's order. `--output table`: one row per item of the
//! answer's list, columns from the document (the generated `TABLES`), secrets masked.
//! `--query`: a JMESPath expression applied to the answer first.

use std::io::Write;

/// The document a family is generated from (the generated `DOCUMENT` of each family).
#[derive(Clone, Copy, Debug)]
pub struct DocumentInfo {
    /// The document, relative to the workspace root.
    pub file: &'static str,
    /// Its `info.version`.
    pub api_version: &'static str,
}

/// What `--output table` shows of an operation's answer (the generated `TABLES` of each family).
#[derive(Debug)]
pub struct Table {
    /// The operationId.
    pub operation: &'static str,
    /// The answer's property that holds the rows: a list (one row per item) or one object (one
    /// row); empty: the answer itself.
    pub items: &'static str,
    /// The item schema's scalar properties, in the document's order.
    pub columns: &'static [Column],
    /// The names of the answer's secret fields (`format: password`), masked wherever they appear.
    pub secret_names: &'static [&'static str],
}

/// A column of `--output table`.
#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    /// A secret (`format: password`): masked in a table.
    pub secret: bool,
}

/// How a secret is shown in a table.
pub const MASK: &str = "********";

/// `--output`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Json,
    Yaml,
    Table,
}

impl Format {
    pub const NAMES: [&'static str; 3] = ["json", "yaml", "table"];

    pub fn parse(name: &str) -> Self {
        match name {
            "yaml" => Self::Yaml,
            "table" => Self::Table,
            _ => Self::Json,
        }
    }
}

/// Prints answers. Secrets in an answer (an Obtain operation's token) are printed in JSON and
/// YAML: that is what the user asked for, and stdout is the only place one appears. A table
/// masks them.
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// One line per answer, no spaces (`--compact`); else indented by two spaces. JSON only.
    pub compact: bool,
    /// `--output`.
    pub format: Format,
    /// `--query`: a JMESPath expression (checked when the flag was read).
    pub query: Option<String>,
    /// The operation's table (`--output table`).
    pub table: Option<&'static Table>,
}

impl Output {
    /// Prints an answer (JSON as received): as received, re-indented (or compacted), with a final
    /// newline; or as YAML or a table; after `--query` if given. An error says why it could not.
    pub fn print_answer(&self, body: &[u8]) -> Result<(), String> {
        if self.format == Format::Json && self.query.is_none() {
            self.write(&layout(body, self.compact));
            return Ok(());
        }
        if self.format == Format::Yaml && self.query.is_none() {
            // serde_yaml's mapping keeps the order of keys as read: the server's.
            let value: serde_yaml::Value =
                serde_json::from_slice(body).map_err(|e| format!("the answer is not JSON: {e}"))?;
            return self.print_yaml(&value);
        }
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| format!("the answer is not JSON: {e}"))?;
        self.print_value(value, false)
    }

    /// Prints a value of idtok's (the items of `--all`, collected): after `--query`, in the
    /// format asked for. `items`: the value is the list of rows itself.
    pub fn print_value(&self, value: serde_json::Value, items: bool) -> Result<(), String> {
        let (value, queried) = match &self.query {
            Some(query) => (search(query, value)?, true),
            None => (value, false),
        };
        match self.format {
            Format::Json => {
                self.print_json(&value);
                Ok(())
            }
            Format::Yaml => self.print_yaml(&value),
            Format::Table => {
                let text = match (queried, self.table) {
                    (false, Some(table)) => table_of_answer(table, &value, items),
                    _ => table_of_value(&value, self.secret_names()),
                };
                self.write(text.as_bytes());
                Ok(())
            }
        }
    }

    /// Prints bytes exactly as received: an answer that is not the documented JSON.
    pub fn print_raw(&self, body: &[u8]) {
        let mut bytes = body.to_vec();
        if !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        self.write(&bytes);
    }

    /// Prints a value idtok made itself (a JSON line of `--all`, a template).
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

    fn print_yaml<T: serde::Serialize + ?Sized>(&self, value: &T) -> Result<(), String> {
        let text = serde_yaml::to_string(value).map_err(|e| format!("cannot write YAML: {e}"))?;
        self.write(text.as_bytes());
        Ok(())
    }

    fn secret_names(&self) -> &'static [&'static str] {
        self.table.map(|t| t.secret_names).unwrap_or_default()
    }

    fn write(&self, bytes: &[u8]) {
        let mut stdout = std::io::stdout().lock();
        // A closed stdout (`idtok ... | head`) is not worth a panic.
        let _ = stdout.write_all(bytes).and_then(|()| stdout.flush());
    }
}

/// Checks a JMESPath expression (for `--query`).
pub fn check_query(text: &str) -> Result<String, String> {
    match jmespath::compile(text) {
        Ok(_) => Ok(text.to_owned()),
        Err(e) => Err(format!("not a JMESPath expression: {e}")),
    }
}

/// `query` applied to `value`.
fn search(query: &str, value: serde_json::Value) -> Result<serde_json::Value, String> {
    let failed = |e: jmespath::JmespathError| format!("--query {query:?}: {e}");
    let expression = jmespath::compile(query).map_err(failed)?;
    let result = expression.search(value).map_err(failed)?;
    serde_json::to_value(&*result).map_err(|e| format!("--query {query:?}: {e}"))
}

/// The table of an answer as the document describes it: its rows where `table` says, its columns.
fn table_of_answer(table: &Table, value: &serde_json::Value, items: bool) -> String {
    let rows: Vec<&serde_json::Value> = {
        let place = if items || table.items.is_empty() {
            Some(value)
        } else {
            value.get(table.items)
        };
        match place {
            Some(serde_json::Value::Array(rows)) => rows.iter().collect(),
            Some(serde_json::Value::Null) | None => Vec::new(),
            Some(row) => vec![row],
        }
    };
    if table.columns.is_empty() || !rows.iter().all(|row| row.is_object()) {
        return table_of_value(
            &serde_json::Value::Array(rows.into_iter().cloned().collect()),
            table.secret_names,
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
                    Some(cell) if column.secret || table.secret_names.contains(&column.name) => {
                        if cell.is_null() {
                            String::new()
                        } else {
                            MASK.to_owned()
                        }
                    }
                    Some(cell) => cell_text(cell, table.secret_names),
                    None => String::new(),
                })
                .collect()
        })
        .collect();
    aligned(header, cells)
}

/// The table of any value (a `--query` result): a list of objects is one row each, columns the
/// keys in the order they first appear; an object is one row; a list of other values one value a
/// line; anything else its text. Fields named as a secret of the answer are masked.
fn table_of_value(value: &serde_json::Value, secret_names: &[&str]) -> String {
    let rows: Vec<&serde_json::Map<String, serde_json::Value>> = match value {
        serde_json::Value::Object(object) => vec![object],
        serde_json::Value::Array(items)
            if !items.is_empty() && items.iter().all(|i| i.is_object()) =>
        {
            items
                .iter()
                .filter_map(serde_json::Value::as_object)
                .collect()
        }
        serde_json::Value::Array(items) => {
            return items
                .iter()
                .map(|i| cell_text(i, secret_names) + "\n")
                .collect();
        }
        other => return cell_text(other, secret_names) + "\n",
    };
    let mut header: Vec<String> = Vec::new();
    for row in &rows {
        for key in row.keys() {
            if !header.contains(key) {
                header.push(key.clone());
            }
        }
    }
    let cells = rows
        .iter()
        .map(|row| {
            header
                .iter()
                .map(|key| match row.get(key) {
                    Some(cell) if !cell.is_null() && secret_names.contains(&key.as_str()) => {
                        MASK.to_owned()
                    }
                    Some(cell) => cell_text(cell, secret_names),
                    None => String::new(),
                })
                .collect()
        })
        .collect();
    aligned(header, cells)
}

/// A cell: a string as itself (on one line), null as nothing, an array or object as compact JSON
/// with its secret fields masked.
fn cell_text(cell: &serde_json::Value, secret_names: &[&str]) -> String {
    match cell {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(text) => text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect(),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
            let mut cell = cell.clone();
            mask(&mut cell, secret_names);
            cell.to_string()
        }
        other => other.to_string(),
    }
}

/// Replaces the values of fields named in `secret_names`, at any depth.
fn mask(value: &mut serde_json::Value, secret_names: &[&str]) {
    match value {
        serde_json::Value::Object(object) => {
            for (key, field) in object.iter_mut() {
                if secret_names.contains(&key.as_str()) && !field.is_null() {
                    *field = serde_json::Value::String(MASK.to_owned());
                } else {
                    mask(field, secret_names);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|i| mask(i, secret_names)),
        _ => {}
    }
}

/// Columns padded to their widest cell, two spaces apart; a header line first.
fn aligned(header: Vec<String>, rows: Vec<Vec<String>>) -> String {
    let width = |text: &str| text.chars().count();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in &rows {
        for (column, cell) in row.iter().enumerate() {
            widths[column] = widths[column].max(width(cell));
        }
    }
    let mut out = String::new();
    for line in std::iter::once(&header).chain(rows.iter()) {
        let mut text = String::new();
        for (column, cell) in line.iter().enumerate() {
            if column > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            text.extend(std::iter::repeat_n(' ', widths[column] - width(cell)));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
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

#[cfg(test)]
mod tests {
    use super::layout;

    fn text(body: &str, compact: bool) -> String {
        String::from_utf8(layout(body.as_bytes(), compact)).unwrap()
    }

    #[test]
    fn keys_keep_the_servers_order_and_numbers_their_text() {
        let body =
            r#" {"z":1754277891140.0, "a" : [ ], "m":{},"s":"a, \"b\": {c}","n":[1,{"x":null}]}"#;
        assert_eq!(
            text(body, false),
            "{\n  \"z\": 1754277891140.0,\n  \"a\": [],\n  \"m\": {},\n  \"s\": \"a, \\\"b\\\": {c}\",\n  \"n\": [\n    1,\n    {\n      \"x\": null\n    }\n  ]\n}\n"
        );
        assert_eq!(
            text(body, true),
            "{\"z\":1754277891140.0,\"a\":[],\"m\":{},\"s\":\"a, \\\"b\\\": {c}\",\"n\":[1,{\"x\":null}]}\n"
        );
    }

    #[test]
    fn the_layout_is_the_same_json() {
        let body = r#"{"entities":[],"b":{"c":[true,false,-1.5e3,"é\u00e9\\"]},"nextToken":""}"#;
        for compact in [false, true] {
            let laid: serde_json::Value =
                serde_json::from_slice(&layout(body.as_bytes(), compact)).unwrap();
            assert_eq!(
                laid,
                serde_json::from_str::<serde_json::Value>(body).unwrap()
            );
        }
    }
}
