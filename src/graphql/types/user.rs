use crate::domain::push::PushSubscription;
use crate::domain::user::User;
use crate::domain::Timestamp;
use async_graphql::{Object, ID};

pub struct UserObject(pub User);

#[Object(name = "User")]
impl UserObject {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn picture_url(&self) -> Option<&str> {
        self.0.picture_url.as_deref()
    }
}

pub struct PushSubscriptionObject(pub PushSubscription);

#[Object(name = "PushSubscription")]
impl PushSubscriptionObject {
    async fn endpoint(&self) -> &str {
        &self.0.endpoint
    }

    async fn created_at(&self) -> Timestamp {
        self.0.created_at
    }
}
