//! Front-end-neutral answers.
//!
//! An [`Answer`] is what the bot says, before any front end decides how it
//! looks: the terminal renders it as text ([`text`]), the Discord front end
//! as an embed. This layer reads the validated knowledge and nothing else:
//! no I/O, no Discord types.

pub mod compose;
pub mod text;

use crate::intent::Intent;

/// One labelled value shown beside an answer (a figure, a list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Short label, e.g. "Median (2015)".
    pub name: String,
    /// The value, e.g. "$37,110 a year — all specialists".
    pub value: String,
    /// Whether a front end may lay this field out beside its neighbours.
    pub inline: bool,
}

/// One answer to one intent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The intent answered; `None` for the out-of-scope reply.
    pub intent: Option<Intent>,
    /// Heading, e.g. "Salary".
    pub title: String,
    /// The answer in prose.
    pub body: String,
    /// Figures and lists, in display order.
    pub fields: Vec<Field>,
    /// The citations the answer gave, recapped on one line: "Source: BLS,
    /// 2015" or "Sources: BLS, 2015 · source article". The body cites each
    /// fact inline already; front ends may show this as a footer.
    /// [`compose::cited_sources`] lists them.
    pub source: Option<String>,
    /// Questions the student might ask next.
    pub follow_ups: Vec<String>,
}

/// How the bot replied to a message as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyKind {
    /// At least one career question was answered: a topic, an aspect, or
    /// an aspect the source does not cover (the answer says so).
    Answered,
    /// Only small talk (greeting, help, thanks).
    SmallTalk,
    /// Nothing the bot can answer (off topic, or only about another
    /// occupation): the reply says what it can answer.
    OutOfScope,
    /// The message had no words at all (only a mention, emoji, markup).
    Empty,
}

/// Everything the bot says in response to one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The intents recognised, in [`Intent::ALL`] order; empty when out of scope.
    pub intents: Vec<Intent>,
    /// What kind of reply this is.
    pub kind: ReplyKind,
    /// One answer per intent, or the single out-of-scope answer.
    pub answers: Vec<Answer>,
}
