//! Batched loads without a timer. async-graphql's `DataLoader` waits on a
//! timer before each batch (1 ms by default; a tokio timer rounds any
//! shorter wait up to its next millisecond tick), and a zero wait starts
//! the fetch on another worker before the rest of the request's keys are
//! in. Here a load registers its keys in the open batch of its kind, then
//! yields once to the scheduler: every sibling resolver polled in the same
//! pass (the 20 authors of a page, resolved together) registers its keys
//! before any of them resumes. The first to resume closes the batch and
//! runs one fetch for all of them; the others wait for its answer.

use async_graphql::dataloader::Loader;
use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

/// A batch this full is closed to newcomers, so a fetch asks for about this
/// many keys at most (one `load_many` may bring more on its own).
const MAX_BATCH: usize = 1_000;

struct Batch<K, V, E> {
    keys: Mutex<HashSet<K>>,
    done: tokio::sync::OnceCell<Result<HashMap<K, V>, E>>,
}

type Current<K, V, E> = Option<Arc<Batch<K, V, E>>>;
type OpenBatches<'a> = std::sync::MutexGuard<'a, HashMap<TypeId, Box<dyn Any + Send + Sync>>>;

/// Loads of `T`'s kinds of keys, batched per scheduler tick.
pub struct TickLoader<T> {
    loader: T,
    /// The open batch of each key type (an `Arc<Batch<..>>`).
    open: Mutex<HashMap<TypeId, Box<dyn Any + Send + Sync>>>,
}

impl<T> TickLoader<T> {
    pub fn new(loader: T) -> Self {
        Self {
            loader,
            open: Mutex::default(),
        }
    }

