//! Finding the questions in a message.
//!
//! A long post mixes background ("I'm a junior, my aunt works at a clinic")
//! with what it asks. The message is cut into sentences at full stops,
//! question marks, line breaks and the items of a numbered list ("1. job
//! description 2. salary"); a sentence asks when it ends with a question
//! mark, opens with an interrogative or an auxiliary ("how", "is", "do"),
//! holds a request ("can someone explain", "tell me", "wondering") or
//! passes one on ("a parent asked me whether it is growing"). When any
//! sentence asks, only those are read, with a short sentence right after
//! one that narrows it ("like pay wise") and the short items of a list
//! that is the request; otherwise the whole message is (a bare "salary" or
//! "pay info pls" is its own question). Each question is then cut into
//! clauses at commas, joining words ("and", "also") and after an opening
//! greeting ("hey bot | what can you do"), so "what's the pay and do i
//! need a degree" asks two things. The engine may read a question again
//! with the sentence before it when it points back ("what is that") or
//! only checks a claim made there ("is that true?").
//!
//! Pure; the work is bounded whatever the input (see the limits below).

use super::normalize::{Stop, Token};

/// Most sentences read; the rest join the last one.
pub const MAX_SENTENCES: usize = 16;
/// Most clauses in one sentence; the rest join the last one.
pub const MAX_CLAUSES_PER_SENTENCE: usize = 8;

/// Words that open a question.
const QUESTION_OPENERS: &[&str] = &[
    "what", "whats", "how", "where", "when", "why", "who", "which", "whose", "is", "are", "am",
    "was", "were", "do", "does", "did", "can", "could", "would", "will", "should", "shall", "may",
    "might", "have", "has", "any", "anyone", "anybody", "tell", "explain", "describe", "list",
    "give", "show", "help", "need", "whats", "hows", "wheres", "whys", "wat",
];

/// What "someone" at the start of a request is asked to do ("someone
/// explain ...", "somebody pls tell me ...").
const SOMEONE_ASKED_TO: &[&str] = &[
    "explain", "tell", "help", "give", "break", "list", "describe", "answer", "please", "pls",
    "know", "share", "here", "out", "clarify",
];

/// Word sequences that make a sentence a request wherever they stand.
const REQUEST_PHRASES: &[&[&str]] = &[
    &["tell", "me"],
    &["explain"],
    &["wondering"],
    &["wonder"],
    &["curious"],
    &["want", "to", "know"],
    &["wanted", "to", "know"],
    &["need", "to", "know"],
    &["would", "like", "to", "know"],
    &["like", "to", "know"],
    &["love", "to", "know"],
    &["figure", "out"],
    &["want", "to", "ask"],
    &["i", "need"],
    &["we", "need"],
    &["wanted", "to", "ask"],
    &["info", "on"],
    &["information", "on"],
    &["information", "about"],
    &["any", "advice"],
    &["any", "tips"],
    &["any", "info"],
    &["any", "information"],
    &["do", "not", "know"],
    &["not", "sure"],
    &["confused", "about"],
    &["looking", "for"],
    &["help", "me"],
    &["please"],
    &["how", "much"],
    &["how", "long"],
    &["what", "is"],
    &["what", "are"],
];

/// Words that open the subject of a question after its auxiliary ("did
/// they ...", "was the ..."): a sentence with one asks, story or not.
const SUBJECT_OPENERS: &[&str] = &[
    "i", "you", "u", "he", "she", "it", "we", "they", "there", "this", "that", "these", "those",
    "the", "a", "an", "my", "your", "his", "her", "their", "our", "anyone", "anybody", "someone",
    "people", "any",
];

/// One sentence of a message, cut into clauses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sentence {
    /// The sentence's words, in order.
    pub words: Vec<String>,
    /// Each clause as a range of `words`.
    pub clauses: Vec<std::ops::Range<usize>>,
    /// Whether the sentence ended with a question mark.
    pub question_mark: bool,
    /// Whether the sentence ended with a full stop, an exclamation mark or
    /// a semicolon.
    pub full_stop: bool,
    /// Whether the sentence is an item of a numbered list ("I need to
    /// cover: 1. job description 2. salary").
    pub list_item: bool,
    /// The clauses (by index into `clauses`) that "or" opened, the last
    /// one only while the cap on clauses has not merged more into it.
    pub opened_by_or: Vec<usize>,
}

impl Sentence {
    /// This sentence followed by `next`, as one sentence of one clause.
    pub fn joined_with(&self, next: &Sentence) -> Sentence {
        let mut words = self.words.clone();
        words.extend(next.words.iter().cloned());
        let whole = 0..words.len();
        Sentence {
            clauses: std::iter::once(whole).collect(),
            words,
            question_mark: next.question_mark,
            full_stop: next.full_stop,
            list_item: false,
            opened_by_or: Vec::new(),
        }
    }

    /// Whether this sentence asks something (see the module docs).
    pub fn asks(&self) -> bool {
        self.question_mark || words_ask(&self.words)
    }

    /// Whether this sentence tells what the writer did or was with its
    /// subject left out, in the way of a story: it opens with a past or
    /// perfect auxiliary and ends with a full stop ("Did all the billing,
    /// insurance claims, patient records.", "Was in retail for 6 yrs.",
    /// "Did a ton of data entry."). A question opening so has a subject
    /// next; "a" or "an" there is the start of what was done, since a
    /// writer who marks questions would have marked "did a degree help?".
    /// Only telling from a writer who marks questions: see [`questions`].
    fn narrates(&self) -> bool {
        let [first, second, ..] = &self.words[..] else {
            return false;
        };
        self.full_stop
            && matches!(
                first.as_str(),
                "did" | "was" | "were" | "had" | "have" | "has"
            )
            && (!SUBJECT_OPENERS.contains(&second.as_str())
                || matches!(second.as_str(), "a" | "an"))
            && !words_ask(&self.words[1..])
    }

    /// The words of one clause.
    pub fn clause_words(&self, clause: usize) -> &[String] {
        &self.words[self.clauses[clause].clone()]
    }
}

/// Whether `words` ask something by their wording alone: a question word
/// or auxiliary first (after a list number or a filler such as "so"), or a
/// request phrase anywhere.
pub fn words_ask<W: AsRef<str>>(words: &[W]) -> bool {
    // Numbered asks ("1) what degree"): skip the number.
    let words: Vec<&str> = words
        .iter()
        .map(AsRef::as_ref)
        .skip_while(|w| w.chars().all(|c| c.is_ascii_digit()) && w.len() <= 2)
        .collect();
    let Some(first) = words.first() else {
        return false;
    };
    if QUESTION_OPENERS.contains(first) {
        return true;
    }
    // "someone explain the pay" asks; "someone in my cohort mentioned it"
    // tells.
    if matches!(*first, "someone" | "somebody")
        && words.get(1).is_some_and(|w| SOMEONE_ASKED_TO.contains(w))
    {
        return true;
    }
    // "so what's the pay", "ok and how long is school".
    if words.len() > 1 && FILLERS.contains(first) && QUESTION_OPENERS.contains(&words[1]) {
        return true;
    }
    REQUEST_PHRASES.iter().any(|phrase| {
        words.windows(phrase.len()).enumerate().any(|(at, w)| {
            w == *phrase && !phrase_tells(&words[..at], phrase, &words[at + phrase.len()..])
        })
    }) || reports_a_question(&words)
}

/// Phrases that pass on a question ("a parent asked me whether it is
/// growing").
const REPORTED_ASKS: &[&[&str]] = &[
    &["whether"],
    &["asked", "me", "if"],
    &["asked", "if"],
    &["asking", "if"],
];

/// Words after a reporting phrase that make it the writer's own choice
/// ("decide whether to go", "asked if i wanted"), not a question.
const OWN_CHOICE: &[&str] = &["i", "to", "we", "my", "or"];

