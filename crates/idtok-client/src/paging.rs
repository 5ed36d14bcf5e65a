//! Paged lists as streams of their items: what the generated `.stream()` of every operation the
//! documents mark `x-paginated` runs.
//!
//! Two ways of paging, as the vendors page:
//! - by token ([`by_token`]): each page names the next (`NextToken`, `nextToken`, `marker`), and
//!   the stream follows it until a page comes without one; a token the service hands back twice
//!   ends the stream with an error rather than loop;
//! - by page number ([`by_page_number`]): pages 1, 2, ... until one comes empty, or the total
//!   count the service reports is reached.
//!
//! Either way one page is held in memory at a time: the next is asked for once the stream has
//! handed out the last item of the current one. Each page is one call, with the client's retries
//! and timeouts; the stream ends after the first error.

use std::collections::HashSet;
use std::future::Future;

use futures::stream::{self, Stream, TryStreamExt};
use progenitor_client::{Error, ResponseValue};
use serde::Serialize;

use crate::CallError;

/// One page's items, and the token that asks for the next page (none or empty: the last page).
pub(crate) type TokenPage<I> = (Vec<I>, Option<String>);

/// Every item of every page of a list that pages by token, starting from `first` (a token set on
/// it is where the stream starts). `token_field` names the answer's field, for the error when
/// the service repeats a token.
pub(crate) fn by_token<'a, B, P, I, E, F>(
    (operation, token_field): (&'static str, &'static str),
    first: B,
    with_token: fn(B, String) -> B,
    send: fn(B) -> F,
    split: fn(P) -> TokenPage<I>,
) -> impl Stream<Item = Result<I, CallError>> + Send + Unpin + 'a
where
    B: Clone + Send + 'a,
    P: Send + 'a,
    I: Send + 'a,
    E: Serialize + Send + 'a,
    F: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a,
{
    /// Where the stream stands: the query as the caller built it, the token to send with it (none
    /// for the first page), and every token sent so far (a few bytes a page), so that a service
    /// cycling back to one is caught.
    struct Cursor<B> {
        query: B,
        next: Option<String>,
        sent: HashSet<String>,
    }
    let first = Cursor {
        query: first,
        next: None,
        sent: HashSet::new(),
    };
    // The state is the next page to ask for, or the error to end with after handing out the
    // current page, or nothing.
    let pages = stream::try_unfold(Some(Ok(first)), move |cursor| async move {
        let mut cursor = match cursor {
            None => return Ok(None),
            Some(Err(error)) => return Err(error),
            Some(Ok(cursor)) => cursor,
        };
        let mut request = cursor.query.clone();
        if let Some(token) = &cursor.next {
            request = with_token(request, token.clone());
        }
        let (items, token) = split(crate::call(operation, send(request)).await?);
        if let Some(token) = cursor.next.take() {
            cursor.sent.insert(token);
        }
        let next = match token.filter(|token| !token.is_empty()) {
            None => None,
            // A service that hands back a token it was sent before would be paged forever.
            Some(token) if cursor.sent.contains(&token) => Some(Err(CallError::unusable_answer(
                operation,
                &format!("the service answered with a {token_field} it had been sent before; paging stopped so as not to loop forever"),
            ))),
            Some(token) => Some(Ok(Cursor {
                next: Some(token),
                ..cursor
            })),
        };
        Ok(Some((items, next)))
    });
    items_of(pages)
}

/// One page's items, and the total count the service reports, if it does.
pub(crate) type NumberedPage<I> = (Vec<I>, Option<i64>);

/// Every item of every page of a list that pages by number, from page 1.
pub(crate) fn by_page_number<'a, B, P, I, E, F>(
    operation: &'static str,
    first: B,
    with_page: fn(B, i64) -> B,
    send: fn(B) -> F,
    split: fn(P) -> NumberedPage<I>,
) -> impl Stream<Item = Result<I, CallError>> + Send + Unpin + 'a
where
    B: Clone + Send + 'a,
    P: Send + 'a,
    I: Send + 'a,
    E: Serialize + Send + 'a,
    F: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a,
{
    // The state: the page to ask for next and how many items came before it, or nothing.
    let pages = stream::try_unfold(Some((1i64, 0i64)), move |state| {
        let query = first.clone();
        async move {
            let Some((page, seen)) = state else {
                return Ok(None);
            };
            let (items, total) = split(crate::call(operation, send(with_page(query, page))).await?);
            let seen = seen + items.len() as i64;
            // An empty page ends it, and so does reaching the total the service reports.
            let done = items.is_empty() || total.is_some_and(|total| seen >= total);
            let next = (!done).then_some((page + 1, seen));
            Ok::<_, CallError>(Some((items, next)))
        }
    });
    items_of(pages)
}

/// The items of a stream of pages, one page held at a time.
fn items_of<'a, I: Send + 'a>(
    pages: impl Stream<Item = Result<Vec<I>, CallError>> + Send + 'a,
) -> impl Stream<Item = Result<I, CallError>> + Send + Unpin + 'a {
    Box::pin(
        pages
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten(),
    )
}
