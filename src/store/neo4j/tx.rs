//! Transactions with retries. neo4rs retries `Graph::run`, not explicit
//! transactions, so the store owns this: a unit of work runs in one
//! transaction and is re-run from the start, with capped exponential
//! backoff, when the database reports a transient failure (deadlock, lock
//! timeout, optimistic conflict) or the connection drops before commit.

use super::queries::Named;
use crate::store::{StoreError, StoreResult};
use neo4rs::{Graph, Txn};
use serde::de::DeserializeOwned;
use std::time::Duration;

const MAX_ATTEMPTS: u32 = 10;
const BASE_DELAY: Duration = Duration::from_millis(5);
const MAX_DELAY: Duration = Duration::from_millis(400);

/// What a driver error means for the caller.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    /// The database rolled back and says trying again may work.
    Transient,
    /// The connection failed; nothing was committed if it was before COMMIT.
    Connection,
    /// `Neo.ClientError.Schema.ConstraintValidationFailed`.
    Constraint,
    Other,
}

fn kind(err: &neo4rs::Error) -> Kind {
    match err {
        neo4rs::Error::Neo4j(e) if e.code().starts_with("Neo.TransientError.") => Kind::Transient,
        neo4rs::Error::Neo4j(e)
            if e.code() == "Neo.ClientError.Schema.ConstraintValidationFailed" =>
        {
            Kind::Constraint
        }
        // A response cut off mid-stream comes as an unexpected message: the
        // connection is gone either way.
        neo4rs::Error::IOError { .. }
        | neo4rs::Error::ConnectionError
        | neo4rs::Error::UnexpectedMessage(_) => Kind::Connection,
        _ => Kind::Other,
    }
}

/// A driver error as a store error. Uniqueness violations are recognised by
/// their code only, never by message text.
pub fn driver(err: neo4rs::Error) -> StoreError {
    match kind(&err) {
        Kind::Constraint => StoreError::Conflict("this already exists".into()),
        Kind::Transient | Kind::Connection => StoreError::Unavailable(Box::new(err)),
        Kind::Other => StoreError::Internal(Box::new(err)),
    }
}

/// Errors inside a unit of work: the driver's (maybe retried) or the
/// store's own verdicts (never retried).
pub enum TxError {
    Driver(neo4rs::Error),
    Store(StoreError),
}

impl From<neo4rs::Error> for TxError {
    fn from(err: neo4rs::Error) -> Self {
        Self::Driver(err)
    }
}

impl From<StoreError> for TxError {
    fn from(err: StoreError) -> Self {
        Self::Store(err)
    }
}

fn backoff(attempt: u32) -> Duration {
    let exp = BASE_DELAY
        .saturating_mul(1 << attempt.min(16))
        .min(MAX_DELAY);
    // Jitter from the clock: spreads writers that collided together.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    exp / 2 + Duration::from_nanos(u64::from(nanos) % (exp.as_nanos() as u64 / 2 + 1))
}

/// How one attempt of a write transaction ended.
pub enum Step<T> {
    Done(StoreResult<T>),
    /// Rolled back by a failure that may pass on a new attempt.
    Retry(neo4rs::Error),
}

/// Commits after a successful unit of work, rolls back after a failed one.
pub async fn finish<T>(txn: Txn, result: Result<T, TxError>) -> Step<T> {
    match result {
        Ok(value) => match txn.commit().await {
            Ok(()) => Step::Done(Ok(value)),
            // A connection lost during COMMIT may have committed: not retried.
            Err(err) if kind(&err) == Kind::Transient => Step::Retry(err),
            Err(err) => Step::Done(Err(driver(err))),
        },
        Err(TxError::Store(err)) => {
            let _ = txn.rollback().await;
            Step::Done(Err(err))
        }
        Err(TxError::Driver(err)) => {
            let _ = txn.rollback().await;
            if matches!(kind(&err), Kind::Transient | Kind::Connection) {
                Step::Retry(err)
            } else {
                Step::Done(Err(driver(err)))
            }
        }
    }
}

/// Waits before attempt `attempt + 1`, or gives up with `err`.
pub async fn pause(attempt: u32, err: neo4rs::Error) -> StoreResult<()> {
    if !matches!(kind(&err), Kind::Transient | Kind::Connection) || attempt >= MAX_ATTEMPTS {
        return Err(driver(err));
    }
    tracing::debug!(attempt, error = %err, "retrying transaction");
    tokio::time::sleep(backoff(attempt)).await;
    Ok(())
}