/// Whether `words` pass on a question about something other than the
/// writer's own choices.
fn reports_a_question(words: &[&str]) -> bool {
    REPORTED_ASKS.iter().any(|phrase| {
        words.windows(phrase.len() + 1).any(|window| {
            window[..phrase.len()] == **phrase && !OWN_CHOICE.contains(&window[phrase.len()])
        })
    })
}

/// Words that point back to something said before.
const POINTERS: &[&str] = &["it", "that", "this", "those", "these"];

/// Whether `words` point back to something said before ("what is that",
/// "how do i get it").
pub fn points_back(words: &[String]) -> bool {
    words.iter().any(|w| POINTERS.contains(&w.as_str()))
}

/// Words a question may hold and still say nothing of its own beyond what
/// it points back to ("is it worth it", "what is that", "do i need it").
const EMPTY_WORDS: &[&str] = &[
    "it", "that", "this", "those", "these", "what", "whats", "is", "are", "was", "do", "does",
    "did", "would", "will", "should", "can", "i", "you", "me", "a", "the", "so", "ok", "okay",
    "and", "really", "actually", "even", "worth", "mean", "called", "about", "get", "need", "good",
    "idea", "exactly", "then", "hmm", "wait",
];

/// Longest question read as only pointing back ([`only_points`]).
const MAX_POINTING_WORDS: usize = 6;

/// Whether the short question `words` says nothing but what it points
/// back to: its own reading ("is it worth it" is the overview) stands in
/// for the background before it ("My counselor mentioned the RHIT.").
pub fn only_points(words: &[String]) -> bool {
    only_points_or(words, &[])
}

/// [`only_points`], with the words `also` allowed among the empty ones.
fn only_points_or(words: &[String], also: &[&str]) -> bool {
    words.len() <= MAX_POINTING_WORDS
        && points_back(words)
        && words
            .iter()
            .all(|w| EMPTY_WORDS.contains(&w.as_str()) || also.contains(&w.as_str()))
}

/// Whether the short question `words` asks whether what it points back
/// to is worth it, and nothing more ("is it even worth getting", "worth
/// it?"); "is this career worth it" names what it weighs.
pub fn weighs_what_it_points_to(words: &[String]) -> bool {
    words.iter().any(|w| w == "worth")
        && only_points_or(words, &["getting", "doing", "taking", "having"])
}

/// Longest clause read as saying the message is not about the career
/// (the career's name may take several words).
const MAX_DISCLAIMER_WORDS: usize = 8;

/// Whether the short clause `words` says the message is not about the
/// career ("not HIT related but ...", "not about HIT exactly", "kinda off
/// topic", "unrelated to health IT"): it asks nothing, whatever career
/// words it holds. "Not" must open the clause: "i am not asking about
/// pay" tells what the question is not.
pub fn disclaims_the_career(words: &[String]) -> bool {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let opening = words
        .iter()
        .position(|w| {
            !matches!(
                *w,
                "ok" | "so" | "kinda" | "sorry" | "this" | "is" | "its" | "well"
            )
        })
        .unwrap_or(words.len());
    words.len() <= MAX_DISCLAIMER_WORDS
        && !holds_question_word(&words)
        && (words.contains(&"unrelated")
            || words.windows(2).any(|pair| pair == ["off", "topic"])
            || (matches!(words.get(opening), Some(&("not" | "isnt")))
                && (words[opening + 1..].contains(&"related")
                    || matches!(
                        words[opening + 1..],
                        ["about", ..] | ["really", "about", ..]
                    ))))
}

/// Whether `words` state the writer's interest ("i am curious about the
/// health IT field", "really interested in health information").
pub fn states_interest(words: &[String]) -> bool {
    words.iter().any(|w| {
        matches!(
            w.as_str(),
            "curious" | "interested" | "intrigued" | "interesting"
        )
    })
}

/// Words that name a course of study ("the program", "those classes");
/// not "major", which students use for the career itself ("health IT as
/// a backup major, is it a solid path").
const STUDIES: &[&str] = &[
    "program",
    "programs",
    "course",
    "courses",
    "class",
    "classes",
    "curriculum",
    "coursework",
];

/// Whether `words` name a course of study.
pub fn names_studies(words: &[String]) -> bool {
    words.iter().any(|w| STUDIES.contains(&w.as_str()))
}

/// Whether `words` ask a yes/no question of "it" ("is it a lot of
/// computer stuff", "like does it cover coding", "and is it heavy on
/// science or mostly computers"): after a question on a course of study,
/// "it" is that course.
pub fn asks_of_it(words: &[String]) -> bool {
    let mut words = words.iter().map(String::as_str).peekable();
    while words
        .next_if(|w| matches!(*w, "like" | "and" | "so" | "or" | "but" | "also"))
        .is_some()
    {}
    matches!(
        (words.next(), words.next()),
        (
            Some("is" | "does" | "would" | "will" | "isnt" | "doesnt"),
            Some("it")
        )
    )
}

/// Words that check a claim when they end a short question ("is that
/// true", "is this accurate").
const CLAIM_CHECKS: &[&str] = &[
    "true", "accurate", "correct", "right", "legit", "real", "facts", "thing",
];

/// Words that may trail a claim check ("is that true or not", "true tho").
const CLAIM_TRAILERS: &[&str] = &[
    "or",
    "not",
    "tho",
    "though",
    "haha",
    "lol",
    "too",
    "also",
    "everywhere",
    "generally",
];

/// Most words naming whom a claim is checked for ("for health info techs").
const MAX_CHECKED_FOR_WORDS: usize = 5;

/// Words that may open a claim check before what it points at ("so is it
/// really true", "is that even a thing").
const CLAIM_OPENERS: &[&str] = &[
    "so", "but", "and", "ok", "okay", "is", "was", "are", "isnt", "thats", "really", "a",
];

/// Whether `words` are nothing but a check of something said before ("is
/// that true?", "is this accurate or not", "true?", "is that even a
/// thing?"): such a question asks about the claim, not about what its own
/// words suggest. A claim made in the same words ("it pays well right?",
/// "is this job real?") is no such check.
pub fn checks_claim(words: &[String]) -> bool {
    let mut rest: Vec<&str> = words.iter().map(String::as_str).collect();
    while rest.last().is_some_and(|w| CLAIM_TRAILERS.contains(w)) {
        rest.pop();
    }
    // "is that true for health info techs (too)": whom the claim is
    // checked for follows the check.
    if let Some(at) = rest
        .iter()
        .rposition(|w| matches!(*w, "for" | "about" | "in"))
    {
        if at > 0
            && rest.len() - at <= MAX_CHECKED_FOR_WORDS
            && CLAIM_CHECKS.contains(&rest[at - 1])
        {
            rest.truncate(at);
        }
    }
    let Some((check, before)) = rest.split_last() else {
        return false;
    };
    if !CLAIM_CHECKS.contains(check) {
        return false;
    }
    // Before the check word: openers, at most one pointer, and an adverb.
    let mut pointers = 0;
    for word in before {
        if POINTERS.contains(word) {
            pointers += 1;
        } else if !CLAIM_OPENERS.contains(word) && !matches!(*word, "actually" | "even" | "real") {
            return false;
        }
    }
    pointers <= 1
}

/// Words asking for a judgement of a career ("is it a good choice", "would
/// it fit me").
const JUDGEMENT_WORDS: &[&str] = &[
    "good",
    "great",
    "decent",
    "reasonable",
    "worth",
    "worthwhile",
    "fit",
    "choice",
    "option",
    "smart",
    "solid",
    "bad",
    "wise",
    "realistic",
];

