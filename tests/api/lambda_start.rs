//! Each Lambda function is built once at cold start from its environment:
//! a variable it needs and lacks fails the start, naming the variable; one
//! it does not need is not asked for (`deliver` only reads, so it needs no
//! events topic).

use chorus::config::Config;
use chorus::lambda::Env;
use std::collections::HashMap;
use std::sync::Arc;

/// Every variable the template sets, with placeholder values (building a
/// function makes clients; it calls nothing).
pub(crate) fn full() -> HashMap<&'static str, String> {
    HashMap::from([
        ("CHORUS_DEV_SECRET", crate::helpers::DEV_SECRET.to_owned()),
        (
            "CHORUS_SECRETS_KEY",
            "9yG3Bq0pDk5Qx2cR7vJm1sZ8tWn4hLa6eUo0iYb3fXs=".to_owned(),
        ),
        (
            "EVENTS_TOPIC_ARN",
            "arn:aws:sns:eu-west-1:000000000000:events".to_owned(),
        ),
        (
            "DELIVERY_TOPIC_ARN",
            "arn:aws:sns:eu-west-1:000000000000:delivery".to_owned(),
        ),
        ("CONNECTIONS_TABLE", "connections".to_owned()),
        ("PUSH_TABLE", "push".to_owned()),
        ("AUDIENCE_TABLE", "audience".to_owned()),
        (
            "WS_MANAGEMENT_ENDPOINT",
            "https://ws.example.com/prod".to_owned(),
        ),
        (
            "WEBHOOK_QUEUE_URL",
            "https://sqs.eu-west-1.amazonaws.com/0/webhooks".to_owned(),
        ),
        (
            "JOBS_QUEUE_URL",
            "https://sqs.eu-west-1.amazonaws.com/0/jobs".to_owned(),
        ),
    ])
}

fn env_without(missing: &str) -> Env {
    let mut vars = full();
    vars.remove(missing);
    let config = Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    let sdk = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build();
    let store = Arc::new(chorus::store::memory::MemoryStore::new());
    Env { config, sdk, store }
}

/// Builds function `name`, returning its error as text.
fn build(env: &Env, name: &str) -> Result<(), String> {
    let built = match name {
        "api" => env.api().map(drop),
        "ws" => env.ws().map(drop),
        "fanout" => env.fanout().map(drop),
        "deliver" => env.deliver().map(drop),
        "sweep" => env.parts().map(drop),
        "webhooks" => env.webhooks().map(drop),
        other => panic!("no function {other}"),
    };
    built.map_err(|e| e.to_string())
}

const NEEDS: &[(&str, &[&str])] = &[
    (
        "api",
        &[
            "EVENTS_TOPIC_ARN",
            "PUSH_TABLE",
            "CHORUS_SECRETS_KEY",
            "JOBS_QUEUE_URL",
        ],
    ),
    (
        "ws",
        &[
            "EVENTS_TOPIC_ARN",
            "CONNECTIONS_TABLE",
            "WS_MANAGEMENT_ENDPOINT",
        ],
    ),
    (
        "fanout",
        // It delivers an audience of one shard itself, as deliver does.
        &[
            "DELIVERY_TOPIC_ARN",
            "AUDIENCE_TABLE",
            "PUSH_TABLE",
            "CONNECTIONS_TABLE",
            "WS_MANAGEMENT_ENDPOINT",
        ],
    ),
    (
        "deliver",
        &[
            "CONNECTIONS_TABLE",
            "AUDIENCE_TABLE",
            "WS_MANAGEMENT_ENDPOINT",
        ],
    ),
    ("sweep", &["EVENTS_TOPIC_ARN"]),
    ("webhooks", &["WEBHOOK_QUEUE_URL", "EVENTS_TOPIC_ARN"]),
];

#[tokio::test]
async fn a_function_missing_a_variable_it_needs_fails_at_start_naming_it() {
    for (function, needs) in NEEDS {
        assert_eq!(
            build(&env_without("nothing"), function),
            Ok(()),
            "{function}"
        );
        for variable in *needs {
            let failed = build(&env_without(variable), function);
            let Err(why) = failed else {
                panic!("{function} started without {variable}");
            };
            assert!(
                why.contains(variable),
                "{function} without {variable}: {why}"
            );
        }
    }
}

#[tokio::test]
async fn deliver_starts_without_the_events_topic_it_never_publishes_to() {
    assert_eq!(build(&env_without("EVENTS_TOPIC_ARN"), "deliver"), Ok(()));
    assert_eq!(build(&env_without("DELIVERY_TOPIC_ARN"), "deliver"), Ok(()));
}
