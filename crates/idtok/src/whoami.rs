//! `idtok whoami`: for each vendor, which provider of its default chain supplies credentials and
//! whose they are. Alibaba Cloud is asked (STS GetCallerIdentity); Huawei Cloud has no such call,
//! so its access key is shown masked. A secret is never printed.

use clap::{Arg, ArgMatches, Command};
use idtok_client::credentials::Sourced;
use idtok_runtime::credentials::{AlibabaCredentials, HuaweiCredentials};
use idtok_runtime::endpoint::Service;
use serde_json::{json, Map, Value};

use crate::failure::Failure;
use crate::settings::DeveloperApiToken;
use crate::{flags, settings};

pub const NAME: &str = "whoami";

const FAMILIES: [&str; 3] = ["alibaba", "huawei", "eiam-developerapi"];

const LONG_ABOUT: &str = "\
For each vendor: which provider of its default credential chain supplies credentials, and who \
they are. Never a secret.

Alibaba Cloud: the caller's identity from STS GetCallerIdentity (--region, the profile's region \
or ALIBABA_CLOUD_REGION_ID picks STS's regional host, else sts.aliyuncs.com; --endpoint wins). \
Huawei Cloud: the access key, masked, and the project. eiam-developerapi: where its access token \
comes from.

The chains ask, in order: Alibaba Cloud the environment, RRSA, the aliyun CLI profile, \
~/.alibabacloud/credentials.ini, then the ECS metadata service at http://100.100.100.200 \
(1 s to connect, 1 s to read), then ALIBABA_CLOUD_CREDENTIALS_URI if set; Huawei Cloud the \
environment, ~/.huaweicloud/credentials, then the ECS metadata service at \
http://169.254.169.254 (3 s to connect, 3 s to read). --profile NAME reads that profile \
alone. \
Off a cloud instance with nothing configured, the metadata addresses do not answer: a run waits \
on each at most once. --no-metadata does not ask them at all (ALIBABA_CLOUD_ECS_METADATA_DISABLED=true \
does it for Alibaba Cloud).

Exit 0 when every vendor with credentials checked out, 1 when GetCallerIdentity failed, 2 when \
no vendor has credentials.";

pub fn command() -> Command {
    Command::new(NAME)
        .about("Which credentials idtok would use, and whose they are")
        .long_about(LONG_ABOUT)
        .arg(
            Arg::new("family")
                .long("family")
                .value_name("VENDOR")
                .value_parser(FAMILIES)
                .action(clap::ArgAction::Append)
                .help("Only these (repeat the flag) [default: all]"),
        )
}

/// The first four and last three characters of an identifier, the rest as `*`: enough to tell
/// keys apart, as the vendors' consoles show them.
pub fn mask(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

pub async fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let wanted: Vec<&str> = match matches.get_many::<String>("family") {
        Some(values) => values.map(String::as_str).collect(),
        None => FAMILIES.to_vec(),
    };
    let mut report = Map::new();
    let (mut found, mut failed) = (false, false);
    for family in wanted {
        let entry = match family {
            "alibaba" => alibaba(matches).await,
            "huawei" => huawei(matches).await,
            _ => developer_api(),
        };
        match entry {
            Entry::Found(value) => {
                found = true;
                report.insert(family.to_owned(), value);
            }
            Entry::CallFailed(value) => {
                found = true;
                failed = true;
                report.insert(family.to_owned(), value);
            }
            Entry::None(why) => {
                report.insert(family.to_owned(), json!({ "error": why }));
            }
        }
    }
    // Printed in the output language of every command (`-o`, `--query`); never a secret in it.
    let report =
        serde_yaml::to_value(Value::Object(report)).map_err(|e| Failure::usage(e.to_string()))?;
    flags::output(matches)
        .print(report, false)
        .map_err(Failure::usage)?;
    match (found, failed) {
        (_, true) => Err(Failure::service(
            "whoami: GetCallerIdentity failed (see \"caller_error\")",
        )),
        (false, false) => Err(Failure::usage(
            "whoami: no credentials for any vendor (see each \"error\")",
        )),
        (true, false) => Ok(()),
    }
}

enum Entry {
    Found(Value),
    CallFailed(Value),
    None(String),
}

async fn alibaba(matches: &ArgMatches) -> Entry {
    let chain = match settings::alibaba_chain(matches) {
        Ok(chain) => chain,
        Err(failure) => return Entry::None(failure.message),
    };
    let Sourced {
        credentials,
        source,
    } = match chain.credentials().await {
        Ok(sourced) => sourced,
        Err(error) => return Entry::None(error.to_string()),
    };
    let mut entry = alibaba_entry(&source, &credentials);
    let caller = async {
        let endpoint = settings::endpoint(Service::Sts, matches)?;
        let client = idtok_client::sts::Client::from_endpoint(
            &endpoint,
            idtok_client::sts::ClientContext::new(chain),
        )
        .map_err(|e| Failure::usage(e.to_string()))?;
        let identity =
            idtok_client::call("GetCallerIdentity", client.get_caller_identity().send()).await?;
        serde_json::to_value(identity).map_err(|e| Failure::usage(e.to_string()))
    };
    match caller.await {
        Ok(identity) => {
            entry.insert("caller".to_owned(), identity);
            Entry::Found(Value::Object(entry))
        }
        Err(failure) => {
            entry.insert("caller_error".to_owned(), Value::String(failure.message));
            Entry::CallFailed(Value::Object(entry))
        }
    }
}

fn alibaba_entry(source: &str, credentials: &AlibabaCredentials) -> Map<String, Value> {
    let mut entry = Map::new();
    entry.insert("source".to_owned(), json!(source));
    entry.insert(
        "access_key_id".to_owned(),
        json!(mask(&credentials.access_key_id)),
    );
    entry.insert(
        "temporary".to_owned(),
        json!(credentials.security_token.is_some()),
    );
    entry
}

async fn huawei(matches: &ArgMatches) -> Entry {
    let chain = match settings::huawei_chain(matches) {
        Ok(chain) => chain,
        Err(failure) => return Entry::None(failure.message),
    };
    match chain.provide_sourced().await {
        Ok(Sourced {
            credentials,
            source,
        }) => Entry::Found(huawei_entry(&source, &credentials)),
        Err(error) => Entry::None(error.to_string()),
    }
}

fn huawei_entry(source: &str, credentials: &HuaweiCredentials) -> Value {
    json!({
        "source": source,
        "access_key": mask(&credentials.access_key),
        "temporary": credentials.security_token.is_some(),
        "project_id": credentials.project_id,
        "domain_id": credentials.domain_id,
    })
}

/// The developer API's access token, where `settings::developer_api_token` decides it comes
/// from (the instance from `IDAAS_INSTANCE_ID`: whoami has no call's `--instance-id`). Nothing is
/// called: a token says nothing of whose it is.
fn developer_api() -> Entry {
    match settings::developer_api_token(None) {
        Ok(DeveloperApiToken::Given(_)) => Entry::Found(json!({ "source": "IDAAS_ACCESS_TOKEN" })),
        Ok(DeveloperApiToken::ClientCredentials(grant)) => Entry::Found(json!({
            "source": "client credentials (IDAAS_CLIENT_ID, IDAAS_CLIENT_SECRET)",
            "client_id": grant.client_id,
            "application_id": grant.application_id,
            "instance_id": grant.instance_id,
        })),
        Ok(DeveloperApiToken::Missing(why)) => Entry::None(why.to_owned()),
        Err(failure) => Entry::None(failure.message),
    }
}
