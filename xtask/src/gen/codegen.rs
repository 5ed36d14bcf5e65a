//! `cargo xtask gen`: every generated file, computed in memory, then written or checked.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use crate::document::{Document, Problem};
use crate::families::{Family, FAMILIES};
use crate::gen::{cache, client, models, readme, regions, rustfmt};
use crate::lint;

/// A file that `cargo xtask gen` owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the workspace root, with `/` separators.
    pub path: String,
    pub contents: String,
}

/// Every generated file of the workspace, or every problem that stopped generation. Nothing is
/// written here, so a failure leaves the files on disk as they were.
pub fn generate_all(root: &Path) -> Result<Vec<GeneratedFile>, Vec<Problem>> {
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = FAMILIES
            .iter()
            .map(|&family| scope.spawn(move || generate_family(root, family)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("generation threads catch their panics"))
            .collect()
    });
    let mut outputs = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(output) => outputs.push(output),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut files: Vec<GeneratedFile> = outputs
        .iter()
        .flat_map(|output| output.files.iter())
        .map(|(path, contents)| GeneratedFile {
            path: path.clone(),
            contents: contents.clone(),
        })
        .collect();
    files.push(model_type_names(&outputs));
    for file in module_lists() {
        // Written as text; formatted as every generated file is, so `cargo fmt --check` passes.
        let contents = rustfmt::rustfmt(root, &file.contents).map_err(|e| {
            vec![Problem {
                document: file.path.clone(),
                line: None,
                pointer: String::new(),
                message: e,
            }]
        })?;
        files.push(GeneratedFile { contents, ..file });
    }
    let services: Vec<regions::Service> = outputs.iter().map(|o| o.service.clone()).collect();
    files.push(regions::services_file_of(root, &services)?);
    let resources: Vec<(Family, Vec<readme::Resource>)> = FAMILIES
        .iter()
        .zip(&outputs)
        .map(|(family, output)| (*family, output.resources.clone()))
        .collect();
    // A scratch workspace of documents alone has no README to keep.
    if root.join(readme::README_FILE).exists() {
        files.push(readme::readme_file(root, &resources).map_err(|p| vec![p])?);
    }
    Ok(files)
}

/// What `cargo xtask gen` takes from one family's document: its own files, and its part of the
/// files that list every family (model type names, the region table, the README's table), so that
/// a warm run reads all of it from the cache and parses no document.
#[derive(Debug, Clone)]
pub struct FamilyOutput {
    /// (path, contents) of each of the family's generated files.
    pub files: Vec<(String, String)>,
    /// Its component schemas, as the model crate's types.
    pub model_types: Vec<String>,
    pub service: regions::Service,
    pub resources: Vec<readme::Resource>,
}

/// The cache entry of a family: one line of JSON with all but the files' contents, then the
/// contents one after the other, as they are. (As JSON strings, escaping megabytes of code took
/// longer than any generator but three.)
#[derive(serde::Serialize, serde::Deserialize)]
struct CachedFamily {
    /// (path, length in bytes) of each file, in order.
    files: Vec<(String, usize)>,
    model_types: Vec<String>,
    service: regions::Service,
    resources: Vec<readme::Resource>,
}

impl FamilyOutput {
    fn to_cache(&self) -> Option<String> {
        let head = CachedFamily {
            files: self
                .files
                .iter()
                .map(|(path, contents)| (path.clone(), contents.len()))
                .collect(),
            model_types: self.model_types.clone(),
            service: self.service.clone(),
            resources: self.resources.clone(),
        };
        let mut text = serde_json::to_string(&head).ok()?;
        text.push('\n');
        for (_, contents) in &self.files {
            text.push_str(contents);
        }
        Some(text)
    }

    /// None when `text` is not what [`FamilyOutput::to_cache`] writes.
    fn from_cache(text: &str) -> Option<Self> {
        let (head, mut rest) = text.split_once('\n')?;
        let head: CachedFamily = serde_json::from_str(head).ok()?;
        let mut files = Vec::with_capacity(head.files.len());
        for (path, length) in head.files {
            let contents = rest.get(..length)?;
            rest = &rest[length..];
            files.push((path, contents.to_owned()));
        }
        rest.is_empty().then_some(Self {
            files,
            model_types: head.model_types,
            service: head.service,
            resources: head.resources,
        })
    }
}

