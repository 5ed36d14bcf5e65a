//! What a default credential chain does, for both vendors: ask its providers in order; a
//! provider whose source is not set up here ("not configured": a variable not set, a file that
//! does not exist, a metadata service that does not answer) passes to the next one; anything else
//! (credentials, or a failure of a source that is set up) ends the search. The provider that gave
//! credentials is remembered and asked alone afterwards. The error when none gives any names
//! every provider asked, and why.
//!
//! A source that is set up but broken stops the chain rather than let the next provider stand in
//! for it: a pod whose RRSA token file cannot be read must not quietly run with its node's ECS
//! role, nor a user whose profile is malformed with the environment's keys.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use idtok_runtime::credentials::{CredentialsError, CredentialsFuture};

use super::{ProvideSourced, Sourced};

/// What a provider made of its source, when nothing went wrong.
pub(crate) enum Outcome<T> {
    /// What it found.
    Found(T),
    /// Its source is not set up here, and why not: the chain asks the next provider.
    NotConfigured(String),
}

/// What one provider gives the chain: an `Err` stops the chain with it.
pub(crate) type Attempt<T> = Result<Outcome<T>, CredentialsError>;

/// A provider's [`Attempt`], boxed so that providers can be kept as trait objects.
pub(crate) type AttemptFuture<'a, C> =
    Pin<Box<dyn Future<Output = Attempt<Sourced<C>>> + Send + 'a>>;

/// One provider of a chain.
pub(crate) trait Link<C>: Send + Sync + fmt::Debug {
    /// Its credentials, that its source is not set up here, or why they cannot be had.
    fn attempt(&self) -> AttemptFuture<'_, C>;
}

/// A provider that is in the chain only when its source is set up (RRSA's variables, a
/// credentials URI): any failure of it stops the chain.
#[derive(Debug)]
pub(crate) struct Configured<P>(pub P);

impl<C, P: ProvideSourced<C>> Link<C> for Configured<P> {
    fn attempt(&self) -> AttemptFuture<'_, C> {
        Box::pin(async move { self.0.provide_sourced().await.map(Outcome::Found) })
    }
}

/// A provider in every chain whose source is there on some machines only (the environment's
/// variables, an instance's metadata service): whatever it fails to give means there is nothing
/// to take here.
#[derive(Debug)]
pub(crate) struct Probed<P>(pub P);

impl<C, P: ProvideSourced<C>> Link<C> for Probed<P> {
    fn attempt(&self) -> AttemptFuture<'_, C> {
        Box::pin(async move {
            Ok(match self.0.provide_sourced().await {
                Ok(sourced) => Outcome::Found(sourced),
                Err(error) => Outcome::NotConfigured(error.to_string()),
            })
        })
    }
}

/// Credentials given as values (in a profile, or read once from the environment): the same
/// ones at every call.
#[derive(Debug)]
pub(crate) struct Fixed<C>(pub Sourced<C>);

impl<C: Clone + Send + Sync + fmt::Debug> ProvideSourced<C> for Fixed<C> {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<C>> {
        let sourced = self.0.clone();
        Box::pin(async move { Ok(sourced) })
    }
}

/// How a provider built from what a file (or the environment) describes comes about: the file
/// read and the provider it names, that there is nothing to read, or why it cannot be used.
pub(crate) type Load<C> = Box<dyn Fn() -> Attempt<Arc<dyn ProvideSourced<C>>> + Send + Sync>;

/// A provider described by a file (a profile): read and built at the first call that finds it,
/// then kept, so that the file is read once and the temporary credentials of what it describes
/// stay cached. A file that is not there is looked for again at the next call. Once built, the
/// provider is set up: its failures stop the chain. `prefix` goes before the source's name
/// (`cli_profile/static_ak`).
pub(crate) struct Loaded<C> {
    prefix: Option<&'static str>,
    load: Load<C>,
    built: Mutex<Option<Arc<dyn ProvideSourced<C>>>>,
}

impl<C> Loaded<C> {
    pub fn new(prefix: Option<&'static str>, load: Load<C>) -> Self {
        Self {
            prefix,
            load,
            built: Mutex::new(None),
        }
    }

    fn built(&self) -> Attempt<Arc<dyn ProvideSourced<C>>> {
        let mut built = self.built.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(provider) = built.as_ref() {
            return Ok(Outcome::Found(provider.clone()));
        }
        let loaded = (self.load)()?;
        if let Outcome::Found(provider) = &loaded {
            *built = Some(provider.clone());
        }
        Ok(loaded)
    }

