//! The job queue on AWS: exports and account deletions go to an SQS
//! queue that the `sweep` function reads (`lambda::sweep_jobs`).

use crate::service::ports::{Job, JobQueue, RegistryError};
use async_trait::async_trait;

pub struct SqsJobs {
    client: aws_sdk_sqs::Client,
    queue_url: String,
}

impl SqsJobs {
    pub fn new(sdk: &aws_config::SdkConfig, queue_url: String) -> Self {
        Self {
            client: aws_sdk_sqs::Client::new(sdk),
            queue_url,
        }
    }
}

#[async_trait]
impl JobQueue for SqsJobs {
    async fn submit(&self, job: &Job) -> Result<(), RegistryError> {
        let body = serde_json::to_string(job).map_err(|e| RegistryError(Box::new(e)))?;
        self.client
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body)
            .send()
            .await
            .map_err(|e| {
                RegistryError(Box::new(aws_sdk_sqs::Error::from(e.into_service_error())))
            })?;
        Ok(())
    }
}