/// Where the generated-code tests find every model type by name (they need the Rust types, which
/// a test cannot list at run time): one line per family, from the documents' components.
pub const MODEL_TYPE_NAMES_FILE: &str = "xtask/tests/generated_code/model_type_names.rs";

fn model_type_names(outputs: &[FamilyOutput]) -> GeneratedFile {
    let mut contents = String::from(
        "// Generated by `cargo xtask gen` from openapi/. Do not edit by hand: change the documents (or xtask/) and run `cargo xtask gen`.\n\n// Every component schema of every document, as the model crates' types.\nmodel_types! {\n",
    );
    for (family, output) in FAMILIES.iter().zip(outputs) {
        contents.push_str(&format!(
            "    {:?} => {} {{ {} }}\n",
            family.name,
            family.models_crate,
            output.model_types.join(", ")
        ));
    }
    contents.push_str("}\n");
    GeneratedFile {
        path: MODEL_TYPE_NAMES_FILE.to_owned(),
        contents,
    }
}

/// The module that declares every family's generated mocks (`idtok_mock::<family>`).
pub const MOCK_MODULES_FILE: &str = "crates/idtok-mock/src/generated/mod.rs";
/// The module that declares every family's generated `idtok` subcommands.
pub const CLI_MODULES_FILE: &str = "crates/idtok/src/generated/mod.rs";

/// The files that list the families' generated modules, so that a family in [`FAMILIES`] needs
/// no hand-written `mod` line in the mock crate or in `idtok`.
pub fn module_lists() -> [GeneratedFile; 2] {
    const HEADER: &str = "// Generated by `cargo xtask gen` from xtask/src/families.rs. Do not edit by hand: add a family there and run `cargo xtask gen`.\n\n";
    // Generated code is not written for clippy or rustdoc; the tests check it instead.
    const ALLOW: &str = "#![allow(\n    clippy::all,\n    clippy::pedantic,\n    rustdoc::all,\n    unused_imports,\n    unused_variables,\n    dead_code,\n    deprecated\n)]\n";
    let mut mocks =
        format!("{HEADER}//! The typed mocks of each family, one module per document.\n{ALLOW}");
    let mut cli = format!(
        "{HEADER}//! progenitor's command-line code for each family: one subcommand per operation, one flag per\n//! parameter, help from the document; and the list of families. `family.rs` runs them.\n{ALLOW}"
    );
    let (mut commands, mut documents, mut runs) = (Vec::new(), Vec::new(), Vec::new());
    for family in FAMILIES {
        commands.push(format!(
            "        crate::family::command::<{}::Family>(only),\n",
            family.name
        ));
        documents.push(format!(
            "        (<{0}::Family as crate::family::Generated>::NAME, <{0}::Family as crate::family::Generated>::DOCUMENT),\n",
            family.name
        ));
        runs.push(format!(
            "        <{0}::Family as crate::family::Generated>::NAME => crate::family::run::<{0}::Family>(matches).await,\n",
            family.name
        ));
        // Each family's mocks are behind the cargo feature of its name (idtok-mock/Cargo.toml),
        // as its client is in idtok-client. The family modules are prettyplease's text, which
        // rustfmt is not asked to redo (`rustfmt::unparse_file`): hence `#[rustfmt::skip]`.
        mocks.push_str(&format!(
            "\n/// Mocks of the operations of the family `{}` (its document is in openapi/).\n#[cfg(feature = \"{}\")]\n#[rustfmt::skip]\npub mod {};\n",
            family.name,
            family.name.replace('_', "-"),
            family.name
        ));
        cli.push_str(&format!(
            "\n/// The subcommands of the family `{}` (its document is in openapi/).\n#[rustfmt::skip]\npub mod {};\n",
            family.name, family.name
        ));
    }
    cli.push_str(&format!(
        "\n/// Every family's subcommand; with `only` (a family and an operation), only that operation in full.\npub fn commands(only: Option<(&str, &str)>) -> Vec<clap::Command> {{\n    vec![\n{}    ]\n}}\n\n/// Each family's name and document, for `--version`.\npub fn documents() -> Vec<(&'static str, crate::output::DocumentInfo)> {{\n    vec![\n{}    ]\n}}\n\n/// Runs the operation that `matches` names, of the family `family`.\npub async fn run(family: &str, matches: &clap::ArgMatches) -> Result<(), crate::failure::Failure> {{\n    match family {{\n{}        other => Err(crate::failure::Failure::usage(format!(\"unknown family {{other}}\"))),\n    }}\n}}\n",
        commands.concat(),
        documents.concat(),
        runs.concat()
    ));
    [
        GeneratedFile {
            path: MOCK_MODULES_FILE.to_owned(),
            contents: mocks,
        },
        GeneratedFile {
            path: CLI_MODULES_FILE.to_owned(),
            contents: cli,
        },
    ]
}

