//! `cargo xtask diff <git-rev> [--allow-breaking]`: the changelog between the documents at a revision and the working tree.
//!
//! For every document of [`FAMILIES`], the version at `<git-rev>` (read from git's object store:
//! nothing is checked out) is compared with the working tree, and each difference is printed, per
//! document, as breaking or non-breaking. A document missing at the revision is one non-breaking
//! "document added"; one missing from the working tree, a breaking "document removed". The command fails when something is breaking, unless
//! `--allow-breaking` says that it is intended.
//!
//! "Breaking" means: a caller of the API, or Rust code written against the generated crates, can
//! stop working. Operations are matched by `operationId` (else by `METHOD path`; a changed
//! `operationId` on the same method and path is a rename), parameters by `in` + `name`, responses by
//! status code, media types by name. Internal `$ref`s are followed on each side, so a change inside a
//! component schema is reported at every operation that uses it, as a field path
//! (`ApplicationTokens[].Status`). The rules in brief:
//!
//! - Breaking: an operation removed, moved (method, path) or renamed; its `x-acs-rpc` (what is sent
//!   on the wire) changed; a parameter removed, added as required or made required; a request body
//!   removed, added as required or made required; a 2xx response or a media type removed; in any
//!   schema a `type` or `format` change, an enum value removed or an enum added, a property removed;
//!   a property that became required (request) or optional (response); `nullable` given up (request)
//!   or taken on (response); any change under `allOf`/`oneOf`/`anyOf`/`not`, which this tool cannot
//!   judge; a component schema removed (its generated Rust type goes away); the effective `security`
//!   of an operation changed, unless it became `[]`.
//! - Non-breaking: everything added that nobody has to send; error responses removed; annotations
//!   (description, summary, title, example(s), deprecated), `info`, `servers`, `tags`, other keywords
//!   (`pattern`, `maximum`, ...) and other `x-` extensions.
//!
//! Nothing that differs goes unreported: a difference no rule names is listed as non-breaking
//! "`<pointer>` changed", and component entries that no operation led to are compared on their
//! own (a component schema then counts as breaking whichever way its Rust type changes).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{self, Write};
use std::path::Path;
use std::process::Output;
use std::sync::LazyLock;

use serde_json::{Map, Value};

use crate::document::escape_token;
use crate::families::FAMILIES;
use crate::git;

/// `cargo xtask diff <rev> [--allow-breaking]` run at workspace `root`. Writes the changelog to `out`,
/// problems to `err`. Returns whether the command succeeded: false on breaking changes without
/// `allow_breaking`, and false (with a clear message on `err`) when the revision or a document cannot be read.
pub fn command(
    root: &Path,
    rev: &str,
    allow_breaking: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<bool> {
    // Passed to git as one argument, but git would still take `-...` as an option.
    if rev.is_empty() || rev.starts_with('-') {
        writeln!(
            err,
            "cargo xtask diff: `{rev}` is not a revision (it must not be empty or start with `-`)"
        )?;
        return Ok(false);
    }
    let commit = match resolve_commit(root, rev) {
        Ok(commit) => commit,
        Err(message) => {
            writeln!(err, "cargo xtask diff: {message}")?;
            return Ok(false);
        }
    };
    let short = git(root, &["rev-parse", "--short", &commit])
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .filter(|short| !short.is_empty())
        .unwrap_or_else(|| commit.chars().take(12).collect());

    let mut readable = true;
    let (mut breaking, mut non_breaking, mut documents) = (0, 0, 0);
    for family in FAMILIES {
        let path = family.document;
        let header = if commit.starts_with(rev) {
            format!("{path} against {short}")
        } else {
            format!("{path} against {rev} ({short})")
        };
        let changes = match document_changes(root, rev, &commit, path) {
            Ok(Some(changes)) => changes,
            Ok(None) => {
                writeln!(
                    out,
                    "{header}: absent at the revision and in the working tree"
                )?;
                continue;
            }
            Err(message) => {
                writeln!(err, "cargo xtask diff: {message}")?;
                writeln!(out, "{header}: not compared (see the error)")?;
                readable = false;
                continue;
            }
        };
        documents += 1;
        if changes.is_empty() {
            writeln!(out, "{header}: no changes")?;
            continue;
        }
        writeln!(out, "{header}:")?;
        for (severity, title) in [
            (Severity::Breaking, "breaking"),
            (Severity::NonBreaking, "non-breaking"),
        ] {
            let group: Vec<&Change> = changes.iter().filter(|c| c.severity == severity).collect();
            if group.is_empty() {
                continue;
            }
            writeln!(out, "  {title} ({}):", group.len())?;
            for change in &group {
                writeln!(out, "    - {}: {}", change.location, change.message)?;
            }
            match severity {
                Severity::Breaking => breaking += group.len(),
                Severity::NonBreaking => non_breaking += group.len(),
            }
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{breaking} breaking, {non_breaking} non-breaking change(s) in {documents} document{}",
        if documents == 1 { "" } else { "s" }
    )?;
    if breaking > 0 && !allow_breaking {
        writeln!(
            err,
            "cargo xtask diff: {breaking} breaking change(s) against {rev}; if they are intended, pass --allow-breaking"
        )?;
        return Ok(false);
    }
    Ok(readable)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Breaking,
    NonBreaking,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub severity: Severity,
    /// Where: the operationId (or "components.schemas.X", "info", "servers", "security") ...
    pub location: String,
    /// What, in one sentence a reviewer understands, e.g. "query parameter `PageSize` removed",
    /// "response 200 field `ApplicationTokens[].Status`: enum value `deleted` removed (enum narrowed)".
    pub message: String,
}

/// Every change from `old` to `new` (both whole OpenAPI 3.0 documents as serde_json::Value), in a stable order.
///
/// The order: breaking first; within each, document-level keys, then operations by key, then path
/// items, then components, each in the order of the walk (which is sorted, as serde_json maps are).
pub fn compare(old: &serde_json::Value, new: &serde_json::Value) -> Vec<Change> {
    let mut differ = Differ {
        old,
        new,
        changes: Vec::new(),
        active: HashSet::new(),
        covered: HashSet::new(),
    };
    differ.document();
    // Two ways to one difference (a `$ref` sibling and its target, say) may word it alike.
    let mut seen = HashSet::new();
    let mut changes: Vec<Change> = differ
        .changes
        .into_iter()
        .filter(|c| {
            seen.insert((
                c.severity == Severity::Breaking,
                c.location.clone(),
                c.message.clone(),
            ))
        })
        .collect();
    changes.sort_by_key(|c| c.severity); // stable: keeps the walk order within each group
    changes
}

// ---------------------------------------------------------------------------------------------
// git

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_string()
}

/// The full commit id `rev` names.
fn resolve_commit(root: &Path, rev: &str) -> Result<String, String> {
    let output = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )?;
    let commit = String::from_utf8_lossy(&output.stdout).trim().to_string();
    if output.status.success() && !commit.is_empty() {
        return Ok(commit);
    }
    // Not a repository at all (or git failing): say it as git says it.
    let repository = git(root, &["rev-parse", "--git-dir"])?;
    if !repository.status.success() {
        return Err(format!(
            "{} is not in a git repository: {}",
            root.display(),
            stderr_of(&repository)
        ));
    }
    // An object that is no commit (a blob, a tree) is worth naming as what it is.
    let kind = git(root, &["cat-file", "-t", rev])?;
    let kind = String::from_utf8_lossy(&kind.stdout).trim().to_string();
    if kind.is_empty() {
        Err(format!("`{rev}` is not a commit in this repository"))
    } else {
        Err(format!(
            "`{rev}` is not a commit in this repository (it names a {kind})"
        ))
    }
}

