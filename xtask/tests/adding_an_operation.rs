//! An operation costs one document entry: a made-up operation added to a scratch copy of the
//! workspace, then `cargo xtask gen`, gives it a model, a client method with `.stream()`, rustdoc
//! with an example, a CLI subcommand with its flags, a typed mock and a reference-page entry, and
//! no file but the document and generated files changes. (The tests cover it with no edit either:
//! `crates/idtok/tests/every_operation.rs` and `crates/idtok-mock/tests` walk the documents.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A paged EIAM list that no vendor has: every part an operation can have that the generator
/// reads (a tag, a query array, paging by token, a secret-free answer with its example), written
/// as a resource file of the document: its paths and its schemas. Shared parameters and answers
/// are `$ref`s, and the RPC wire is the document's `x-acs-rpc`.
const OPERATION: &str = r##"paths:
  /ListWidgets:
    post:
      operationId: ListWidgets
      x-idempotent: true
      summary: List widgets
      description: Lists the widgets of an instance, page by page.
      tags: [Widget]
      x-paginated:
        inputToken: NextToken
        outputToken: NextToken
        items: Widgets
        pageSize: MaxResults
      parameters:
        - $ref: "#/components/parameters/InstanceId"
        - name: WidgetIds
          in: query
          required: false
          description: The widgets to list.
          schema:
            type: array
            items:
              type: string
          x-acs-style: repeatList
          example:
            - wdg_1
        - $ref: "#/components/parameters/NextToken"
        - $ref: "#/components/parameters/MaxResults"
      responses:
        "200":
          description: A page of widgets.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/ListWidgetsResponse"
              example:
                RequestId: 0441BD79-92F3-53AA-8657-F8CE4A2B912A
                Widgets:
                  - WidgetId: wdg_1
                    WidgetName: first
                NextToken: ""
        "400":
          $ref: "#/components/responses/BadRequest"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "429":
          $ref: "#/components/responses/TooManyRequests"
        "5XX":
          $ref: "#/components/responses/ServerError"
"##;

const SCHEMAS: &str = r##"components:
  schemas:
    ListWidgetsResponse:
      type: object
      description: A page of widgets.
      properties:
        RequestId:
          type: string
          description: The request ID.
          example: 0441BD79-92F3-53AA-8657-F8CE4A2B912A
        Widgets:
          type: array
          description: The widgets of this page.
          items:
            $ref: "#/components/schemas/Widget"
        NextToken:
          type: string
          description: Where the next page starts; empty on the last page.
          example: NTxxxexample
    Widget:
      type: object
      description: A widget.
      properties:
        WidgetId:
          type: string
          description: The widget ID.
          example: wdg_1
        WidgetName:
          type: string
          description: The widget's name.
          example: first
"##;

const TAG: &str =
    "  - name: Widget\n    description: Widgets of an instance (ListWidgets lists the widgets).\n";

/// Every file git tracks in the workspace, copied under `to`; their contents by path.
fn copy_workspace(to: &Path) -> BTreeMap<String, Vec<u8>> {
    let root = xtask::workspace_root();
    let listed = xtask::git(&root, &["ls-files", "-z"]).unwrap();
    let mut contents = BTreeMap::new();
    for path in listed.stdout.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let path = String::from_utf8(path.to_vec()).unwrap();
        let source = root.join(&path);
        // A symlink (the crates' LICENSE) is copied as what it points at.
        let Ok(bytes) = std::fs::read(&source) else {
            continue;
        };
        let target: PathBuf = to.join(&path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, &bytes).unwrap();
        contents.insert(path, bytes);
    }
    contents
}

/// `text` with `insert` put on the line after the first line that is `after`.
fn inserted(text: &str, after: &str, insert: &str) -> String {
    let at = text
        .find(&format!("\n{after}\n"))
        .unwrap_or_else(|| panic!("no line {after:?}"))
        + after.len()
        + 2;
    format!("{}{insert}{}", &text[..at], &text[at..])
}

