//! Credentials given as values: the environment variables (`env`), and the AccessKey pairs and
//! STS tokens written in a profile (`static_ak`, `static_sts`).

use idtok_runtime::credentials::{
    AlibabaCredentials, CredentialsError, CredentialsFuture, Environment,
};
use idtok_secret::SecretString;

use super::{variables, ProvideSourced};
use crate::credentials::chain::Fixed;
use crate::credentials::Sourced;

/// `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and the optional
/// `ALIBABA_CLOUD_SECURITY_TOKEN`, read at each call.
#[derive(Debug)]
pub(crate) struct EnvProvider {
    env: Environment,
}

impl EnvProvider {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }

    fn get(&self) -> Result<Sourced<AlibabaCredentials>, CredentialsError> {
        let id = self.env.get(variables::ACCESS_KEY_ID);
        let secret = self.env.get(variables::ACCESS_KEY_SECRET);
        let (Some(id), Some(secret)) = (id, secret) else {
            let missing: Vec<&str> = [variables::ACCESS_KEY_ID, variables::ACCESS_KEY_SECRET]
                .into_iter()
                .filter(|name| self.env.get(name).is_none())
                .collect();
            let verb = if missing.len() == 1 { "is" } else { "are" };
            return Err(CredentialsError::new(format!(
                "{} {verb} not set",
                missing.join(" and ")
            )));
        };
        let mut credentials = AlibabaCredentials::new(id, secret);
        credentials.security_token = self
            .env
            .get(variables::SECURITY_TOKEN)
            .map(SecretString::from);
        Ok(Sourced {
            credentials,
            source: "env".to_owned(),
        })
    }
}

impl ProvideSourced<AlibabaCredentials> for EnvProvider {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<AlibabaCredentials>> {
        let result = self.get();
        Box::pin(async move { result })
    }
}

/// An AccessKey pair written in a profile (`static_ak`). As the library, a value the profile
/// leaves empty is taken from the environment variable.
pub(crate) fn access_key(
    id: Option<String>,
    secret: Option<String>,
    env: &Environment,
) -> Result<Fixed<AlibabaCredentials>, CredentialsError> {
    let (id, secret) = pair(id, secret, env)?;
    Ok(Fixed(Sourced {
        credentials: AlibabaCredentials::new(id, secret),
        source: "static_ak".to_owned(),
    }))
}

/// An AccessKey pair with its STS token written in a profile (`static_sts`).
pub(crate) fn sts_token(
    id: Option<String>,
    secret: Option<String>,
    token: Option<String>,
    env: &Environment,
) -> Result<Fixed<AlibabaCredentials>, CredentialsError> {
    let (id, secret) = pair(id, secret, env)?;
    let token = token
        .filter(|t| !t.is_empty())
        .or_else(|| env.get(variables::SECURITY_TOKEN))
        .ok_or_else(|| CredentialsError::new("the security token is empty"))?;
    Ok(Fixed(Sourced {
        credentials: AlibabaCredentials::new(id, secret).with_security_token(token),
        source: "static_sts".to_owned(),
    }))
}

fn pair(
    id: Option<String>,
    secret: Option<String>,
    env: &Environment,
) -> Result<(String, String), CredentialsError> {
    let id = id
        .filter(|v| !v.is_empty())
        .or_else(|| env.get(variables::ACCESS_KEY_ID))
        .ok_or_else(|| CredentialsError::new("the access key id is empty"))?;
    let secret = secret
        .filter(|v| !v.is_empty())
        .or_else(|| env.get(variables::ACCESS_KEY_SECRET))
        .ok_or_else(|| CredentialsError::new("the access key secret is empty"))?;
    Ok((id, secret))
}
