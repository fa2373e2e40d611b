//! Wiring: from a [`Config`] to a served router. Binaries call this and
//! hold no logic of their own.

use crate::auth::dev::DevTokens;
use crate::auth::jwks::JwksVerifier;
use crate::auth::sealed::Sealer;
use crate::auth::Authenticator;
use crate::config::{Config, ConfigError};
use crate::delivery::broker::Broker;
use crate::delivery::outbound::SystemLookup;
use crate::delivery::push::MemoryPushRegistry;
use crate::delivery::webhook::WebhookSender;
use crate::domain::rate::Bucket;
use crate::graphql::ws::replay::SharedAnswers;
use crate::graphql::{build_schema, ChorusSchema, Limits};
use crate::http::uploads::LocalFiles;
use crate::http::{router, AppState};
use crate::service::ports::{LiveEvents, NoDeviceEndpoints, RateLimit, WebhookDelivery};
use crate::service::rate_limit::RateLimiter;
use crate::service::{Ports, Service};
use crate::store::memory::MemoryStore;
use crate::store::neo4j::Neo4jStore;
use crate::store::Store;
use std::sync::Arc;

/// The authenticator the configuration asks for.
pub fn authenticator(config: &Config) -> Authenticator {
    let dev = config.dev_secret.clone().map(DevTokens::new);
    let jwks = config.jwks.clone().map(|source| {
        JwksVerifier::new(
            source,
            config.jwt_issuers.clone(),
            config.jwt_audiences.clone(),
            config.jwks_min_refresh,
        )
    });
    Authenticator::new(dev, jwks)
}

/// Outgoing webhooks as the configuration asks: the address rule lifted
/// only where `CHORUS_WEBHOOK_ALLOW_PRIVATE` says so, or by default for
/// the `local` server; secrets sealed under `CHORUS_SECRETS_KEY` (which only
/// the local server may leave unset: it derives a key from its dev secret,
/// or the built-in one).
pub fn webhook_delivery(config: &Config, local: bool) -> anyhow::Result<WebhookDelivery> {
    use secrecy::ExposeSecret;
    let sender = WebhookSender::new(config.allow_private(local), Arc::new(SystemLookup))?;
    let sealer = match (&config.secrets_key, &config.dev_secret) {
        (Some(key), _) => Sealer::from_base64(key.expose_secret())
            .ok_or_else(|| ConfigError::invalid("CHORUS_SECRETS_KEY", "not 256 bits in base64"))?,
        // Locally, a key from the dev secret (the built-in one without):
        // stable across restarts, as a local Neo4j needs.
        (None, dev) if local => Sealer::from_passphrase(
            dev.as_ref()
                .map_or(crate::config::LOCAL_DEV_SECRET, |d| d.expose_secret()),
        ),
        (None, _) => Err(ConfigError::invalid(
            "CHORUS_SECRETS_KEY",
            "must be set: webhook signing secrets are sealed with it",
        ))?,
    };
    Ok(WebhookDelivery {
        transport: Arc::new(sender),
        retries: config.webhook_retries.clone(),
        sealer: Arc::new(sealer),
        gate: Arc::default(),
    })
}

/// A service, its schema, and where its sockets hear events.
pub struct Parts {
    pub service: Arc<Service>,
    pub schema: ChorusSchema,
    /// The in-process broker, where this process serves subscriptions
    /// itself (the local server).
    pub live: Option<Arc<dyn LiveEvents>>,
    /// The local server's file storage, which it serves itself.
    pub files: Option<Arc<LocalFiles>>,
    /// "Sign in as": the local server's, with the built-in dev secret only.
    pub dev_tokens: Option<Arc<crate::auth::dev::DevTokens>>,
}

/// Rate limits kept in this process (each process its own buckets).
pub fn local_limiter(config: &Config) -> Arc<dyn RateLimit> {
    Arc::new(RateLimiter::new(config.rate_burst, config.rate_per_sec))
}

/// The schema's view of the configured limits.
impl From<&Config> for Limits {
    fn from(config: &Config) -> Self {
        Self {
            depth: config.limits.max_query_depth,
            complexity: config.limits.max_query_complexity,
            introspection: config.introspection,
            max_selections: config.limits.max_query_selections,
            max_response_bytes: config.limits.max_response_bytes,
        }
    }
}

/// The service and schema over the given adapters, serving no
/// subscriptions of its own.
pub fn parts(config: &Config, ports: Ports) -> Parts {
    let service = Arc::new(Service::new(ports));
    let schema = build_schema(service.clone(), Limits::from(config));
    Parts {
        service,
        schema,
        live: None,
        files: None,
        dev_tokens: None,
    }
}

/// The router over a service and schema (the local server and the `api`
/// Lambda serve the same one).
pub fn app_router(config: &Config, parts: Parts) -> axum::Router {
    let state = AppState {
        schema: parts.schema,
        auth: Arc::new(authenticator(config)),
        service: parts.service,
        limits: config.limits.clone(),
        sockets: Arc::default(),
        public_url: config.public_url.clone().map(crate::graphql::BaseUrl),
        live: parts.live,
        answers: Arc::new(SharedAnswers::new(SHARED_ANSWERS)),
        files: parts.files.map(|files| (files, config.uploads.max_bytes)),
        dev_tokens: parts.dev_tokens,
    };
    router(state, &config.cors_origins)
}

/// Results kept for sockets to share: a few per event for the last
/// hundreds of events.
const SHARED_ANSWERS: usize = 1_024;