    /// The provider, once built (for `Debug`).
    fn current(&self) -> Option<Arc<dyn ProvideSourced<C>>> {
        self.built.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl<C: Send + 'static> Link<C> for Loaded<C> {
    fn attempt(&self) -> AttemptFuture<'_, C> {
        Box::pin(async move {
            let provider = match self.built()? {
                Outcome::Found(provider) => provider,
                Outcome::NotConfigured(why) => return Ok(Outcome::NotConfigured(why)),
            };
            let sourced = provider.provide_sourced().await?;
            Ok(Outcome::Found(match self.prefix {
                Some(prefix) => Sourced {
                    credentials: sourced.credentials,
                    source: format!("{prefix}/{}", sourced.source),
                },
                None => sourced,
            }))
        })
    }
}

impl<C> fmt::Debug for Loaded<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Loaded")
            .field("prefix", &self.prefix)
            .field("built", &self.current())
            .finish_non_exhaustive()
    }
}

/// How a chain words its error when no provider gives credentials.
pub(crate) struct Wording {
    /// The first line; `None` for a chain of one provider asked alone, whose own error is the
    /// chain's.
    pub header: Option<String>,
    /// What the error adds after the providers that were not asked because `name` stopped the
    /// chain.
    pub stopped_by: fn(name: &str) -> String,
}

/// The chain: providers asked in order (see the [module](self)).
pub(crate) struct Chain<C> {
    links: Vec<(&'static str, Box<dyn Link<C>>)>,
    /// Providers left out of the chain, and why: said when no provider gives credentials.
    left_out: Vec<String>,
    wording: Wording,
    reuse_last: bool,
    /// The provider that last gave credentials.
    last: Mutex<Option<usize>>,
    /// Held while the chain is searched, so that callers that arrive meanwhile wait for that
    /// search instead of starting their own.
    searching: tokio::sync::Mutex<()>,
}

impl<C: Clone + Send + Sync + 'static> Chain<C> {
    pub fn new(wording: Wording) -> Self {
        Self {
            links: Vec::new(),
            left_out: Vec::new(),
            wording,
            reuse_last: true,
            last: Mutex::new(None),
            searching: tokio::sync::Mutex::new(()),
        }
    }

    /// Asks `link`, under `name`, after the providers before it.
    pub fn with(mut self, name: &'static str, link: impl Link<C> + 'static) -> Self {
        self.links.push((name, Box::new(link)));
        self
    }

    /// Says in the error that a provider was left out, and why.
    pub fn left_out(mut self, why: String) -> Self {
        self.left_out.push(why);
        self
    }

    /// Whether the provider that gave credentials is asked alone afterwards (yes unless said).
    pub fn reuse_last(mut self, reuse: bool) -> Self {
        self.reuse_last = reuse;
        self
    }

    /// The providers' names, in the order they are asked.
    pub fn names(&self) -> Vec<&'static str> {
        self.links.iter().map(|(name, _)| *name).collect()
    }

    /// The name of the provider that last gave credentials.
    pub fn resolved(&self) -> Option<&'static str> {
        let last = *self.last.lock().unwrap_or_else(|p| p.into_inner());
        last.and_then(|i| self.links.get(i)).map(|(name, _)| *name)
    }

    fn remembered(&self) -> Option<usize> {
        let last = *self.last.lock().unwrap_or_else(|p| p.into_inner());
        last.filter(|_| self.reuse_last)
    }

    /// Credentials, and which provider supplied them.
    pub async fn credentials(&self) -> Result<Sourced<C>, CredentialsError> {
        if let Some(index) = self.remembered() {
            return self.ask_alone(index).await;
        }
        let _searching = self.searching.lock().await;
        // Another caller may have found them while this one waited.
        if let Some(index) = self.remembered() {
            return self.ask_alone(index).await;
        }
        let mut reasons = Vec::with_capacity(self.links.len());
        for (index, (name, link)) in self.links.iter().enumerate() {
            match link.attempt().await {
                Ok(Outcome::Found(sourced)) => {
                    tracing::debug!(provider = %sourced.source, "credentials found");
                    *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(index);
                    return Ok(sourced);
                }
                Ok(Outcome::NotConfigured(why)) => {
                    tracing::debug!(provider = name, %why, "not configured here");
                    reasons.push((*name, why));
                }
                Err(error) => {
                    tracing::debug!(provider = name, %error, "stops the chain");
                    return Err(self.stopped(reasons, index, error));
                }
            }
        }
        Err(self.nothing(reasons, None))
    }

    /// The provider that gave credentials before, asked alone: its failure is the chain's.
    async fn ask_alone(&self, index: usize) -> Result<Sourced<C>, CredentialsError> {
        match self.links[index].1.attempt().await? {
            Outcome::Found(sourced) => Ok(sourced),
            Outcome::NotConfigured(why) => Err(CredentialsError::new(why)),
        }
    }

    fn stopped(
        &self,
        mut reasons: Vec<(&str, String)>,
        index: usize,
        error: CredentialsError,
    ) -> CredentialsError {
        let name = self.links[index].0;
        reasons.push((name, error.to_string()));
        let rest: Vec<&str> = self.links[index + 1..].iter().map(|(n, _)| *n).collect();
        let not_tried = (!rest.is_empty()).then(|| {
            format!(
                "(not tried: {}; {})",
                rest.join(", "),
                (self.wording.stopped_by)(name)
            )
        });
        self.nothing(reasons, not_tried)
    }

    fn nothing(&self, reasons: Vec<(&str, String)>, not_tried: Option<String>) -> CredentialsError {
        let Some(header) = &self.wording.header else {
            let why = reasons.into_iter().map(|(_, why)| why).collect::<Vec<_>>();
            return CredentialsError::new(why.join("\n"));
        };
        let mut lines = vec![format!("{header}:")];
        lines.extend(reasons.iter().map(|(name, why)| format!("  {name}: {why}")));
        lines.extend(not_tried.map(|line| format!("  {line}")));
        lines.extend(self.left_out.iter().map(|why| format!("  ({why})")));
        CredentialsError::new(lines.join("\n"))
    }
}

