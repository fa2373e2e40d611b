//! Configuration: one struct, read once from the environment at start.

mod aws;
mod limits;

pub use aws::AwsConfig;
use limits::Env;
pub use limits::Limits;

use crate::store::neo4j::Neo4jConfig;
use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The dev secret used when none is configured and no JWKS is set: tokens
/// signed with it only work on a server that has no real identity
/// provider, i.e. a local one.
pub const LOCAL_DEV_SECRET: &str = "chorus-local-dev-secret";

#[derive(Debug)]
pub struct Config {
    /// `CHORUS_LISTEN`: the local server's address (default 127.0.0.1:8080).
    pub listen: SocketAddr,
    /// `CHORUS_DEV_SECRET`: HS256 secret of dev tokens. Defaults to
    /// [`LOCAL_DEV_SECRET`] when no JWKS is configured; with a JWKS, dev
    /// tokens are accepted only if this is set explicitly.
    pub dev_secret: Option<SecretString>,
    /// `CHORUS_JWKS_URL` or `CHORUS_JWKS_FILE`: where ID-token keys live.
    pub jwks: Option<crate::auth::jwks::JwksSource>,
    /// `CHORUS_JWT_ISSUERS`: accepted `iss` values, comma-separated (e.g.
    /// `https://cognito-idp.<region>.amazonaws.com/<pool-id>`).
    pub jwt_issuers: Vec<String>,
    /// `CHORUS_JWT_AUDIENCES`: accepted `aud` values (the app client ids).
    pub jwt_audiences: Vec<String>,
    /// `CHORUS_JWKS_MIN_REFRESH_SECS`: least time between JWKS refetches
    /// triggered by unknown key ids (default 30).
    pub jwks_min_refresh: Duration,
    /// `CHORUS_INTROSPECTION`: schema introspection on, for signed-in
    /// users (default true).
    pub introspection: bool,
    /// `CHORUS_CORS_ORIGINS`: browser origins allowed to call the API,
    /// comma-separated (`https://app.example.com`), or `*` for any (the
    /// default: credentials are bearer headers, not cookies).
    pub cors_origins: Vec<String>,
    /// `CHORUS_PUBLIC_URL`: where clients reach the API
    /// (`https://chat.example.com`), for the URLs it hands out (incoming
    /// webhooks). Unset: API Gateway's domain on Lambda, the request's
    /// `Host` locally; `X-Forwarded-*` headers are never trusted for it.
    pub public_url: Option<String>,
    /// `CHORUS_PUBLISH_WAIT_MS`: how long a write waits for its events to be
    /// published before responding (default 500; the outbox has the rest).
    pub publish_wait: Duration,
    /// Limits on requests, connections and sockets.
    pub limits: Limits,
    /// `CHORUS_RATE_BURST` and `CHORUS_RATE_PER_SEC`: the per-user mutation
    /// budget (default 120 at once, refilled at 20 per second).
    pub rate_burst: u32,
    pub rate_per_sec: u32,
    /// `CHORUS_SEARCH_PER_MINUTE`: searches per user per minute (default 30).
    pub search_per_minute: u32,
    /// `NEO4J_URI` (e.g. `neo4j+s://xxxx.databases.neo4j.io` or
    /// `127.0.0.1:7687`): when set, the store is Neo4j, else the embedded
    /// store. With it: `NEO4J_USER` (default `neo4j`), `NEO4J_PASSWORD`
    /// (secret), `NEO4J_DATABASE` (default: the server's), `NEO4J_POOL_SIZE`
    /// (default 16).
    pub neo4j: Option<Neo4jConfig>,
    /// The AWS side (Lambdas only); each Lambda checks what it needs.
    pub aws: AwsConfig,
    /// `CHORUS_WEBHOOK_ALLOW_PRIVATE`: lifts the address rule of outbound
    /// requests to user-given URLs (webhooks, push endpoints). Unset: on for
    /// the local server (a receiver on localhost works), off on Lambda.
    pub webhook_allow_private: Option<bool>,
    /// `CHORUS_WEBHOOK_RETRIES`: the waits before each webhook retry, in
    /// seconds, comma-separated (default the Standard Webhooks schedule:
    /// 5, 300, 1800, 7200, 18000, 36000, 36000).
    pub webhook_retries: Vec<Duration>,
    /// `CHORUS_SECRETS_KEY` (secret): 256 bits in base64 (`openssl rand
    /// -base64 32`), the key webhook signing secrets are sealed with at
    /// rest. Required on Lambda; the local server derives one from its dev
    /// secret when unset.
    pub secrets_key: Option<SecretString>,
    /// `CHORUS_UPLOAD_TYPES` (MIME types, comma-separated; default common
    /// images, video, audio, PDF and plain text) and
    /// `CHORUS_MAX_UPLOAD_BYTES` (default 25 MiB): what may be uploaded.
    pub uploads: crate::domain::attachment::UploadRules,
}

