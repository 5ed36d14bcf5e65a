//! The overviews keep up with the operations: `info.description` names every tag, and each tag's
//! description names the resource of every operation filed under it, so that an operation added
//! to a tag cannot go unmentioned where a reader first looks (the HTML reference's contents, the
//! portal's sections).
//!
//! An operation's resource is the words of its operationId after its verb (the first word;
//! `Batch` and the word after it), up to the first preposition (`For`, `By`, `With`, ...), the last
//! word singular: `ListApplicationTokens` is "application token",
//! `ListApplicationFederatedCredentialsForProvider` "application federated credential",
//! `BatchListMfaDevicesForUser` "MFA device", `UpdateApplicationTokenExpirationTime` "application
//! token expiration time". A text names it when it holds those words in that order, whatever
//! their case and whatever spaces, hyphens or other marks stand between them ("OAuth
//! authentication tokens" names `FetchOAuthAuthenticationToken`'s "o auth authentication token").
//! A tag's name is read the same way, whole ("ExternalIdPCertificate": "external IdP
//! certificate").

use heck::ToSnakeCase;
use serde_json::Value;

use crate::document::{Document, Problem};

/// Words that end an operation's resource: what follows is how or for whom the operation acts.
const PREPOSITIONS: [&str; 9] = ["for", "by", "with", "from", "to", "in", "on", "of", "as"];

/// A first word that is not the whole verb: the verb is it and the next word (`BatchList`).
const VERB_PREFIXES: [&str; 1] = ["batch"];

pub fn check(document: &Document) -> Vec<Problem> {
    let mut problems = Vec::new();
    let json = &document.json;
    let tags: Vec<&Value> = json["tags"].as_array().into_iter().flatten().collect();
    let tag_index = |name: &str| tags.iter().position(|tag| tag["name"] == name);
    for (path, item) in json["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(id) = operation["operationId"].as_str() else {
                continue;
            };
            let pointer = format!("/paths/{}/{method}", crate::document::escape_token(path));
            let resource = resource(id);
            for (i, tag) in operation["tags"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let name = tag.as_str().unwrap_or_default();
                let Some(at) = tag_index(name) else {
                    problems.push(document.problem(
                        &format!("{pointer}/tags/{i}"),
                        format!("tag {name} is not among the document's tags, whose descriptions say what their operations do"),
                    ));
                    continue;
                };
                let description = tags[at]["description"].as_str().unwrap_or_default();
                if !names(description, &resource) {
                    problems.push(document.problem(
                        &format!("/tags/{at}/description"),
                        format!(
                            "the description of tag {name} does not name the resource of {id}, {:?}: say what the tag's operations do",
                            shown(&resource)
                        ),
                    ));
                }
            }
        }
    }
    let overview = json["info"]["description"].as_str().unwrap_or_default();
    for (at, tag) in tags.iter().enumerate() {
        let name = tag["name"].as_str().unwrap_or_default();
        if !names(overview, &words(name, true)) {
            problems.push(document.problem(
                "/info/description",
                format!("info.description does not name tag {name} (/tags/{at}): the overview says what every part of the API does"),
            ));
        }
    }
    problems
}

/// The resource of an operation, as lowercase words (see the module's documentation).
pub fn resource(operation_id: &str) -> Vec<String> {
    let mut words = words(operation_id, false);
    let verb = if words.len() > 2 && VERB_PREFIXES.contains(&words[0].as_str()) {
        2
    } else {
        1
    };
    words.drain(..verb.min(words.len()));
    if let Some(end) = words
        .iter()
        .position(|w| PREPOSITIONS.contains(&w.as_str()))
    {
        words.truncate(end);
    }
    if let Some(last) = words.last_mut() {
        *last = singular(last);
    }
    words
}

/// Words as a reader writes them: a one-letter word (from an acronym such as `OAuth` or `IdP`) is
/// joined to the word before it, or to the next when it comes first.
fn shown(words: &[String]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut carry = String::new();
    for word in words {
        if word.len() == 1 {
            match out.last_mut() {
                Some(last) => last.push_str(word),
                None => carry.push_str(word),
            }
        } else {
            out.push(format!("{carry}{word}"));
            carry.clear();
        }
    }
    if !carry.is_empty() {
        out.push(carry);
    }
    out.join(" ")
}

/// A name's lowercase words; with `singular`, its last word singular.
fn words(name: &str, singular_last: bool) -> Vec<String> {
    let mut words: Vec<String> = name
        .to_snake_case()
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    if singular_last {
        if let Some(last) = words.last_mut() {
            *last = singular(last);
        }
    }
    words
}

fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("ss") {
        word.to_owned()
    } else {
        word.strip_suffix('s').unwrap_or(word).to_owned()
    }
}

/// Whether `text` holds `words` in order, whatever stands between them but letters and digits.
fn names(text: &str, words: &[String]) -> bool {
    let folded: String = text
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    !words.is_empty() && folded.contains(&words.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(id: &str) -> String {
        resource(id).join(" ")
    }

    #[test]
    fn the_resource_is_what_follows_the_verb_up_to_a_preposition() {
        assert_eq!(of("ListApplicationTokens"), "application token");
        assert_eq!(
            of("ListApplicationFederatedCredentialsForProvider"),
            "application federated credential"
        );
        assert_eq!(of("BatchListMfaDevicesForUser"), "mfa device");
        assert_eq!(of("BatchDeleteSessions"), "session");
        assert_eq!(
            of("UpdateApplicationTokenExpirationTime"),
            "application token expiration time"
        );
        assert_eq!(of("AssumeRoleWithOIDC"), "role");
        assert_eq!(of("GetCallerIdentity"), "caller identity");
        assert_eq!(of("ListProvisioningTenants"), "provisioning tenant");
        assert_eq!(of("ListDomainProxyTokens"), "domain proxy token");
        assert_eq!(of("ListSessions"), "session");
    }

    #[test]
    fn acronyms_are_shown_whole() {
        assert_eq!(
            shown(&resource("FetchOAuthAuthenticationToken")),
            "oauth authentication token"
        );
        assert_eq!(
            shown(&resource("ListExternalIdPCertificates")),
            "external idp certificate"
        );
    }

    #[test]
    fn a_text_names_the_words_in_order_whatever_their_case_and_spacing() {
        let token = resource("FetchOAuthAuthenticationToken");
        assert!(names("Fetches OAuth authentication tokens.", &token));
        assert!(!names("Fetches authentication tokens.", &token));
        let certificate = words("ExternalIdPCertificate", true);
        assert!(names("certificates of an external IdP", &["idp".into()]));
        assert!(names(
            "External IdP certificates: import, list.",
            &certificate
        ));
        assert!(!names("", &[]));
    }
}
