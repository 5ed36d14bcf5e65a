//! `cargo xtask lint` catches each kind of defect, at the right place: every case seeds one defect
//! into a copy of a real document and checks the problem's JSON pointer, its sentence, and that
//! the line it names is the line with the defect.

use xtask::document::{Document, Part, Problem};
use xtask::families::{Family, FAMILIES};

fn family(name: &str) -> Family {
    FAMILIES.into_iter().find(|f| f.name == name).unwrap()
}

/// The document's files as written (its parts, or its single file).
fn source(family: &Family) -> Vec<Part> {
    Document::read(&xtask::workspace_root(), *family).unwrap()
}

fn lint(family: Family, parts: &[Part]) -> Vec<Problem> {
    match Document::parse_sources(family, parts) {
        Ok(document) => xtask::lint::check(&document),
        Err(problem) => vec![problem],
    }
}

struct Defect {
    what: &'static str,
    family: &'static str,
    /// Replaces the first occurrence of `.0` by `.1`.
    edit: (&'static str, &'static str),
    pointer: &'static str,
    sentence: &'static str,
    /// Text on the line the problem must name.
    on_line: &'static str,
}

const DEFECTS: &[Defect] = &[
    Defect {
        what: "dangling $ref",
        family: "eiam",
        edit: ("$ref: \"#/components/schemas/ApplicationToken\"", "$ref: \"#/components/schemas/Nope\""),
        pointer: "/components/schemas/ListApplicationTokensResponse/properties/ApplicationTokens/items/$ref",
        sentence: "points at nothing",
        on_line: "#/components/schemas/Nope",
    },
    Defect {
        what: "duplicate YAML key",
        family: "eiam",
        edit: ("      summary: List application tokens\n", "      summary: List application tokens\n      summary: Again\n"),
        pointer: "/paths/~1ListApplicationTokens/post/summary",
        sentence: "is given twice in one mapping",
        on_line: "summary: Again",
    },
    Defect {
        what: "an example that does not fit its schema",
        family: "eiam",
        edit: ("          example: 1747796654000\n", "          example: soon\n"),
        pointer: "/components/schemas/ApplicationToken/properties/ExpirationTime/example",
        sentence: "the example does not fit its schema",
        on_line: "example: soon",
    },
    Defect {
        what: "a response example that does not fit its schema",
        family: "identitystore",
        edit: ("                  - creation_time: 1754277891140\n", "                  - creation_time: yesterday\n"),
        pointer: "/paths/~1v1~1identity-stores~1{identity_store_id}~1tenant~1{tenant_id}~1bearer-token/get/responses/200/content/application~1json/example/bearer_tokens/0/creation_time",
        sentence: "the example does not fit its schema",
        on_line: "creation_time: yesterday",
    },
    Defect {
        what: "duplicate operationId",
        family: "eiam",
        edit: ("      operationId: ObtainApplicationToken\n", "      operationId: ListApplicationTokens\n"),
        pointer: "/paths/~1ObtainApplicationToken/post/operationId",
        sentence: "operationId ListApplicationTokens is used twice",
        on_line: "operationId: ListApplicationTokens",
    },
    Defect {
        what: "inline response body schema",
        family: "identitystore",
        edit: ("                $ref: \"#/components/schemas/ListBearerTokensResponse\"\n", "                type: object\n"),
        pointer: "/paths/~1v1~1identity-stores~1{identity_store_id}~1tenant~1{tenant_id}~1bearer-token/get/responses/200/content/application~1json/schema",
        sentence: "must be a $ref",
        on_line: "schema:",
    },
    Defect {
        what: "two error schemas in one operation",
        family: "eiam_developerapi",
        edit: ("        \"403\":\n          $ref: \"#/components/responses/Forbidden\"\n", "        \"403\":\n          description: Forbidden.\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/AuthenticationToken\"\n"),
        pointer: "/paths/~1v2~1{instanceId}~1authenticationTokens~1_~1actions~1generateJwt/post/responses",
        sentence: "the error responses use 2 different schemas",
        on_line: "responses:",
    },
    Defect {
        what: "a secret property not marked",
        family: "eiam",
        edit: ("        ClientSecret:\n          type: string\n          format: password\n", "        ClientSecret:\n          type: string\n"),
        pointer: "/components/schemas/CreatedApplicationClientSecret/properties/ClientSecret",
        sentence: "ClientSecret holds a secret: mark it `format: password`",
        on_line: "ClientSecret:",
    },
    Defect {
        what: "a secret header parameter not marked",
        family: "identitystore",
        edit: ("      schema:\n        type: string\n        format: password\n", "      schema:\n        type: string\n"),
        // A shared parameter: reported once, where it is written.
        pointer: "/components/parameters/SecurityToken/schema",
        sentence: "parameter X-Security-Token holds a secret",
        on_line: "schema:",
    },
    Defect {
        what: "a field OpenAPI 3.0 does not allow",
        family: "eiam",
        edit: ("  - name: ApplicationToken\n", "  - name: ApplicationToken\n    colour: red\n"),
        pointer: "/tags/0",
        sentence: "not valid OpenAPI 3.0",
        on_line: "- name: ApplicationToken",
    },
    Defect {
        what: "an optional path parameter",
        family: "eiam_developerapi",
        // The shared instanceId of every operation: reported once, where it is written.
        edit: ("      in: path\n      required: true\n", "      in: path\n      required: false\n"),
        pointer: "/components/parameters/InstanceId",
        sentence: "a path parameter must be `required: true`",
        on_line: "InstanceId:",
    },
    Defect {
        what: "an RPC action that does not match its operation",
        family: "eiam",
        // The operation states only the fact that differs from the document's `x-acs-rpc`.
        edit: ("      operationId: ListApplicationTokens\n", "      operationId: ListApplicationTokens\n      x-acs-rpc:\n        action: ListApplicationToken\n"),
        pointer: "/paths/~1ListApplicationTokens/post/x-acs-rpc/action",
        sentence: "must equal the operationId ListApplicationTokens",
        on_line: "action: ListApplicationToken",
    },
    Defect {
        what: "a family-wide RPC version that is not the document's",
        family: "sts",
        edit: ("x-acs-rpc:\n  version: \"2015-04-01\"\n", "x-acs-rpc:\n  version: \"2015-04-02\"\n"),
        pointer: "/x-acs-rpc/version",
        sentence: "x-acs-rpc.version must be \"2015-04-01\"",
        on_line: "version: \"2015-04-02\"",
    },
    Defect {
        what: "two properties that are one Rust field",
        family: "eiam",
        edit: ("        HostId:\n", "        hostId:\n          type: string\n        HostId:\n"),
        pointer: "/components/schemas/ErrorResponse/properties/hostId",
        sentence: "properties \"HostId\" and \"hostId\" would both be the Rust field `host_id`",
        on_line: "hostId:",
    },
    Defect {
        what: "a secret in the query string, which proxies and access logs record",
        family: "eiam_developerapi",
        edit: ("          description: ID of the authentication token consumer.\n          schema:\n            type: string\n", "          description: ID of the authentication token consumer.\n          schema:\n            type: string\n            format: password\n"),
        pointer: "/paths/~1v2~1{instanceId}~1authenticationTokens/get/parameters/3",
        sentence: "a secret must not travel in the URL",
        on_line: "- name: consumerId",
    },
    Defect {
        what: "a description that talks about how the document is modelled",
        family: "eiam_developerapi",
        edit: ("        Generates a JSON Web Token (JWT) authentication token.\n", "        Generates a JSON Web Token (JWT) authentication token, as OpenAPI allows.\n"),
        pointer: "/paths/~1v2~1{instanceId}~1authenticationTokens~1_~1actions~1generateJwt/post/description",
        sentence: "a description is for callers: move where-it-came-from remarks to x-modelling-note (\"OpenAPI\" marks how the document models the API)",
        on_line: "as OpenAPI allows",
    },
    Defect {
        what: "a remark about where a fact came from, on the third line of a description",
        family: "eiam",
        edit: ("            The application token type. `bearer_token` is the only type known.\n", "            The application token type.\n            `bearer_token` is the only type known:\n            the vendor's SDK 3.0.1 sends no other.\n"),
        pointer: "/paths/~1CreateApplicationToken/post/parameters/2/description",
        sentence: "a description is for callers: move where-it-came-from remarks to x-modelling-note (\"vendor\" marks what the vendor's pages or sources say)",
        on_line: "the vendor's SDK 3.0.1",
    },
    Defect {
        what: "an SDK version in a description",
        family: "eiam",
        edit: ("            The application token type. `bearer_token` is the only type known.\n", "            The application token type.\n            `bearer_token` is the only type known:\n            the vendor's SDK 3.0.1 sends no other.\n"),
        pointer: "/paths/~1CreateApplicationToken/post/parameters/2/description",
        sentence: "(\"#.#.#\" marks a version of a source (an SDK's))",
        on_line: "SDK 3.0.1",
    },
    Defect {
        what: "a made-up example owned up to in a summary, which --help shows",
        family: "eiam",
        edit: ("      summary: List application tokens\n", "      summary: List application tokens (the example is illustrative)\n"),
        pointer: "/paths/~1ListApplicationTokens/post/summary",
        sentence: "a summary is for callers: move where-it-came-from remarks to x-modelling-note (\"illustrative\"",
        on_line: "summary: List application tokens (the example",
    },
    Defect {
        what: "a wire paragraph, which the extensions say",
        family: "sts",
        edit: ("        RAM authorization: action `sts:AssumeRole` on the role.\n", "        Wire: `POST /` with the parameters in the query string.\n\n        RAM authorization: action `sts:AssumeRole` on the role.\n"),
        pointer: "/paths/~1AssumeRole/post/description",
        sentence: "(\"Wire:\" marks what is sent, which the extensions say)",
        on_line: "Wire: `POST /`",
    },
    Defect {
        what: "a modelling note that is not text",
        family: "eiam_developerapi",
        // The note's text stays, under another extension, so that the edit does not depend on it.
        edit: ("      x-modelling-note: |\n        OpenAPI 3.0 expresses the `Authorization` header", "      x-modelling-note: [1]\n      x-former-note: |\n        OpenAPI 3.0 expresses the `Authorization` header"),
        pointer: "/paths/~1v2~1{instanceId}~1authenticationTokens~1_~1actions~1generateJwt/post/x-modelling-note",
        sentence: "x-modelling-note must be a string",
        on_line: "x-modelling-note: [1]",
    },
    Defect {
        what: "a tag whose description no longer names what its operations act on",
        family: "eiam",
        edit: (
            "    description: |\n      EIAM instances: create, list (also the EIAM instances of both versions, 2.0 and 1.0), get, update\n      the instance description, check an instance for delete, delete, execute an instance failover to the\n      cross-region replica; get the instance module info and check the instance module status (the\n      modules of its license); get and set the instance control configuration and the instance\n      globalization config (language, time zone); get an instance quota and a service quota.\n",
            "    description: \"EIAM regions.\"\n",
        ),
        pointer: "/tags/7/description",
        sentence: "the description of tag Instance does not name the resource of ListInstances, \"instance\"",
        on_line: "EIAM regions.",
    },
    Defect {
        what: "an operation filed under a tag the document does not declare",
        family: "eiam",
        edit: ("      tags: [ApplicationToken]\n", "      tags: [ApplicationTokens]\n"),
        pointer: "/paths/~1CreateApplicationToken/post/tags/0",
        sentence: "tag ApplicationTokens is not among the document's tags",
        on_line: "tags: [ApplicationTokens]",
    },
    Defect {
        what: "an overview that leaves out part of the API",
        family: "eiam",
        edit: ("    - domain proxy tokens of an instance's domain names: create, list, obtain, enable, disable, delete;\n", ""),
        pointer: "/info/description",
        sentence: "info.description does not name tag DomainProxyToken (/tags/5)",
        on_line: "  description: |",
    },
    Defect {
        what: "a value list on an answer, which would fail on a value the vendor adds later",
        family: "eiam",
        edit: ("        ExpirationTime:\n          type: integer\n          x-unix-time: milliseconds\n", "        ExpirationTime:\n          type: integer\n          minimum: 0\n          x-unix-time: milliseconds\n"),
        pointer: "/components/schemas/ApplicationToken/properties/ExpirationTime/minimum",
        sentence: "answers stay open: minimum would make an answer that the vendor changes later fail to decode",
        on_line: "minimum: 0",
    },
    Defect {
        what: "valid values listed in prose but not in the schema",
        family: "eiam",
        edit: ("            type: string\n            enum: [creating, running]\n", "            type: string\n"),
        pointer: "/paths/~1ListInstances/post/parameters/3/description",
        sentence: "the description lists the valid values of a request value: put them in its enum too",
        on_line: "description:",
    },
    Defect {
        what: "a length limit on a number",
        family: "sts",
        edit: ("            minimum: 900\n", "            maxLength: 900\n"),
        pointer: "/paths/~1AssumeRole/post/parameters/0/schema/maxLength",
        sentence: "maxLength is a whole number of characters, on a string",
        on_line: "maxLength: 900",
    },
    Defect {
        what: "an example outside its schema's limits",
        family: "eiam",
        edit: ("            maximum: 100\n            format: int32\n          example: 20\n", "            maximum: 100\n            format: int32\n          example: 200\n"),
        pointer: "/paths/~1ListCredentials/post/parameters/2/example",
        sentence: "200 is not within its minimum and maximum",
        on_line: "example: 200",
    },
    Defect {
        what: "x-acs-action-headers that is not a boolean",
        family: "eiam_developerapi",
        edit: ("x-acs-action-headers: true\n", "x-acs-action-headers: yes please\n"),
        pointer: "/x-acs-action-headers",
        sentence: "x-acs-action-headers must be true or false",
        on_line: "x-acs-action-headers: yes please",
    },
    Defect {
        what: "an operation that does not say whether it is safe to repeat",
        family: "identitystore",
        edit: ("      operationId: ListBearerTokens\n      x-idempotent: true\n", "      operationId: ListBearerTokens\n"),
        pointer: "/paths/~1v1~1identity-stores~1{identity_store_id}~1tenant~1{tenant_id}~1bearer-token/get",
        sentence: "every operation says whether it is safe to repeat: x-idempotent",
        on_line: "    get:",
    },
    Defect {
        what: "x-paginated naming items that are not an array of the answer",
        family: "eiam_developerapi",
        edit: ("        items: entities\n", "        items: totalCount\n"),
        pointer: "/paths/~1v2~1{instanceId}~1authenticationTokens/get/x-paginated/items",
        sentence: "x-paginated.items must name a top-level field of the success answer of type array",
        on_line: "items: totalCount",
    },
    Defect {
        what: "an answer with a secret that does not say whether the operation hands it out",
        family: "identitystore",
        edit: ("      operationId: CreateBearerToken\n      x-idempotent: false\n      x-issues-secret: true\n", "      operationId: CreateBearerToken\n      x-idempotent: false\n"),
        pointer: "/paths/~1v1~1identity-stores~1{identity_store_id}~1tenant~1{tenant_id}~1bearer-token/post",
        sentence: "the answer holds a secret: say whether the operation hands it out (x-issues-secret: true",
        on_line: "    post:",
    },
    Defect {
        what: "x-issues-secret on an answer without a secret",
        family: "identitystore",
        edit: ("      operationId: ListBearerTokens\n      x-idempotent: true\n", "      operationId: ListBearerTokens\n      x-idempotent: true\n      x-issues-secret: false\n"),
        pointer: "/paths/~1v1~1identity-stores~1{identity_store_id}~1tenant~1{tenant_id}~1bearer-token/get/x-issues-secret",
        sentence: "x-issues-secret is only for an operation whose success answer holds a secret",
        on_line: "x-issues-secret: false",
    },
    Defect {
        what: "a UNIX timestamp that does not say its unit",
        family: "eiam",
        edit: ("        ExpirationTime:\n          type: integer\n          x-unix-time: milliseconds\n", "        ExpirationTime:\n          type: integer\n"),
        pointer: "/components/schemas/ApplicationToken/properties/ExpirationTime",
        sentence: "a UNIX timestamp says its unit: x-unix-time",
        on_line: "ExpirationTime:",
    },
    Defect {
        what: "a UNIX time in an unknown unit",
        family: "eiam",
        edit: ("          x-unix-time: milliseconds\n", "          x-unix-time: fortnights\n"),
        pointer: "/components/schemas/ApplicationToken/properties/ExpirationTime/x-unix-time",
        sentence: "x-unix-time is one of milliseconds, seconds, unknown",
        on_line: "x-unix-time: fortnights",
    },
    Defect {
        what: "an idempotency token that is not a string in the query",
        family: "eiam",
        // The shared ClientToken: reported once, where it is written.
        edit: ("      x-idempotency-token: true\n      required: true\n", "      x-idempotency-token: yes\n      required: true\n"),
        pointer: "/components/parameters/ClientToken/x-idempotency-token",
        sentence: "x-idempotency-token is true where it is said at all",
        on_line: "x-idempotency-token: yes",
    },
    Defect {
        what: "an RPC operation's body that is not a form",
        family: "eiam",
        edit: ("          application/x-www-form-urlencoded:\n            schema:\n              $ref: '#/components/schemas/ClientTokenForm'\n", "          application/json:\n            schema:\n              $ref: '#/components/schemas/ClientTokenForm'\n"),
        pointer: "/paths/~1CreateAuthorizationRule/post/requestBody",
        sentence: "an RPC operation's request body is one application/x-www-form-urlencoded form",
        on_line: "requestBody:",
    },
];