/// The document at `commit`, or None when it does not exist there.
fn old_text(root: &Path, rev: &str, commit: &str, path: &str) -> Result<Option<String>, String> {
    // `ls-tree` tells "no such path" (empty output, success) apart from a failure; paths are
    // relative to `-C root`, which also holds when the workspace is a subdirectory of the repository.
    let listing = git(
        root,
        &["--literal-pathspecs", "ls-tree", "-z", commit, "--", path],
    )?;
    if !listing.status.success() {
        return Err(format!("cannot list {rev}:{path}: {}", stderr_of(&listing)));
    }
    let listing = String::from_utf8_lossy(&listing.stdout);
    let Some(entry) = listing.split('\0').find(|e| !e.is_empty()) else {
        return Ok(None);
    };
    // `<mode> SP <type> SP <object> TAB <path>`
    let mut fields = entry.split(['\t', ' ']);
    let (kind, object) = (fields.nth(1), fields.next());
    let (Some("blob"), Some(object)) = (kind, object) else {
        return Err(format!("{rev}:{path} is not a file"));
    };
    let blob = git(root, &["cat-file", "blob", object])?;
    if !blob.status.success() {
        return Err(format!("cannot read {rev}:{path}: {}", stderr_of(&blob)));
    }
    String::from_utf8(blob.stdout)
        .map(Some)
        .map_err(|_| format!("{rev}:{path} is not UTF-8"))
}

/// The changes of one document; None when it exists on neither side.
fn document_changes(
    root: &Path,
    rev: &str,
    commit: &str,
    path: &str,
) -> Result<Option<Vec<Change>>, String> {
    let old = old_text(root, rev, commit, path)?;
    let new = match std::fs::read_to_string(root.join(path)) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {path} (working tree): {e}")),
    };
    let parse = |text: &str, side: &str| {
        serde_yaml::from_str::<Value>(text).map_err(|e| format!("cannot parse {side}: {e}"))
    };
    let old_side = format!("{rev}:{path}");
    let new_side = format!("{path} (working tree)");
    let change = |severity, message: &str| Change {
        severity,
        location: "document".to_string(),
        message: message.to_string(),
    };
    Ok(match (old, new) {
        (None, None) => None,
        // A whole new family: one line, not every operation in it.
        (None, Some(new)) => {
            parse(&new, &new_side)?;
            Some(vec![change(Severity::NonBreaking, "document added")])
        }
        (Some(_), None) => Some(vec![change(Severity::Breaking, "document removed")]),
        (Some(old), Some(new)) => {
            let old = parse(&old, &old_side)?;
            let new = parse(&new, &new_side)?;
            Some(compare(&old, &new))
        }
    })
}

// ---------------------------------------------------------------------------------------------
// The comparison

const METHODS: [(&str, &str); 8] = [
    ("get", "GET"),
    ("put", "PUT"),
    ("post", "POST"),
    ("delete", "DELETE"),
    ("options", "OPTIONS"),
    ("head", "HEAD"),
    ("patch", "PATCH"),
    ("trace", "TRACE"),
];

/// Deeper schemas than this are not walked; no real document comes near, a hostile one must not
/// exhaust the stack.
const MAX_DEPTH: usize = 64;
/// A chain of `$ref`s longer than this is taken as a loop.
const MAX_REF_HOPS: usize = 32;

/// Stands in for a missing schema, so that "absent" compares like "anything goes".
static EMPTY: LazyLock<Value> = LazyLock::new(|| Value::Object(Map::new()));

/// Which way the data of a schema flows decides which changes break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Sent by clients: making it stricter breaks them.
    Request,
    /// Received by clients: making it looser breaks them.
    Response,
    /// A component schema no operation led to: its generated Rust type breaks either way.
    Component,
}

/// Where a schema sits, to name it in messages.
struct Site<'s> {
    location: &'s str,
    side: Side,
    /// The schema itself: "query parameter `X` schema", "response 200 body".
    root: String,
    /// A field in it, before the field path: "query parameter `X` field", "response 200 field".
    field: String,
}

impl Site<'_> {
    fn describe(&self, path: &str) -> String {
        if path.is_empty() {
            self.root.clone()
        } else {
            format!("{} `{path}`", self.field)
        }
    }
}

enum Resolved<'a> {
    Found(&'a Value),
    /// The `$ref` that leads nowhere (or into a loop of `$ref`s).
    Dangling(String),
}

/// Follows internal `$ref`s (`#/...`, a JSON pointer; serde_json unescapes `~0` and `~1`).
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> Resolved<'a> {
    let mut current = value;
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = ref_of(current) else {
            return Resolved::Found(current);
        };
        match crate::limits::resolve(doc, reference) {
            Some(target) => current = target,
            None => return Resolved::Dangling(reference.to_string()),
        }
    }
    Resolved::Dangling(ref_of(current).unwrap_or_default().to_string())
}

fn ref_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// Identity of a node in one of the two documents: pairs of them key the cycle guard and the
/// record of what was compared. (Two distinct inline schemas never share an address, unlike a
/// pointer string, which an inline schema does not have.)
fn addr(value: &Value) -> usize {
    std::ptr::from_ref(value) as usize
}

fn union<'k>(
    a: impl IntoIterator<Item = &'k String>,
    b: impl IntoIterator<Item = &'k String>,
) -> BTreeSet<&'k str> {
    a.into_iter()
        .chain(b)
        .map(String::as_str)
        .collect::<BTreeSet<_>>()
}

fn keys(map: Option<&Map<String, Value>>) -> impl Iterator<Item = &String> {
    map.into_iter().flat_map(|m| m.keys())
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn with_prefix(prefix: &str, message: String) -> String {
    if prefix.is_empty() {
        message
    } else {
        format!("{prefix}: {message}")
    }
}

/// A small JSON value inline, a long one cut short; "(none)" when absent.
fn render(value: Option<&Value>) -> String {
    const LIMIT: usize = 60;
    let Some(value) = value else {
        return "(none)".to_string();
    };
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        text
    } else {
        let cut: String = text.chars().take(LIMIT - 1).collect();
        format!("{cut}…")
    }
}

/// `type`/`format` values read better bare: "string", not "\"string\"".
fn bare(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        other => render(other),
    }
}