/// The local service and schema on a store: in-process events and push
/// registry, and with `run_local` the local runner of webhooks and logged
/// pushes (started here: call within a runtime).
fn local_parts(config: &Config, store: Arc<dyn Store>, run_local: bool) -> anyhow::Result<Parts> {
    let (broker, local_queue) = if run_local {
        let (events, queue) = tokio::sync::mpsc::unbounded_channel();
        (Broker::with_runner(events), Some(queue))
    } else {
        (Broker::new(), None)
    };
    let broker = Arc::new(broker);
    let files = Arc::new(LocalFiles::new());
    let ports = Ports {
        store,
        events: broker.clone(),
        push: Arc::new(MemoryPushRegistry::default()),
        limiter: local_limiter(config),
        webhooks: webhook_delivery(config, true)?,
        devices: Arc::new(NoDeviceEndpoints),
        online: broker.clone(),
        publish_wait: config.publish_wait,
        files: files.clone(),
        upload_rules: config.uploads.clone(),
        search_limiter: Arc::new(RateLimiter::of(Bucket::per_minute(
            config.search_per_minute,
        ))),
        report_limiter: Arc::new(RateLimiter::of(Bucket::per_hour(
            crate::domain::report::PER_HOUR,
        ))),
        jobs: None,
    };
    // Its secret is public anyway: the endpoint grants what `chorus
    // dev-token` does. Any other secret keeps it off.
    let dev_tokens = (config.dev_secret.clone())
        .filter(|_| config.uses_builtin_dev_secret())
        .map(|secret| Arc::new(crate::auth::dev::DevTokens::new(secret)));
    let parts = Parts {
        live: Some(broker.clone()),
        files: Some(files),
        dev_tokens,
        ..parts(config, ports)
    };
    if let Some(queue) = local_queue {
        tokio::spawn(parts.service.clone().run_local(queue, broker));
    }
    Ok(parts)
}

/// The local schema alone, for benches and tools that run it without HTTP:
/// outgoing webhooks are registered but not sent (no runner reads each
/// event's webhooks).
pub fn local_schema(config: &Config, store: Arc<dyn Store>) -> anyhow::Result<ChorusSchema> {
    Ok(local_service_and_schema(config, store)?.schema)
}

/// The local service and schema, as [`local_schema`] makes them, for tools
/// that run requests as the HTTP layer does (a service handle per request).
pub fn local_service_and_schema(config: &Config, store: Arc<dyn Store>) -> anyhow::Result<Parts> {
    local_parts(config, store, false)
}

/// The whole local application on a store: service, schema, router.
pub fn local_app(config: &Config, store: Arc<dyn Store>) -> anyhow::Result<axum::Router> {
    Ok(app_router(config, local_parts(config, store, true)?))
}

/// The store the configuration asks for: Neo4j when `NEO4J_URI` is set,
/// else the embedded store. The Lambda functions use it as is: the schema
/// is applied at deploy time (`chorus migrate`), not at each cold start, so
/// their database user needs no schema rights.
pub async fn store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    match &config.neo4j {
        Some(neo4j) => {
            let store = Neo4jStore::connect(neo4j).await?;
            tracing::info!(uri = %neo4j.uri, "store: Neo4j");
            Ok(Arc::new(store))
        }
        None => Ok(Arc::new(MemoryStore::new())),
    }
}

/// Applies the Neo4j schema (`chorus migrate`).
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let neo4j = config
        .neo4j
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("set NEO4J_URI to migrate a Neo4j database"))?;
    Neo4jStore::connect(neo4j).await?.migrate().await?;
    Ok(())
}

/// The local server's sweeper (the `sweep` Lambda's twin): events a crash
/// left unpublished go out within a minute or two of a restart, and uploads
/// no message holds go a day after their ticket.
async fn sweep_every_minute(service: Arc<Service>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        if let Err(err) = service.sweep_outbox(crate::domain::now()).await {
            tracing::warn!(error = %err, "outbox sweep failed");
        }
        if let Err(err) = service.sweep_uploads(crate::domain::now()).await {
            tracing::warn!(error = %err, "upload sweep failed");
        }
        if let Err(err) = service.sweep_jobs().await {
            tracing::warn!(error = %err, "job sweep failed");
        }
    }
}

/// What the local server warns of at start: settings fine on a developer's
/// machine and dangerous on any other.
pub fn local_warnings(config: &Config) -> Vec<&'static str> {
    let mut warnings = Vec::new();
    if config.uses_builtin_dev_secret() {
        warnings.push(
            "dev tokens are signed with the built-in public secret: anyone can sign in as anyone \
             (POST /dev/token, \"sign in as\" in GraphiQL and /app); fine on your machine, never \
             on a shared one (set CHORUS_DEV_SECRET or a JWKS)",
        );
    }
    if config.allow_private(true) {
        warnings.push(
            "webhooks and push endpoints may reach private and loopback addresses (so a \
             receiver on localhost works); set CHORUS_WEBHOOK_ALLOW_PRIVATE=false on any machine \
             others can reach",
        );
    }
    warnings
}

/// Serves the local server until Ctrl-C.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    for warning in local_warnings(&config) {
        tracing::warn!("{warning}");
    }
    if config.neo4j.is_some() {
        // The local server is its own deployment: it applies the schema.
        migrate(&config).await?;
    }
    let parts = local_parts(&config, store(&config).await?, true)?;
    tokio::spawn(sweep_every_minute(parts.service.clone()));
    let app = app_router(&config, parts);
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    tracing::info!(
        "chorus listening on http://{addr} (GraphiQL at /, GraphQL and subscriptions at /graphql)"
    );
    if config.dev_secret.is_some() {
        tracing::info!(
            "get a token with: cargo run -- dev-token <user-id> [--name <display name>]"
        );
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    crate::http::server::serve(listener, app, &config.limits, shutdown).await?;
    Ok(())
}
