//! GraphiQL is self-contained: the page loads nothing from another host,
//! and every script and style it names is served by the binary. (The
//! browser suite, `tests/web`, renders it in Chromium with no network.)

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_playground_page_names_only_assets_the_server_serves() {
    let app = spawn_app().await;
    let page = app.http.get(app.url("/")).send().await.unwrap();
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(!html.contains("://"), "no absolute URL in the page");
    assert!(html.contains("Authorization"), "the header hint");
    let paths: Vec<&str> = html
        .split(['"', '\''])
        .filter(|s| s.starts_with("/graphiql/"))
        .collect();
    assert_eq!(paths.len(), 6, "{paths:?}");
    for path in paths {
        let reply = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(reply.status(), 200, "{path}");
        let kind = reply.headers()["content-type"].to_str().unwrap().to_owned();
        let expected = if path.ends_with(".css") {
            "text/css"
        } else {
            "text/javascript"
        };
        assert!(kind.starts_with(expected), "{path}: {kind}");
        let body = reply.bytes().await.unwrap();
        assert!(body.len() > 1_000, "{path}");
    }
    let missing = app
        .http
        .get(app.url("/graphiql/nope.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_playground_page_forbids_foreign_scripts_and_framing() {
    let app = spawn_app().await;
    let page = app.http.get(app.url("/")).send().await.unwrap();
    let header = |name: &str| {
        page.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let csp = header("content-security-policy");
    for directive in [
        "default-src 'none'",
        "script-src 'self';",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("script-src 'self' 'unsafe"), "{csp}");
    assert_eq!(header("x-frame-options"), "DENY");
    let script = app
        .http
        .get(app.url("/graphiql/playground.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        script.contains("shouldPersistHeaders: false"),
        "headers stay in memory"
    );
}
