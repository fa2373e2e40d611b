use super::{group_id, message_id};
use crate::domain::attachment::{self, Declared};
use crate::domain::text::{self, MessageBody};
use crate::domain::AttachmentId;
use crate::graphql::context::{service, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::types::{MessageObject, UploadTicketObject};
use async_graphql::{Context, InputObject, Object, ID};

#[derive(InputObject)]
pub struct PostMessageInput {
    group_id: ID,
    /// May be empty when the message has attachments.
    #[graphql(secret)]
    body: String,
    /// An idempotency key: resending with the same key returns the first message.
    client_message_id: Option<String>,
    /// Uploads (`createUpload`) to attach, at most 10.
    attachment_ids: Option<Vec<ID>>,
}

#[derive(InputObject)]
pub struct ReplyToMessageInput {
    parent_id: ID,
    #[graphql(secret)]
    body: String,
    client_message_id: Option<String>,
    attachment_ids: Option<Vec<ID>>,
}

#[derive(InputObject)]
pub struct CreateUploadInput {
    group_id: ID,
    /// 1 to 255 characters, no path separators or control characters.
    #[graphql(secret)]
    filename: String,
    /// One of the allowed types (`CHORUS_UPLOAD_TYPES`).
    content_type: String,
    /// Bytes, 1 to `CHORUS_MAX_UPLOAD_BYTES`.
    size: i64,
    /// Images and video, as the client measured them (1 to 20,000).
    width: Option<i64>,
    height: Option<i64>,
}

/// The files a send names, and its body (which may then be empty).
fn body_and_files(body: &str, ids: Option<Vec<ID>>) -> ApiResult<(MessageBody, Vec<AttachmentId>)> {
    let ids = ids.unwrap_or_default();
    attachment::check_count(ids.len())?;
    let files = ids
        .iter()
        .map(|id| AttachmentId::parse(id))
        .collect::<Result<Vec<_>, _>>()?;
    let body = if files.is_empty() {
        text::message_body(body)?
    } else {
        text::message_body_beside_files(body)?
    };
    Ok((body, files))
}

#[derive(Default)]
pub struct MessageMutation;

#[Object]
impl MessageMutation {
    async fn post_message(
        &self,
        ctx: &Context<'_>,
        input: PostMessageInput,
    ) -> ApiResult<MessageObject> {
        let viewer = viewer(ctx)?;
        let group = group_id(&input.group_id)?;
        let (body, files) = body_and_files(&input.body, input.attachment_ids)?;
        let cid = text::client_message_id(input.client_message_id.as_deref())?;
        Ok(MessageObject(
            service(ctx)?
                .post_message(viewer, &group, body, cid, &files)
                .await?,
        ))
    }

    /// Signs an upload: PUT the bytes to the ticket's URL, then post with
    /// its attachment's id.
    async fn create_upload(
        &self,
        ctx: &Context<'_>,
        input: CreateUploadInput,
    ) -> ApiResult<UploadTicketObject> {
        let viewer = viewer(ctx)?;
        let group = group_id(&input.group_id)?;
        let declared = Declared {
            filename: input.filename,
            content_type: input.content_type,
            size: input.size,
            width: input.width,
            height: input.height,
        };
        let ticket = service(ctx)?
            .create_upload(viewer, &group, declared)
            .await?;
        Ok(UploadTicketObject(ticket))
    }

    /// Replies to any message, at any depth.
    async fn reply_to_message(
        &self,
        ctx: &Context<'_>,
        input: ReplyToMessageInput,
    ) -> ApiResult<MessageObject> {
        let viewer = viewer(ctx)?;
        let parent = message_id(&input.parent_id)?;
        let (body, files) = body_and_files(&input.body, input.attachment_ids)?;
        let cid = text::client_message_id(input.client_message_id.as_deref())?;
        Ok(MessageObject(
            service(ctx)?
                .reply(viewer, &parent, body, cid, &files)
                .await?,
        ))
    }

    async fn edit_message(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(secret)] body: String,
    ) -> ApiResult<MessageObject> {
        let viewer = viewer(ctx)?;
        let (id, body) = (message_id(&id)?, text::message_body(&body)?);
        Ok(MessageObject(
            service(ctx)?.edit_message(viewer, &id, body).await?,
        ))
    }

    /// Deletes a message, leaving a tombstone so replies stay reachable.
    async fn delete_message(&self, ctx: &Context<'_>, id: ID) -> ApiResult<MessageObject> {
        let viewer = viewer(ctx)?;
        let id = message_id(&id)?;
        Ok(MessageObject(
            service(ctx)?.delete_message(viewer, &id).await?,
        ))
    }

    /// Adds the viewer's reaction: one emoji or a `:shortcode:`. Adding a
    /// key the viewer already holds changes nothing and announces nothing.
    /// A message takes at most 20 distinct keys, and one user at most 10
    /// on one message (`CONFLICT`).
    async fn add_reaction(
        &self,
        ctx: &Context<'_>,
        message_id: ID,
        key: String,
    ) -> ApiResult<MessageObject> {
        let (viewer, id) = (viewer(ctx)?, super::message_id(&message_id)?);
        let message = service(ctx)?.react(viewer, &id, &key, true).await?;
        Ok(MessageObject(message))
    }

    /// Removes the viewer's reaction; removing one they do not hold changes
    /// nothing and announces nothing.
    async fn remove_reaction(
        &self,
        ctx: &Context<'_>,
        message_id: ID,
        key: String,
    ) -> ApiResult<MessageObject> {
        let (viewer, id) = (viewer(ctx)?, super::message_id(&message_id)?);
        let message = service(ctx)?.react(viewer, &id, &key, false).await?;
        Ok(MessageObject(message))
    }

    /// Pins a message (owners and admins; at most 50 per group, past that
    /// `CONFLICT`). Pinning a pinned message changes nothing.
    async fn pin_message(&self, ctx: &Context<'_>, id: ID) -> ApiResult<MessageObject> {
        let (viewer, id) = (viewer(ctx)?, message_id(&id)?);
        Ok(MessageObject(service(ctx)?.pin(viewer, &id, true).await?))
    }

    /// Unpins a message; unpinning one that is not pinned changes nothing.
    async fn unpin_message(&self, ctx: &Context<'_>, id: ID) -> ApiResult<MessageObject> {
        let (viewer, id) = (viewer(ctx)?, message_id(&id)?);
        Ok(MessageObject(service(ctx)?.pin(viewer, &id, false).await?))
    }
}
