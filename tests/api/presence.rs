//! Presence through the API: online with a socket, last seen to the
//! minute, hidden on request, and only between users who share a group.

use crate::helpers::spawn_app;
use crate::ws_client::Ws;
use serde_json::{json, Value};
use std::time::Duration;

const PRESENCE: &str =
    "query($u: ID!) { node(id: $u) { ... on User { presence { online lastSeenAt } } } }";

async fn presence_of(client: &crate::helpers::Client<'_>, user: &str) -> Value {
    client.ok(PRESENCE, json!({"u": user})).await["node"]["presence"].clone()
}

#[tokio::test]
async fn presence_follows_the_socket_and_hides_on_request() {
    let app = spawn_app().await;
    let (alice, bob, eve) = (app.user("alice"), app.user("bob"), app.user("eve"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    eve.ok("{ me { id } }", json!({})).await;
    let offline = presence_of(&alice, "bob").await;
    assert_eq!(offline["online"], false);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let seen = presence_of(&alice, "bob").await;
    let at = seen["lastSeenAt"]
        .as_str()
        .expect("bob's requests were seen");
    assert_eq!(&at[17..19], "00", "to the minute: {at}");
    let mut ws = Ws::connect(&app, "bob").await;
    ws.subscribe("s", &g).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(presence_of(&alice, "bob").await["online"], true);
    assert_eq!(
        presence_of(&eve, "bob").await,
        Value::Null,
        "eve shares no group"
    );
    assert_eq!(presence_of(&alice, "eve").await, Value::Null);
    let hide = "mutation { setPresenceVisible(visible: false) { id } }";
    bob.ok(hide, json!({})).await;
    assert_eq!(
        presence_of(&alice, "bob").await,
        json!({"online": false, "lastSeenAt": null})
    );
    assert_eq!(
        presence_of(&bob, "bob").await["online"],
        true,
        "his own stays his"
    );
    bob.ok(
        "mutation { setPresenceVisible(visible: true) { id } }",
        json!({}),
    )
    .await;
    assert_eq!(presence_of(&alice, "bob").await["online"], true);
    drop(ws);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        presence_of(&alice, "bob").await["online"],
        false,
        "the socket closed"
    );
}
