use crate::domain::attachment::Attachment;
use crate::domain::Timestamp;
use crate::graphql::context::service;
use crate::graphql::errors::ApiResult;
use crate::graphql::BaseUrl;
use crate::service::Ticket;
use async_graphql::{Context, Object, SimpleObject, ID};

/// A URL of this server (the local server's `/uploads`, a path) made
/// absolute with the address clients reach it at; others as they are.
pub(super) fn absolute(ctx: &Context<'_>, url: String) -> String {
    if !url.starts_with('/') {
        return url;
    }
    let base = ctx.data_opt::<BaseUrl>().map_or("", |b| b.0.as_str());
    format!("{base}{url}")
}

/// A file of a message (or an upload not yet posted, seen by its owner).
pub struct AttachmentObject(pub Attachment);

#[Object(name = "Attachment")]
impl AttachmentObject {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn filename(&self) -> &str {
        &self.0.filename
    }

    async fn content_type(&self) -> &str {
        &self.0.content_type
    }

    /// Bytes.
    async fn size(&self) -> i64 {
        i64::try_from(self.0.size).unwrap_or(i64::MAX)
    }

    async fn width(&self) -> Option<i32> {
        self.0.width.and_then(|w| i32::try_from(w).ok())
    }

    async fn height(&self) -> Option<i32> {
        self.0.height.and_then(|h| i32::try_from(h).ok())
    }

    /// A signed GET, valid one hour; null until a message holds the file.
    async fn url(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        let url = service(ctx)?.download_url(&self.0).await?;
        Ok(url.map(|url| absolute(ctx, url)))
    }

    async fn created_at(&self) -> Timestamp {
        self.0.created_at
    }
}

/// A header to send exactly as given.
#[derive(SimpleObject)]
#[graphql(name = "HttpHeader")]
pub struct HttpHeaderObject {
    pub name: String,
    pub value: String,
}

/// Where and how to upload a file's bytes: PUT them to `url` with exactly
/// `headers` before `expiresAt`, then post with the attachment's id.
pub struct UploadTicketObject(pub Ticket);

#[Object(name = "UploadTicket")]
impl UploadTicketObject {
    async fn attachment(&self) -> AttachmentObject {
        AttachmentObject(self.0.attachment.clone())
    }

    async fn url(&self, ctx: &Context<'_>) -> String {
        absolute(ctx, self.0.request.url.clone())
    }

    async fn method(&self) -> &str {
        "PUT"
    }

    async fn headers(&self) -> Vec<HttpHeaderObject> {
        let headers = self.0.request.headers.iter().cloned();
        headers
            .map(|(name, value)| HttpHeaderObject { name, value })
            .collect()
    }

    async fn expires_at(&self) -> Timestamp {
        self.0.expires_at
    }
}