/// Whether `words` ask for a judgement ("is it a reasonable choice for me").
pub fn judges(words: &[String]) -> bool {
    words.iter().any(|w| JUDGEMENT_WORDS.contains(&w.as_str()))
}

/// Greetings that open a message: a clause of their own, so "hey bot what
/// are you for" greets and asks.
const GREETINGS: &[&str] = &["hi", "hey", "hello", "heyy", "hii", "heya", "hiya"];

/// Whom a greeting greets: part of the greeting's clause.
const ADDRESSES: &[&str] = &[
    "bot",
    "there",
    "guys",
    "all",
    "everyone",
    "everybody",
    "yall",
    "you",
    "folks",
    "team",
];

/// Words that open a question asking for content, not yes or no.
const QUESTION_WORDS: &[&str] = &[
    "what", "whats", "how", "where", "when", "why", "who", "which", "whose", "hows", "wheres",
    "whys", "wat", "tell", "explain", "describe", "list", "give", "show",
];

/// Whether `words` hold a question word anywhere ("they'd like to know
/// what kind of work environment it has", "where do they work").
pub fn holds_question_word<W: AsRef<str>>(words: &[W]) -> bool {
    words.iter().any(|w| WH_WORDS.contains(&w.as_ref()))
}

/// Fillers a question may open with before its question word.
const FILLERS: &[&str] = &[
    "so",
    "and",
    "ok",
    "okay",
    "also",
    "but",
    "hey",
    "hi",
    "hello",
    "like",
    "um",
    "then",
    "oh",
    "haha",
    "anyway",
    "anyways",
    "well",
    "alright",
    "btw",
    "plus",
    "honestly",
    "actually",
    "basically",
    "roughly",
    "approximately",
    "realistically",
    "seriously",
    "generally",
    "typically",
    "usually",
];

/// Whether `words` open (after a list number or fillers) with a word asking
/// for content ("what", "how", "tell me"), rather than yes or no.
pub fn opens_with_question_word(words: &[String]) -> bool {
    words
        .iter()
        .map(String::as_str)
        .find(|w| !(w.chars().all(|c| c.is_ascii_digit()) || FILLERS.contains(w)))
        .is_some_and(|w| QUESTION_WORDS.contains(&w))
}

/// What the writer needs when "i need a ..." (or "we need a ...") tells
/// of their life rather than asks ("i need a career thats stable", "i
/// need a job soon"); "i need a description of the job" and "i need: job
/// description, pay" ask, and so does "i need something i can finish
/// fast", which asks what would fit.
const LIFE_NEEDS: &[&str] = &[
    "job", "jobs", "career", "change", "paycheck", "break", "raise", "new",
];

/// The same, with no article: "i need money", "i need stability".
const LIFE_NEEDS_BARE: &[&str] = &["money", "income", "stability"];

/// Fields too broad to be the question: "kinda curious about healthcare"
/// says why the writer is here; "curious about the pay" asks.
const BROAD_FIELDS: &[&str] = &[
    "healthcare",
    "health",
    "medicine",
    "medical",
    "tech",
    "technology",
    "computers",
    "it",
    "everything",
    "stuff",
    "things",
];

/// Whether the request phrase `phrase`, between `before` and `after`,
/// tells rather than asks:
/// - curiosity that tells how the writer came to ask: "(it) got me
///   curious about the people who manage those systems", "that made me
///   wonder";
/// - curiosity about a whole field: "kinda curious about healthcare";
/// - the writer explaining themselves: "let me explain my situation",
///   "hard to explain", "i will explain";
/// - a need or doubt about the writer's own life: "i need a job soon",
///   "not sure i want to be stuck in a hospital".
fn phrase_tells(before: &[&str], phrase: &[&str], after: &[&str]) -> bool {
    match phrase {
        // "i see the codes every day and got curious." tells how the
        // writer came to ask; the question is elsewhere.
        ["curious"] | ["wondering"] | ["wonder"] if after.is_empty() => true,
        ["curious"]
            if matches!(before, [.., "got" | "get" | "getting" | "became"])
                && !matches!(
                    after,
                    [
                        "about" | "what" | "how" | "if" | "whether" | "why" | "where",
                        ..
                    ]
                ) =>
        {
            true
        }
        ["curious"] | ["wondering"] | ["wonder"] => {
            matches!(
                before,
                [
                    ..,
                    "got" | "gets" | "made" | "makes" | "has" | "had" | "left",
                    "me"
                ]
            ) || matches!(after, ["about", field] | ["about", field, "in", "general"]
                if BROAD_FIELDS.contains(field))
        }
        ["explain"] => matches!(
            before,
            [.., "let", "me"] | [.., "to"] | [.., "i", "will" | "can" | "should"] | [.., "ill"]
        ),
        ["i" | "we", "need"] => {
            matches!(after, ["a" | "an" | "another", next, ..] if LIFE_NEEDS.contains(next))
                || matches!(after, [next, ..] if LIFE_NEEDS_BARE.contains(next))
        }
        ["not", "sure"] => matches!(
            after,
            [
                "i",
                "want" | "wanna" | "can" | "could" | "would" | "like" | "am",
                ..
            ]
        ),
        _ => false,
    }
}

/// Words that count the questions a clause announces ("two things i want
/// to know about HIT:", "a couple questions about health IT").
const ANNOUNCING_COUNTS: &[&str] = &[
    "two", "three", "four", "2", "3", "4", "few", "couple", "several", "quick", "some",
];

/// Whether the clause `words` announces the questions after it rather than
/// asking one: a count of things or questions ("two things i want to
/// know about health IT", "quick question about it"). One that opens with
/// a question word asks ("what are two things they do").
pub fn announces_questions(words: &[String]) -> bool {
    if opens_with_question_word(words) {
        return false;
    }
    words.windows(2).any(|pair| {
        ANNOUNCING_COUNTS.contains(&pair[0].as_str())
            && matches!(pair[1].as_str(), "things" | "questions" | "question" | "qs")
    }) || words.windows(3).any(|triple| {
        ANNOUNCING_COUNTS.contains(&triple[0].as_str())
            && triple[1] == "of"
            && matches!(triple[2].as_str(), "things" | "questions")
    })
}

/// Whether the clause `words` tells rather than asks: it opens with "i" or
/// "my" and holds no question wording ("i know they work in hospitals").
pub fn tells(words: &[String]) -> bool {
    words
        .first()
        .is_some_and(|w| matches!(w.as_str(), "i" | "my"))
        && !words_ask(words)
}

/// Whether the clause `words` opens a sentence with a condition, a time
/// or a role ("if i did the 2 year degree, what could i make", "so once
/// i'm certified, ...", "as a cs major, ..."): it sets up the clauses
/// after it and asks nothing of its own. An "if" after "and" or "or" is
/// another matter: it reports a question ("how long is it and if i need a
/// cert"), so only a sentence's first clause is checked by the caller.
pub fn sets_condition(words: &[String]) -> bool {
    // "ok so like hypothetically if i did ...": any run of fillers.
    let mut words = words
        .iter()
        .map(String::as_str)
        .skip_while(|w| FILLERS.contains(w) || matches!(*w, "hypothetically" | "just" | "say"));
    let first = words.next();
    let rest: Vec<&str> = words.collect();
    let opens = match first {
        Some("if" | "when" | "once" | "after" | "since" | "because" | "unless" | "assuming") => {
            true
        }
        // A role ("as a cs major"), not a topic ("as for the pay").
        Some("as") => matches!(rest.first(), Some(&("a" | "an"))),
        _ => false,
    };
    opens && !words_ask(&rest)
}

/// Whether the clause `words`, after a clause that set up a condition,
/// goes on with it ("if i did the degree, | got certified, | and worked at
/// a hospital, | what would i make"): it asks nothing, no question word, no
/// question opening.
pub fn continues_condition(words: &[String]) -> bool {
    !words.is_empty() && !holds_question_word(words) && !words_ask(words)
}

