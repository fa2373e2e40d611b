//! The production store: Neo4j 5 (or any Bolt server speaking its Cypher)
//! through neo4rs, with the graph model of docs/design.md ("Graph model").
//!
//! Every read-modify-write is one transaction that first writes to the node
//! it depends on (the parent's counter, the group's lock) and only then
//! reads, so concurrent writers queue on that node's write lock; transient
//! failures re-run the whole transaction (`tx::write`).

mod accounts;
mod attachments;
mod bots;
mod groups;
mod memberships;
mod messages;
mod moderation;
mod outbox;
mod pins;
mod queries;
mod reactions;
mod reads;
mod reports;
mod rows;
mod search;
mod send;
mod send_memo;
mod threads;
mod tx;
mod webhooks;
mod window;

use crate::domain::page::{Page, PageRequest};
use crate::store::{StoreError, StoreResult};
use neo4rs::{ConfigBuilder, Graph};
use secrecy::{ExposeSecret, SecretString};

/// How to reach Neo4j (`NEO4J_*` variables, see `config`).
#[derive(Debug, Clone)]
pub struct Neo4jConfig {
    pub uri: String,
    pub user: String,
    pub password: SecretString,
    pub database: Option<String>,
    pub pool_size: usize,
}

pub struct Neo4jStore {
    graph: Graph,
    /// What earlier sends were checked on (saves a send its context read).
    send_memo: send_memo::SendMemo,
}

impl Neo4jStore {
    /// Connects (the pool opens connections lazily).
    pub async fn connect(config: &Neo4jConfig) -> StoreResult<Self> {
        let mut builder = ConfigBuilder::default()
            .uri(config.uri.as_str())
            .user(config.user.as_str())
            .password(config.password.expose_secret())
            .max_connections(config.pool_size)
            .fetch_size(500);
        if let Some(db) = &config.database {
            builder = builder.db(db.as_str());
        }
        let neo_config = builder.build().map_err(tx::driver)?;
        let graph = Graph::connect(neo_config).await.map_err(tx::driver)?;
        Ok(Self {
            graph,
            send_memo: send_memo::SendMemo::default(),
        })
    }

    /// Applies the schema (constraints and indexes) and fills what data
    /// written before a feature lacks (`cypher/schema/02*_backfill_*`, and
    /// the search words, which only Rust computes), idempotently.
    #[tracing::instrument(skip(self))]
    pub async fn migrate(&self) -> StoreResult<()> {
        for (name, statement) in queries::MIGRATIONS {
            self.graph
                .run(neo4rs::query(statement))
                .await
                .map_err(tx::driver)?;
            tracing::info!(migration = name, "applied");
        }
        let indexed = self.backfill_search().await?;
        tracing::info!(indexed, "search backfill");
        Ok(())
    }

    /// Deletes all data. For test databases only (`NEO4J_TEST_URI`).
    pub async fn wipe_for_tests(&self) -> StoreResult<()> {
        self.graph
            .run(queries::ADMIN_DELETE_EVERYTHING.query().query)
            .await
            .map_err(tx::driver)
    }

    /// One keyset page: `fetch(forward, cursor, limit)` reads limit+1 rows
    /// in the page's direction; `exists(cursor, up_to)` says whether rows
    /// lie on the other side of the cursor.
    async fn page<K, R, T>(
        &self,
        request: &PageRequest<K>,
        fetch: impl Fn(bool, Option<&K>, i64) -> queries::Named,
        exists: impl Fn(&K, bool) -> queries::Named,
    ) -> StoreResult<Page<T>>
    where
        R: serde::de::DeserializeOwned,
        T: TryFrom<R, Error = StoreError>,
    {
        let (forward, cursor, limit) = match request {
            PageRequest::Forward { after, limit } => (true, after.as_ref(), *limit),
            PageRequest::Backward { before, limit } => (false, before.as_ref(), *limit),
        };
        let wanted = i64::try_from(limit + 1).unwrap_or(i64::MAX);
        let mut items: Vec<T> =
            rows::convert(tx::read::<R>(&self.graph, fetch(forward, cursor, wanted)).await?)?;
        let more = items.len() > limit;
        items.truncate(limit);
        let beyond_cursor = match cursor {
            Some(key) => !tx::read::<rows::Found>(&self.graph, exists(key, forward))
                .await?
                .is_empty(),
            None => false,
        };
        if forward {
            Ok(Page {
                items,
                has_previous: beyond_cursor,
                has_next: more,
            })
        } else {
            items.reverse();
            Ok(Page {
                items,
                has_previous: more,
                has_next: beyond_cursor,
            })
        }
    }
}