#[test]
fn a_made_up_operation_costs_one_document_entry() {
    let scratch = tempfile::tempdir().unwrap();
    let before = copy_workspace(scratch.path());
    // One new file for the resource (its operation and schemas), and in the document's root the
    // tag and the overview line that the lint asks of a new tag.
    let resource = "openapi/eiam-2021-12-01/Widget.yaml";
    assert!(!scratch.path().join(resource).exists());
    std::fs::write(
        scratch.path().join(resource),
        format!("{OPERATION}\n{SCHEMAS}"),
    )
    .unwrap();
    let document = "openapi/eiam-2021-12-01/openapi.yaml";
    let path = scratch.path().join(document);
    let text = std::fs::read_to_string(&path).unwrap();
    let text = inserted(&text, "tags:", TAG);
    let text = inserted(&text, "  description: |", "    Widgets: list.\n\n");
    std::fs::write(&path, text).unwrap();

    let (mut out, mut err) = (Vec::new(), Vec::new());
    let written = xtask::commands::gen(scratch.path(), false, &mut out, &mut err).unwrap();
    assert!(
        written,
        "{}{}",
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&err)
    );

    // Only the document's root and generated files changed (and the resource file is new).
    let read = |path: &str| std::fs::read_to_string(scratch.path().join(path)).unwrap();
    let mut changed = Vec::new();
    for (path, bytes) in &before {
        if std::fs::read(scratch.path().join(path)).unwrap() != *bytes {
            changed.push(path.clone());
        }
    }
    for path in &changed {
        let generated = read(path).starts_with("// Generated by `cargo xtask gen`");
        // README.md's table of operations is written by gen too, between its markers.
        assert!(
            path == document || generated || path == xtask::gen::readme::README_FILE,
            "{path} changed and is not generated"
        );
    }
    assert!(
        read(xtask::gen::readme::README_FILE)
            .contains("| `eiam` | Widget | `ListWidgets` (paged) |"),
        "the README's table does not list the new operation"
    );

    let models = read("crates/idtok-eiam-models/src/generated.rs");
    assert!(models.contains("pub struct ListWidgetsResponse"));
    assert!(models.contains("pub struct Widget "));
    let client = read("crates/idtok-client/src/eiam/generated.rs");
    assert!(
        client.contains("pub fn list_widgets(&self)"),
        "no client method"
    );
    assert!(
        client.contains("impl<'a> builder::ListWidgets<'a>"),
        "no builder"
    );
    assert!(
        client.contains("crate::paging::by_token(\n            (\"ListWidgets\", \"NextToken\")"),
        "no .stream()"
    );
    assert!(
        client.contains("///     .list_widgets()"),
        "no rustdoc example"
    );
    assert!(
        client.contains("Sent as `POST /` with `x-acs-action: ListWidgets`"),
        "no wire sentence"
    );
    assert!(
        client.contains("operation_id: \"list_widgets\""),
        "not in the RPC table"
    );
    let cli = read("crates/idtok/src/generated/eiam.rs");
    assert!(cli.contains("CliCommand::ListWidgets"), "no subcommand");
    assert!(cli.contains("::clap::Arg::new(\"instance-id\")"));
    assert!(
        cli.contains("operation: \"ListWidgets\""),
        "no --all or table"
    );
    assert!(
        cli.contains("flag: \"widget-ids\""),
        "no flag for the query array"
    );
    let mock = read("crates/idtok-mock/src/generated/eiam.rs");
    assert!(mock.contains("fn list_widgets"), "no typed mock");
    assert!(mock.contains(".header(\"x-acs-action\", \"ListWidgets\")"));

    let bundle =
        xtask::publish::bundle(scratch.path(), xtask::families::FAMILIES[0], "0000000").unwrap();
    let page =
        xtask::publish::reference_html::family_page(&xtask::publish::reference_html::FamilyPage {
            bundle: &bundle.document,
            json_file: &bundle.json_file,
            yaml_file: &bundle.yaml_file,
            wire: &bundle.wire,
        });
    assert!(
        page.contains("<code>ListWidgets</code>"),
        "no reference entry"
    );
}