/// "1" to "9": how students number the questions in a post.
fn is_list_number(word: &str) -> bool {
    word.len() == 1 && word.as_bytes()[0].is_ascii_digit() && word != "0"
}

/// How far ahead a "1" looks for the "2" that makes it a list.
const LIST_LOOKAHEAD: usize = 40;

/// Whether the token at `index` is a list number where an item starts: at
/// the start of the message or of a sentence or line, or written "2."
/// ("I need to cover: 1. job description 2. salary"). A number inside a
/// sentence ("is it 1 or 2 years", "1 kid and 2 jobs") numbers nothing.
fn numbers_item(tokens: &[Token], index: usize) -> bool {
    let Some(Token::Word(word)) = tokens.get(index) else {
        return false;
    };
    let at_start = index == 0 || matches!(tokens[index - 1], Token::Break(_));
    let dotted = matches!(tokens.get(index + 1), Some(Token::Break(Stop::Sentence)))
        && matches!(tokens.get(index + 2), Some(Token::Word(_)));
    let item_follows = matches!(tokens.get(index + 1), Some(Token::Word(_)));
    is_list_number(word) && (dotted || (at_start && item_follows))
}

/// Whether the list number at `index` opens an item of a numbered list:
/// the next number of a list already open, or a "1" with a "2" after it,
/// both where an item starts ([`numbers_item`]).
fn opens_list_item(tokens: &[Token], index: usize, open_item: Option<u8>) -> bool {
    let Some(Token::Word(word)) = tokens.get(index) else {
        return false;
    };
    let Ok(number) = word.parse::<u8>() else {
        return false;
    };
    if !numbers_item(tokens, index) {
        return false;
    }
    match open_item {
        Some(open) => number == open + 1,
        None => {
            number == 1
                && (index + 1..tokens.len()).take(LIST_LOOKAHEAD).any(|i| {
                    matches!(&tokens[i], Token::Word(w) if w == "2") && numbers_item(tokens, i)
                })
        }
    }
}

/// Words that open a question asking for information, not a yes or no.
const WH_WORDS: &[&str] = &[
    "what", "whats", "how", "hows", "where", "wheres", "when", "whens", "why", "whys", "who",
    "whos", "whose", "which", "wat",
];

/// Whether `words` open with a question word asking for information ("how
/// much school", "which place pays best"): a question of its own, not the
/// other half of an either-or ("or is experience enough").
pub fn opens_with_wh(words: &[String]) -> bool {
    words
        .first()
        .is_some_and(|w| WH_WORDS.contains(&w.as_str()))
}

/// Whether `words`, a clause that "or" opened, offers what would do
/// instead of the thing just asked about ("do i need a cert | or is the
/// degree enough"): a yes/no question ("is", "would") that ends on
/// "enough" or "sufficient", or goes on only with what it is enough for
/// ("is an associate's enough to get hired"). It adds no question of its
/// own; "is there enough demand" asks one.
fn offers_enough(words: &[&str]) -> bool {
    let yes_no = words.first().is_some_and(|w| {
        matches!(
            *w,
            "is" | "are" | "would" | "will" | "does" | "do" | "can" | "could" | "isnt"
        )
    });
    let enough_at = words
        .iter()
        .position(|w| matches!(*w, "enough" | "sufficient"));
    yes_no
        && enough_at.is_some_and(|at| {
            words
                .get(at + 1)
                .map_or(true, |next| matches!(*next, "to" | "for"))
        })
}

/// Words that weigh one answer against another at the start of a clause
/// "or" opens, after "is it" or the like ("or is it mostly records").
const WEIGHING_WORDS: &[&str] = &[
    "more", "mostly", "mainly", "all", "just", "only", "purely", "simply", "always",
];

/// Clauses "or" opens that only leave room for another answer ("is it
/// because of EHRs | or something else").
const VAGUE_OTHERS: &[&[&str]] = &[
    &["something"],
    &["something", "else"],
    &["smth"],
    &["anything", "else"],
    &["what"],
    &["not"],
    &["whatever"],
    &["something", "like", "that"],
];

/// Whether `words`, a clause that "or" opened, offers another answer to
/// the question just asked rather than asking one of its own: what would
/// do instead ([`offers_enough`]), or the other side weighed ("do they fix
/// computers | or is it mostly records", "is it required | or is it just
/// recommended"), or only room for one ("or something else"). In the
/// labelled sets no such clause adds a topic to the one before it.
pub fn offers_other_answer(words: &[String]) -> bool {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    // The weighing word must follow "is it" or the like: a bare "or just a
    // cert" after "do i need a degree" asks about the cert too.
    let weighed = match words[..] {
        ["is" | "are" | "was" | "does" | "do" | "would" | "will" | "isnt", "it" | "that" | "this" | "they", ref rest @ ..]
        | ["its" | "thats" | "theyre", ref rest @ ..] => rest,
        _ => &[],
    };
    weighed.first().is_some_and(|w| WEIGHING_WORDS.contains(w))
        || offers_enough(&words)
        || VAGUE_OTHERS.contains(&&words[..])
}

/// What a job may be called in "what is the job".
const JOB_NOUNS: &[&str] = &[
    "job",
    "career",
    "field",
    "role",
    "position",
    "profession",
    "thiscareer",
];

/// Words that may close "what is the job" without changing what it asks.
const WHAT_IT_IS_CLOSERS: &[&str] = &[
    "really",
    "exactly",
    "actually",
    "even",
    "basically",
    "about",
];

/// Whether `words` ask only what the job is ("whats the job", "what is
/// this career really", "what is the job about"), after any fillers.
pub fn asks_what_it_is(words: &[String]) -> bool {
    let words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .skip_while(|w| FILLERS.contains(w))
        .collect();
    let rest = match words[..] {
        ["what" | "wat", "is", ref rest @ ..] | ["whats", ref rest @ ..] => rest,
        _ => return false,
    };
    let rest = match rest {
        ["the" | "this" | "a" | "an" | "that", rest @ ..] => rest,
        rest => rest,
    };
    match rest {
        [noun] => JOB_NOUNS.contains(noun),
        [noun, closer] => JOB_NOUNS.contains(noun) && WHAT_IT_IS_CLOSERS.contains(closer),
        _ => false,
    }
}

/// Words for the people who hire.
const HIRERS: &[&str] = &[
    "employers",
    "employer",
    "hospitals",
    "companies",
    "hire",
    "hiring",
];

/// Words for what hirers want of a candidate.
const WANTING: &[&str] = &[
    "care", "prefer", "want", "require", "value", "look", "expect",
];

/// Whether `words` ask what employers want of a candidate ("do employers
/// actually care about that", "which one do hospitals prefer").
pub fn asks_what_employers_want(words: &[String]) -> bool {
    words.iter().any(|w| HIRERS.contains(&w.as_str()))
        && words.iter().any(|w| WANTING.contains(&w.as_str()))
}

/// Openings of a clause that gives an example of what the clause before
/// asked ("is there a way to make more, like working for other employers").
const EXAMPLE_OPENERS: &[&[&str]] = &[
    &["like"],
    &["such", "as"],
    &["for", "example"],
    &["for", "instance"],
    &["eg"],
    &["e", "g"],
];

/// Whether `words`, a clause after another, only gives an example of what
/// that one asked: it opens with "like" or "such as" and asks nothing
/// itself ("like is it all computers" asks; "like working at a clinic"
/// does not).
pub fn gives_example(words: &[String]) -> bool {
    EXAMPLE_OPENERS.iter().any(|opener| {
        words.len() > opener.len()
            && opener.iter().zip(words).all(|(a, b)| a == b)
            && !QUESTION_OPENERS.contains(&words[opener.len()].as_str())
            && !holds_question_word(&words[opener.len()..])
    })
}