/// The family's generated files, from the cache under `target/` when this generator has already
/// generated them from this very document (a warm `cargo xtask gen` on unchanged documents then
/// generates nothing), else linted and generated, and remembered.
fn generate_family(root: &Path, family: Family) -> Result<FamilyOutput, Vec<Problem>> {
    let source = Document::read(root, family).map_err(|p| vec![p])?;
    // The SDK's operation list is linted with the document, so it is part of the key.
    let sdk_operations = lint::sdk_coverage::read_list(root, family).map_err(|p| vec![p])?;
    let entry = cache::entry(root, family.name, &(&source, &sdk_operations), "family");
    if let Some(output) =
        cache::read(entry.as_deref()).and_then(|text| FamilyOutput::from_cache(&text))
    {
        return Ok(output);
    }
    let output = generate_family_from(root, family, &source, sdk_operations.as_deref())?;
    if let Some(text) = output.to_cache() {
        cache::write(entry.as_deref(), &text);
    }
    Ok(output)
}

fn generate_family_from(
    root: &Path,
    family: Family,
    source: &crate::document::Sources,
    sdk_operations: Option<&str>,
) -> Result<FamilyOutput, Vec<Problem>> {
    let document = Document::parse_sources(family, source).map_err(|p| vec![p])?;
    let model_types = models::component_schemas(&document)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let resources = readme::resources(&document);
    let header = format!(
        "// Generated by `cargo xtask gen` from {}. Do not edit by hand: change the document (or xtask/) and run `cargo xtask gen`.",
        document.written_in()
    );
    // After an edit of one document its family alone is generated again, and that is the wait a
    // user sees, so its work is spread over the cores: the lint beside the generators (whose
    // output is thrown away if the lint finds problems), and each generated file a task of its
    // own. The models come from the cache when typify's input is one it has seen (an edit of an
    // operation's text leaves it as it was).
    let (document, header) = (&document, header.as_str());
    // Each file is made and unparsed by one task (token streams cannot cross threads; text can).
    type Task<'a> = Box<dyn FnOnce() -> Result<GeneratedFile, Vec<Problem>> + Send + 'a>;
    let models: Task = Box::new(move || {
        let input = models::input(document);
        let entry = cache::entry(root, &format!("{}-models", family.name), &input, "rs");
        if let Some(contents) = cache::read(entry.as_deref()) {
            return Ok(GeneratedFile {
                path: family.models_file(),
                contents,
            });
        }
        let mut models = guard(document, "typify", || models::generate(document))?;
        let file = GeneratedFile {
            path: family.models_file(),
            contents: rustfmt::unparse_file(header, &mut models),
        };
        cache::write(entry.as_deref(), &file.contents);
        Ok(file)
    });
    let progenitor =
        |generate: fn(&Document) -> Result<syn::File, Problem>, path: String| -> Task {
            Box::new(move || {
                let mut file = guard(document, "progenitor", || generate(document))?;
                let contents = rustfmt::unparse_file(header, &mut file);
                Ok(GeneratedFile { path, contents })
            })
        };
    // The longest first, so that the last one to start is short.
    let tasks = vec![
        models,
        progenitor(client::client, family.client_file()),
        progenitor(client::cli, family.cli_file()),
        progenitor(client::mock, family.mock_file()),
    ];
    let files = std::thread::scope(|scope| {
        let lint = scope.spawn(move || lint::check_with_sdk(document, sdk_operations));
        let files = crate::parallel::on_every_core(tasks);
        let problems = lint.join().expect("the lint does not panic");
        if !problems.is_empty() {
            return Err(problems);
        }
        files.into_iter().collect::<Result<Vec<_>, _>>()
    })?;
    let service = regions::service(document).map_err(|p| vec![p])?;
    Ok(FamilyOutput {
        files: files.into_iter().map(|f| (f.path, f.contents)).collect(),
        model_types,
        service,
        resources,
    })
}

