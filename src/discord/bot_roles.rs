//! The bot's own role in each server (the one Discord makes for it when it
//! joins, "managed" and tagged with the bot's id), so that mentioning that
//! role counts as mentioning the bot, as people expect.
//!
//! Looked up once per server (GET /guilds/{id}/roles, through the one
//! delivery path), only when a message mentions some role, and
//! remembered. The memory is bounded ([`MEMORY`] servers; it starts afresh
//! when full) and behind a `std::sync` lock never held across an `.await`.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serenity::all::{GuildId, Http, Role, RoleId, UserId};

use super::delivery::deliver;

/// Servers remembered at most.
pub const MEMORY: usize = 4096;

/// The bot's managed role per server seen so far.
#[derive(Debug, Default)]
pub struct BotRoles {
    known: Mutex<HashMap<GuildId, Option<RoleId>>>,
}

impl BotRoles {
    /// What is known of `guild`: `Some(role)` once looked up (`None`
    /// inside when the bot has no managed role there).
    pub fn known(&self, guild: GuildId) -> Option<Option<RoleId>> {
        self.known
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&guild)
            .copied()
    }

    fn remember(&self, guild: GuildId, role: Option<RoleId>) {
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        if known.len() >= MEMORY {
            known.clear();
        }
        known.insert(guild, role);
    }

    /// The role of `bot` in `guild`, asking Discord the first time. A
    /// failed look-up is logged and not remembered.
    pub async fn role(&self, http: &Http, guild: GuildId, bot: UserId) -> Option<RoleId> {
        if let Some(known) = self.known(guild) {
            return known;
        }
        match deliver(format!("look-up of the roles of server {guild}"), || {
            http.get_guild_roles(guild)
        })
        .await
        {
            Ok(roles) => {
                let role = managed_role(&roles, bot);
                self.remember(guild, role);
                role
            }
            Err(error) => {
                tracing::warn!(%error, "cannot tell which role is the bot's");
                None
            }
        }
    }
}

/// The role among `roles` that Discord manages for `bot`.
pub fn managed_role(roles: &[Role], bot: UserId) -> Option<RoleId> {
    roles
        .iter()
        .find(|role| role.managed && role.tags.bot_id == Some(bot))
        .map(|role| role.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(id: u64, managed: bool, bot: Option<u64>) -> Role {
        let mut value = serde_json::json!({
            "id": id.to_string(), "name": "r", "color": 0, "hoist": false, "managed": managed,
            "mentionable": true, "permissions": "0", "position": 1,
            "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        });
        if let Some(bot) = bot {
            value["tags"] = serde_json::json!({"bot_id": bot.to_string()});
        }
        serde_json::from_value(value).expect("a role object")
    }

    #[test]
    fn the_managed_role_tagged_with_the_bot_is_its_role() {
        let roles = [
            role(1, false, None),
            role(2, true, Some(99)),
            role(3, true, Some(7)),
        ];
        assert_eq!(managed_role(&roles, UserId::new(7)), Some(RoleId::new(3)));
        assert_eq!(managed_role(&roles, UserId::new(8)), None);
    }
}