/// Prepositions that open a clause narrowing the one before to a place
/// ("is it basically help desk | but for hospitals": the clause read is
/// "for hospitals"; "how much do they make, | at a hospital").
const NARROWING_OPENERS: &[&str] = &["for", "at", "in", "on", "inside", "within"];

/// Longest clause read as only narrowing the one before.
const MAX_NARROWING_WORDS: usize = 4;

/// Whether `words`, a short clause after another, may only narrow what
/// that one asked ("for hospitals", "in a big hospital"): it opens with a
/// preposition and asks nothing itself ("in what settings" holds a
/// question word). The engine drops such a clause's reading only when it
/// is where they work: "in demand" is still the outlook.
pub fn only_narrows(words: &[String]) -> bool {
    words.len() <= MAX_NARROWING_WORDS
        && words
            .first()
            .is_some_and(|w| NARROWING_OPENERS.contains(&w.as_str()))
        && !holds_question_word(words)
        && !words_ask(words)
}

/// Verbs of liking whose object a list may go on in the next clause ("if
/// i like healthcare + computers").
const LIKING: &[&str] = &["like", "love", "enjoy", "into", "interested"];

/// Longest clause read as one more item of the liking before it.
const MAX_LIKED_ITEM_WORDS: usize = 2;

/// Whether `words`, a bare short clause, goes on the list of things the
/// writer likes that `before` ended with ("what else could i do if i like
/// health | computers"), rather than naming a topic of its own.
pub fn continues_what_is_liked(before: &[String], words: &[String]) -> bool {
    let tail = before.len().saturating_sub(MAX_LIKED_ITEM_WORDS + 2);
    words.len() <= MAX_LIKED_ITEM_WORDS
        && !words.iter().any(|w| QUESTION_OPENERS.contains(&w.as_str()))
        // "i like health", "im really into data": the liking has a subject
        // ("like degree wise" is a filler, not a liking).
        && before[tail..before.len().saturating_sub(1)]
            .windows(2)
            .any(|pair| {
                matches!(pair[0].as_str(), "i" | "we" | "am" | "really" | "also" | "just")
                    && LIKING.contains(&pair[1].as_str())
            })
}

/// Auxiliaries that open a yes/no question ("do they", "can i").
const AUXILIARIES: &[&str] = &[
    "is", "are", "am", "was", "were", "do", "does", "did", "can", "could", "would", "will",
    "should", "shall", "may", "might", "have", "has",
];

/// Whether `words` are only a question's auxiliary and its subject so far
/// ("do they", "is there", "can u").
fn opens_with_auxiliary(words: &[String]) -> bool {
    matches!(words, [aux, subject]
        if AUXILIARIES.contains(&aux.as_str()) && SUBJECT_OPENERS.contains(&subject.as_str()))
}

/// Cuts normalised tokens into sentences and clauses. `joiners` are the
/// words that start a new clause ("and", "also"); they are dropped, and
/// the clauses "or" opens are recorded (`Sentence::opened_by_or`). The
/// words move into the sentences: the tokens are consumed, not copied.
pub fn sentences(mut tokens: Vec<Token>, joiners: &[String]) -> Vec<Sentence> {
    let mut out: Vec<Sentence> = vec![Sentence::default()];
    let mut clause_start = 0;
    // Within an opening greeting: whom it greets may follow.
    let mut greeting_open = false;
    // The number of the list item being read, in a numbered list.
    let mut open_item: Option<u8> = None;
    // The break right after an item's number ("1.") ends nothing.
    let mut skip_break = false;
    let close_clause = |sentence: &mut Sentence, start: &mut usize| {
        let end = sentence.words.len();
        if end > *start {
            if sentence.clauses.len() < MAX_CLAUSES_PER_SENTENCE {
                sentence.clauses.push(*start..end);
            } else if let Some(last) = sentence.clauses.last_mut() {
                last.end = end;
                // Past the cap the last clause takes in the rest: it is no
                // longer only what "or" opened.
                let last_index = sentence.clauses.len() - 1;
                sentence.opened_by_or.retain(|&i| i != last_index);
            }
        }
        *start = end;
    };
    for index in 0..tokens.len() {
        let token = &tokens[index];
        let Some(sentence) = out.last_mut() else {
            break;
        };
        let next_opens_question = matches!(
            tokens.get(index + 1),
            Some(Token::Word(next)) if QUESTION_OPENERS.contains(&next.as_str())
        );
        match token {
            // "do they also want a cert": "also" after a question's
            // auxiliary and subject is inside the question, not a joint.
            Token::Word(word)
                if word == "also" && opens_with_auxiliary(&sentence.words[clause_start..]) => {}
            Token::Word(word) if joiners.iter().any(|j| j == word) => {
                close_clause(sentence, &mut clause_start);
                let next = sentence.clauses.len();
                if word == "or"
                    && next < MAX_CLAUSES_PER_SENTENCE
                    && sentence.opened_by_or.last() != Some(&next)
                {
                    sentence.opened_by_or.push(next);
                }
            }
            // An opening greeting, with whom it greets ("hey bot", "hi
            // all"), is a clause of its own when more words follow.
            Token::Word(word)
                if (sentence.words.is_empty() && GREETINGS.contains(&word.as_str()))
                    || (greeting_open && ADDRESSES.contains(&word.as_str())) =>
            {
                sentence.words.push(word.clone());
                greeting_open = true;
                let next_is_more = matches!(
                    tokens.get(index + 1),
                    Some(Token::Word(next)) if !ADDRESSES.contains(&next.as_str())
                );
                if next_is_more {
                    close_clause(sentence, &mut clause_start);
                    greeting_open = false;
                }
            }
            // "1. job description 2. salary": each item is a sentence.
            Token::Word(word)
                if is_list_number(word) && opens_list_item(&tokens, index, open_item) =>
            {
                open_item = word.parse().ok();
                greeting_open = false;
                close_clause(sentence, &mut clause_start);
                if !sentence.words.is_empty() && out.len() < MAX_SENTENCES {
                    out.push(Sentence::default());
                    clause_start = 0;
                }
                // Past the sentence limit the item joins the last sentence,
                // which stays what it was.
                if let Some(item) = out.last_mut().filter(|s| s.words.is_empty()) {
                    item.list_item = true;
                }
                skip_break = matches!(tokens.get(index + 1), Some(Token::Break(Stop::Sentence)));
                continue;
            }
            // A list number ("1) what degree") starts a clause.
            Token::Word(word) if is_list_number(word) && next_opens_question => {
                close_clause(sentence, &mut clause_start);
            }
            Token::Break(Stop::Sentence) if std::mem::take(&mut skip_break) => {}
            // Only the word's text is taken: the token stays a word for
            // the list checks that look back, which read only whether a
            // token is a word or a break (`numbers_item`), never its text.
            Token::Word(_) => {
                if let Token::Word(word) = &mut tokens[index] {
                    sentence.words.push(std::mem::take(word));
                }
            }
            Token::Break(Stop::Soft) => {
                greeting_open = false;
                close_clause(sentence, &mut clause_start);
            }
            Token::Break(stop) => {
                greeting_open = false;
                close_clause(sentence, &mut clause_start);
                sentence.question_mark |= *stop == Stop::Question;
                sentence.full_stop = *stop == Stop::Sentence;
                if !sentence.words.is_empty() && out.len() < MAX_SENTENCES {
                    out.push(Sentence::default());
                    clause_start = 0;
                }
            }
        }
    }
    if let Some(sentence) = out.last_mut() {
        close_clause(sentence, &mut clause_start);
    }
    out.retain(|sentence| !sentence.words.is_empty());
    for sentence in &mut out {
        join_either_or(sentence);
    }
    out
}

