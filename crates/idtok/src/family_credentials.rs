//! What each family writes by hand (`crate::family::Credentials`): where its credentials come
//! from, and its own flags. Everything else of a family is generated from its document.

use clap::{Arg, ArgMatches, Command};
use idtok_client::eiam_developerapi::ClientCredentialsProvider;
use idtok_runtime::credentials::{NoCredentials, StaticCredentials};
use idtok_runtime::endpoint::Endpoint;

use crate::failure::Failure;
use crate::family::Credentials;
use crate::generated::{eiam, eiam_developerapi, identitystore, sts};

// The Alibaba chain is resolved once, before the call, so that missing credentials stop idtok
// with a usage error (exit 2) that names every provider and why it gave none; the call then gets
// the cached credentials from the same chain.
impl Credentials for eiam::Family {
    const HELP: &'static str = "Credentials: the Alibaba Cloud default chain (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN; --profile; RRSA; the ECS RAM role).";

    async fn context(
        _: &Endpoint,
        matches: &ArgMatches,
    ) -> Result<idtok_client::eiam::ClientContext, Failure> {
        let chain = crate::settings::alibaba_chain(matches)?;
        chain
            .credentials()
            .await
            .map_err(|e| Failure::usage(e.to_string()))?;
        Ok(idtok_client::eiam::ClientContext::new(chain))
    }
}

/// The access token `settings::developer_api_token` decides on: given, or obtained from the
/// application's client credentials for the instance of `IDAAS_INSTANCE_ID` or of the call's
/// `--instance-id`. Without either, not an error yet: ValidateAuthenticationToken and
/// GenerateToken are sent without a token, and the others fail when they ask for one (exit 2,
/// same message).
impl Credentials for eiam_developerapi::Family {
    const HELP: &'static str = "Credentials: IDAAS_ACCESS_TOKEN (an access token issued by IDaaS), or an application's client credentials IDAAS_CLIENT_ID, IDAAS_CLIENT_SECRET, IDAAS_APPLICATION_ID (and IDAAS_INSTANCE_ID, else --instance-id; optional IDAAS_SCOPE), from which idtok obtains one.";

    async fn context(
        endpoint: &Endpoint,
        matches: &ArgMatches,
    ) -> Result<idtok_client::eiam_developerapi::ClientContext, Failure> {
        use crate::settings::DeveloperApiToken;
        use idtok_client::eiam_developerapi::ClientContext;
        let instance_id = crate::flags::string(matches, "instance-id");
        Ok(match crate::settings::developer_api_token(instance_id)? {
            DeveloperApiToken::Given(token) => ClientContext::new(StaticCredentials(token)),
            DeveloperApiToken::ClientCredentials(grant) => ClientContext::new(
                ClientCredentialsProvider::new(endpoint, grant)
                    .map_err(|e| Failure::usage(e.to_string()))?,
            ),
            DeveloperApiToken::Missing(why) => ClientContext::new(NoCredentials(why)),
        })
    }
}

/// The Huawei chain, resolved before the call; `--x-security-token` replaces the chain's
/// security token (and then the credentials are fixed for the call).
impl Credentials for identitystore::Family {
    const HELP: &'static str = "Credentials: the Huawei Cloud default chain (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN; --profile; the ECS metadata service).";

    /// The identity store documents the `X-Security-Token` header; the signer sends it, from this
    /// flag or from the chain's credentials.
    fn args(command: Command) -> Command {
        command.arg(
            Arg::new("x-security-token")
                .long("x-security-token")
                .value_name("TOKEN")
                .help("Security token (session token) of temporary credentials; overrides HUAWEICLOUD_SDK_SECURITY_TOKEN. Sent as X-Security-Token and signed."),
        )
    }

    async fn context(
        _: &Endpoint,
        matches: &ArgMatches,
    ) -> Result<idtok_client::identitystore::ClientContext, Failure> {
        use idtok_client::identitystore::ClientContext;
        let chain = crate::settings::huawei_chain(matches)?;
        let sourced = chain
            .provide_sourced()
            .await
            .map_err(|e| Failure::usage(e.to_string()))?;
        Ok(match matches.get_one::<String>("x-security-token") {
            Some(token) => ClientContext::new(StaticCredentials(
                sourced.credentials.with_security_token(token.as_str()),
            )),
            None => ClientContext::new(chain),
        })
    }
}

/// Asked for at the call: AssumeRoleWithOIDC and AssumeRoleWithSAML are sent without credentials,
/// and the others fail when they ask for missing ones (exit 2, naming every provider of the
/// chain).
impl Credentials for sts::Family {
    const HELP: &'static str = "Credentials: the Alibaba Cloud default chain, as for eiam; assume-role-with-oidc and assume-role-with-saml need none. The global endpoint is --endpoint https://sts.aliyuncs.com.";

    async fn context(
        _: &Endpoint,
        matches: &ArgMatches,
    ) -> Result<idtok_client::sts::ClientContext, Failure> {
        Ok(idtok_client::sts::ClientContext::new(
            crate::settings::alibaba_chain(matches)?,
        ))
    }
}
