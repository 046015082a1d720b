//! The `/reload` command: who may run it, and the private report of a
//! reload ([`crate::reload`] does the reloading) within Discord's limits.

use serenity::all::{Permissions, RoleId};

use super::render::{discord_len, CONTENT_LIMIT};
use crate::knowledge::KnowledgeError;
use crate::reload::{ReloadError, Reloaded};

/// Who may run `/reload`: only in a server; members with a counselor role
/// when counselor roles are configured, otherwise members with the Manage
/// Server (or Administrator) permission.
pub fn may_reload(
    counselor_roles: &[RoleId],
    in_guild: bool,
    member_roles: &[RoleId],
    member_permissions: Option<Permissions>,
) -> bool {
    if !in_guild {
        return false;
    }
    if counselor_roles.is_empty() {
        return member_permissions
            .is_some_and(|p| p.contains(Permissions::MANAGE_GUILD) || p.administrator());
    }
    member_roles
        .iter()
        .any(|role| counselor_roles.contains(role))
}

/// The private note for someone `/reload` refuses.
pub fn refusal(counselor_roles_configured: bool) -> &'static str {
    if counselor_roles_configured {
        "Only counselors can reload the knowledge files."
    } else {
        "Only members with the Manage Server permission can reload the knowledge files."
    }
}

/// The private report of a reload for the person who asked, within
/// Discord's 2,000 characters: what happened and, for bad files, each
/// problem at its file, line and column (as many as fit; the log has all).
pub fn report(outcome: &Result<Reloaded, ReloadError>) -> String {
    match outcome {
        Ok(Reloaded::Swapped { dir, .. }) => format!(
            "Reloaded the knowledge files from `{}`. New questions get the new answers.",
            dir.display()
        ),
        Ok(Reloaded::Retrained { examples }) => format!(
            "Retrained with {examples} taught example(s). New questions get the new answers."
        ),
        Ok(Reloaded::NothingToReload) => "I answer from the knowledge built into me (I was \
             started without `--knowledge DIR`), so there is nothing to reload."
            .to_string(),
        Err(ReloadError::Knowledge(error)) => {
            let head = "The knowledge files have problems, so I kept answering from the \
                        previous knowledge. Fix them and run /reload again.";
            let lines: Vec<String> = match error {
                KnowledgeError::Invalid(problems) => {
                    problems.iter().map(ToString::to_string).collect()
                }
                KnowledgeError::Read { .. } => vec![error.to_string()],
            };
            with_code_block(head, &lines)
        }
        Err(error @ ReloadError::Interrupted(_)) => format!(
            "The reload did not finish ({error}); I kept answering from the previous knowledge."
        ),
    }
}

/// `head`, then `lines` in a code block, as many as fit in a message, then
/// how many were left out.
fn with_code_block(head: &str, lines: &[String]) -> String {
    const FENCE: &str = "```";
    // Room for the closing fence and the "… more" line.
    const RESERVE: usize = 80;
    let mut text = format!("{head}\n{FENCE}\n");
    let mut shown = 0;
    for line in lines {
        // A fence inside a message would end the block early.
        let line = line.replace(FENCE, "`\u{200b}``");
        if discord_len(&text) + discord_len(&line) + 1 + RESERVE > CONTENT_LIMIT {
            break;
        }
        text.push_str(&line);
        text.push('\n');
        shown += 1;
    }
    text.push_str(FENCE);
    if shown < lines.len() {
        text.push_str(&format!(
            "\n\u{2026} and {} more (the bot's log lists them all).",
            lines.len() - shown
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Problem;

    fn problem(line: usize, message: &str) -> Problem {
        Problem {
            file: "/srv/knowledge/intents.toml".into(),
            line,
            column: 7,
            message: message.into(),
        }
    }

    #[test]
    fn the_report_says_when_there_is_nothing_to_reload_or_the_files_are_unreadable() {
        assert!(report(&Ok(Reloaded::NothingToReload)).contains("nothing to reload"));
        let unreadable = Err(ReloadError::Knowledge(KnowledgeError::Read {
            path: "/nonexistent/intents.toml".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        }));
        assert!(
            report(&unreadable).contains("cannot read"),
            "{}",
            report(&unreadable)
        );
    }

    #[test]
    fn the_report_lists_problems_with_positions_and_fits_a_message() {
        let few = Err(ReloadError::Knowledge(KnowledgeError::Invalid(vec![
            problem(3, "unknown field `summry`"),
            problem(9, "a ``` fence"),
        ])));
        let text = report(&few);
        assert!(text.contains("/srv/knowledge/intents.toml:3:7: unknown field"));
        assert_eq!(text.matches("```").count(), 2, "{text}");

        let many: Vec<Problem> = (1..=200).map(|i| problem(i, "bad regex")).collect();
        let text = report(&Err(ReloadError::Knowledge(KnowledgeError::Invalid(many))));
        assert!(
            discord_len(&text) <= CONTENT_LIMIT,
            "{}",
            discord_len(&text)
        );
        assert!(
            text.contains("more (the bot's log lists them all)"),
            "{text}"
        );
        assert!(text.contains(":1:7: bad regex"));
    }

    #[test]
    fn who_may_reload() {
        let counselor = RoleId::new(10);
        let student = RoleId::new(20);
        let manage = Some(Permissions::MANAGE_GUILD | Permissions::SEND_MESSAGES);
        let member = Some(Permissions::SEND_MESSAGES);
        // No counselor roles: Manage Server (or Administrator) in a server.
        assert!(may_reload(&[], true, &[], manage));
        assert!(may_reload(&[], true, &[], Some(Permissions::ADMINISTRATOR)));
        assert!(!may_reload(&[], true, &[], member));
        assert!(!may_reload(&[], true, &[], None));
        // Counselor roles: the role decides.
        assert!(may_reload(
            &[counselor],
            true,
            &[student, counselor],
            member
        ));
        assert!(!may_reload(&[counselor], true, &[student], manage));
        // Never from a DM.
        assert!(!may_reload(&[], false, &[], manage));
        assert!(!may_reload(&[counselor], false, &[counselor], manage));
    }
}
