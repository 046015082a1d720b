//! Event dispatch: serenity's event handler, which hands each gateway event
//! to the area that handles it (free-text messages and their edits,
//! interactions) and registers the commands on READY. The shared state is
//! [`super::state::State`].

use serenity::all::{
    Context, EventHandler, Interaction, Message, MessageUpdateEvent, Ready, ResumedEvent,
};

use super::state::{report, State};
use super::{interactions, messages, startup};

#[serenity::async_trait]
impl EventHandler for State {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.set_bot_user_id(ready.user.id);
        ctx.http.set_application_id(ready.application.id);
        messages::order_replies(self, &ctx, &ready);
        let shard = ready.shard.map_or(0, |shard| shard.id.0);
        tracing::info!(
            user = %ready.user.name,
            shard = ?ready.shard.map(|shard| shard.id.0),
            guilds = ready.guilds.len(),
            invite = %startup::invite_url(ready.application.id),
            "connected to Discord"
        );
        self.register_commands_once(&ctx.http, shard).await;
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        tracing::info!("gateway session resumed");
    }

    async fn message(&self, ctx: Context, message: Message) {
        if let Err(error) = messages::handle_message(self, &ctx, &message).await {
            report("answering a message", &error);
        }
    }

    async fn message_update(
        &self,
        ctx: Context,
        _old: Option<Message>,
        _new: Option<Message>,
        event: MessageUpdateEvent,
    ) {
        if let Err(error) = messages::handle_edit(self, &ctx, &event).await {
            report("answering an edited message", &error);
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        if let Err(error) = interactions::handle_interaction(self, &ctx, &interaction).await {
            report("answering an interaction", &error);
        }
    }
}