/// Longest clause, its verb included, whose "or" names a second subject
/// or object of the same question rather than opening a question.
const MAX_EITHER_WORDS: usize = 3;

/// Joins a short yes/no clause with the clause "or" opens after it when
/// the two make one question: "do hospitals | or other places pay more"
/// asks the pay of both, not where they work; "is it hard | or easy"
/// asks one thing. An "or" that opens a question of its own ("is it
/// growing | or is it dying") keeps its clause.
fn join_either_or(sentence: &mut Sentence) {
    let mut clause = 0;
    while clause + 1 < sentence.clauses.len() {
        let range = sentence.clauses[clause].clone();
        let short_yes_no = range.len() <= MAX_EITHER_WORDS
            && matches!(
                sentence.words[range.start].as_str(),
                "do" | "does" | "did" | "is" | "are" | "can" | "would" | "will" | "should"
            );
        let next = &sentence.clauses[clause + 1];
        let next_asks_anew = QUESTION_OPENERS.contains(&sentence.words[next.start].as_str());
        if short_yes_no && !next_asks_anew && sentence.opened_by_or.contains(&(clause + 1)) {
            let next = sentence.clauses.remove(clause + 1);
            sentence.clauses[clause].end = next.end;
            sentence.opened_by_or.retain(|&i| i != clause + 1);
            for i in &mut sentence.opened_by_or {
                if *i > clause {
                    *i -= 1;
                }
            }
        } else {
            clause += 1;
        }
    }
}

/// Openings of a short sentence that narrows the question just before it
/// ("is it worth it? like pay wise", "what about school? especially cost").
const ELABORATION_OPENERS: &[&[&str]] = &[
    &["like"],
    &["as", "in"],
    &["i", "mean"],
    &["especially"],
    &["specifically"],
    &["mainly"],
    &["mostly"],
    &["particularly"],
    &["in", "terms", "of"],
];

/// Longest sentence read as narrowing the question before it.
const MAX_ELABORATION_WORDS: usize = 8;

/// Whether `sentence` narrows a question before it rather than telling
/// something new.
pub fn elaborates(sentence: &Sentence) -> bool {
    sentence.words.len() <= MAX_ELABORATION_WORDS
        && ELABORATION_OPENERS.iter().any(|opener| {
            opener.len() <= sentence.words.len()
                && opener.iter().zip(&sentence.words).all(|(a, b)| a == b)
        })
}

/// Longest item of a numbered list read as a question: a topic named in a
/// requested list ("2. education needed") asks for it; a long item tells.
const MAX_ITEM_WORDS: usize = 6;

