//! The runtime's table of services and regions (`idtok_runtime::endpoint::Service`), generated
//! from the `servers` of each document, so that the regions a client accepts are the ones the
//! document lists and a new family's regions come from its document.
//!
//! Of a document's servers, the regional one is the server whose URL has one variable with an
//! `enum`: its values are the regions, and the URL with the region put in is the host. A server
//! without variables (STS's global endpoint) is named in the docs as an `Endpoint::url`.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::document::{Document, Problem};
use crate::families::FAMILIES;
use crate::gen::codegen::GeneratedFile;

/// Where the table goes: a module of `endpoint.rs` in the runtime.
pub const SERVICES_FILE: &str = "crates/idtok-runtime/src/endpoint/generated.rs";

/// What the table says of one family.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Service {
    /// The variant of `Service`.
    pub variant: String,
    pub document: String,
    /// `info.title`, which `Service::name` returns.
    pub title: String,
    pub version: String,
    /// The regional server's URL as written: `https://eiam.{regionId}.aliyuncs.com`.
    pub url: String,
    /// The URL after `https://`, the region variable as `{region}` (a `format!` string).
    pub host: String,
    /// The values of the region variable, in the document's order.
    pub regions: Vec<String>,
    /// Servers without variables: hosts reached with an explicit URL.
    pub fixed: Vec<String>,
}

/// The family's entry, read from its document's `servers`.
pub fn service(document: &Document) -> Result<Service, Problem> {
    let json = &document.json;
    let text = |pointer: &str| {
        json.pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let servers = json
        .get("servers")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut fixed = Vec::new();
    let mut regional = Vec::new();
    for (i, server) in servers.iter().enumerate() {
        let Some(url) = server.get("url").and_then(Value::as_str) else {
            continue;
        };
        let names: Vec<&str> = url
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        match names.as_slice() {
            [] => fixed.push(url.to_string()),
            [name] => {
                let values = server
                    .pointer(&format!(
                        "/variables/{}/enum",
                        crate::document::escape_token(name)
                    ))
                    .and_then(Value::as_array)
                    .map(|list| {
                        list.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect::<Vec<_>>()
                    });
                if let Some(values) = values.filter(|v| !v.is_empty()) {
                    regional.push((i, url, *name, values));
                }
            }
            _ => {}
        }
    }
    let [(i, url, name, regions)] = regional.as_slice() else {
        return Err(document.problem(
            "/servers",
            format!(
                "the runtime's region table needs exactly one server whose URL has one variable with an `enum` of regions (such as `https://host.{{regionId}}.example.com`); this document has {}",
                regional.len()
            ),
        ));
    };
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(document.problem(
            &format!("/servers/{i}/url"),
            "the regional server must be an https:// URL",
        ));
    };
    if let Some(region) = regions.iter().find(|r| {
        !r.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }) {
        return Err(document.problem(
            &format!("/servers/{i}/variables/{name}/enum"),
            format!("region {region:?} is not a host name label (lowercase letters, digits, `-`)"),
        ));
    }
    if rest.contains(['"', '\\']) {
        return Err(document.problem(
            &format!("/servers/{i}/url"),
            "the URL cannot hold `\"` or `\\`",
        ));
    }
    Ok(Service {
        variant: document.family.service.to_owned(),
        document: document.written_in(),
        title: text("/info/title"),
        version: text("/info/version"),
        url: url.to_string(),
        host: rest.replace(&format!("{{{name}}}"), "{region}"),
        regions: regions.clone(),
        fixed,
    })
}

/// The generated module, from every family's document (which lint clean by now).
pub fn services_file(root: &Path) -> Result<GeneratedFile, Vec<Problem>> {
    let mut services = Vec::new();
    let mut problems = Vec::new();
    for family in FAMILIES {
        match Document::load(root, family).and_then(|document| service(&document)) {
            Ok(service) => services.push(service),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    services_file_of(root, &services)
}

/// The generated module, from every family's service.
pub fn services_file_of(root: &Path, services: &[Service]) -> Result<GeneratedFile, Vec<Problem>> {
    let contents = crate::gen::rustfmt::rustfmt(root, &source(services)).map_err(|e| {
        vec![Problem {
            document: SERVICES_FILE.to_string(),
            line: None,
            pointer: String::new(),
            message: e,
        }]
    })?;
    Ok(GeneratedFile {
        path: SERVICES_FILE.to_owned(),
        contents,
    })
}

/// The module's Rust source, before rustfmt.
pub fn source(services: &[Service]) -> String {
    let doc_text = |text: &str| text.replace('[', "\\[").replace(']', "\\]");
    let mut s = String::from(
        "// Generated by `cargo xtask gen` from the `servers` of the documents in openapi/. Do not edit by hand: change the documents (or xtask/) and run `cargo xtask gen`.\n\n\
         //! The API families and the regions each is offered in: the regional server of each document\n\
         //! in openapi/ (its region variable's `enum`), so that the two cannot disagree.\n\n\
         /// The API families, with their hosts per region (the `servers` of each document in openapi/).\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\npub enum Service {\n",
    );
    for service in services {
        let fixed: Vec<String> = service.fixed.iter().map(|url| format!("`{url}`")).collect();
        let _ = write!(
            s,
            "    /// {} {} (`{}`): `{}`",
            doc_text(&service.title),
            doc_text(&service.version),
            service.document,
            service.url
        );
        if !fixed.is_empty() {
            let _ = write!(
                s,
                ".\n    ///\n    /// {} has no region: reach it with [`Endpoint::url`](super::Endpoint::url)",
                fixed.join(", ")
            );
        }
        let _ = writeln!(s, ".\n    {},", service.variant);
    }
    s.push_str(
        "}\n\nimpl Service {\n    /// Every family, in the order of the generator's family list.\n",
    );
    let _ = writeln!(
        s,
        "    pub const ALL: [Service; {}] = [{}];\n",
        services.len(),
        services
            .iter()
            .map(|v| format!("Service::{}", v.variant))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let arms = |value: &dyn Fn(&Service) -> String| -> String {
        services
            .iter()
            .map(|v| format!("            Service::{} => {},\n", v.variant, value(v)))
            .collect()
    };
    let _ = write!(
        s,
        "    /// The family's name: its document's `info.title`.\n    pub fn name(self) -> &'static str {{\n        match self {{\n{}        }}\n    }}\n\n",
        arms(&|v| format!("{:?}", v.title))
    );
    let _ = write!(
        s,
        "    /// The regions the service is offered in: the values of its regional server's variable.\n    pub fn regions(self) -> &'static [&'static str] {{\n        match self {{\n{}        }}\n    }}\n\n",
        arms(&|v| format!("&{:?}", v.regions))
    );
    let _ = write!(
        s,
        "    /// The service's host (and path, if any) in `region`: the regional server's URL after `https://`.\n    pub(super) fn host(self, region: &str) -> String {{\n        match self {{\n{}        }}\n    }}\n}}\n",
        arms(&|v| format!("format!(\"{}\")", v.host))
    );
    s
}
