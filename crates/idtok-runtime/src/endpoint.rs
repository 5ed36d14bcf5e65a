//! Where a client sends its requests: a region's HTTPS host, or an explicit base URL. Plain
//! `http://` is allowed only to a loopback address, so credentials and tokens never cross a
//! network unencrypted.

use std::fmt;
use std::net::IpAddr;

use url::{Host, Url};

mod generated;

/// The API families and their regions, generated from the documents' `servers` by
/// `cargo xtask gen` (in `endpoint/generated.rs`), so that they cannot disagree.
pub use generated::Service;

/// Why an endpoint was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}

fn refuse(message: String) -> EndpointError {
    EndpointError { message }
}

/// A checked base URL: HTTPS, or HTTP to a loopback address; no credentials, query or fragment in
/// it; no trailing slash (operation paths are appended to it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    base_url: String,
}

impl Endpoint {
    /// The service's HTTPS host in `region`.
    pub fn region(service: Service, region: &str) -> Result<Self, EndpointError> {
        if !service.regions().contains(&region) {
            return Err(refuse(format!(
                "unknown region {region:?} for {}; known regions: {} (to reach another host, give an endpoint URL)",
                service.name(),
                service.regions().join(", ")
            )));
        }
        Ok(Self {
            base_url: format!("https://{}", service.host(region)),
        })
    }

    /// An explicit base URL, such as a proxy, a private endpoint or a local test server.
    pub fn url(url: &str) -> Result<Self, EndpointError> {
        let parsed =
            Url::parse(url).map_err(|e| refuse(format!("endpoint {url:?} is not a URL: {e}")))?;
        check_transport(&parsed)?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(refuse(
                "an endpoint URL must not carry credentials; give them as credentials".to_owned(),
            ));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(refuse(format!(
                "endpoint {url:?} must not have a query or fragment"
            )));
        }
        Ok(Self {
            base_url: parsed.as_str().trim_end_matches('/').to_owned(),
        })
    }

    /// The base URL, without a trailing `/`: what a generated client is built with.
    pub fn as_str(&self) -> &str {
        &self.base_url
    }

    /// Whether requests go out as plain `http://`, which [`Endpoint::url`] allows only to a
    /// loopback address: a client for it never makes a TLS connection.
    pub fn is_plain_http(&self) -> bool {
        self.base_url.starts_with("http://")
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base_url)
    }
}

/// HTTPS anywhere; plain HTTP only to a loopback address. Checked again on every request, so a
/// client made from a raw base URL is held to it too.
pub fn check_transport(url: &Url) -> Result<(), EndpointError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(refuse(format!(
            "refusing plain http:// to {}: credentials and tokens would cross the network unencrypted; use https://, or http:// only to a loopback address (127.0.0.1, [::1], localhost)",
            url.host_str().unwrap_or("(no host)")
        ))),
        other => Err(refuse(format!("endpoint scheme {other:?} is not supported; use https://"))),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_give_each_family_its_https_host() {
        assert_eq!(
            Endpoint::region(Service::Eiam, "cn-hangzhou")
                .unwrap()
                .as_str(),
            "https://eiam.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            Endpoint::region(Service::EiamDeveloperApi, "ap-southeast-1")
                .unwrap()
                .as_str(),
            "https://eiam-developerapi.ap-southeast-1.aliyuncs.com"
        );
        assert_eq!(
            Endpoint::region(Service::IdentityStore, "cn-north-4")
                .unwrap()
                .as_str(),
            "https://identitystore.cn-north-4.myhuaweicloud.com"
        );
    }

    #[test]
    fn an_unknown_region_is_refused_with_the_known_ones() {
        let error = Endpoint::region(Service::EiamDeveloperApi, "cn-beijing")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("unknown region \"cn-beijing\" for Alibaba Cloud IDaaS developer API; known regions: cn-hangzhou,"), "{error}");
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:9000/",
            "http://localhost:1",
            "https://example.com/base/",
        ] {
            assert!(Endpoint::url(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://example.com",
            "http://10.0.0.1:80",
            "http://[::2]",
            "http://127.0.0.1.example.com",
        ] {
            let error = Endpoint::url(refused).unwrap_err().to_string();
            assert!(
                error.starts_with("refusing plain http:// to "),
                "{refused}: {error}"
            );
            assert!(error.contains("loopback"), "{error}");
        }
    }

    #[test]
    fn urls_are_normalised_and_checked() {
        assert_eq!(
            Endpoint::url("https://example.com/base/").unwrap().as_str(),
            "https://example.com/base"
        );
        assert_eq!(
            Endpoint::url("http://127.0.0.1:8080").unwrap().as_str(),
            "http://127.0.0.1:8080"
        );
        assert!(Endpoint::url("https://user:pw@example.com")
            .unwrap_err()
            .to_string()
            .contains("must not carry credentials"));
        assert!(Endpoint::url("ftp://example.com")
            .unwrap_err()
            .to_string()
            .contains("not supported"));
        assert!(Endpoint::url("not a url")
            .unwrap_err()
            .to_string()
            .contains("is not a URL"));
        assert!(Endpoint::url("https://example.com/?a=b")
            .unwrap_err()
            .to_string()
            .contains("query"));
    }
}
