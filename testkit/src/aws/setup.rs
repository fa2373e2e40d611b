//! moto setup shared by the tests and the fan-out bench: clients, the
//! tables as infra/template.yaml defines them, topics observed through SQS.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};
use chorus::delivery::dynamo::*;

pub async fn sdk() -> aws_config::SdkConfig {
    let endpoint =
        std::env::var("MOTO_ENDPOINT").expect("MOTO_ENDPOINT: run ./scripts/test (it starts moto)");
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "test", "test", None, None, "tests",
        ))
        .load()
        .await
}

fn attribute(name: &str) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .unwrap()
}

fn key(name: &str, kind: KeyType) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
        .unwrap()
}

/// The rate-limit table, as infra/template.yaml defines it.
pub async fn create_rate_table(client: &aws_sdk_dynamodb::Client, table: &str) {
    client
        .create_table()
        .table_name(table)
        .attribute_definitions(attribute(RATE_PK))
        .key_schema(key(RATE_PK, KeyType::Hash))
        .billing_mode(aws_sdk_dynamodb::types::BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
}

/// The audience table, as infra/template.yaml defines it.
pub async fn create_audience_table(client: &aws_sdk_dynamodb::Client, table: &str) {
    use chorus::delivery::dynamo_audience::{AUDIENCE_PK, AUDIENCE_SK};
    client
        .create_table()
        .table_name(table)
        .attribute_definitions(attribute(AUDIENCE_PK))
        .attribute_definitions(attribute(AUDIENCE_SK))
        .key_schema(key(AUDIENCE_PK, KeyType::Hash))
        .key_schema(key(AUDIENCE_SK, KeyType::Range))
        .billing_mode(aws_sdk_dynamodb::types::BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
}

/// The registry tables (connections, push, audience), as
/// infra/template.yaml defines them.
pub async fn create_tables(
    client: &aws_sdk_dynamodb::Client,
    connections: &str,
    push: &str,
    audience: &str,
) {
    create_audience_table(client, audience).await;
    let by_group = GlobalSecondaryIndex::builder()
        .index_name(BY_GROUP_INDEX)
        .key_schema(key(BY_GROUP_PK, KeyType::Hash))
        .key_schema(key(BY_GROUP_SK, KeyType::Range))
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .unwrap();
    client
        .create_table()
        .table_name(connections)
        .attribute_definitions(attribute(CONNECTIONS_PK))
        .attribute_definitions(attribute(CONNECTIONS_SK))
        .attribute_definitions(attribute(BY_GROUP_PK))
        .attribute_definitions(attribute(BY_GROUP_SK))
        .key_schema(key(CONNECTIONS_PK, KeyType::Hash))
        .key_schema(key(CONNECTIONS_SK, KeyType::Range))
        .global_secondary_indexes(by_group)
        .billing_mode(aws_sdk_dynamodb::types::BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
    client
        .create_table()
        .table_name(push)
        .attribute_definitions(attribute(PUSH_PK))
        .attribute_definitions(attribute(PUSH_SK))
        .key_schema(key(PUSH_PK, KeyType::Hash))
        .key_schema(key(PUSH_SK, KeyType::Range))
        .billing_mode(aws_sdk_dynamodb::types::BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
    for table in [connections, push, audience] {
        let ttl = TimeToLiveSpecification::builder()
            .attribute_name(TTL_ATTRIBUTE)
            .enabled(true)
            .build()
            .unwrap();
        client
            .update_time_to_live()
            .table_name(table)
            .time_to_live_specification(ttl)
            .send()
            .await
            .unwrap();
    }
}

/// A new SQS queue: its URL and ARN.
pub async fn queue(sqs: &aws_sdk_sqs::Client, name: &str) -> (String, String) {
    let url = sqs
        .create_queue()
        .queue_name(name)
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let attrs = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap();
    let arn =
        attrs.attributes().unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn].clone();
    (url, arn)
}

/// A topic with an SQS queue subscribed, to see what was published.
pub struct TopicProbe {
    pub topic_arn: String,
    queue_url: String,
    sqs: aws_sdk_sqs::Client,
}

impl TopicProbe {
    pub async fn new(sdk: &aws_config::SdkConfig, name: &str) -> Self {
        let sns = aws_sdk_sns::Client::new(sdk);
        let sqs = aws_sdk_sqs::Client::new(sdk);
        let topic_arn = sns
            .create_topic()
            .name(name)
            .send()
            .await
            .unwrap()
            .topic_arn
            .unwrap();
        let (queue_url, queue_arn) = queue(&sqs, &format!("{name}-probe")).await;
        sns.subscribe()
            .topic_arn(&topic_arn)
            .protocol("sqs")
            .endpoint(queue_arn)
            .send()
            .await
            .unwrap();
        Self {
            topic_arn,
            queue_url,
            sqs,
        }
    }

    /// The SNS notifications (envelopes) published so far, waiting up to
    /// `expected` of them.
    pub async fn drain(&self, expected: usize) -> Vec<serde_json::Value> {
        let mut got = Vec::new();
        for _ in 0..20 {
            let out = self
                .sqs
                .receive_message()
                .queue_url(&self.queue_url)
                .max_number_of_messages(10)
                .wait_time_seconds(0)
                .send()
                .await
                .unwrap();
            for message in out.messages() {
                got.push(serde_json::from_str(message.body().unwrap()).unwrap());
                self.sqs
                    .delete_message()
                    .queue_url(&self.queue_url)
                    .receipt_handle(message.receipt_handle().unwrap())
                    .send()
                    .await
                    .unwrap();
            }
            if got.len() >= expected && out.messages().is_empty() {
                break;
            }
            if out.messages().is_empty() {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
        got
    }
}
