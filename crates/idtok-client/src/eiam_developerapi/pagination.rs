//! ListAuthenticationTokens as a stream of tokens: the service pages with `nextToken` and
//! `maxResults`, and the stream follows `nextToken` until a page comes without one.

use std::collections::HashSet;

use futures::stream::{self, Stream, TryStreamExt};
use idtok_eiam_developerapi_models::AuthenticationToken;

use super::builder::ListAuthenticationTokens;
use crate::CallError;

const OPERATION: &str = "ListAuthenticationTokens";

/// Where the stream stands: the query as the caller built it, the `nextToken` to send with it
/// (none for the first page, which keeps any `next_token` the caller set), and every token sent so
/// far (a few bytes a page), so that a service cycling back to one is caught.
struct Cursor<'a> {
    query: ListAuthenticationTokens<'a>,
    next_token: Option<String>,
    sent: HashSet<String>,
}

impl<'a> ListAuthenticationTokens<'a> {
    /// Every authentication token the query matches, across all pages, in the service's order.
    ///
    /// One page is held in memory at a time: the next is requested when the stream has handed out
    /// the last token of the current one. `max_results` is the page size (the service's default
    /// when unset); a `next_token` set on the builder is where the stream starts. Each page is one
    /// call, with the client's retries and timeouts. The stream ends after the first error, and
    /// with an error after the page whose `nextToken` was sent before, rather than loop.
    ///
    /// ```no_run
    /// # async fn run(client: &idtok_client::eiam_developerapi::Client) -> Result<(), idtok_client::CallError> {
    /// use futures::TryStreamExt;
    ///
    /// let mut tokens = client
    ///     .list_authentication_tokens()
    ///     .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
    ///     .consumer_id("app_ngtkgrrxxxxktg5eao6z4xxxxx")
    ///     .credential_provider_identifier("test_example_identifier")
    ///     .max_results(100)
    ///     .stream();
    /// while let Some(token) = tokens.try_next().await? {
    ///     println!("{}", token.authentication_token_id.unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(
        self,
    ) -> impl Stream<Item = Result<AuthenticationToken, CallError>> + Send + Unpin + 'a {
        let first = Cursor {
            query: self,
            next_token: None,
            sent: HashSet::new(),
        };
        // The state is the next page to ask for, or the error to end with after handing out the
        // current page, or nothing.
        let pages = stream::try_unfold(Some(Ok(first)), |cursor| async move {
            let mut cursor = match cursor {
                None => return Ok(None),
                Some(Err(error)) => return Err(error),
                Some(Ok(cursor)) => cursor,
            };
            let mut request = cursor.query.clone();
            if let Some(token) = &cursor.next_token {
                request = request.next_token(token.clone());
            }
            let page = crate::call(OPERATION, request.send()).await?;
            if let Some(token) = cursor.next_token.take() {
                cursor.sent.insert(token);
            }
            let next = match page.next_token.filter(|token| !token.is_empty()) {
                None => None,
                // A service that hands back a token it was sent before would be paged forever.
                Some(token) if cursor.sent.contains(&token) => Some(Err(CallError::unusable_answer(
                    OPERATION,
                    "the service answered with a nextToken it had been sent before; paging stopped so as not to loop forever",
                ))),
                Some(token) => Some(Ok(Cursor {
                    next_token: Some(token),
                    ..cursor
                })),
            };
            Ok(Some((page.entities.unwrap_or_default(), next)))
        });
        Box::pin(
            pages
                .map_ok(|entities| stream::iter(entities.into_iter().map(Ok)))
                .try_flatten(),
        )
    }
}
