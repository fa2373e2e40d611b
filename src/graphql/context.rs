//! What a resolver reads from the context.

use super::errors::{ApiError, ApiResult};
use super::loaders::StoreLoader;
use super::tick_loader::TickLoader;
use crate::domain::{DomainError, UserId};
use crate::service::Service;
use async_graphql::Context;
use std::sync::Arc;

/// The authenticated caller of one request or WebSocket connection.
#[derive(Debug, Clone, Default)]
pub struct Viewer(pub Option<UserId>);

fn data<'a, T: Send + Sync + 'static>(ctx: &'a Context<'_>) -> ApiResult<&'a T> {
    ctx.data::<T>().map_err(|_| {
        ApiError::from(DomainError::Internal(
            format!("missing context data {}", std::any::type_name::<T>()).into(),
        ))
    })
}

/// The signed-in user, or UNAUTHENTICATED.
pub fn viewer<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a UserId> {
    match ctx.data_opt::<Viewer>() {
        Some(Viewer(Some(user))) => Ok(user),
        _ => Err(DomainError::Unauthenticated("sign in first".into()).into()),
    }
}

pub fn service<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Arc<Service>> {
    data(ctx)
}

pub fn loader<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a TickLoader<StoreLoader>> {
    data(ctx)
}

/// Whether a request carries a signed-in viewer (read by the schema's
/// extensions before execution, from the request's own data).
pub fn signed_in(request: &async_graphql::Request) -> bool {
    request
        .data
        .get(&std::any::TypeId::of::<Viewer>())
        .and_then(|v| v.downcast_ref::<Viewer>())
        .is_some_and(|v| v.0.is_some())
}