#[test]
fn the_real_documents_have_no_problems() {
    for family in FAMILIES {
        let problems = lint(family, &source(&family));
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

#[test]
fn each_seeded_defect_is_caught_where_it_is() {
    assert!(DEFECTS.len() >= 10);
    for defect in DEFECTS {
        let family = family(defect.family);
        let mut parts = source(&family);
        // The defect goes in the first file of the document that has the text to edit.
        let edited = parts
            .iter()
            .position(|p| p.source.contains(defect.edit.0))
            .unwrap_or_else(|| {
                panic!(
                    "{}: the text to edit is not in {}",
                    defect.what, family.document
                )
            });
        let broken = parts[edited]
            .source
            .replacen(defect.edit.0, defect.edit.1, 1);
        parts[edited].source = broken.clone();
        let file = parts[edited].path.clone();
        let problems = lint(family, &parts);
        let found = problems
            .iter()
            .find(|p| p.pointer == defect.pointer && p.message.contains(defect.sentence))
            .unwrap_or_else(|| {
                panic!(
                    "{}: no problem at {} saying {:?}; found {problems:#?}",
                    defect.what, defect.pointer, defect.sentence
                )
            });
        assert_eq!(found.document, file);
        let (line, column) = found
            .line
            .unwrap_or_else(|| panic!("{}: no line", defect.what));
        let text = broken.lines().nth(line - 1).unwrap_or_default();
        assert!(
            text.contains(defect.on_line),
            "{}: line {line} is {text:?}, expected it to contain {:?}",
            defect.what,
            defect.on_line
        );
        assert!(
            column >= 1 && column <= text.len() + 1,
            "{}: column {column} on {text:?}",
            defect.what
        );
        // The printed form: file:line:column: pointer: sentence.
        assert!(found
            .to_string()
            .starts_with(&format!("{}:{line}:{column}: {}: ", file, defect.pointer)));
    }
}

/// The SDK's operations the document lacks, as `cargo xtask lint` reports them.
fn sdk_gaps(family: Family, parts: &[Part]) -> Vec<Problem> {
    let list = xtask::lint::sdk_coverage::read_list(&xtask::workspace_root(), family)
        .unwrap()
        .unwrap_or_else(|| panic!("{} has no list of its SDK's operations", family.document));
    let document = Document::parse_sources(family, parts).unwrap();
    xtask::lint::sdk_coverage::check(&document, &list)
}

#[test]
fn every_document_has_every_operation_of_its_official_sdk() {
    for family in FAMILIES {
        let gaps = sdk_gaps(family, &source(&family));
        let names: Vec<&str> = gaps.iter().map(|p| p.message.as_str()).collect();
        assert!(names.is_empty(), "{}: {names:#?}", family.document);
    }
}

#[test]
fn an_sdk_operation_the_document_lacks_is_named_at_its_line_of_the_list() {
    let family = family("eiam");
    let mut parts = source(&family);
    // Remove ListApplicationTokens' operationId, as if the operation had never been written.
    let part = parts
        .iter_mut()
        .find(|p| p.source.contains("operationId: ListApplicationTokens\n"))
        .unwrap();
    part.source = part.source.replacen(
        "operationId: ListApplicationTokens\n",
        "operationId: ListApplicationTokensRenamed\n",
        1,
    );
    let gaps = sdk_gaps(family, &parts);
    assert_eq!(gaps.len(), 1, "{gaps:#?}");
    let list = xtask::lint::sdk_coverage::list_path(family);
    let text = std::fs::read_to_string(xtask::workspace_root().join(&list)).unwrap();
    let (line, _) = gaps[0].line.unwrap();
    assert_eq!(text.lines().nth(line - 1), Some("ListApplicationTokens"));
    assert_eq!(
        gaps[0].to_string(),
        format!(
            "{list}:{line}:1: alibabacloud-eiam20211201 3.0.1 has the operation ListApplicationTokens, and openapi/eiam-2021-12-01/ has no operationId ListApplicationTokens"
        )
    );
}