/// Runs a block as one write transaction, re-running it from the start on
/// transient failures. In the block, `$txn` is the `&mut Txn` and `?`
/// fails the attempt with a [`TxError`]. (A macro, not a function taking
/// an async closure: such closures are not `Send` for every lifetime, which
/// the store's `async_trait` futures need.)
macro_rules! write_txn {
    ($graph:expr, |$txn:ident| $body:block) => {{
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let step = match $graph.start_txn().await {
                Ok(mut open) => {
                    let result: Result<_, $crate::store::neo4j::tx::TxError> = async {
                        let $txn = &mut open;
                        $body
                    }
                    .await;
                    $crate::store::neo4j::tx::finish(open, result).await
                }
                Err(err) => $crate::store::neo4j::tx::Step::Retry(err),
            };
            match step {
                $crate::store::neo4j::tx::Step::Done(result) => break result,
                $crate::store::neo4j::tx::Step::Retry(err) => {
                    $crate::store::neo4j::tx::pause(attempt, err).await?
                }
            }
        }
    }};
}
pub(crate) use write_txn;

/// All rows of a statement inside a transaction, deserialized by column name.
#[tracing::instrument(name = "cypher", skip_all, fields(statement = statement.name))]
pub async fn rows<T: DeserializeOwned>(txn: &mut Txn, statement: Named) -> Result<Vec<T>, TxError> {
    let mut stream = txn.execute(statement.query).await?;
    let mut out = Vec::new();
    while let Some(row) = stream.next(txn.handle()).await? {
        out.push(
            row.to::<T>()
                .map_err(|e| StoreError::Internal(Box::new(e)))?,
        );
    }
    Ok(out)
}

/// The first row of a statement inside a transaction, if any.
pub async fn first<T: DeserializeOwned>(
    txn: &mut Txn,
    statement: Named,
) -> Result<Option<T>, TxError> {
    Ok(rows(txn, statement).await?.into_iter().next())
}

/// The rows of a read, undecoded (for a row that decodes into two shapes).
#[tracing::instrument(name = "cypher", skip_all, fields(statement = statement.name))]
pub async fn read_rows(graph: &Graph, statement: Named) -> StoreResult<Vec<neo4rs::Row>> {
    autocommit(graph, statement).await.map_err(driver)
}

/// All rows of one statement run as its own transaction (autocommit),
/// deserialized by column name.
#[tracing::instrument(name = "cypher", skip_all, fields(statement = statement.name))]
pub async fn read<T: DeserializeOwned>(graph: &Graph, statement: Named) -> StoreResult<Vec<T>> {
    decode(autocommit(graph, statement).await.map_err(driver)?)
}

async fn autocommit(graph: &Graph, statement: Named) -> Result<Vec<neo4rs::Row>, neo4rs::Error> {
    let mut stream = graph.execute(statement.query).await?;
    let mut out = Vec::new();
    while let Some(row) = stream.next().await? {
        out.push(row);
    }
    Ok(out)
}

fn decode<T: DeserializeOwned>(rows: Vec<neo4rs::Row>) -> StoreResult<Vec<T>> {
    rows.into_iter()
        .map(|row| row.to::<T>().map_err(|e| StoreError::Internal(Box::new(e))))
        .collect()
}

/// What a write of [`write_retried`] did.
pub enum Wrote<T> {
    Rows(Vec<T>),
    /// A uniqueness constraint refused it (nothing was written).
    Taken,
}

/// Runs one write statement as its own transaction, re-running it (as
/// `statement()` builds it again) after a transient failure or a dropped
/// connection, with capped backoff. Only for a statement that is safe to run
/// twice: one whose CREATE carries a unique id, so that a run after a commit
/// whose response was lost is refused on that id ([`Wrote::Taken`]).
pub async fn write_retried<T: DeserializeOwned>(
    graph: &Graph,
    statement: impl Fn() -> Named,
) -> StoreResult<Wrote<T>> {
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let named = statement();
        let span = tracing::info_span!("cypher", statement = named.name);
        let ran = tracing::Instrument::instrument(autocommit(graph, named), span).await;
        match ran {
            Ok(rows) => return Ok(Wrote::Rows(decode(rows)?)),
            Err(err) if kind(&err) == Kind::Constraint => return Ok(Wrote::Taken),
            Err(err) => pause(attempt, err).await?,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_capped() {
        assert!(backoff(1) <= BASE_DELAY * 2);
        assert!(backoff(30) <= MAX_DELAY);
        assert!(backoff(30) >= MAX_DELAY / 2);
    }
}