impl<C> fmt::Debug for Chain<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let providers: Vec<&dyn Link<C>> = self.links.iter().map(|(_, l)| l.as_ref()).collect();
        f.debug_struct("Chain")
            .field("providers", &providers)
            .field("reuse_last", &self.reuse_last)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A provider that answers as told, counting how often it is asked.
    #[derive(Debug)]
    struct Scripted {
        answer: fn() -> Attempt<Sourced<u8>>,
        asked: Arc<AtomicUsize>,
    }

    impl Link<u8> for Scripted {
        fn attempt(&self) -> AttemptFuture<'_, u8> {
            self.asked.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                tokio::task::yield_now().await;
                (self.answer)()
            })
        }
    }

    fn scripted(answer: fn() -> Attempt<Sourced<u8>>) -> (Scripted, Arc<AtomicUsize>) {
        let asked = Arc::new(AtomicUsize::new(0));
        let link = Scripted {
            answer,
            asked: asked.clone(),
        };
        (link, asked)
    }

    fn found() -> Attempt<Sourced<u8>> {
        Ok(Outcome::Found(Sourced {
            credentials: 7,
            source: "found".to_owned(),
        }))
    }

    fn absent() -> Attempt<Sourced<u8>> {
        Ok(Outcome::NotConfigured("nothing here".to_owned()))
    }

    fn broken() -> Attempt<Sourced<u8>> {
        Err(CredentialsError::new("set up, but broken"))
    }

    fn wording() -> Wording {
        Wording {
            header: Some("no credentials".to_owned()),
            stopped_by: |name| format!("{name} stopped it"),
        }
    }

    #[tokio::test]
    async fn not_configured_passes_on_and_the_first_found_is_asked_alone_afterwards() {
        let (first, first_asked) = scripted(absent);
        let (second, second_asked) = scripted(found);
        let chain = Chain::new(wording()).with("a", first).with("b", second);
        let all = futures::future::join_all((0..4).map(|_| chain.credentials())).await;
        assert!(all.iter().all(|r| r.as_ref().unwrap().credentials == 7));
        // Concurrent first callers wait for one search, then ask the provider it found.
        assert_eq!(first_asked.load(Ordering::SeqCst), 1);
        assert_eq!(second_asked.load(Ordering::SeqCst), 4);
        assert_eq!(chain.resolved(), Some("b"));
    }

    #[tokio::test]
    async fn a_failure_stops_the_chain_and_says_what_was_not_asked() {
        let (first, _) = scripted(absent);
        let (second, _) = scripted(broken);
        let (third, third_asked) = scripted(found);
        let chain = Chain::new(wording())
            .with("a", first)
            .with("b", second)
            .with("c", third)
            .left_out("d left out".to_owned());
        let error = chain.credentials().await.unwrap_err().to_string();
        assert_eq!(
            error,
            "no credentials:\n  a: nothing here\n  b: set up, but broken\n  (not tried: c; b stopped it)\n  (d left out)"
        );
        assert_eq!(third_asked.load(Ordering::SeqCst), 0);
        assert_eq!(chain.resolved(), None);
    }

    #[tokio::test]
    async fn a_chain_of_one_provider_asked_alone_fails_with_its_own_error() {
        let (only, _) = scripted(broken);
        let chain = Chain::new(Wording {
            header: None,
            stopped_by: |name| name.to_owned(),
        })
        .with("only", only);
        let error = chain.credentials().await.unwrap_err().to_string();
        assert_eq!(error, "set up, but broken");
    }
}
