//! Thread summaries: exact counts when many write at random depths, and
//! each participant's threads in order of last activity.

use super::messages::post;
use super::{admit, backward, forward, group, user, DynStore};
use chorus::domain::thread::Thread;
use chorus::domain::MessageId;

async fn thread(store: &DynStore, root: &MessageId) -> Thread {
    let mut found = store.threads(std::slice::from_ref(root)).await.unwrap();
    assert_eq!(found.len(), 1, "{root} has a summary");
    found.remove(0)
}

pub async fn concurrent_replies_at_random_depths_keep_the_summary_exact(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let root = post(&store, &g.id, None, &owner, "root").await;
    let mut writers = Vec::new();
    for w in 0..8 {
        let u = user(&store, &format!("w{w}")).await;
        admit(&store, &g.id, &owner, &u).await;
        writers.push(u);
    }
    let tasks: Vec<_> = writers
        .iter()
        .enumerate()
        .map(|(w, u)| {
            let (store, g, root, u) = (store.clone(), g.id.clone(), root.id.clone(), u.clone());
            tokio::spawn(async move {
                let mut mine = vec![root];
                let mut seed = 17 + w as u64;
                for i in 0..25 {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let parent = mine[(seed >> 33) as usize % mine.len()].clone();
                    let m = post(&store, &g, Some(&parent), &u, &format!("w{w} #{i}")).await;
                    mine.push(m.id);
                }
                mine.split_off(1)
            })
        })
        .collect();
    let mut written = Vec::new();
    for task in tasks {
        written.extend(task.await.unwrap());
    }
    let t = thread(&store, &root.id).await;
    assert_eq!(t.reply_count, 200, "every descendant, exactly");
    assert_eq!(
        t.participant_count, 9,
        "the root's author and eight writers"
    );
    assert_eq!(t.recent.len(), 9);
    let last = t.last_reply_id.clone().unwrap();
    assert!(written.contains(&last));
    let last = store.messages(std::slice::from_ref(&last)).await.unwrap();
    assert_eq!(
        t.recent[0], last[0].author_id,
        "the last reply's author comes first"
    );
    assert_eq!(t.last_reply_at, Some(last[0].created_at));
    for u in &writers {
        let took_part = store.participated(u, std::slice::from_ref(&root.id)).await;
        assert_eq!(took_part.unwrap(), vec![root.id.clone()]);
    }
    let reply = store.threads(&written[..1]).await.unwrap();
    assert!(reply.is_empty(), "a reply has no summary");
}

pub async fn my_threads_follow_last_activity(store: DynStore) {
    let (ann, bob) = (user(&store, "ann").await, user(&store, "bob").await);
    let g = group(&store, &ann, "Club").await;
    let other = group(&store, &ann, "Other").await;
    admit(&store, &g.id, &ann, &bob).await;
    let a = post(&store, &g.id, None, &ann, "a").await;
    let b = post(&store, &g.id, None, &bob, "b").await;
    let c = post(&store, &other.id, None, &ann, "c").await;
    let ids =
        |page: &[Thread]| -> Vec<MessageId> { page.iter().map(|t| t.root_id.clone()).collect() };
    let mine = store
        .my_threads(&ann, None, forward(None, 10))
        .await
        .unwrap();
    assert_eq!(
        ids(&mine.items),
        vec![a.id.clone(), c.id.clone()],
        "b is bob's alone"
    );
    // Ann replies deep under b: it becomes hers, and the most active.
    let r1 = post(&store, &g.id, Some(&b.id), &bob, "r1").await;
    post(&store, &g.id, Some(&r1.id), &ann, "r2").await;
    let mine = store
        .my_threads(&ann, None, forward(None, 10))
        .await
        .unwrap();
    assert_eq!(
        ids(&mine.items),
        vec![a.id.clone(), c.id.clone(), b.id.clone()]
    );
    // A reply by someone else moves the thread for every participant.
    post(&store, &g.id, Some(&a.id), &bob, "ra").await;
    let last_two = store
        .my_threads(&ann, None, backward(None, 2))
        .await
        .unwrap();
    assert_eq!(
        ids(&last_two.items),
        vec![b.id.clone(), a.id.clone()],
        "the two most active"
    );
    assert!(last_two.has_previous && !last_two.has_next);
    let in_g = store
        .my_threads(&ann, Some(&g.id), forward(None, 10))
        .await
        .unwrap();
    assert_eq!(ids(&in_g.items), vec![b.id.clone(), a.id.clone()]);
    let bobs = store
        .my_threads(&bob, None, forward(None, 10))
        .await
        .unwrap();
    assert_eq!(ids(&bobs.items), vec![b.id.clone(), a.id.clone()]);
    let oldest = store
        .my_threads(&ann, None, forward(None, 1))
        .await
        .unwrap();
    assert_eq!(ids(&oldest.items), vec![c.id.clone()]);
    let after = oldest.items[0].key();
    let rest = store
        .my_threads(&ann, None, forward(Some(after), 10))
        .await
        .unwrap();
    assert_eq!(ids(&rest.items), vec![b.id.clone(), a.id.clone()]);
    assert!(rest.has_previous);
    let t = thread(&store, &b.id).await;
    assert_eq!((t.reply_count, t.participant_count), (2, 2));
    assert_eq!(t.recent, vec![ann.clone(), bob.clone()]);
}
