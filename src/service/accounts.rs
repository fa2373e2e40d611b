//! A user's own account: `deleteMyAccount` and the data export. Both run
//! as idempotent steps over what the store keeps pending, so a run cut
//! short (a crash, a Lambda timeout) is finished by the next one: the job
//! queued for it, or the sweep.

use super::ports::Job;
use super::Service;
use crate::domain::account::{
    self, DataExport, Deletion, ExportData, ExportState, EXPORT_FILENAME,
};
use crate::domain::bot::BotChange;
use crate::domain::ids::ExportId;
use crate::domain::membership::{Action, MembershipState, Role};
use crate::domain::message::MessageChange;
use crate::domain::reaction::{ReactionChange, ReactionKey};
use crate::domain::{DomainError, DomainResult, UserId};
use std::time::Duration;

/// How long `deleteMyAccount` works before answering; a job finishes the
/// rest.
const INLINE_DELETION: Duration = Duration::from_secs(10);
/// Rows each step of a deletion or export reads at once.
const BATCH: usize = 200;

fn failed<E: std::error::Error + Send + Sync + 'static>(err: E) -> DomainError {
    DomainError::Internal(Box::new(err))
}

impl Service {
    /// Deletes the viewer's account (`domain::account`): refused while they
    /// own a group with other members. The deletion runs here for a
    /// while, and is queued to finish if it takes longer.
    #[tracing::instrument(skip(self, confirm))]
    pub async fn delete_my_account(&self, viewer: &UserId, confirm: &str) -> DomainResult<bool> {
        account::check_confirm(viewer, confirm)?;
        self.throttle(viewer).await?;
        let owned: Vec<_> = (self.store.memberships_of(viewer).await?.into_iter())
            .filter(|m| m.state == MembershipState::Member && m.role == Some(Role::Owner))
            .map(|m| m.group_id)
            .collect();
        for group in self.store.groups(&owned).await? {
            account::check_owned(&group)?;
        }
        let ghost = self.store.begin_deletion(viewer, &UserId::ghost()).await?;
        let deletion = Deletion {
            user_id: viewer.clone(),
            ghost,
        };
        match tokio::time::timeout(INLINE_DELETION, self.run_deletion(&deletion)).await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "account deletion stopped; queued to finish");
                self.submit(Job::DeleteAccount(viewer.clone())).await;
            }
            Err(_) => self.submit(Job::DeleteAccount(viewer.clone())).await,
        }
        Ok(true)
    }

    /// Runs a deletion to its end; each step reads what is left, so running
    /// it again (or after a stop) finishes what remains.
    #[tracing::instrument(skip_all, fields(user = %deletion.user_id))]
    pub async fn run_deletion(&self, deletion: &Deletion) -> DomainResult<()> {
        let (user, now) = (&deletion.user_id, Self::now());
        // Reactions first: removing one checks the message, which goes next.
        loop {
            let held = self.store.reactions_by(user, None, BATCH).await?;
            if held.is_empty() {
                break;
            }
            for reaction in held {
                let change = ReactionChange {
                    message_id: reaction.message_id,
                    user_id: user.clone(),
                    key: ReactionKey::parse(&reaction.key)?,
                    add: false,
                    now,
                    erasure: true,
                };
                let recorded = self.store.change_reaction(&change).await?;
                self.announce(recorded.events).await;
            }
        }
        // Messages become tombstones authored by the ghost, so each batch
        // reads the ones still theirs.
        loop {
            let written = self.store.authored(user, None, BATCH).await?;
            if written.is_empty() {
                break;
            }
            for message in written {
                let erase = MessageChange::Erase {
                    at: now,
                    ghost: deletion.ghost.clone(),
                };
                let recorded = self.store.change_message(&message.id, &erase).await?;
                self.announce(recorded.events).await;
                self.forget_files(&message.attachments).await;
            }
        }
        // Bots while the creator still manages the group (a bot that cannot
        // be revoked any more was disabled when its creator lost the right).
        for bot in self.store.bots_created_by(user).await? {
            if bot.revoked_at.is_none() {
                match self
                    .store
                    .change_bot(&bot.id, user, &BotChange::Revoke, now)
                    .await
                {
                    Ok(recorded) => self.announce(recorded.events).await,
                    Err(err) => tracing::info!(bot = %bot.id, error = %err, "bot left as is"),
                }
            }
        }
        self.keys_may_have_changed();
        for membership in self.store.memberships_of(user).await? {
            let owner = membership.role == Some(Role::Owner);
            let group = &membership.group_id;
            let recorded = (self.store)
                .transition(group, user, user, &Action::Erase, now)
                .await?;
            self.announce(recorded.events).await;
            if owner && self.load_group(group).await?.member_count == 0 {
                // The owner was its last member: nothing they wrote stays
                // readable, and nobody finds it any more.
                let patch = account::closed_group(group)?;
                self.store.update_group(group, &patch, None).await?;
            }
        }
        // Uploads never attached (the attached ones went with their
        // messages): no new ones, the memberships being gone.
        loop {
            let strays = self.store.uploads_of(user, BATCH).await?;
            if strays.is_empty() {
                break;
            }
            self.files.delete(&strays).await.map_err(failed)?;
            let ids: Vec<_> = strays.into_iter().map(|a| a.id).collect();
            self.store.delete_attachments(&ids).await?;
        }
        self.forget_devices(user).await?;
        self.store.finish_deletion(deletion).await?;
        self.seen.lock().pop(user);
        Ok(())
    }

    /// Web Push subscriptions and native devices go, with their platform
    /// endpoints.
    async fn forget_devices(&self, user: &UserId) -> DomainResult<()> {
        let subscriptions =
            (self.push.of_users(std::slice::from_ref(user)).await).map_err(failed)?;
        for subscription in subscriptions {
            (self.push.remove(user, &subscription.endpoint).await).map_err(failed)?;
            if let Some(arn) = subscription.device.and_then(|d| d.arn) {
                self.devices.delete(&arn).await.map_err(failed)?;
            }
        }
        Ok(())
    }

    /// Starts an export of the viewer's data, or returns the one made in the
    /// last 24 hours.
    #[tracing::instrument(skip(self))]
    pub async fn request_data_export(&self, viewer: &UserId) -> DomainResult<DataExport> {
        crate::domain::access::people_only(viewer)?;
        self.throttle(viewer).await?;
        let now = Self::now();
        let fresh = DataExport::new(viewer, now);
        let export = self.store.begin_export(&fresh, now).await?;
        if export.id == fresh.id {
            self.submit(Job::Export(export.id.clone())).await;
        }
        Ok(export)
    }

    /// The viewer's export (someone else's is not found).
    pub async fn data_export(
        &self,
        viewer: &UserId,
        id: &ExportId,
    ) -> DomainResult<Option<DataExport>> {
        let found = self.store.data_export(id).await?;
        Ok(found.filter(|export| &export.user_id == viewer))
    }

    /// An export's signed link, valid until the export expires; none before
    /// it is ready or after.
    pub async fn export_url(&self, export: &DataExport) -> DomainResult<Option<String>> {
        let now = Self::now();
        if !export.downloadable(now) {
            return Ok(None);
        }
        let valid = (export.expires_at() - now).to_std().unwrap_or_default();
        let url = (self.files)
            .document_url(&export.key(), EXPORT_FILENAME, valid)
            .await
            .map_err(failed)?;
        Ok(Some(url))
    }

    /// Builds a pending export's document and stores it; a failure marks
    /// the export FAILED (a new request may then start another).
    #[tracing::instrument(skip(self))]
    pub async fn run_export(&self, id: &ExportId) -> DomainResult<()> {
        let Some(export) = self.store.data_export(id).await? else {
            return Ok(());
        };
        if export.state != ExportState::Pending {
            return Ok(());
        }
        let state = match self.write_export(&export).await {
            Ok(()) => ExportState::Ready,
            Err(err) => {
                tracing::warn!(error = %err, "data export failed");
                ExportState::Failed
            }
        };
        let finished = export.finished(state, Self::now());
        self.store.save_export(&finished).await?;
        Ok(())
    }

    async fn write_export(&self, export: &DataExport) -> DomainResult<()> {
        let data = self.export_data(&export.user_id).await?;
        let document = account::document(&data, Self::now());
        let bytes = serde_json::to_vec_pretty(&document).map_err(failed)?;
        (self.files)
            .put_document(&export.key(), bytes, "application/json")
            .await
            .map_err(failed)
    }

    async fn export_data(&self, user: &UserId) -> DomainResult<ExportData> {
        let profile = self.user(user).await?;
        let memberships = self.store.memberships_of(user).await?;
        let ids: Vec<_> = memberships.iter().map(|m| m.group_id.clone()).collect();
        let groups = self.store.groups(&ids).await?;
        let name = |m: &crate::domain::membership::Membership| {
            let group = groups.iter().find(|g| g.id == m.group_id);
            group.map(|g| g.name.to_string())
        };
        let memberships = (memberships.into_iter())
            .map(|m| {
                let name = name(&m);
                (m, name)
            })
            .collect();
        let mut messages = Vec::new();
        loop {
            let after = messages
                .last()
                .map(|m: &crate::domain::message::Message| &m.id);
            let page = self.store.authored(user, after, BATCH).await?;
            let done = page.len() < BATCH;
            messages.extend(page);
            if done {
                break;
            }
        }
        let mut reactions = Vec::new();
        loop {
            let last = reactions.last().map(crate::domain::reaction::Reaction::id);
            let page = self
                .store
                .reactions_by(user, last.as_deref(), BATCH)
                .await?;
            let done = page.len() < BATCH;
            reactions.extend(page);
            if done {
                break;
            }
        }
        let subscriptions =
            (self.push.of_users(std::slice::from_ref(user)).await).map_err(failed)?;
        Ok(ExportData {
            user: profile,
            memberships,
            messages,
            reactions,
            subscriptions,
            bots: self.store.bots_created_by(user).await?,
        })
    }

    /// Runs a job (from the job queue, or a task of this process).
    pub async fn run_job(&self, job: &Job) -> DomainResult<()> {
        match job {
            Job::Export(id) => self.run_export(id).await,
            // Only while it is pending: a stale job must not touch the
            // empty account of someone who signed in again.
            Job::DeleteAccount(user) => match self.store.deletion(user).await? {
                Some(deletion) => self.run_deletion(&deletion).await,
                None => Ok(()),
            },
        }
    }

    /// Finishes the exports and deletions no job finished (the sweep's
    /// part); returns how many ran.
    pub async fn sweep_jobs(&self) -> DomainResult<usize> {
        let exports = self.store.pending_exports(BATCH).await?;
        let deletions = self.store.pending_deletions(BATCH).await?;
        let ran = exports.len() + deletions.len();
        for export in exports {
            self.run_export(&export.id).await?;
        }
        for deletion in deletions {
            self.run_deletion(&deletion).await?;
        }
        Ok(ran)
    }

    /// Hands a job to the job queue, or runs it in a task of this process
    /// when there is none. A job the queue refused is left to the sweep.
    async fn submit(&self, job: Job) {
        match &self.jobs {
            Some(queue) => {
                if let Err(err) = queue.submit(&job).await {
                    tracing::warn!(error = %err, "job not queued; the sweep will run it");
                }
            }
            None => {
                let service = self.process();
                tokio::spawn(async move {
                    if let Err(err) = service.run_job(&job).await {
                        tracing::warn!(error = %err, "job failed; the sweep will run it again");
                    }
                });
            }
        }
    }
}