/// An enum value in backticks: `deleted`, `3`.
fn enum_value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{}`", render(Some(other))),
    }
}

fn is_true(value: Option<&Value>) -> bool {
    value == Some(&Value::Bool(true))
}

fn parameter_label(location: &str, name: &str) -> String {
    format!("{location} parameter `{name}`")
}

fn field_path(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// The security requirements as a set of alternatives, each written `a + b[scope]`; order means
/// nothing in either list. Absent counts as `[]`: no authentication.
fn requirements(value: Option<&Value>) -> BTreeSet<String> {
    match value {
        None => BTreeSet::new(),
        Some(Value::Array(alternatives)) => alternatives
            .iter()
            .map(|alternative| match alternative.as_object() {
                Some(schemes) => schemes
                    .iter()
                    .map(|(scheme, scopes)| {
                        let mut scopes: Vec<String> = scopes
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|s| bare(Some(s)))
                            .collect();
                        scopes.sort();
                        if scopes.is_empty() {
                            scheme.clone()
                        } else {
                            format!("{scheme}[{}]", scopes.join(" "))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" + "),
                None => alternative.to_string(),
            })
            .collect(),
        Some(other) => BTreeSet::from([other.to_string()]),
    }
}

fn render_requirements(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        return "no authentication".to_string();
    }
    set.iter()
        .map(|r| {
            if r.is_empty() {
                "anonymous (`{}`)".to_string()
            } else {
                format!("`{r}`")
            }
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// One operation of a document.
struct Operation<'a> {
    method: &'static str,
    path: &'a str,
    item: &'a Map<String, Value>,
    op: &'a Map<String, Value>,
}

impl Operation<'_> {
    fn route(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The operations of a document, keyed by operationId, else by `METHOD path`.
fn operations(doc: &Value) -> BTreeMap<String, Operation<'_>> {
    let mut operations = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return operations;
    };
    for (path, item) in paths {
        let Resolved::Found(item) = resolve(doc, item) else {
            continue;
        };
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, upper) in METHODS {
            let Some(op) = item.get(method).and_then(Value::as_object) else {
                continue;
            };
            let route = format!("{upper} {path}");
            let key = match op.get("operationId").and_then(Value::as_str) {
                // A duplicate operationId (invalid, but possible) must not hide an operation.
                Some(id) if operations.contains_key(id) => format!("{id} ({route})"),
                Some(id) => id.to_string(),
                None => route,
            };
            operations.insert(
                key,
                Operation {
                    method: upper,
                    path,
                    item,
                    op,
                },
            );
        }
    }
    operations
}

/// The parameters of an operation, path item ones first, each key (`in`, `name`) once (the
/// operation's own wins, as in OpenAPI).
fn parameters<'a>(doc: &'a Value, operation: &Operation<'a>) -> Vec<((String, String), &'a Value)> {
    let mut list: Vec<((String, String), &'a Value)> = Vec::new();
    let declared = [operation.item, operation.op]
        .into_iter()
        .filter_map(|m| m.get("parameters").and_then(Value::as_array))
        .flatten();
    for raw in declared {
        let key = match resolve(doc, raw) {
            Resolved::Found(p) => (
                p.get("in")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                p.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            ),
            Resolved::Dangling(reference) => ("$ref".to_string(), reference),
        };
        match list.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = raw,
            None => list.push((key, raw)),
        }
    }
    list
}

struct Differ<'a> {
    old: &'a Value,
    new: &'a Value,
    changes: Vec<Change>,
    /// (old node, new node) pairs being compared right now, further up: meeting one again means a
    /// cycle through `$ref`s, and everything in it is being compared already.
    active: HashSet<(usize, usize)>,
    /// Every (old node, new node) pair compared in the context of an operation; component entries
    /// in here need no comparison of their own.
    covered: HashSet<(usize, usize)>,
}

impl<'a> Differ<'a> {
    fn push(&mut self, severity: Severity, location: &str, message: String) {
        self.changes.push(Change {
            severity,
            location: location.to_string(),
            message,
        });
    }

    fn breaking(&mut self, location: &str, message: String) {
        self.push(Severity::Breaking, location, message);
    }

    fn non_breaking(&mut self, location: &str, message: String) {
        self.push(Severity::NonBreaking, location, message);
    }

    /// Resolves both sides. When a `$ref` leads nowhere and the two sides differ, that is said
    /// (there is nothing to judge) and None returned.
    fn resolve_pair(
        &mut self,
        location: &str,
        what: &str,
        old: &'a Value,
        new: &'a Value,
    ) -> Option<(&'a Value, &'a Value)> {
        match (resolve(self.old, old), resolve(self.new, new)) {
            (Resolved::Found(o), Resolved::Found(n)) => {
                self.covered.insert((addr(o), addr(n)));
                Some((o, n))
            }
            (o, n) => {
                if old != new {
                    let dangling = [(o, "at the revision"), (n, "in the working tree")]
                        .into_iter()
                        .filter_map(|(r, side)| match r {
                            Resolved::Dangling(reference) => Some(format!("`{reference}` {side}")),
                            Resolved::Found(_) => None,
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.breaking(
                        location,
                        format!(
                            "{what}: $ref {dangling} points at nothing; xtask diff cannot judge this, review it by hand"
                        ),
                    );
                }
                None
            }
        }
    }

    /// What a referencing object says besides its target (which is compared on its own): where
    /// `$ref` points, when that changed (non-breaking here; a schema says more), and the keywords
    /// next to it.
    fn ref_note(&mut self, location: &str, what: &str, old: &Value, new: &Value) {
        let (o, n) = (ref_of(old), ref_of(new));
        if o != n {
            self.non_breaking(
                location,
                with_prefix(
                    what,
                    format!(
                        "`$ref` changed from {} to {}",
                        render(old.get("$ref")),
                        render(new.get("$ref"))
                    ),
                ),
            );
        }
        self.ref_siblings(location, what, old, new);
    }

    /// Keywords next to a `$ref`: OpenAPI 3.0 ignores them, but people write them, and a change
    /// to them is still a change.
    fn ref_siblings(&mut self, location: &str, what: &str, old: &Value, new: &Value) {
        let siblings = |v| ref_of(v).and(v.as_object());
        let (os, ns) = (siblings(old), siblings(new));
        if os.is_none() && ns.is_none() {
            return;
        }
        let prefix = if what.is_empty() {
            "next to `$ref`".to_string()
        } else {
            format!("{what} (next to `$ref`)")
        };
        for key in union(keys(os), keys(ns)) {
            if key != "$ref" {
                let (ov, nv) = (os.and_then(|m| m.get(key)), ns.and_then(|m| m.get(key)));
                let pointer = format!("/{}", escape_token(key));
                self.walk(location, &prefix, &pointer, ov, nv);
            }
        }
    }

    // --- the document ---

    fn document(&mut self) {
        let (old, new) = (self.old, self.new);
        let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
            self.walk("document", "", "", Some(old), Some(new));
            return;
        };
        self.walk("openapi", "", "", o.get("openapi"), n.get("openapi"));
        self.walk("info", "", "", o.get("info"), n.get("info"));
        self.keyed_list(
            "servers",
            "server",
            "url",
            o.get("servers"),
            n.get("servers"),
        );
        self.keyed_list("tags", "tag", "name", o.get("tags"), n.get("tags"));
        self.walk(
            "externalDocs",
            "",
            "",
            o.get("externalDocs"),
            n.get("externalDocs"),
        );
        let (os, ns) = (o.get("security"), n.get("security"));
        if os != ns {
            // Each operation that inherits it says how it is affected; this is the cause.
            self.non_breaking(
                "security",
                format!(
                    "document-wide security changed from {} to {}; operations that inherit it are listed on their own",
                    render_requirements(&requirements(os)),
                    render_requirements(&requirements(ns))
                ),
            );
        }
        const HANDLED: [&str; 8] = [
            "openapi",
            "info",
            "servers",
            "tags",
            "externalDocs",
            "security",
            "paths",
            "components",
        ];
        self.walk_rest("document", "", o, n, &HANDLED);
        self.operations();
        self.path_items();
        self.components();
    }

    /// A list of objects named by `key` (servers by `url`, tags by `name`), compared by that name.
    fn keyed_list(
        &mut self,
        location: &str,
        noun: &str,
        key: &str,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
    ) {
        if old == new {
            return;
        }
        let entries = |value: Option<&'a Value>| -> Option<Vec<(&'a str, &'a Value)>> {
            let list = match value {
                None => return Some(Vec::new()),
                Some(value) => value.as_array()?,
            };
            let entries: Vec<(&str, &Value)> = list
                .iter()
                .map(|e| Some((e.get(key)?.as_str()?, e)))
                .collect::<Option<_>>()?;
            let names: HashSet<&str> = entries.iter().map(|(name, _)| *name).collect();
            (names.len() == entries.len()).then_some(entries)
        };
        let (Some(o), Some(n)) = (entries(old), entries(new)) else {
            self.walk(location, "", "", old, new);
            return;
        };
        let find = |list: &[(&str, &'a Value)], name: &str| {
            list.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
        };
        for (name, entry) in &o {
            match find(&n, name) {
                None => self.non_breaking(location, format!("{noun} `{name}` removed")),
                Some(new_entry) => {
                    let prefix = format!("{noun} `{name}`");
                    self.walk(location, &prefix, "", Some(entry), Some(new_entry));
                }
            }
        }
        for (name, _) in &n {
            if find(&o, name).is_none() {
                self.non_breaking(location, format!("{noun} `{name}` added"));
            }
        }
        let common_old: Vec<&str> = o
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| find(&n, k).is_some())
            .collect();
        let common_new: Vec<&str> = n
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| find(&o, k).is_some())
            .collect();
        if common_old != common_new {
            self.non_breaking(location, format!("{noun}s reordered"));
        }
    }

    /// The fallback for everything without a rule of its own: walks both values and reports
    /// each leaf that differs as non-breaking. `pointer` is relative to where the walk started.
    /// Every key of `old` and `new` but `handled` (which the caller judged), walked as plain
    /// values: descriptions, examples, extensions, keywords no rule names.
    fn walk_rest(
        &mut self,
        location: &str,
        prefix: &str,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        handled: &[&str],
    ) {
        for key in union(old.keys(), new.keys()) {
            if !handled.contains(&key) {
                let pointer = format!("/{}", escape_token(key));
                self.walk(location, prefix, &pointer, old.get(key), new.get(key));
            }
        }
    }

    fn walk(
        &mut self,
        location: &str,
        prefix: &str,
        pointer: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        if old == new {
            return;
        }
        let (parent, last) = match pointer.rfind('/') {
            Some(i) => (&pointer[..i], unescape(&pointer[i + 1..])),
            None => ("", String::new()),
        };
        let at = if parent.is_empty() {
            String::new()
        } else {
            format!(" at `{parent}`")
        };
        // Annotations and extensions are reported whole, not leaf by leaf.
        let whole = matches!(
            last.as_str(),
            "description" | "summary" | "title" | "example" | "examples" | "deprecated"
        ) || last.starts_with("x-");
        if !whole {
            match (old, new) {
                (Some(Value::Object(o)), Some(Value::Object(n))) => {
                    for key in union(o.keys(), n.keys()) {
                        let child = format!("{pointer}/{}", escape_token(key));
                        self.walk(location, prefix, &child, o.get(key), n.get(key));
                    }
                    return;
                }
                (Some(Value::Array(o)), Some(Value::Array(n))) if o.len() == n.len() => {
                    for (i, (o, n)) in o.iter().zip(n).enumerate() {
                        self.walk(
                            location,
                            prefix,
                            &format!("{pointer}/{i}"),
                            Some(o),
                            Some(n),
                        );
                    }
                    return;
                }
                (Some(Value::Array(o)), Some(Value::Array(n)))
                    if o.iter().chain(n).all(|v| !v.is_object() && !v.is_array()) =>
                {
                    // A list of plain values (an enum of server variables, ...): what came and went.
                    let name = if pointer.is_empty() {
                        String::new()
                    } else {
                        format!("`{pointer}`: ")
                    };
                    let mut any = false;
                    for v in o.iter().filter(|v| !n.contains(v)) {
                        any = true;
                        let message = format!("{name}{} removed", enum_value(v));
                        self.non_breaking(location, with_prefix(prefix, message));
                    }
                    for v in n.iter().filter(|v| !o.contains(v)) {
                        any = true;
                        let message = format!("{name}{} added", enum_value(v));
                        self.non_breaking(location, with_prefix(prefix, message));
                    }
                    if any {
                        return;
                    }
                }
                _ => {}
            }
        }
        let change = match (old, new) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => "changed",
        };
        let message = match last.as_str() {
            "description" | "summary" | "title" | "example" | "examples" => {
                format!("{last} {change}{at}")
            }
            "deprecated" if is_true(new) && !is_true(old) => format!("now deprecated{at}"),
            "deprecated" if is_true(old) && !is_true(new) => format!("no longer deprecated{at}"),
            _ if pointer.is_empty() => format!("changed from {} to {}", render(old), render(new)),
            _ => {
                let name = if parent.is_empty() {
                    last.as_str()
                } else {
                    pointer
                };
                format!("`{name}` changed from {} to {}", render(old), render(new))
            }
        };
        self.non_breaking(location, with_prefix(prefix, message));
    }

    // --- operations ---

    fn operations(&mut self) {
        let (old, new) = (operations(self.old), operations(self.new));
        let mut pairs: Vec<(Option<&str>, Option<&str>)> = Vec::new();
        let mut only_old: Vec<&str> = Vec::new();
        for key in old.keys() {
            if new.contains_key(key) {
                pairs.push((Some(key), Some(key)));
            } else {
                only_old.push(key);
            }
        }
        let mut only_new: Vec<&str> = new
            .keys()
            .map(String::as_str)
            .filter(|k| !old.contains_key(*k))
            .collect();
        // The same method and path under another operationId: a rename, not a removal and an addition.
        for o in only_old {
            let same_route = only_new
                .iter()
                .position(|n| new[*n].method == old[o].method && new[*n].path == old[o].path);
            match same_route {
                Some(i) => pairs.push((Some(o), Some(only_new.remove(i)))),
                None => pairs.push((Some(o), None)),
            }
        }
        pairs.extend(only_new.into_iter().map(|n| (None, Some(n))));
        pairs.sort_by_key(|(o, n)| n.or(*o).unwrap_or_default().to_string());
        for pair in pairs {
            match pair {
                (Some(o), None) => {
                    self.breaking(o, format!("operation removed (was {})", old[o].route()))
                }
                (None, Some(n)) => {
                    self.non_breaking(n, format!("operation added ({})", new[n].route()))
                }
                (Some(o), Some(n)) => self.operation(n, &old[o], &new[n]),
                (None, None) => {}
            }
        }
    }

    fn operation(&mut self, location: &str, old: &Operation<'a>, new: &Operation<'a>) {
        let (o, n) = (old.op, new.op);
        let (old_id, new_id) = (o.get("operationId"), n.get("operationId"));
        if old_id != new_id {
            self.breaking(
                location,
                format!(
                    "operationId changed from {} to {} (the generated method is renamed)",
                    render(old_id),
                    render(new_id)
                ),
            );
        }
        match (old.method == new.method, old.path == new.path) {
            (true, true) => {}
            (false, true) => self.breaking(
                location,
                format!(
                    "method changed from {} to {} (path {})",
                    old.method, new.method, new.path
                ),
            ),
            (true, false) => self.breaking(
                location,
                format!("path changed from {} to {}", old.path, new.path),
            ),
            (false, false) => self.breaking(
                location,
                format!("moved from {} to {}", old.route(), new.route()),
            ),
        }
        self.rpc(location, o.get("x-acs-rpc"), n.get("x-acs-rpc"));
        self.operation_security(location, o, n);
        self.parameters(location, old, new);
        self.request_body(location, o.get("requestBody"), n.get("requestBody"));
        self.responses(location, o.get("responses"), n.get("responses"));
        const HANDLED: [&str; 6] = [
            "operationId",
            "x-acs-rpc",
            "security",
            "parameters",
            "requestBody",
            "responses",
        ];
        // summary, description, deprecated, tags, externalDocs, servers, callbacks, x-...
        self.walk_rest(location, "", o, n, &HANDLED);
    }

    /// `x-acs-rpc` is what an EIAM client actually sends (action, version, method, path): any
    /// change to it changes the request on the wire.
    fn rpc(&mut self, location: &str, old: Option<&Value>, new: Option<&Value>) {
        const WHY: &str = "the request sent on the wire changes";
        match (old, new) {
            _ if old == new => {}
            (Some(_), None) => self.breaking(location, format!("`x-acs-rpc` removed ({WHY})")),
            (None, Some(_)) => self.breaking(location, format!("`x-acs-rpc` added ({WHY})")),
            (Some(Value::Object(o)), Some(Value::Object(n))) => {
                for key in union(o.keys(), n.keys()) {
                    let (ov, nv) = (o.get(key), n.get(key));
                    if ov != nv {
                        self.breaking(
                            location,
                            format!(
                                "`x-acs-rpc.{key}` changed from {} to {} ({WHY})",
                                render(ov),
                                render(nv)
                            ),
                        );
                    }
                }
            }
            _ => self.breaking(
                location,
                format!(
                    "`x-acs-rpc` changed from {} to {} ({WHY})",
                    render(old),
                    render(new)
                ),
            ),
        }
    }

    /// The effective security: the operation's own, else the document's.
    fn operation_security(
        &mut self,
        location: &str,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
    ) {
        let old_effective = requirements(old.get("security").or(self.old.get("security")));
        let new_effective = requirements(new.get("security").or(self.new.get("security")));
        if old_effective != new_effective {
            if new_effective.is_empty() {
                self.non_breaking(
                    location,
                    format!(
                        "no longer needs authentication (security `[]`; was {})",
                        render_requirements(&old_effective)
                    ),
                );
            } else {
                self.breaking(
                    location,
                    format!(
                        "security changed from {} to {}",
                        render_requirements(&old_effective),
                        render_requirements(&new_effective)
                    ),
                );
            }
        } else if old.get("security") != new.get("security") {
            self.non_breaking(
                location,
                format!(
                    "`security` changed from {} to {} (the effective security is the same)",
                    render(old.get("security")),
                    render(new.get("security"))
                ),
            );
        }
    }

    fn parameters(&mut self, location: &str, old: &Operation<'a>, new: &Operation<'a>) {
        // A `parameters` that is no list has nothing to match; say what changed.
        for (o, n) in [(old.item, new.item), (old.op, new.op)] {
            let (ov, nv) = (o.get("parameters"), n.get("parameters"));
            let odd = |v: Option<&Value>| v.is_some_and(|v| !v.is_array());
            if ov != nv && (odd(ov) || odd(nv)) {
                self.walk(location, "", "/parameters", ov, nv);
            }
        }
        let (o, n) = (parameters(self.old, old), parameters(self.new, new));
        let find = |list: &[((String, String), &'a Value)], key: &(String, String)| {
            list.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
        };
        let all: BTreeSet<&(String, String)> = o.iter().chain(&n).map(|(k, _)| k).collect();
        for key in all {
            let label = parameter_label(&key.0, &key.1);
            match (find(&o, key), find(&n, key)) {
                (Some(_), None) => self.breaking(location, format!("{label} removed")),
                (None, Some(raw)) => {
                    let required = match resolve(self.new, raw) {
                        Resolved::Found(p) => is_true(p.get("required")) || key.0 == "path",
                        Resolved::Dangling(_) => false,
                    };
                    if required {
                        self.breaking(location, format!("new required {label}"));
                    } else {
                        self.non_breaking(location, format!("new optional {label}"));
                    }
                }
                (Some(old_raw), Some(new_raw)) => {
                    self.parameter(location, &label, &key.0, old_raw, new_raw)
                }
                (None, None) => {}
            }
        }
        // The builder interface names arguments, so only the documentation order changes.
        let order = |list: &[((String, String), &Value)], other: &[((String, String), &Value)]| {
            list.iter()
                .map(|(k, _)| k.clone())
                .filter(|k| other.iter().any(|(ok, _)| ok == k))
                .collect::<Vec<_>>()
        };
        if order(&o, &n) != order(&n, &o) {
            self.non_breaking(location, "parameters reordered".to_string());
        }
        // Path item parameters of a path without operations reach no operation; see path_items.
    }

    fn parameter(&mut self, location: &str, label: &str, at: &str, old: &'a Value, new: &'a Value) {
        self.ref_note(location, label, old, new);
        let Some((o, n)) = self.resolve_pair(location, label, old, new) else {
            return;
        };
        let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) else {
            self.walk(location, label, "", Some(o), Some(n));
            return;
        };
        let required = |m: &Map<String, Value>| is_true(m.get("required")) || at == "path";
        match (required(om), required(nm)) {
            (false, true) => self.breaking(location, format!("{label} became required")),
            (true, false) => self.non_breaking(location, format!("{label} became optional")),
            _ => self.walk(
                location,
                label,
                "/required",
                om.get("required"),
                nm.get("required"),
            ),
        }
        if om.contains_key("schema") || nm.contains_key("schema") {
            let site = Site {
                location,
                side: Side::Request,
                root: format!("{label} schema"),
                field: format!("{label} field"),
            };
            let old_schema = om.get("schema").unwrap_or(&EMPTY);
            let new_schema = nm.get("schema").unwrap_or(&EMPTY);
            self.schema(&site, "", old_schema, new_schema, 0);
        }
        if om.contains_key("content") || nm.contains_key("content") {
            self.media_map(
                location,
                label,
                Side::Request,
                om.get("content"),
                nm.get("content"),
            );
        }
        let handled = ["name", "in", "required", "schema", "content"];
        self.walk_rest(location, label, om, nm, &handled);
    }

    fn request_body(&mut self, location: &str, old: Option<&'a Value>, new: Option<&'a Value>) {
        const LABEL: &str = "request body";
        let (old, new) = match (old, new) {
            (None, None) => return,
            (Some(_), None) => {
                self.breaking(location, "request body removed".to_string());
                return;
            }
            (None, Some(new)) => {
                let required = match resolve(self.new, new) {
                    Resolved::Found(body) => is_true(body.get("required")),
                    Resolved::Dangling(_) => false,
                };
                if required {
                    self.breaking(location, "new required request body".to_string());
                } else {
                    self.non_breaking(location, "new optional request body".to_string());
                }
                return;
            }
            (Some(old), Some(new)) => (old, new),
        };
        self.ref_note(location, LABEL, old, new);
        let Some((o, n)) = self.resolve_pair(location, LABEL, old, new) else {
            return;
        };
        let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) else {
            self.walk(location, LABEL, "", Some(o), Some(n));
            return;
        };
        match (is_true(om.get("required")), is_true(nm.get("required"))) {
            (false, true) => self.breaking(location, "request body became required".to_string()),
            (true, false) => {
                self.non_breaking(location, "request body became optional".to_string())
            }
            _ => self.walk(
                location,
                LABEL,
                "/required",
                om.get("required"),
                nm.get("required"),
            ),
        }
        self.media_map(
            location,
            LABEL,
            Side::Request,
            om.get("content"),
            nm.get("content"),
        );
        self.walk_rest(location, LABEL, om, nm, &["required", "content"]);
    }

    fn responses(&mut self, location: &str, old: Option<&'a Value>, new: Option<&'a Value>) {
        let (o, n) = (
            old.and_then(Value::as_object),
            new.and_then(Value::as_object),
        );
        if (old.is_some() && o.is_none()) || (new.is_some() && n.is_none()) {
            self.walk(location, "", "/responses", old, new);
            return;
        }
        for code in union(keys(o), keys(n)) {
            let subject = format!("response {code}");
            match (o.and_then(|m| m.get(code)), n.and_then(|m| m.get(code))) {
                (Some(_), None) if code.starts_with('2') => {
                    self.breaking(location, format!("{subject} removed"))
                }
                (Some(_), None) => {
                    let kind = if code.starts_with(['4', '5']) || code == "default" {
                        "error "
                    } else {
                        ""
                    };
                    self.non_breaking(
                        location,
                        format!("documented {kind}response {code} removed"),
                    )
                }
                (None, Some(_)) => self.non_breaking(location, format!("{subject} added")),
                (Some(old), Some(new)) => self.response(location, &subject, old, new),
                (None, None) => {}
            }
        }
    }

    fn response(&mut self, location: &str, subject: &str, old: &'a Value, new: &'a Value) {
        self.ref_note(location, subject, old, new);
        let Some((o, n)) = self.resolve_pair(location, subject, old, new) else {
            return;
        };
        let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) else {
            self.walk(location, subject, "", Some(o), Some(n));
            return;
        };
        self.media_map(
            location,
            subject,
            Side::Response,
            om.get("content"),
            nm.get("content"),
        );
        // description, headers, links, x-...
        self.walk_rest(location, subject, om, nm, &["content"]);
    }

    /// A `content` map: media types removed (breaking), added, and each kept one compared.
    fn media_map(
        &mut self,
        location: &str,
        subject: &str,
        side: Side,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
    ) {
        let (o, n) = (
            old.and_then(Value::as_object),
            new.and_then(Value::as_object),
        );
        if (old.is_some() && o.is_none()) || (new.is_some() && n.is_none()) {
            self.walk(location, subject, "/content", old, new);
            return;
        }
        for media in union(keys(o), keys(n)) {
            match (o.and_then(|m| m.get(media)), n.and_then(|m| m.get(media))) {
                (Some(_), None) => {
                    self.breaking(location, format!("{subject}: media type `{media}` removed"))
                }
                (None, Some(_)) => {
                    self.non_breaking(location, format!("{subject}: media type `{media}` added"))
                }
                (Some(old), Some(new)) => self.media(location, subject, media, side, old, new),
                (None, None) => {}
            }
        }
    }

    fn media(
        &mut self,
        location: &str,
        subject: &str,
        media: &str,
        side: Side,
        old: &'a Value,
        new: &'a Value,
    ) {
        // JSON is the rule; only another media type is worth naming in every message.
        let subject = if media == "application/json" {
            subject.to_string()
        } else {
            format!("{subject} ({media})")
        };
        let (Some(om), Some(nm)) = (old.as_object(), new.as_object()) else {
            self.walk(location, &subject, "", Some(old), Some(new));
            return;
        };
        if om.contains_key("schema") || nm.contains_key("schema") {
            let site = Site {
                location,
                side,
                root: match side {
                    Side::Response => format!("{subject} body"),
                    _ => format!("{subject} schema"),
                },
                field: format!("{subject} field"),
            };
            let old_schema = om.get("schema").unwrap_or(&EMPTY);
            let new_schema = nm.get("schema").unwrap_or(&EMPTY);
            self.schema(&site, "", old_schema, new_schema, 0);
        }
        // example, examples, encoding, x-...
        self.walk_rest(location, &subject, om, nm, &["schema"]);
    }

    // --- schemas ---

    fn schema(&mut self, site: &Site, path: &str, old: &'a Value, new: &'a Value, depth: usize) {
        let location = site.location;
        let what = site.describe(path);
        if depth > MAX_DEPTH {
            if old != new {
                self.breaking(
                    location,
                    format!(
                        "{what}: nested too deeply; xtask diff cannot judge this, review it by hand"
                    ),
                );
            }
            return;
        }
        // A `$ref`'d schema is the component's generated Rust type: pointing elsewhere (or
        // inlining it) changes the type even when the content is the same.
        let (old_ref, new_ref) = (ref_of(old), ref_of(new));
        if old_ref != new_ref {
            let name = |r: Option<&str>| match r {
                Some(r) => format!("`{r}`"),
                None => "an inline schema".to_string(),
            };
            self.breaking(
                location,
                format!(
                    "{what}: now {} instead of {} (the generated Rust type changes)",
                    name(new_ref),
                    name(old_ref)
                ),
            );
        }
        self.ref_siblings(location, &what, old, new);
        let Some((o, n)) = self.resolve_pair(location, &what, old, new) else {
            return;
        };
        let key = (addr(o), addr(n));
        if !self.active.insert(key) {
            return; // a cycle: this pair is being compared further up
        }
        self.schema_body(site, path, &what, o, n, depth);
        self.active.remove(&key);
    }

    fn schema_body(
        &mut self,
        site: &Site,
        path: &str,
        what: &str,
        o: &'a Value,
        n: &'a Value,
        depth: usize,
    ) {
        let location = site.location;
        let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) else {
            if o != n {
                self.breaking(
                    location,
                    format!(
                        "{what}: schema changed from {} to {}; xtask diff cannot judge this, review it by hand",
                        render(Some(o)),
                        render(Some(n))
                    ),
                );
            }
            return;
        };
        for keyword in ["type", "format"] {
            let (ov, nv) = (om.get(keyword), nm.get(keyword));
            let message = match (ov, nv) {
                _ if ov == nv => continue,
                (None, Some(v)) => format!("{keyword} `{}` added", bare(Some(v))),
                (Some(v), None) => format!("{keyword} `{}` removed", bare(Some(v))),
                _ => format!("{keyword} changed from {} to {}", bare(ov), bare(nv)),
            };
            self.breaking(location, format!("{what}: {message}"));
        }
        self.nullable(site, what, om, nm);
        self.enumeration(location, what, om.get("enum"), nm.get("enum"));
        for keyword in ["allOf", "oneOf", "anyOf", "not"] {
            if om.get(keyword) != nm.get(keyword) {
                self.breaking(
                    location,
                    format!("{what}: `{keyword}` changed; xtask diff cannot judge this, review it by hand"),
                );
            }
        }
        self.properties(site, path, what, om, nm, depth);
        let (oi, ni) = (om.get("items"), nm.get("items"));
        if oi.is_some() || ni.is_some() {
            let items = format!("{path}[]");
            self.schema(
                site,
                &items,
                oi.unwrap_or(&EMPTY),
                ni.unwrap_or(&EMPTY),
                depth + 1,
            );
        }
        self.additional_properties(site, path, what, om, nm, depth);
        const HANDLED: [&str; 12] = [
            "type",
            "format",
            "nullable",
            "enum",
            "allOf",
            "oneOf",
            "anyOf",
            "not",
            "properties",
            "required",
            "items",
            "additionalProperties",
        ];
        // description, title, example, deprecated, pattern, maximum, default, x-...
        self.walk_rest(location, what, om, nm, &HANDLED);
    }

    fn nullable(
        &mut self,
        site: &Site,
        what: &str,
        om: &Map<String, Value>,
        nm: &Map<String, Value>,
    ) {
        let (ov, nv) = (om.get("nullable"), nm.get("nullable"));
        let location = site.location;
        match (is_true(ov), is_true(nv), site.side) {
            (false, true, Side::Request) => {
                self.non_breaking(location, format!("{what}: now nullable"))
            }
            (false, true, Side::Response) => self.breaking(
                location,
                format!("{what}: now nullable (clients may receive null)"),
            ),
            (false, true, Side::Component) => self.breaking(
                location,
                format!("{what}: now nullable (the generated Rust type changes)"),
            ),
            (true, false, Side::Response) => {
                self.non_breaking(location, format!("{what}: no longer nullable"))
            }
            (true, false, Side::Request) => self.breaking(
                location,
                format!("{what}: no longer nullable (clients sending null are refused)"),
            ),
            (true, false, Side::Component) => self.breaking(
                location,
                format!("{what}: no longer nullable (the generated Rust type changes)"),
            ),
            // `false` against absent: the same meaning, still a difference.
            _ => self.walk(location, what, "/nullable", ov, nv),
        }
    }

    fn enumeration(
        &mut self,
        location: &str,
        what: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        match (old, new) {
            _ if old == new => {}
            (Some(_), None) => self.non_breaking(
                location,
                format!("{what}: enum removed (any value allowed now; widened)"),
            ),
            (None, Some(Value::Array(values))) => {
                let mut listed: Vec<String> = values.iter().take(8).map(enum_value).collect();
                if values.len() > 8 {
                    listed.push("…".to_string());
                }
                self.breaking(
                    location,
                    format!("{what}: enum added, only {} allowed now (narrowed)", listed.join(", ")),
                );
            }
            (Some(Value::Array(o)), Some(Value::Array(n))) => {
                for value in o.iter().filter(|v| !n.contains(v)) {
                    self.breaking(
                        location,
                        format!("{what}: enum value {} removed (enum narrowed)", enum_value(value)),
                    );
                }
                for value in n.iter().filter(|v| !o.contains(v)) {
                    self.non_breaking(
                        location,
                        format!("{what}: enum value {} added", enum_value(value)),
                    );
                }
                if o.iter().all(|v| n.contains(v)) && n.iter().all(|v| o.contains(v)) {
                    self.non_breaking(location, format!("{what}: enum values reordered"));
                }
            }
            _ => self.breaking(
                location,
                format!(
                    "{what}: `enum` changed from {} to {}; xtask diff cannot judge this, review it by hand",
                    render(old),
                    render(new)
                ),
            ),
        }
    }

    fn properties(
        &mut self,
        site: &Site,
        path: &str,
        what: &str,
        om: &'a Map<String, Value>,
        nm: &'a Map<String, Value>,
        depth: usize,
    ) {
        let location = site.location;
        // A `properties` that is not a mapping, a `required` that is not a list: nothing to walk.
        for (keyword, fits) in [
            ("properties", Value::is_object as fn(&Value) -> bool),
            ("required", Value::is_array),
        ] {
            let (ov, nv) = (om.get(keyword), nm.get(keyword));
            if ov != nv && (ov.is_some_and(|v| !fits(v)) || nv.is_some_and(|v| !fits(v))) {
                let pointer = format!("/{keyword}");
                self.walk(location, what, &pointer, ov, nv);
            }
        }
        let properties = |m: &'a Map<String, Value>| m.get("properties").and_then(Value::as_object);
        let required = |m: &'a Map<String, Value>| -> BTreeSet<&'a str> {
            m.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect()
        };
        let (op, np) = (properties(om), properties(nm));
        let (or, nr) = (required(om), required(nm));
        // A name only in `required` is a field too (of any type).
        let mut names: BTreeSet<&str> = union(keys(op), keys(np));
        names.extend(or.iter().chain(&nr));
        for name in names {
            let child = field_path(path, name);
            let field = site.describe(&child);
            let has = |p: Option<&Map<String, Value>>, r: &BTreeSet<&str>| {
                p.is_some_and(|p| p.contains_key(name)) || r.contains(name)
            };
            let (was_required, is_required) = (or.contains(name), nr.contains(name));
            match (has(op, &or), has(np, &nr)) {
                (true, false) => self.breaking(location, format!("{field} removed")),
                (false, true) => match (is_required, site.side) {
                    (true, Side::Response) => self.non_breaking(
                        location,
                        format!("{field} added (required, so always present)"),
                    ),
                    (true, _) => self.breaking(location, format!("{field} added as required")),
                    (false, _) => self.non_breaking(location, format!("{field} added")),
                },
                (true, true) => {
                    match (was_required, is_required, site.side) {
                        (false, true, Side::Response) => self.non_breaking(
                            location,
                            format!("{field} became required (always present now)"),
                        ),
                        (false, true, _) => {
                            self.breaking(location, format!("{field} became required"))
                        }
                        (true, false, Side::Request) => {
                            self.non_breaking(location, format!("{field} became optional"))
                        }
                        (true, false, _) => self.breaking(
                            location,
                            format!("{field} no longer required (clients could rely on it being present)"),
                        ),
                        _ => {}
                    }
                    let schema_of = |p: Option<&'a Map<String, Value>>| -> &'a Value {
                        p.and_then(|p| p.get(name)).unwrap_or(&EMPTY)
                    };
                    self.schema(site, &child, schema_of(op), schema_of(np), depth + 1);
                }
                (false, false) => {}
            }
        }
        let (ov, nv) = (om.get("required"), nm.get("required"));
        if or == nr
            && ov != nv
            && ov.is_some_and(Value::is_array)
            && nv.is_some_and(Value::is_array)
        {
            self.non_breaking(location, format!("{what}: `required` reordered"));
        }
    }

    fn additional_properties(
        &mut self,
        site: &Site,
        path: &str,
        what: &str,
        om: &'a Map<String, Value>,
        nm: &'a Map<String, Value>,
        depth: usize,
    ) {
        let location = site.location;
        let (ov, nv) = (
            om.get("additionalProperties"),
            nm.get("additionalProperties"),
        );
        let values = if path.is_empty() {
            "*".to_string()
        } else {
            format!("{path}.*")
        };
        if let (Some(o @ Value::Object(_)), Some(n @ Value::Object(_))) = (ov, nv) {
            self.schema(site, &values, o, n, depth + 1);
            return;
        }
        if ov == nv {
            return;
        }
        let closed = |v: Option<&Value>| v == Some(&Value::Bool(false));
        if ov.is_some_and(Value::is_object) {
            // A schema (even `{}`) makes typify keep the extra keys in a map field of the
            // generated type; `true`, absent or `false` drop it, and code reading it breaks.
            let now = if closed(nv) {
                "no longer allowed"
            } else {
                "no longer kept"
            };
            self.breaking(
                location,
                format!(
                    "{what}: additional properties {now} (`additionalProperties` changed from {} to {}; the generated type loses its map of extra keys)",
                    render(ov),
                    render(nv)
                ),
            );
        } else if closed(nv) {
            let message = format!("{what}: additional properties no longer allowed");
            match site.side {
                Side::Response => self.non_breaking(location, message),
                _ => self.breaking(location, message),
            }
        } else if closed(ov) {
            // typify denies unknown fields of a closed object: a response with more fails to parse.
            let message = format!("{what}: additional properties now allowed");
            match site.side {
                Side::Request => self.non_breaking(location, message),
                _ => self.breaking(
                    location,
                    format!(
                        "{message} (a generated type that denies unknown fields no longer fits)"
                    ),
                ),
            }
        } else {
            // From absent or `true` to a schema: the generated type gains a map of the extra
            // keys (like an optional field), and the schema may restrict their values.
            self.walk(location, what, "/additionalProperties", ov, nv);
            if let Some(n @ Value::Object(_)) = nv {
                self.schema(site, &values, &EMPTY, n, depth + 1);
            }
        }
    }

    // --- path items and components ---

    /// What a path item says besides its operations: summary, description, servers, x-..., and
    /// the parameters of a path that has no operation to carry them.
    fn path_items(&mut self) {
        let empty = Map::new();
        let (old, new) = (self.old, self.new);
        let paths = |doc: &'a Value| doc.get("paths").and_then(Value::as_object);
        let (op, np) = (paths(old), paths(new));
        if let (Some(o), Some(n)) = (old.get("paths"), new.get("paths")) {
            if op.is_none() || np.is_none() {
                self.walk("paths", "", "", Some(o), Some(n));
                return;
            }
        }
        for path in union(keys(op), keys(np)) {
            let location = format!("path {path}");
            let (o_raw, n_raw) = (op.and_then(|m| m.get(path)), np.and_then(|m| m.get(path)));
            let item = |doc: &'a Value, raw: Option<&'a Value>| match raw.map(|r| resolve(doc, r)) {
                Some(Resolved::Found(v)) => v.as_object(),
                _ => None,
            };
            let (o, n) = (item(old, o_raw), item(new, n_raw));
            let has_operations = |m: Option<&Map<String, Value>>| {
                m.is_some_and(|m| METHODS.iter().any(|(method, _)| m.contains_key(*method)))
            };
            if o.is_none() || n.is_none() {
                // Added or removed: the operations say so, unless there are none (or it is no mapping).
                if o_raw != n_raw && !has_operations(o) && !has_operations(n) {
                    self.walk(&location, "", "", o_raw, n_raw);
                }
                continue;
            }
            if let (Some(o_raw), Some(n_raw)) = (o_raw, n_raw) {
                self.ref_note(&location, "", o_raw, n_raw);
            }
            let (o, n) = (o.unwrap_or(&empty), n.unwrap_or(&empty));
            let carried = has_operations(Some(o)) || has_operations(Some(n));
            for key in union(o.keys(), n.keys()) {
                let is_method = METHODS.iter().any(|(method, _)| *method == key);
                if is_method || (key == "parameters" && carried) {
                    continue;
                }
                let pointer = format!("/{}", escape_token(key));
                self.walk(&location, "", &pointer, o.get(key), n.get(key));
            }
        }
    }

    fn components(&mut self) {
        let (old, new) = (self.old.get("components"), self.new.get("components"));
        let (o, n) = (
            old.and_then(Value::as_object),
            new.and_then(Value::as_object),
        );
        if (old.is_some() && o.is_none()) || (new.is_some() && n.is_none()) {
            self.walk("components", "", "", old, new);
            return;
        }
        for section in union(keys(o), keys(n)) {
            let (old_section, new_section) = (
                o.and_then(|m| m.get(section)),
                n.and_then(|m| m.get(section)),
            );
            let (os, ns) = (
                old_section.and_then(Value::as_object),
                new_section.and_then(Value::as_object),
            );
            if (old_section.is_some() && os.is_none()) || (new_section.is_some() && ns.is_none()) {
                self.walk(
                    "components",
                    "",
                    &format!("/{}", escape_token(section)),
                    old_section,
                    new_section,
                );
                continue;
            }
            for name in union(keys(os), keys(ns)) {
                let location = format!("components.{section}.{name}");
                let (ov, nv) = (os.and_then(|m| m.get(name)), ns.and_then(|m| m.get(name)));
                match section {
                    "schemas" => self.component_schema(&location, name, ov, nv),
                    "securitySchemes" => self.security_scheme(&location, name, ov, nv),
                    _ => match (ov, nv) {
                        (Some(_), None) => self.non_breaking(
                            &location,
                            "component removed (the operations that used it are listed on their own)".to_string(),
                        ),
                        (None, Some(_)) => {
                            self.non_breaking(&location, "component added".to_string())
                        }
                        (Some(ov), Some(nv)) => {
                            if !self.was_covered(ov, nv) {
                                self.walk(&location, "", "", Some(ov), Some(nv));
                            }
                        }
                        (None, None) => {}
                    },
                }
            }
        }
    }

    /// Whether an operation led to this pair of component entries, so its differences are
    /// reported there already.
    fn was_covered(&self, old: &'a Value, new: &'a Value) -> bool {
        if ref_of(old) != ref_of(new) {
            return false;
        }
        match (resolve(self.old, old), resolve(self.new, new)) {
            (Resolved::Found(o), Resolved::Found(n)) => self.covered.contains(&(addr(o), addr(n))),
            _ => false,
        }
    }

    fn component_schema(
        &mut self,
        location: &str,
        name: &str,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
    ) {
        match (old, new) {
            (Some(_), None) => self.breaking(
                location,
                format!(
                    "component schema `{name}` removed: the workspace generates a Rust type for every component schema, so code that names it breaks even if no operation uses it"
                ),
            ),
            (None, Some(_)) => self.non_breaking(location, format!("component schema `{name}` added")),
            (Some(o), Some(n)) => {
                if !self.was_covered(o, n) {
                    let site = Site {
                        location,
                        side: Side::Component,
                        root: "schema".to_string(),
                        field: "field".to_string(),
                    };
                    self.schema(&site, "", o, n, 0);
                }
            }
            (None, None) => {}
        }
    }

    fn security_scheme(
        &mut self,
        location: &str,
        name: &str,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
    ) {
        let label = format!("security scheme `{name}`");
        let (old, new) = match (old, new) {
            (Some(_), None) => {
                self.breaking(
                    location,
                    format!("{label} removed (clients can no longer authenticate with it)"),
                );
                return;
            }
            (None, Some(_)) => {
                self.non_breaking(location, format!("{label} added"));
                return;
            }
            (Some(o), Some(n)) => (o, n),
            (None, None) => return,
        };
        self.ref_note(location, &label, old, new);
        let Some((o, n)) = self.resolve_pair(location, &label, old, new) else {
            return;
        };
        let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) else {
            self.walk(location, &label, "", Some(o), Some(n));
            return;
        };
        for key in union(om.keys(), nm.keys()) {
            let (ov, nv) = (om.get(key), nm.get(key));
            if ov == nv {
                continue;
            }
            if key == "description" || key.starts_with("x-") {
                self.walk(location, &label, &format!("/{}", escape_token(key)), ov, nv);
            } else {
                // type, in, name, scheme, bearerFormat, flows, openIdConnectUrl: how credentials travel.
                self.breaking(
                    location,
                    format!(
                        "{label}: `{key}` changed from {} to {} (credentials are presented differently)",
                        render(ov),
                        render(nv)
                    ),
                );
            }
        }
    }
}
