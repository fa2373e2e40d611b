use super::messages::post;
use super::{group, user, DynStore};
use chorus::domain::search::SearchQuery;
use chorus::store::SearchScope;

/// Candidates are the scope's own: however many messages of other groups
/// hold the words (and score higher), they never take the scope's places.
pub async fn candidates_are_the_scopes_own_whatever_other_groups_hold(store: DynStore) {
    let ann = user(&store, "ann").await;
    let (busy, quiet) = (
        group(&store, &ann, "Busy").await,
        group(&store, &ann, "Quiet").await,
    );
    for i in 0..30 {
        post(
            &store,
            &busy.id,
            None,
            &ann,
            &format!("lantern lantern lantern {i}"),
        )
        .await;
    }
    let mut mine = Vec::new();
    for i in 0..3 {
        let body = format!("a long message that mentions the lantern once, number {i}");
        mine.push(post(&store, &quiet.id, None, &ann, &body).await.id);
    }
    let scope = SearchScope {
        groups: vec![quiet.id.clone()],
        author: None,
        since: None,
        until: None,
    };
    let words = SearchQuery::parse("lantern").unwrap().engine_words();
    let found = store.search_candidates(&scope, &words, 5).await.unwrap();
    let mut ids: Vec<_> = found.into_iter().map(|c| c.id).collect();
    ids.sort();
    mine.sort();
    assert_eq!(ids, mine);
}