    /// The open batch of a kind, with the lock that guards it: keys join
    /// and a batch closes only while it is held.
    fn open<K, V, E>(&self) -> (OpenBatches<'_>, TypeId, Current<K, V, E>)
    where
        K: Send + Sync + 'static,
        V: Send + Sync + 'static,
        E: Send + Sync + 'static,
    {
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let kind = TypeId::of::<Batch<K, V, E>>();
        let current = open
            .get(&kind)
            .and_then(|b| b.downcast_ref::<Arc<Batch<K, V, E>>>())
            .cloned();
        (open, kind, current)
    }

    /// Adds `keys` to the open batch of their kind (a new one if none is
    /// open) and returns it.
    fn join<K, V, E>(&self, keys: impl IntoIterator<Item = K>) -> Arc<Batch<K, V, E>>
    where
        K: Eq + Hash + Send + Sync + 'static,
        V: Send + Sync + 'static,
        E: Send + Sync + 'static,
    {
        let (mut open, kind, current) = self.open::<K, V, E>();
        let batch = current.unwrap_or_else(|| {
            let batch = Arc::new(Batch {
                keys: Mutex::default(),
                done: tokio::sync::OnceCell::new(),
            });
            open.insert(kind, Box::new(batch.clone()));
            batch
        });
        let mut batch_keys = batch.keys.lock().unwrap_or_else(PoisonError::into_inner);
        batch_keys.extend(keys);
        if batch_keys.len() >= MAX_BATCH {
            open.remove(&kind);
        }
        drop(batch_keys);
        batch
    }

    /// Closes `batch` to newcomers and returns the keys it gathered.
    fn close<K, V, E>(&self, batch: &Arc<Batch<K, V, E>>) -> Vec<K>
    where
        K: Clone + Send + Sync + 'static,
        V: Send + Sync + 'static,
        E: Send + Sync + 'static,
    {
        let (mut open, kind, current) = self.open::<K, V, E>();
        if current.is_some_and(|current| Arc::ptr_eq(&current, batch)) {
            open.remove(&kind);
        }
        let keys = batch.keys.lock().unwrap_or_else(PoisonError::into_inner);
        keys.iter().cloned().collect()
    }

    /// The values of `keys` that exist, fetched in one batch with every
    /// other load of the same kind made in the same scheduler tick.
    pub async fn load_many<K, I>(&self, keys: I) -> Result<HashMap<K, T::Value>, T::Error>
    where
        T: Loader<K>,
        K: Clone + Eq + Hash + Send + Sync + 'static,
        T::Error: Sync,
        I: IntoIterator<Item = K>,
    {
        let wanted: Vec<K> = keys.into_iter().collect();
        if wanted.is_empty() {
            return Ok(HashMap::new());
        }
        let batch = self.join::<K, T::Value, T::Error>(wanted.iter().cloned());
        tokio::task::yield_now().await;
        // The first to get here fetches (again, should it be cancelled
        // midway: the closed batch's keys do not change).
        let fetched = batch
            .done
            .get_or_init(|| async {
                let keys = self.close(&batch);
                self.loader.load(&keys).await
            })
            .await;
        match fetched {
            Ok(values) => Ok(wanted
                .into_iter()
                .filter_map(|k| values.get(&k).cloned().map(|v| (k, v)))
                .collect()),
            Err(err) => Err(err.clone()),
        }
    }

    /// The value of `key`, if it exists (see [`TickLoader::load_many`]).
    pub async fn load_one<K>(&self, key: K) -> Result<Option<T::Value>, T::Error>
    where
        T: Loader<K>,
        K: Clone + Eq + Hash + Send + Sync + 'static,
        T::Error: Sync,
    {
        let mut found = self.load_many([key.clone()]).await?;
        Ok(found.remove(&key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Squares numbers and counts its fetches; 13 fails.
    #[derive(Default)]
    struct Squares {
        fetches: AtomicUsize,
        largest: AtomicUsize,
    }

    impl Loader<u32> for Squares {
        type Value = u32;
        type Error = Arc<String>;

        async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, u32>, Arc<String>> {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            self.largest.fetch_max(keys.len(), Ordering::SeqCst);
            if keys.contains(&13) {
                return Err(Arc::new("unlucky".into()));
            }
            Ok(keys
                .iter()
                .filter(|k| **k != 0)
                .map(|k| (*k, k * k))
                .collect())
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sibling_loads_are_one_fetch_and_each_gets_its_own_answer() {
        let loader = TickLoader::new(Squares::default());
        let loads = (0..20u32).map(|k| loader.load_one(k % 10));
        let answers = futures_util::future::join_all(loads).await;
        assert_eq!(loader.loader.fetches.load(Ordering::SeqCst), 1);
        assert_eq!(
            loader.loader.largest.load(Ordering::SeqCst),
            10,
            "keys deduplicated"
        );
        for (k, answer) in (0..20u32).zip(answers) {
            let k = k % 10;
            assert_eq!(answer.unwrap(), (k != 0).then_some(k * k));
        }
        // A later load is a new batch.
        assert_eq!(loader.load_many([3, 4]).await.unwrap().len(), 2);
        assert_eq!(loader.loader.fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_fetch_fails_every_load_of_its_batch_and_not_the_next() {
        let loader = TickLoader::new(Squares::default());
        let (a, b) = tokio::join!(loader.load_one(13), loader.load_one(2));
        assert_eq!(a.unwrap_err().as_str(), "unlucky");
        assert!(b.is_err(), "in the same batch");
        assert_eq!(loader.load_one(2).await.unwrap(), Some(4));
    }

    #[tokio::test]
    async fn a_batch_is_capped() {
        let loader = TickLoader::new(Squares::default());
        let loads = (100..2_600u32).map(|k| loader.load_one(k));
        let answers = futures_util::future::join_all(loads).await;
        assert!(answers.iter().all(Result::is_ok));
        assert_eq!(loader.loader.fetches.load(Ordering::SeqCst), 3);
        assert_eq!(loader.loader.largest.load(Ordering::SeqCst), MAX_BATCH);
    }
}
