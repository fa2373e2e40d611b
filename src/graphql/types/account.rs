use crate::domain::account::DataExport;
use crate::domain::Timestamp;
use crate::graphql::context::service;
use crate::graphql::errors::ApiResult;
use async_graphql::{Context, Enum, Object, ID};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "DataExportState",
    remote = "crate::domain::account::ExportState"
)]
pub enum DataExportStateGql {
    Pending,
    Ready,
    Failed,
}

pub struct DataExportObject(pub DataExport);

/// An export of everything you wrote or own, as one JSON document: poll
/// `dataExport(id)` until READY, then download `url` (valid until
/// `expiresAt`, 24 hours after the request).
#[Object(name = "DataExport")]
impl DataExportObject {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn state(&self) -> DataExportStateGql {
        self.0.state.into()
    }

    /// The document's signed link: set while READY and not expired.
    async fn url(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        let url = service(ctx)?.export_url(&self.0).await?;
        Ok(url.map(|url| super::attachment::absolute(ctx, url)))
    }

    /// When the link stops working (set once READY).
    async fn expires_at(&self) -> Option<Timestamp> {
        (self.0.state == crate::domain::account::ExportState::Ready).then(|| self.0.expires_at())
    }

    async fn created_at(&self) -> Timestamp {
        self.0.created_at
    }
}