/// The indexes of the sentences to read: those that ask, with a short
/// sentence narrowing the one before ("like pay wise") and short items of
/// a numbered list, or all of them when none does.
pub fn questions(sentences: &[Sentence]) -> Vec<usize> {
    let mut asking: Vec<usize> = Vec::new();
    // A list is the request when the sentence leading into it asks ("I need
    // to cover: 1. pay 2. schooling") or nothing outside it asks; a list
    // beside a question ("Steps I took: 1. got my RHIT ... What's the
    // pay?") tells.
    // A writer who ends questions with "?" ends a story's sentence with a
    // full stop, even one that opens like a question.
    let marks_questions = sentences.iter().any(|s| s.question_mark);
    let asks: Vec<bool> = sentences
        .iter()
        .map(|s| s.asks() && !(marks_questions && s.narrates()))
        .collect();
    let others_ask = sentences
        .iter()
        .zip(&asks)
        .any(|(s, &asks)| !s.list_item && asks);
    let lead_in_asks = |i: usize| {
        (0..i)
            .rev()
            .find(|&j| !sentences[j].list_item)
            .is_some_and(|j| asks[j])
    };
    for (i, sentence) in sentences.iter().enumerate() {
        let follows_a_question = i > 0 && asking.last() == Some(&(i - 1));
        let requested_item = sentence.list_item
            && sentence.words.len() <= MAX_ITEM_WORDS
            && !tells(&sentence.words)
            && (!others_ask || lead_in_asks(i));
        if asks[i] || (follows_a_question && elaborates(sentence)) || requested_item {
            asking.push(i);
        }
    }
    if asking.is_empty() {
        (0..sentences.len()).collect()
    } else {
        asking
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        for piece in text.split_inclusive(['?', '.', ',']) {
            let (body, stop) = match piece.chars().last() {
                Some('?') => (&piece[..piece.len() - 1], Some(Stop::Question)),
                Some('.') => (&piece[..piece.len() - 1], Some(Stop::Sentence)),
                Some(',') => (&piece[..piece.len() - 1], Some(Stop::Soft)),
                _ => (piece, None),
            };
            out.extend(body.split_whitespace().map(|w| Token::Word(w.to_string())));
            if let Some(stop) = stop {
                out.push(Token::Break(stop));
            }
        }
        out
    }

    #[test]
    fn claim_checks_are_only_the_check() {
        let cases = [
            ("is that true", true),
            ("is that true or not", true),
            ("is that true everywhere", true),
            ("true", true),
            ("so is it really true", true),
            ("is this accurate", true),
            ("thats right haha", true),
            ("it pays well right", false),
            ("is this job real", false),
            ("is health it legit", false),
            ("is that true that they make 40k", false),
            ("right", true),
            ("is that even a thing", true),
            ("is that a real thing", true),
            ("is this job a thing", false),
            ("is that true for health info techs", true),
            ("is that true for them too", true),
            (
                "is that true for every hospital in the state of ohio",
                false,
            ),
            ("", false),
        ];
        for (text, expected) in cases {
            assert_eq!(checks_claim(&words(text)), expected, "{text:?}");
        }
    }

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    fn joiners() -> Vec<String> {
        vec!["and".into(), "also".into()]
    }

    #[test]
    fn finds_the_questions_in_a_post() {
        // (message, the sentences read, joined by " | ")
        let cases = [
            (
                "hi all. i am a junior and my aunt is a nurse. what degree do i need?",
                "what degree do i need",
            ),
            ("salary", "salary"),
            ("i like computers. pay info please", "pay info please"),
            (
                "1 what degree. 2 how much do they make",
                "what degree | how much do they make",
            ),
            (
                "i hate blood. so what would i do all day",
                "so what would i do all day",
            ),
            ("my mom says its good. is it growing?", "is it growing"),
            // A filler opening the question ("anyway") hides nothing.
            (
                "my cousin says it is a solid plan b. anyway do they need a license",
                "anyway do they need a license",
            ),
            // A short sentence narrowing the question before it is read too;
            // the same words after background are not.
            (
                "is it better than retail? like pay wise",
                "is it better than retail | like pay wise",
            ),
            (
                "i work retail. like most of my friends. is it growing?",
                "is it growing",
            ),
            // "I need ..." asks, even without a question mark.
            (
                "i have a project. i need the pay and the schooling",
                "i need the pay the schooling",
            ),
            // Items of a requested list are read; numbers inside a
            // sentence number nothing; a list beside a question tells.
            (
                "my project needs. 1. job description 2. salary 3. outlook",
                "job description | salary | outlook",
            ),
            // (Inline numbers before question words cut clauses, not
            // sentences.)
            (
                "i want a 2 year degree. 1 what degree 2 how much do they make",
                "what degree how much do they make",
            ),
            ("i have a 2 year degree. what else", "what else"),
            (
                "is it 1 or 2 years of school for health it",
                "is it 1 or 2 years of school for health it",
            ),
            (
                "i have 1 kid and work 2 jobs. how long is the program",
                "how long is the program",
            ),
            (
                "steps i took. 1. finished school 2. got certified. what is the pay",
                "what is the pay",
            ),
            (
                "i need to cover. 1. i am a junior 2. salary",
                "i need to cover | salary",
            ),
            // Passed-on questions ask; the writer's own choices do not.
            (
                "my mom asked me whether it is growing. idk",
                "my mom asked me whether it is growing",
            ),
            (
                "i can not decide whether to go to college. what do they do",
                "what do they do",
            ),
            (
                "my counselor asked if i wanted hospitals. what cert do i need",
                "what cert do i need",
            ),
            // A story's sentence that opens like a question, from a writer
            // who marks questions, tells; without a "?" anywhere, or with
            // a present-tense opening, it may ask.
            (
                "did all the billing, claims, records. is there demand?",
                "is there demand",
            ),
            (
                "was in retail for 6 years. how long is school?",
                "how long is school",
            ),
            (
                "did a ton of data entry. can i do it from home?",
                "can i do it from home",
            ),
            ("did a degree help you. is there demand?", "is there demand"),
            (
                "did all the billing. is there demand",
                "did all the billing | is there demand",
            ),
            (
                "did they cover coding. is there demand?",
                "did they cover coding | is there demand",
            ),
            (
                "is it worth it. what is the pay?",
                "is it worth it | what is the pay",
            ),
        ];
        for (message, expected) in cases {
            let sentences = sentences(tokens(message), &joiners());
            let read: Vec<String> = questions(&sentences)
                .into_iter()
                .map(|i| sentences[i].words.join(" "))
                .collect();
            assert_eq!(read.join(" | "), expected, "{message}");
        }
    }

    #[test]
    fn a_question_of_pointers_alone_says_nothing_of_its_own() {
        let cases = [
            ("is it worth it", true),
            ("what is that", true),
            ("do i need it", true),
            ("so is that even worth it", true),
            ("is it worth it money wise", false),
            ("is the degree worth it", false),
            ("is it hard", false),
            ("is that what they do all day", false),
        ];
        for (text, expected) in cases {
            assert_eq!(only_points(&words(text)), expected, "{text:?}");
        }
    }

    #[test]
    fn a_count_of_questions_announces_them() {
        let cases = [
            ("two things i want to know about thiscareer", true),
            ("quick question about it", true),
            ("a couple of questions", true),
            ("i have 3 questions", true),
            ("tell me about thiscareer", false),
            ("what are two things they do", false),
            ("two year degree", false),
        ];
        for (text, expected) in cases {
            assert_eq!(announces_questions(&words(text)), expected, "{text:?}");
        }
    }

    #[test]
    fn a_sentence_opening_with_a_condition_sets_it_up() {
        let cases = [
            ("if i did the 2 year degree", true),
            ("so once i am certified", true),
            ("after i finish the associate", true),
            ("as a cs major", true),
            ("as for the pay", false),
            ("if so what is the pay", false),
            ("if i get certified", true),
            ("okay so like hypothetically if i did the degree", true),
            ("ok so if so what does it pay", false),
            ("how long if i go part time", false),
            ("is it worth it", false),
            ("", false),
        ];
        for (text, expected) in cases {
            assert_eq!(sets_condition(&words(text)), expected, "{text:?}");
        }
    }

    #[test]
    fn a_clause_without_a_question_goes_on_with_a_condition() {
        let cases = [
            ("got certified", true),
            ("and worked at a hospital", true),
            ("what would my salary be", false),
            ("is it worth it", false),
            ("how long is it", false),
            ("", false),
        ];
        for (text, expected) in cases {
            assert_eq!(continues_condition(&words(text)), expected, "{text:?}");
        }
    }

    #[test]
    fn also_after_an_auxiliary_and_its_subject_joins_nothing() {
        let cases = [
            ("do they also want a cert", vec!["do they want a cert"]),
            ("is there also an exam", vec!["is there an exam"]),
            (
                "whats the pay also is it growing",
                vec!["whats the pay", "is it growing"],
            ),
            (
                "do they need a degree also a cert",
                vec!["do they need a degree", "a cert"],
            ),
        ];
        for (text, expected) in cases {
            let sentences = sentences(tokens(text), &joiners());
            let clauses: Vec<String> = (0..sentences[0].clauses.len())
                .map(|c| sentences[0].clause_words(c).join(" "))
                .collect();
            assert_eq!(clauses, expected, "{text:?}");
        }
    }

    #[test]
    fn clauses_split_at_commas_and_joiners() {
        let sentences = sentences(
            tokens("whats the pay and do i need a degree, also is it growing?"),
            &joiners(),
        );
        assert_eq!(sentences.len(), 1);
        let clauses: Vec<String> = (0..sentences[0].clauses.len())
            .map(|c| sentences[0].clause_words(c).join(" "))
            .collect();
        assert_eq!(
            clauses,
            ["whats the pay", "do i need a degree", "is it growing"]
        );
        assert!(sentences[0].question_mark);
    }

    #[test]
    fn a_clause_that_or_opens_is_marked_and_may_offer_an_alternative() {
        // (message, clauses "or" opened, whether the last one offers)
        let cases: [(&str, &[usize], bool); 13] = [
            ("do i need a cert, or is the degree enough", &[1], true),
            (
                "can i work from home, or is it always in the office",
                &[1],
                true,
            ),
            ("do they fix computers or is it mostly records", &[1], true),
            ("is it required, or is that just a bonus", &[1], true),
            ("do i need a degree or just a cert", &[1], false),
            ("is it because of ehrs or something else", &[1], true),
            ("is it a desk job or is it all meetings", &[1], true),
            (
                "do i need a degree or is there more demand for certs",
                &[1],
                false,
            ),
            (
                "do i need a cert or is my experience sufficient",
                &[1],
                true,
            ),
            (
                "do i need a bachelors or is an associates enough to get hired",
                &[1],
                true,
            ),
            (
                "is it growing or is it dying and what does it pay",
                &[1],
                false,
            ),
            (
                "is it a good career or is there enough demand for jobs",
                &[1],
                false,
            ),
            ("is a 2 year or 4 year degree enough", &[1], false),
        ];
        let joiners: Vec<String> = vec!["and".into(), "or".into()];
        for (message, opened, offers) in cases {
            let sentence = &sentences(tokens(message), &joiners)[0];
            assert_eq!(sentence.opened_by_or, opened, "{message}");
            let words = sentence.clause_words(opened[opened.len() - 1]);
            assert_eq!(offers_other_answer(words), offers, "{message}");
        }
    }

    #[test]
    fn or_past_the_clause_cap_marks_nothing() {
        let joiners: Vec<String> = vec!["and".into(), "or".into()];
        let long = "a, b, c, d, e, f, g, or is a degree enough and what is the pay";
        let sentence = &sentences(tokens(long), &joiners)[0];
        assert_eq!(sentence.clauses.len(), MAX_CLAUSES_PER_SENTENCE);
        assert!(sentence
            .opened_by_or
            .iter()
            .all(|&i| i < sentence.clauses.len()));
        // The last clause took in more than "or" opened: not marked.
        assert!(!sentence
            .opened_by_or
            .contains(&(MAX_CLAUSES_PER_SENTENCE - 1)));
        let doubled = &sentences(tokens("is it hard or or is a cert enough"), &joiners)[0];
        assert_eq!(doubled.opened_by_or, [1]);
    }

    #[test]
    fn an_opening_greeting_is_a_clause_of_its_own() {
        let sentences = sentences(tokens("hey what do they make"), &joiners());
        let clauses: Vec<String> = (0..sentences[0].clauses.len())
            .map(|c| sentences[0].clause_words(c).join(" "))
            .collect();
        assert_eq!(clauses, ["hey", "what do they make"]);
        let addressed = sentences_of("hey bot what are you for");
        let clauses: Vec<String> = (0..addressed[0].clauses.len())
            .map(|c| addressed[0].clause_words(c).join(" "))
            .collect();
        assert_eq!(clauses, ["hey bot", "what are you for"]);
        assert_eq!(sentences_of("hi bot")[0].clauses.len(), 1);
        let alone = sentences_of("hey");
        assert_eq!(alone[0].clauses.len(), 1);
    }

    fn sentences_of(text: &str) -> Vec<Sentence> {
        sentences(tokens(text), &joiners())
    }

    #[test]
    fn a_clause_opening_with_a_question_word_asks_on_its_own() {
        let cases = [
            ("how much school", true),
            ("which place pays best", true),
            ("whats the pay", true),
            ("is experience enough", false),
            ("do i need a cert", false),
            ("", false),
        ];
        for (clause, opens) in cases {
            let words: Vec<String> = clause.split_whitespace().map(String::from).collect();
            assert_eq!(opens_with_wh(&words), opens, "{clause:?}");
        }
    }

    #[test]
    fn clauses_that_ask_by_their_wording() {
        // (clause, whether it asks by its words alone)
        let cases = [
            ("what is it", true),
            ("so how long is school", true),
            ("i would love to know what the job is like", true),
            ("someone explain the pay", true),
            ("got me curious about the people who manage records", false),
            (
                "i am a nursing student kinda curious about healthcare",
                false,
            ),
            ("curious about the pay in healthcare", true),
            ("i see procedure codes every day and got curious", false),
            ("just wondering", false),
            ("i got curious about what they make", true),
            ("let me explain my situation first", false),
            ("can you explain the job", true),
            ("i need a job that pays soon", false),
            ("i need the median pay for my report", true),
            ("i need job description and salary", true),
            ("i need something i can finish fast", true),
            ("i need a description of the job", true),
            ("we need what the job is and the salary", true),
            ("we need a job soon", false),
            ("not sure i want to be stuck at a desk", false),
            ("not sure what they do", true),
            ("it made me wonder about the job", false),
            ("i am curious about the pay", true),
            ("someone in my class mentioned it", false),
            ("trying to figure out whether it pays", true),
            ("2 where do they work", true),
            ("roughly what would i make starting out", true),
            ("roughly forty hours", false),
            ("tell me the pay", true),
            ("okay so for thiscareer", false),
            ("healthcare", false),
            ("so thiscareer", false),
        ];
        for (clause, expected) in cases {
            let words: Vec<String> = clause.split(' ').map(str::to_string).collect();
            assert_eq!(words_ask(&words), expected, "{clause}");
        }
    }

    #[test]
    fn a_clause_may_say_the_message_is_not_about_the_career() {
        let cases = [
            ("not thiscareer related", true),
            ("not health information technology related", true),
            ("kinda off topic", true),
            ("totally unrelated to thiscareer", true),
            ("is it related to thiscareer", false),
            ("what jobs are not related to patients at all", false),
            ("what are related careers", false),
            ("not about thiscareer exactly", true),
            ("this is not about thiscareer", true),
            ("ok so this isnt about careers exactly", true),
            ("i am not asking about pay", false),
            ("not sure about the pay", false),
        ];
        for (text, disclaims) in cases {
            let words: Vec<String> = text.split(' ').map(str::to_string).collect();
            assert_eq!(disclaims_the_career(&words), disclaims, "{text}");
        }
    }

    #[test]
    fn a_short_either_or_is_one_clause() {
        // (message, its clauses)
        let cases: [(&str, &[&str]); 4] = [
            (
                "do hospitals or other places pay more",
                &["do hospitals other places pay more"],
            ),
            ("is it hard or easy", &["is it hard easy"]),
            (
                "is it growing or is it dying",
                &["is it growing", "is it dying"],
            ),
            (
                "do i need a degree or just a cert",
                &["do i need a degree", "just a cert"],
            ),
        ];
        let joiners: Vec<String> = vec!["and".into(), "or".into()];
        for (message, expected) in cases {
            let sentence = &sentences(tokens(message), &joiners)[0];
            let clauses: Vec<String> = (0..sentence.clauses.len())
                .map(|c| sentence.clause_words(c).join(" "))
                .collect();
            assert_eq!(clauses, expected, "{message}");
            assert!(
                sentence
                    .opened_by_or
                    .iter()
                    .all(|&c| c < sentence.clauses.len()),
                "{message}"
            );
        }
    }

    #[test]
    fn clauses_that_only_go_on_the_one_before() {
        // (clause before, clause, gives an example, goes on what is liked)
        let cases = [
            (
                "is there a way to make more",
                "like working for other employers",
                true,
                false,
            ),
            (
                "what does it take to get in",
                "like is it a degree",
                false,
                false,
            ),
            ("is it hard", "like how long is school", false, false),
            (
                "what could i do if i like healthcare",
                "computers",
                false,
                true,
            ),
            ("im really into data", "coding", false, true),
            (
                "what does it take to get in there like degree",
                "certification wise",
                false,
                false,
            ),
            ("how much do they make", "outlook", false, false),
            (
                "what else could i do if i like health",
                "where do they work",
                false,
                false,
            ),
        ];
        for (before, clause, example, liked) in cases {
            let (before, clause) = (words(before), words(clause));
            assert_eq!(gives_example(&clause), example, "{clause:?}");
            assert_eq!(
                continues_what_is_liked(&before, &clause),
                liked,
                "{clause:?}"
            );
        }
    }

    #[test]
    fn clauses_that_only_narrow_the_one_before() {
        let cases = [
            ("for hospitals", true),
            ("at a big hospital", true),
            ("in hospitals though", true),
            ("in what settings", false),
            ("for how long", false),
            (
                "at hospitals or at clinics or at insurance companies",
                false,
            ),
            ("where do they work", false),
            ("hospitals", false),
        ];
        for (clause, narrows) in cases {
            assert_eq!(only_narrows(&words(clause)), narrows, "{clause}");
        }
    }

    #[test]
    fn asking_only_what_the_job_is() {
        let cases = [
            ("whats the job", true),
            ("so what is this career really", true),
            ("what is the job about", true),
            ("what is thiscareer", true),
            ("what is the job like", false),
            ("what is the pay", false),
            ("what is it", false),
            ("what is the job outlook", false),
        ];
        for (text, asks) in cases {
            assert_eq!(asks_what_it_is(&words(text)), asks, "{text}");
        }
    }

    #[test]
    fn what_employers_want_of_a_candidate() {
        let cases = [
            ("do employers actually care about that when they hire", true),
            ("which one do hospitals prefer", true),
            ("what kind of employers hire them", false),
            ("do they care about the pay", false),
        ];
        for (text, wanted) in cases {
            assert_eq!(asks_what_employers_want(&words(text)), wanted, "{text}");
        }
    }

    #[test]
    fn a_question_of_it_after_a_course_of_study() {
        // (words, names a course of study, asks a yes/no question of "it")
        let cases = [
            ("what classes would i take in that program", true, false),
            (
                "like is it medical terminology or more computer stuff",
                false,
                true,
            ),
            ("and is it a lot of computer stuff", false, true),
            ("does it cover coding", false, true),
            ("what degree do i need", false, false),
            ("thinking about thiscareer as a backup major", false, false),
            ("is this career a lot of computer stuff", false, false),
            ("is the pay good", false, false),
        ];
        for (text, studies, of_it) in cases {
            let words: Vec<String> = text.split(' ').map(str::to_string).collect();
            assert_eq!(names_studies(&words), studies, "{text}");
            assert_eq!(asks_of_it(&words), of_it, "{text}");
        }
    }

    #[test]
    fn work_is_bounded() {
        let long = "what. ".repeat(100) + &"a, ".repeat(100);
        let sentences = sentences(tokens(&long), &joiners());
        assert!(sentences.len() <= MAX_SENTENCES);
        assert!(sentences
            .iter()
            .all(|s| s.clauses.len() <= MAX_CLAUSES_PER_SENTENCE));
    }
}