impl ConfigError {
    pub fn invalid(name: &'static str, problem: &str) -> Self {
        Self {
            name,
            problem: problem.to_owned(),
        }
    }
}

impl AwsConfig {
    /// A setting a Lambda cannot run without.
    pub fn require<'a>(
        value: &'a Option<String>,
        name: &'static str,
    ) -> Result<&'a str, ConfigError> {
        value.as_deref().ok_or(ConfigError {
            name,
            problem: "must be set".into(),
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {name}: {problem}")]
pub struct ConfigError {
    name: &'static str,
    problem: String,
}

impl Config {
    /// Whether outbound requests may reach private addresses: as
    /// configured, else `default` (true for the local server, false on
    /// Lambda).
    pub fn allow_private(&self, default: bool) -> bool {
        self.webhook_allow_private.unwrap_or(default)
    }

    /// Whether dev tokens are signed with [`LOCAL_DEV_SECRET`], which anyone
    /// can read in this repository.
    pub fn uses_builtin_dev_secret(&self) -> bool {
        use secrecy::ExposeSecret;
        self.dev_secret
            .as_ref()
            .is_some_and(|s| s.expose_secret() == LOCAL_DEV_SECRET)
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `get` (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env(&get);
        let jwks = match (env.text("CHORUS_JWKS_URL"), env.text("CHORUS_JWKS_FILE")) {
            (Some(url), _) => Some(crate::auth::jwks::JwksSource::Url(url)),
            (_, Some(file)) => Some(crate::auth::jwks::JwksSource::File(PathBuf::from(file))),
            _ => None,
        };
        let (jwt_issuers, jwt_audiences) = (
            env.list("CHORUS_JWT_ISSUERS"),
            env.list("CHORUS_JWT_AUDIENCES"),
        );
        if jwks.is_some() && (jwt_issuers.is_empty() || jwt_audiences.is_empty()) {
            return Err(ConfigError {
                name: "CHORUS_JWT_ISSUERS/CHORUS_JWT_AUDIENCES",
                problem: "both must be set when a JWKS is configured".into(),
            });
        }
        let dev_secret = match get("CHORUS_DEV_SECRET").filter(|s| !s.is_empty()) {
            Some(secret) => Some(SecretString::from(secret)),
            None if jwks.is_none() => Some(SecretString::from(LOCAL_DEV_SECRET)),
            None => None,
        };
        let neo4j = match env.text("NEO4J_URI") {
            None => None,
            Some(uri) => Some(Neo4jConfig {
                uri: uri.trim().to_owned(),
                user: env.or("NEO4J_USER", "neo4j".to_owned())?,
                password: SecretString::from(get("NEO4J_PASSWORD").unwrap_or_default()),
                database: env.text("NEO4J_DATABASE"),
                pool_size: env.or("NEO4J_POOL_SIZE", 16)?,
            }),
        };
        let aws = AwsConfig::from_env(&env)?;
        let cors_origins = match env.list("CHORUS_CORS_ORIGINS") {
            list if list.is_empty() => vec!["*".to_owned()],
            list => list,
        };
        if let Some(bad) = cors_origins.iter().find(|o| !is_origin(o)) {
            return Err(ConfigError {
                name: "CHORUS_CORS_ORIGINS",
                problem: format!("{bad:?} is not `*` or an origin like https://app.example.com"),
            });
        }
        let webhook_allow_private = env
            .text("CHORUS_WEBHOOK_ALLOW_PRIVATE")
            .map(|_| env.or("CHORUS_WEBHOOK_ALLOW_PRIVATE", false))
            .transpose()?;
        let webhook_retries = match env.list("CHORUS_WEBHOOK_RETRIES") {
            list if list.is_empty() => crate::domain::webhook::default_retries(),
            list => list
                .iter()
                .map(|s| {
                    s.parse::<f64>()
                        .ok()
                        .and_then(|s| Duration::try_from_secs_f64(s).ok())
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    ConfigError::invalid("CHORUS_WEBHOOK_RETRIES", "not a list of seconds")
                })?,
        };
        let default_uploads = crate::domain::attachment::UploadRules::default();
        let uploads = crate::domain::attachment::UploadRules {
            max_bytes: env.or("CHORUS_MAX_UPLOAD_BYTES", default_uploads.max_bytes)?,
            types: match env.list("CHORUS_UPLOAD_TYPES") {
                list if list.is_empty() => default_uploads.types,
                list => list.iter().map(|t| t.to_ascii_lowercase()).collect(),
            },
        };
        Ok(Self {
            aws,
            uploads,
            webhook_allow_private,
            webhook_retries,
            secrets_key: env.text("CHORUS_SECRETS_KEY").map(SecretString::from),
            cors_origins,
            public_url: match env.text("CHORUS_PUBLIC_URL") {
                Some(url) if is_origin(&url) && url != "*" => {
                    Some(url.trim_end_matches('/').to_owned())
                }
                Some(_) => Err(ConfigError::invalid(
                    "CHORUS_PUBLIC_URL",
                    "not a URL like https://chat.example.com (scheme and host, no path)",
                ))?,
                None => None,
            },
            publish_wait: Duration::from_millis(env.or("CHORUS_PUBLISH_WAIT_MS", 500)?),
            neo4j,
            listen: env.or("CHORUS_LISTEN", SocketAddr::from(([127, 0, 0, 1], 8080)))?,
            dev_secret,
            jwks,
            jwt_issuers,
            jwt_audiences,
            jwks_min_refresh: env.secs("CHORUS_JWKS_MIN_REFRESH_SECS", 30)?,
            introspection: env.or("CHORUS_INTROSPECTION", true)?,
            limits: Limits::read(&env)?,
            rate_burst: env.or("CHORUS_RATE_BURST", 120)?,
            rate_per_sec: env.or("CHORUS_RATE_PER_SEC", 20)?,
            search_per_minute: env.or("CHORUS_SEARCH_PER_MINUTE", 30)?,
        })
    }
}

/// `*`, or `scheme://host[:port]` with nothing after (a trailing `/` is
/// forgiven).
fn is_origin(origin: &str) -> bool {
    if origin == "*" {
        return true;
    }
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    rest.map(|r| r.trim_end_matches('/'))
        .is_some_and(|host| !host.is_empty() && !host.contains(['/', '?', '#', ' ', ',']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_serve_locally_with_dev_tokens() {
        let c = config(&[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert!(c.dev_secret.is_some());
        assert!(c.introspection);
        assert!(
            c.neo4j.is_none(),
            "the embedded store unless NEO4J_URI is set"
        );
    }

    #[test]
    fn neo4j_settings_come_with_its_uri() {
        let c = config(&[
            ("NEO4J_URI", "127.0.0.1:7687"),
            ("NEO4J_PASSWORD", "pw"),
            ("NEO4J_POOL_SIZE", "4"),
        ])
        .unwrap();
        let neo = c.neo4j.unwrap();
        assert_eq!(
            (neo.uri.as_str(), neo.user.as_str(), neo.pool_size),
            ("127.0.0.1:7687", "neo4j", 4)
        );
        assert!(config(&[("NEO4J_URI", "x"), ("NEO4J_POOL_SIZE", "many")]).is_err());
    }

    #[test]
    fn a_jwks_without_issuer_and_audience_is_refused_and_disables_dev_tokens() {
        assert!(config(&[("CHORUS_JWKS_URL", "https://x/jwks")]).is_err());
        let c = config(&[
            ("CHORUS_JWKS_URL", "https://x/jwks"),
            ("CHORUS_JWT_ISSUERS", "https://issuer"),
            ("CHORUS_JWT_AUDIENCES", "client-a, client-b"),
        ])
        .unwrap();
        assert!(c.dev_secret.is_none());
        assert_eq!(c.jwt_audiences, vec!["client-a", "client-b"]);
    }

    #[test]
    fn a_bad_listen_address_names_the_variable() {
        let err = config(&[("CHORUS_LISTEN", "nowhere")]).unwrap_err();
        assert!(err.to_string().contains("CHORUS_LISTEN"));
    }

    #[test]
    fn cors_origins_default_to_any_and_must_be_origins() {
        assert_eq!(config(&[]).unwrap().cors_origins, vec!["*"]);
        let list = "https://app.example.com, http://localhost:3000/";
        let origins = config(&[("CHORUS_CORS_ORIGINS", list)])
            .unwrap()
            .cors_origins;
        assert_eq!(origins.len(), 2);
        for bad in ["app.example.com", "https://x.com/path", "ftp://x"] {
            let err = config(&[("CHORUS_CORS_ORIGINS", bad)]).unwrap_err();
            assert!(err.to_string().contains("CHORUS_CORS_ORIGINS"), "{bad}");
        }
    }
}