/// Runs a generator, turning its panics (it has some, on input it does not support) into problems.
fn guard<T>(
    document: &Document,
    generator: &str,
    run: impl FnOnce() -> Result<T, Problem>,
) -> Result<T, Vec<Problem>> {
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(problem)) => Err(vec![problem]),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            Err(vec![document.problem(
                "",
                format!("{generator} cannot generate code for this document: {message}"),
            )])
        }
    }
}

/// Files whose contents on disk differ from `files` (missing ones included).
pub fn stale<'a>(root: &Path, files: &'a [GeneratedFile]) -> Vec<&'a GeneratedFile> {
    files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(root.join(&f.path)).ok().as_deref() != Some(f.contents.as_str())
        })
        .collect()
}

/// Writes the files under `root` that changed, and only those (so an unchanged tree is not
/// rebuilt, and a published file keeps its bytes and checksum).
pub fn write_changed(root: &Path, files: &[GeneratedFile]) -> std::io::Result<Vec<String>> {
    let mut written = Vec::new();
    for f in stale(root, files) {
        let path = root.join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Write beside, then rename: an interrupted run never leaves half a file.
        let mut temporary = path.clone().into_os_string();
        temporary.push(".tmp");
        let temporary = std::path::PathBuf::from(temporary);
        std::fs::write(&temporary, &f.contents)?;
        std::fs::rename(&temporary, &path)?;
        written.push(f.path.clone());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::FamilyOutput;

    fn output() -> FamilyOutput {
        FamilyOutput {
            files: vec![
                ("a.rs".into(), "fn a() {}\n// \"quoted\" ünïcode\n".into()),
                ("empty.rs".into(), String::new()),
                ("u.rs".into(), "ü".into()),
                ("b.rs".into(), "\n{\"not\": \"a header\"}\n".into()),
            ],
            model_types: vec!["Token".into()],
            service: serde_json::from_value(serde_json::json!({
                "variant": "Eiam", "document": "openapi/eiam/", "title": "EIAM",
                "version": "2021-12-01", "url": "https://eiam.{regionId}.aliyuncs.com",
                "host": "eiam.{region}.aliyuncs.com", "regions": ["cn-hangzhou"], "fixed": []
            }))
            .unwrap(),
            resources: Vec::new(),
        }
    }

    #[test]
    fn a_cached_family_reads_back_as_it_was() {
        let written = output();
        let read = FamilyOutput::from_cache(&written.to_cache().unwrap()).unwrap();
        assert_eq!(read.files, written.files);
        assert_eq!(read.model_types, written.model_types);
        assert_eq!(read.service, written.service);
    }

    #[test]
    fn a_cut_or_lengthened_entry_is_not_read() {
        let text = output().to_cache().unwrap();
        assert!(FamilyOutput::from_cache(&text[..text.len() - 1]).is_none());
        assert!(FamilyOutput::from_cache(&format!("{text}x")).is_none());
        // A length that ends inside a character.
        let cut = text.replace("[\"u.rs\",2]", "[\"u.rs\",1]");
        assert_ne!(cut, text);
        assert!(FamilyOutput::from_cache(&cut).is_none());
    }
}
