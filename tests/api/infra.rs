//! infra/template.yaml and the code agree: functions are this crate's
//! binaries, the environment the code reads is set, the tables have the
//! keys the code queries.

use chorus::delivery::dynamo::*;
use serde_yaml::Value;
use std::collections::BTreeSet;

fn read(path: &str) -> String {
    std::fs::read_to_string(crate::helpers::repo_file(path)).unwrap()
}

fn template() -> Value {
    serde_yaml::from_str(&read("infra/template.yaml")).unwrap()
}

/// `!Ref X` and friends parse as tagged values; this looks through them.
fn untag(value: &Value) -> &Value {
    match value {
        Value::Tagged(tagged) => &tagged.value,
        other => other,
    }
}

fn functions(t: &Value) -> Vec<(String, Value)> {
    t["Resources"]
        .as_mapping()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Serverless::Function")
        .map(|(name, r)| (name.as_str().unwrap().to_owned(), r.clone()))
        .collect()
}

fn binary_of(function: &Value) -> String {
    let uri = function["Properties"]["CodeUri"].as_str().unwrap();
    uri.trim_start_matches("../target/lambda/")
        .trim_end_matches('/')
        .to_owned()
}

fn env_keys(v: &Value) -> BTreeSet<String> {
    v["Environment"]["Variables"]
        .as_mapping()
        .map(|m| m.keys().map(|k| k.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

#[test]
fn every_function_is_a_binary_of_this_crate_on_provided_al2023() {
    let t = template();
    let cargo = read("Cargo.toml");
    let globals = &t["Globals"]["Function"];
    assert_eq!(globals["Runtime"], "provided.al2023");
    assert_eq!(globals["Handler"], "bootstrap");
    let mut binaries: Vec<String> = functions(&t).iter().map(|(_, f)| binary_of(f)).collect();
    binaries.sort();
    assert_eq!(
        binaries,
        vec!["api", "deliver", "fanout", "sweep", "webhooks", "ws"]
    );
    for binary in binaries {
        assert!(
            cargo.contains(&format!(
                "name = \"{binary}\"\npath = \"src/bin/{binary}.rs\""
            )),
            "no [[bin]] {binary}"
        );
        assert!(
            std::path::Path::new(&crate::helpers::repo_file(&format!("src/bin/{binary}.rs")))
                .exists()
        );
    }
}

#[test]
fn every_variable_a_function_needs_is_set_and_every_variable_set_is_read() {
    let t = template();
    let globals = env_keys(&t["Globals"]["Function"]);
    let config_source = ["mod", "limits", "aws"]
        .map(|file| read(&format!("src/config/{file}.rs")))
        .concat();
    for (name, function) in functions(&t) {
        let binary = binary_of(&function);
        let mut set = globals.clone();
        set.extend(env_keys(&function["Properties"]));
        let (_, required) = chorus::lambda::REQUIRED_ENV
            .iter()
            .find(|(b, _)| *b == binary)
            .unwrap();
        for var in chorus::lambda::COMMON_ENV.iter().chain(required.iter()) {
            assert!(set.contains(*var), "{name} does not set {var}");
        }
        for var in &set {
            assert!(
                var == "RUST_LOG" || config_source.contains(&format!("\"{var}\"")),
                "{name} sets {var}, which no code reads"
            );
        }
    }
}

fn key_schema(schema: &Value) -> Vec<(String, String)> {
    schema
        .as_sequence()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["AttributeName"].as_str().unwrap().to_owned(),
                k["KeyType"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pair(hash: &str, range: &str) -> Vec<(String, String)> {
    vec![
        (hash.to_owned(), "HASH".to_owned()),
        (range.to_owned(), "RANGE".to_owned()),
    ]
}

#[test]
fn the_tables_have_the_keys_index_and_ttl_the_code_uses() {
    let t = template();
    let connections = &t["Resources"]["ConnectionsTable"]["Properties"];
    assert_eq!(
        key_schema(&connections["KeySchema"]),
        pair(CONNECTIONS_PK, CONNECTIONS_SK)
    );
    let gsi = &connections["GlobalSecondaryIndexes"][0];
    assert_eq!(gsi["IndexName"], BY_GROUP_INDEX);
    assert_eq!(
        key_schema(&gsi["KeySchema"]),
        pair(BY_GROUP_PK, BY_GROUP_SK)
    );
    assert_eq!(gsi["Projection"]["ProjectionType"], "ALL");
    let push = &t["Resources"]["PushTable"]["Properties"];
    assert_eq!(key_schema(&push["KeySchema"]), pair(PUSH_PK, PUSH_SK));
    let rate = &t["Resources"]["RateLimitTable"]["Properties"];
    assert_eq!(
        key_schema(&rate["KeySchema"]),
        vec![(RATE_PK.to_owned(), "HASH".to_owned())]
    );
    assert_eq!(
        rate["TimeToLiveSpecification"]["AttributeName"],
        TTL_ATTRIBUTE
    );
    let audience = &t["Resources"]["AudienceTable"]["Properties"];
    assert_eq!(
        key_schema(&audience["KeySchema"]),
        pair(
            chorus::delivery::dynamo_audience::AUDIENCE_PK,
            chorus::delivery::dynamo_audience::AUDIENCE_SK
        )
    );
    for table in [connections, push, audience] {
        assert_eq!(
            table["TimeToLiveSpecification"]["AttributeName"],
            TTL_ATTRIBUTE
        );
        assert_eq!(
            table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
            true
        );
    }
}

#[test]
fn the_websocket_api_routes_every_message_to_the_ws_function() {
    let t = template();
    let resources = t["Resources"].as_mapping().unwrap();
    let routes: BTreeSet<String> = resources
        .values()
        .filter(|r| r["Type"] == "AWS::ApiGatewayV2::Route")
        .map(|r| r["Properties"]["RouteKey"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        routes,
        BTreeSet::from(["$connect".into(), "$disconnect".into(), "$default".into()])
    );
    assert_eq!(
        t["Resources"]["WebSocketApi"]["Properties"]["RouteSelectionExpression"],
        "$request.body.type"
    );
    let integration = untag(&t["Resources"]["WsIntegration"]["Properties"]["IntegrationUri"]);
    assert!(integration.as_str().unwrap().contains("${WsFunction.Arn}"));
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_http_api_answers_preflights_as_the_router_does() {
    use chorus::http::cors;
    let t = template();
    let settings = &t["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"];
    let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        strings(&settings["AllowHeaders"]),
        owned(cors::ALLOWED_HEADERS)
    );
    assert_eq!(
        strings(&settings["ExposeHeaders"]),
        owned(cors::EXPOSED_HEADERS)
    );
    assert_eq!(
        strings(&settings["AllowMethods"]),
        owned(cors::ALLOWED_METHODS)
    );
    assert_eq!(settings["MaxAge"].as_u64(), Some(cors::MAX_AGE_SECS));
    // One parameter feeds both the HTTP API and the api function's router.
    assert_eq!(untag(&settings["AllowOrigins"]), "AllowedOrigins");
    let api = &t["Resources"]["ApiFunction"]["Properties"];
    let origins = untag(&api["Environment"]["Variables"]["CHORUS_CORS_ORIGINS"]);
    assert_eq!(untag(&origins[1]), "AllowedOrigins", "{origins:?}");
}

#[test]
fn the_http_api_sends_every_route_with_a_body_to_the_api_function() {
    let t = template();
    let api = &t["Resources"]["ApiFunction"]["Properties"]["Events"];
    let routes: BTreeSet<(String, String)> = api
        .as_mapping()
        .unwrap()
        .values()
        .filter(|e| e["Type"] == "HttpApi")
        .map(|e| {
            let p = &e["Properties"];
            (
                p["Method"].as_str().unwrap().to_owned(),
                p["Path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for route in [
        ("POST", "/graphql"),
        ("GET", "/graphql"),
        // The router's incoming-webhook path, in the same `{param}` syntax.
        ("POST", "/hooks/{id}/{secret}"),
    ] {
        let wanted = (route.0.to_owned(), route.1.to_owned());
        assert!(
            routes.contains(&wanted),
            "{route:?} is not routed: {routes:?}"
        );
    }
}

#[test]
fn webhook_retries_wait_in_a_queue_the_events_topic_feeds_raw_with_a_dead_letter_queue() {
    let t = template();
    let r = &t["Resources"];
    let subscription = &r["WebhookEventsSubscription"]["Properties"];
    assert_eq!(
        untag(&subscription["TopicArn"]).as_str(),
        Some("EventsTopic")
    );
    assert_eq!(subscription["Protocol"], "sqs");
    assert_eq!(
        subscription["RawMessageDelivery"], true,
        "a message is the event JSON"
    );
    let queue = &r["WebhookQueue"]["Properties"];
    let redrive = &queue["RedrivePolicy"];
    assert!(untag(&redrive["deadLetterTargetArn"])
        .as_str()
        .unwrap()
        .starts_with("WebhookDeadLetterQueue"));
    let function = &r["WebhooksFunction"]["Properties"];
    let timeout = function["Timeout"].as_u64().unwrap();
    assert!(queue["VisibilityTimeout"].as_u64().unwrap() >= 6 * timeout);
    let source = &function["Events"]["WebhookJobs"]["Properties"];
    assert_eq!(
        source["FunctionResponseTypes"][0],
        "ReportBatchItemFailures"
    );
    let policy = &r["WebhookQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(policy["Principal"]["Service"], "sns.amazonaws.com");
}

/// A function's policy statements and SAM policy templates, each as text.
fn policies(function: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for policy in function["Properties"]["Policies"].as_sequence().unwrap() {
        match policy["Statement"].as_sequence() {
            Some(statements) => {
                out.extend(statements.iter().map(|s| serde_yaml::to_string(s).unwrap()))
            }
            None => {
                out.insert(serde_yaml::to_string(policy).unwrap());
            }
        }
    }
    out
}

#[test]
fn fanout_may_do_all_deliver_does_and_both_may_close_the_sockets_they_post_to() {
    let t = template();
    let of = |binary: &str| {
        let (_, function) = functions(&t)
            .into_iter()
            .find(|(_, f)| binary_of(f) == binary)
            .unwrap();
        function
    };
    let (fanout, deliver) = (policies(&of("fanout")), policies(&of("deliver")));
    // fanout delivers an audience of one shard with deliver's code.
    for policy in &deliver {
        assert!(fanout.contains(policy), "fanout lacks deliver's {policy}");
    }
    assert_eq!(
        of("fanout")["Properties"]["MemorySize"],
        of("deliver")["Properties"]["MemorySize"]
    );
    for binary in ["ws", "fanout", "deliver"] {
        let text: String = policies(&of(binary)).into_iter().collect();
        for verb in ["POST", "DELETE"] {
            assert!(
                text.contains(&format!("/{verb}/@connections/*")),
                "{binary} may not {verb} a connection"
            );
        }
    }
}

#[test]
fn the_uploads_bucket_is_private_encrypted_expires_strays_and_only_api_and_sweep_write_to_it() {
    let t = template();
    let bucket = &t["Resources"]["UploadsBucket"]["Properties"];
    let block = &bucket["PublicAccessBlockConfiguration"];
    for setting in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        assert_eq!(block[setting], true, "{setting}");
    }
    let encryption = &bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0];
    assert!(encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"].is_string());
    // The lifecycle rule expires exactly what the code tags pending.
    let rule = &bucket["LifecycleConfiguration"]["Rules"][0];
    assert_eq!(rule["ExpirationInDays"], 1);
    assert_eq!(
        rule["TagFilters"][0]["Key"],
        chorus::delivery::s3::UPLOAD_TAG
    );
    assert_eq!(
        rule["TagFilters"][0]["Value"],
        chorus::delivery::s3::PENDING
    );
    // Browsers PUT and GET from the API's origins, sending the signed headers.
    let cors = &bucket["CorsConfiguration"]["CorsRules"][0];
    assert_eq!(
        untag(&cors["AllowedOrigins"]),
        untag(&t["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]["AllowOrigins"])
    );
    let headers = strings(&cors["AllowedHeaders"]);
    assert!(headers.contains(&"content-type".to_owned()));
    assert!(headers.contains(&"x-amz-tagging".to_owned()));
    // Only api (attachments) and sweep (data exports, a deleted account's
    // files) write or delete; fanout and deliver only sign downloads.
    for (_, function) in functions(&t) {
        let binary = binary_of(&function);
        let text: String = policies(&function).into_iter().collect();
        let writes = text.contains("s3:PutObject") || text.contains("s3:DeleteObject");
        let writer = ["api", "sweep"].contains(&binary.as_str());
        assert_eq!(writes, writer, "{binary} writes uploads: {writes}");
        let reads = text.contains("s3:GetObject");
        let renders = ["api", "fanout", "deliver", "sweep"].contains(&binary.as_str());
        assert_eq!(reads, renders, "{binary} reads uploads: {reads}");
        let names_bucket = env_keys(&function["Properties"]).contains("UPLOADS_BUCKET");
        assert_eq!(names_bucket, renders, "{binary} and UPLOADS_BUCKET");
    }
}
