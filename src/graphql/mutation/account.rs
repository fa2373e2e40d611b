use crate::graphql::context::{service, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::types::DataExportObject;
use async_graphql::{Context, Object};

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Starts an export of everything you wrote or own (profile,
    /// memberships, messages, reactions, devices without tokens, bots
    /// without keys), built in the background: poll `dataExport(id)`. A
    /// second request within 24 hours returns the export already made.
    async fn request_data_export(&self, ctx: &Context<'_>) -> ApiResult<DataExportObject> {
        let viewer = viewer(ctx)?;
        let export = service(ctx)?.request_data_export(viewer).await?;
        Ok(DataExportObject(export))
    }

    /// Deletes your account for good: your messages become tombstones by
    /// "Deleted user" (the threads stay), your reactions, devices, push
    /// subscriptions, uploads and memberships go, and your bots are
    /// revoked. `confirm` must be your own user id (else BAD_USER_INPUT);
    /// the owner of a group with other members must transfer ownership
    /// first (CONFLICT). Signing in again starts an empty account.
    async fn delete_my_account(&self, ctx: &Context<'_>, confirm: String) -> ApiResult<bool> {
        let viewer = viewer(ctx)?;
        Ok(service(ctx)?.delete_my_account(viewer, &confirm).await?)
    }
}
