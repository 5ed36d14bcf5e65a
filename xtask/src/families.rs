//! The API families: which document describes each, and where its generated code goes.

/// One API family: one OpenAPI document, one model crate, one module of the client crate.
#[derive(Debug, Clone, Copy)]
pub struct Family {
    /// Short name, also the client module (`idtok_client::eiam`).
    pub name: &'static str,
    /// The hand-written document as a single file, relative to the workspace root; once split it
    /// is the directory of the same name without `.yaml` (`Family::directory`).
    pub document: &'static str,
    /// The model crate's directory, relative to the workspace root.
    pub models_dir: &'static str,
    /// The model crate's name as Rust code refers to it.
    pub models_crate: &'static str,
    /// The Rust type that a schema of plain `type: number` becomes, if not `f64`.
    pub number_type: Option<&'static str>,
    /// Whether operations carry `x-acs-rpc` (one pseudo-path per action, `POST /` on the wire).
    pub rpc: bool,
    /// The function that encodes a path parameter as the client sends it, for the mocks.
    pub path_value_as_sent: &'static str,
    /// The family's variant of `idtok_runtime::endpoint::Service`, whose regions and host
    /// `cargo xtask gen` writes from the document's `servers`.
    pub service: &'static str,
}

pub const CLIENT_DIR: &str = "crates/idtok-client";
pub const CLI_DIR: &str = "crates/idtok";
pub const MOCK_DIR: &str = "crates/idtok-mock";

/// A secret in the documents is `{type: string, format: password}`; generated types hold it in this.
pub const SECRET_TYPE: &str = "::idtok_secret::SecretString";

pub const FAMILIES: [Family; 4] = [
    Family {
        name: "eiam",
        service: "Eiam",
        document: "openapi/eiam-2021-12-01.yaml",
        models_dir: "crates/idtok-eiam-models",
        models_crate: "idtok_eiam_models",
        number_type: None,
        rpc: true,
        path_value_as_sent: "::progenitor_client::encode_path",
    },
    Family {
        name: "eiam_developerapi",
        service: "EiamDeveloperApi",
        document: "openapi/eiam-developerapi-2022-02-25.yaml",
        models_dir: "crates/idtok-eiam-developerapi-models",
        models_crate: "idtok_eiam_developerapi_models",
        number_type: None,
        rpc: false,
        path_value_as_sent: "::progenitor_client::encode_path",
    },
    Family {
        name: "identitystore",
        service: "IdentityStore",
        document: "openapi/identitystore-v1.yaml",
        models_dir: "crates/idtok-identitystore-models",
        models_crate: "idtok_identitystore_models",
        // The `number`s of this document are UNIX times in milliseconds that the service may send
        // as `1754277891140` or `1754277891140.0` (and a certificate's version and serial number);
        // EpochMillis takes both forms and writes back what it read.
        number_type: Some("crate::EpochMillis"),
        rpc: false,
        // The signer re-encodes the path per RFC 3986 and sends it as signed.
        path_value_as_sent: "crate::for_generated::path_segment_as_signed",
    },
    Family {
        name: "sts",
        service: "Sts",
        document: "openapi/sts-2015-04-01.yaml",
        models_dir: "crates/idtok-sts-models",
        models_crate: "idtok_sts_models",
        number_type: None,
        rpc: true,
        path_value_as_sent: "::progenitor_client::encode_path",
    },
];

impl Family {
    /// The family's subcommand of `idtok` (`eiam-developerapi`).
    pub fn command_name(&self) -> String {
        self.name.replace('_', "-")
    }

    /// The directory the document is written in (`openapi/<stem>/`, without the slash): its
    /// `openapi.yaml` and one `<Tag>.yaml` per tag. `document` names the single file it was
    /// before, still read at revisions from before the split.
    pub fn directory(&self) -> &'static str {
        self.document.trim_end_matches(".yaml")
    }
    pub fn models_file(&self) -> String {
        format!("{}/src/generated.rs", self.models_dir)
    }

    pub fn client_file(&self) -> String {
        format!("{CLIENT_DIR}/src/{}/generated.rs", self.name)
    }

    /// The `idtok` subcommands of the family (progenitor's CLI generation).
    pub fn cli_file(&self) -> String {
        format!("{CLI_DIR}/src/generated/{}.rs", self.name)
    }

    /// The family's typed httpmock mocks (progenitor's httpmock generation).
    pub fn mock_file(&self) -> String {
        format!("{MOCK_DIR}/src/generated/{}.rs", self.name)
    }

    /// Every file generated for the family.
    pub fn generated_files(&self) -> [String; 4] {
        [
            self.models_file(),
            self.client_file(),
            self.cli_file(),
            self.mock_file(),
        ]
    }
}
