//! Message normalisation: from what a student typed in Discord to the words
//! the matcher reads.
//!
//! Removes Discord markup (mentions, custom emoji, timestamps, links,
//! markdown), invisible and combining characters, case and punctuation;
//! maps emoji and slang to words, and abbreviations written in capitals
//! ("HIT", "health IT") to the words they stand for; collapses letters
//! repeated for emphasis. Punctuation becomes a break that says how
//! strongly it separates: the end of a question, of a sentence, or a softer
//! pause (a comma). [`stems`] gives the words a word may inflect, so the
//! typo corrector leaves "seeing" alone when it knows "see". Pure: no I/O.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use regex::Regex;

use crate::knowledge::model::Lexicon;

/// A normalised message: words, with the clause breaks between them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Normalized {
    pub tokens: Vec<Token>,
}

/// How strongly a break separates what is before it from what follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stop {
    /// A comma, colon or dash: a pause within a sentence.
    Soft,
    /// A line break: the end of a sentence, punctuated or not.
    Line,
    /// A full stop, exclamation mark or semicolon.
    Sentence,
    /// A question mark: what came before was asked.
    Question,
}

/// One unit of a normalised message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    /// A word, lower-case, no punctuation.
    Word(String),
    /// Punctuation or a line break.
    Break(Stop),
}

impl Normalized {
    /// The words alone.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.tokens.iter().filter_map(|token| match token {
            Token::Word(word) => Some(word.as_str()),
            Token::Break(_) => None,
        })
    }

    /// True when nothing readable is left (only markup, mentions, emoji).
    pub fn is_empty(&self) -> bool {
        self.words().next().is_none()
    }

    /// The words joined by single spaces.
    pub fn text(&self) -> String {
        self.words().collect::<Vec<_>>().join(" ")
    }
}

/// Turns raw messages into [`Normalized`] ones. Build once; regexes are
/// compiled here.
#[derive(Debug)]
pub struct Normalizer {
    custom_emoji: Regex,
    discord_tokens: Regex,
    masked_link: Regex,
    url: Regex,
    emoji: Vec<(String, String)>,
    capitals: Vec<(String, String)>,
    replacements: FxHashMap<String, Vec<String>>,
}

/// Longest message read, in bytes: Discord allows 4,000 characters; anything
/// past this (pasted logs) cannot change what a student asked.
const MAX_INPUT_BYTES: usize = 16 * 1024;

impl Normalizer {
    pub fn new(lexicon: &Lexicon) -> Normalizer {
        let replacements = lexicon
            .replacements
            .iter()
            .map(|(from, to)| {
                (
                    from.clone(),
                    to.split_whitespace().map(str::to_string).collect(),
                )
            })
            .collect();
        Normalizer {
            // These patterns are fixed and tested; a failure is a programming error.
            // Ids are ASCII digits: `[0-9]`, not `\d`, whose every script's
            // digits took milliseconds of start-up to compile.
            custom_emoji: Regex::new(r"<a?:([A-Za-z0-9_]{1,32}):[0-9]{1,20}>").expect("valid regex"),
            discord_tokens: Regex::new(
                // A handle typed by hand at the start of a line ("@CareerBot
                // what do they make") addresses someone, like a mention: it
                // is not asked about. Elsewhere "@" may stand for "at"
                // ("work @home"), and a handle keeps a full stop after it.
                r"<(?:@[!&]?[0-9]{1,20}|#[0-9]{1,20}|/[^<>:]{1,100}:[0-9]{1,20}|t:-?[0-9]{1,20}(?::[tTdDfFR])?|id:[a-z]{1,20})>|@(?:everyone|here)\b|(?m:^)[ \t]*@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,30}[A-Za-z0-9_])?",
            )
            .expect("valid regex"),
            masked_link: Regex::new(r"\[([^\]\n]{0,256})\]\(<?[^)\s]+>?\)").expect("valid regex"),
            url: Regex::new(r"(?i)\b(?:https?|ftp)://\S+|\bwww\.\S+").expect("valid regex"),
            emoji: lexicon.emoji.clone(),
            capitals: lexicon.capitals.clone(),
            replacements,
        }
    }

    /// Normalises one message.
    pub fn normalize(&self, raw: &str) -> Normalized {
        let raw = truncate(raw, MAX_INPUT_BYTES);
        // Most messages hold no markup: each pass runs only on a message
        // holding a character its pattern needs (a full stop alone is no
        // sign of a link).
        let mut text = Cow::Borrowed(raw);
        let passes: [(&Regex, &str, bool); 4] = [
            (&self.custom_emoji, " $1 ", raw.contains('<')),
            (&self.discord_tokens, " ", raw.contains(['<', '@'])),
            (&self.masked_link, " $1 ", raw.contains('[')),
            (
                &self.url,
                " ",
                raw.contains("://") || contains_ignoring_case(raw, "www."),
            ),
        ];
        for (pattern, replacement, may_match) in passes {
            if !may_match {
                continue;
            }
            if let Cow::Owned(replaced) = pattern.replace_all(&text, replacement) {
                text = Cow::Owned(replaced);
            }
        }
        let mut text = text.into_owned();
        if !text.is_ascii() {
            for (emoji, words) in &self.emoji {
                if text.contains(emoji.as_str()) {
                    text = text.replace(emoji.as_str(), &format!(" {words} "));
                }
            }
        }
        // Before case folds away: "HIT" is the career, "hit" a verb; in a
        // message typed in capitals ("I HIT A WALL") case says nothing.
        let has_capitals = self
            .capitals
            .iter()
            .any(|(abbreviation, _)| find_with_capitals(&text, abbreviation).is_some());
        if has_capitals && !mostly_capitals(&text) {
            for (abbreviation, words) in &self.capitals {
                if find_with_capitals(&text, abbreviation).is_some() {
                    text = replace_whole_words(&text, abbreviation, words);
                }
            }
        }
        let mut tokens = Vec::new();
        for piece in split_pieces(&text) {
            match piece {
                Piece::Break(stop) => push_break(&mut tokens, stop),
                Piece::Word(word) => {
                    let word = if has_run_over(&word, 2) {
                        collapse_runs(&word, 2)
                    } else {
                        word
                    };
                    match self.replacements.get(&word) {
                        Some(words) => {
                            for w in words {
                                if w == "?" {
                                    push_break(&mut tokens, Stop::Question);
                                } else {
                                    tokens.push(Token::Word(w.clone()));
                                }
                            }
                        }
                        None => tokens.push(Token::Word(word)),
                    }
                }
            }
        }
        Normalized { tokens }
    }
}

/// Whether `text` holds `needle` (ASCII) in any case.
fn contains_ignoring_case(text: &str, needle: &str) -> bool {
    needle.is_empty()
        || text
            .as_bytes()
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// `text` with every occurrence of `word` that stands alone (no letter or
/// digit touching it) replaced by `by`. An abbreviation ending in a
/// capital may take a plural "s" ("HITs", "RHITs"), which goes with it.
fn replace_whole_words(text: &str, word: &str, by: &str) -> String {
    let mut out = String::with_capacity(text.len() + by.len());
    let mut rest = text;
    let mut offset = 0;
    let takes_plural = word.ends_with(|c: char| c.is_ascii_uppercase());
    while let Some(at) = find_with_capitals(rest, word) {
        // What stands before, looked up in the whole text: the previous
        // match may touch this one ("HITHIT").
        let before = text[..offset + at].chars().next_back();
        let word_end = at + word.len();
        let plural = takes_plural && rest[word_end..].starts_with('s');
        let with_plural = word_end + usize::from(plural);
        let after = rest[with_plural..].chars().next();
        let alone =
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        let end = if alone { with_plural } else { word_end };
        out.push_str(&rest[..at]);
        out.push_str(if alone { by } else { &rest[at..end] });
        rest = &rest[end..];
        offset += end;
    }
    out.push_str(rest);
    out
}

/// Where `key` (ASCII) first stands in `text`, its capitals written as
/// capitals and its small letters in either case: "health IT" is found in
/// "Health IT" and "health IT", never in "health it".
fn find_with_capitals(text: &str, key: &str) -> Option<usize> {
    let key = key.as_bytes();
    if key.is_empty() {
        return None;
    }
    // An ASCII byte never stands inside a longer character, so a match
    // starts and ends on character boundaries.
    text.as_bytes().windows(key.len()).position(|window| {
        window
            .iter()
            .zip(key)
            .all(|(&typed, &wanted)| typed == wanted || typed.to_ascii_lowercase() == wanted)
    })
}

/// Whether `text` has more capital letters than small ones.
fn mostly_capitals(text: &str) -> bool {
    let upper = text.chars().filter(char::is_ascii_uppercase).count();
    let lower = text.chars().filter(char::is_ascii_lowercase).count();
    upper > lower
}

/// Adds a break; next to another break, the stronger of the two stays.
fn push_break(tokens: &mut Vec<Token>, stop: Stop) {
    match tokens.last_mut() {
        None => {}
        Some(Token::Break(last)) => *last = (*last).max(stop),
        Some(Token::Word(_)) => tokens.push(Token::Break(stop)),
    }
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

enum Piece {
    Word(String),
    Break(Stop),
}

/// Splits cleaned text into words and breaks, folding case and dropping
/// invisible characters.
fn split_pieces(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    // One buffer for the word being read, copied out at its exact size:
    // one allocation a word, where growing a fresh string took several.
    let mut word = String::with_capacity(32);
    let chars: Vec<char> = text.chars().collect();
    let flush = |word: &mut String, pieces: &mut Vec<Piece>| {
        if !word.is_empty() {
            pieces.push(Piece::Word(word.as_str().to_owned()));
            word.clear();
        }
    };
    // Characters already taken by a shorthand ("w/o").
    let mut taken_until = 0;
    // A bulleted list ("I need: - salary - outlook") is numbered, so it is
    // read as a numbered list is; one dash alone is punctuation.
    let numbered_bullets = (0..chars.len())
        .filter(|&i| is_bullet(&chars, i))
        .nth(1)
        .is_some();
    let mut bullets = 0u8;
    for (i, &c) in chars.iter().enumerate() {
        if i < taken_until || is_invisible(c) {
            continue;
        }
        if numbered_bullets && is_bullet(&chars, i) {
            flush(&mut word, &mut pieces);
            bullets = (bullets + 1).min(9);
            pieces.push(Piece::Break(Stop::Line));
            pieces.push(Piece::Word(bullets.to_string()));
            continue;
        }
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
            continue;
        }
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
            continue;
        }
        if c == '/' {
            if let Some((whole, len)) = slash_shorthand(&chars, i, &word) {
                word.clear();
                pieces.push(Piece::Word(whole.to_string()));
                taken_until = i + 1 + len;
                continue;
            }
        }
        let prev_alnum = i > 0 && chars[i - 1].is_alphanumeric();
        let next_alnum = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        match c {
            // Apostrophes inside a word join it: "what's" → "whats".
            '\'' | '’' | 'ʼ' | '‘' | '`' if prev_alnum && next_alnum => {}
            // "3.5" and "40,000" stay one figure.
            '.' | ','
                if prev_alnum
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit) => {}
            '?' | '¿' => {
                flush(&mut word, &mut pieces);
                pieces.push(Piece::Break(Stop::Question));
            }
            // "1) degree 2) pay": a list number written with a bracket
            // reads as one written with a full stop ("1. degree").
            ')' if word.len() == 1
                && word.as_bytes()[0].is_ascii_digit()
                && (i < 2 || !chars[i - 2].is_alphanumeric()) =>
            {
                flush(&mut word, &mut pieces);
                pieces.push(Piece::Break(Stop::Sentence));
            }
            '!' | '.' | ';' | '¡' | '…' => {
                flush(&mut word, &mut pieces);
                pieces.push(Piece::Break(Stop::Sentence));
            }
            '\n' | '\r' => {
                flush(&mut word, &mut pieces);
                pieces.push(Piece::Break(Stop::Line));
            }
            ',' | ':' => {
                flush(&mut word, &mut pieces);
                pieces.push(Piece::Break(Stop::Soft));
            }
            '%' => {
                flush(&mut word, &mut pieces);
                pieces.push(Piece::Word("percent".to_string()));
            }
            '$' | '€' | '£' => {
                flush(&mut word, &mut pieces);
                pieces.push(Piece::Word("$".to_string()));
            }
            // "w/ a degree", "w/o a degree", "b/c": one word, not two things.
            // "duties + pay", "pay & hours", "pay/hours": two things asked.
            '&' | '+' | '/' => {
                flush(&mut word, &mut pieces);
                pieces.push(Piece::Word("and".to_string()));
            }
            _ => flush(&mut word, &mut pieces),
        }
    }
    flush(&mut word, &mut pieces);
    pieces
}

/// Whether the character at `i` marks an item of a bulleted list: a dash
/// or bullet standing alone, at the start of the text or of a line, or
/// after a space or colon.
fn is_bullet(chars: &[char], i: usize) -> bool {
    matches!(chars[i], '-' | '•' | '*' | '◦' | '‣')
        && (i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == ':')
        && chars.get(i + 1).is_some_and(|c| c.is_whitespace())
}

/// The word a shorthand with a slash at `slash` stands for ("w/" →
/// "with", "w/o" → "without", "b/c" → "because"), and how many
/// characters after the slash it takes; `word` is the word before it.
fn slash_shorthand(chars: &[char], slash: usize, word: &str) -> Option<(&'static str, usize)> {
    let starts_word = slash < 2 || !chars[slash - 2].is_alphanumeric();
    if !starts_word {
        return None;
    }
    let alone_after = |len: usize| {
        !chars
            .get(slash + 1 + len)
            .is_some_and(|c| c.is_alphanumeric())
    };
    let next = chars.get(slash + 1).map(|c| c.to_ascii_lowercase());
    match (word, next) {
        ("w", Some('o')) if alone_after(1) => Some(("without", 1)),
        ("w", _) => Some(("with", 0)),
        ("b", Some('c')) if alone_after(1) => Some(("because", 1)),
        _ => None,
    }
}

/// Zero-width, bidirectional and other format characters, and combining
/// marks (the stacked accents of "zalgo" text): invisible, so dropped.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{0000}'..='\u{0008}'
        | '\u{000B}'..='\u{000C}'
        | '\u{000E}'..='\u{001F}'
        | '\u{007F}'..='\u{009F}'
        | '\u{00AD}'
        | '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{FEFF}'
        | '\u{E0000}'..='\u{E007F}')
}

/// Endings that inflect a word, longest first, with what may stand in
/// their place: "closes" → "close", "studies" → "study", "hating" →
/// "hate".
const INFLECTIONS: &[(&str, &[&str])] = &[
    ("ies", &["y"]),
    ("ing", &["", "e"]),
    ("ed", &["", "e"]),
    ("es", &["", "e"]),
    ("s", &[""]),
];

/// The words `word` may inflect: its stem after a common ending, with an
/// "e" put back and a doubled final consonant undone ("getting" → "get").
/// Stems shorter than three letters are left out.
pub fn stems(word: &str) -> impl Iterator<Item = String> + '_ {
    INFLECTIONS
        .iter()
        .filter_map(move |&(ending, put_back)| {
            word.strip_suffix(ending).map(|stem| (stem, put_back))
        })
        .filter(|(stem, _)| stem.chars().count() >= 3)
        .flat_map(|(stem, put_back)| {
            let mut forms: Vec<String> = put_back.iter().map(|r| format!("{stem}{r}")).collect();
            // "getting" → "gett" → "get": a doubled ASCII consonant.
            if let [.., a, b] = stem.as_bytes() {
                if a == b && b.is_ascii_alphabetic() && !b"aeiou".contains(b) {
                    forms.push(stem[..stem.len() - 1].to_string());
                }
            }
            forms.retain(|form| form.chars().count() >= 3);
            forms
        })
}

/// Whether `word` repeats a character more than `keep` times in a row:
/// most words do not, and are kept as they are.
fn has_run_over(word: &str, keep: usize) -> bool {
    let mut last = None;
    let mut run = 0;
    word.chars().any(|c| {
        if Some(c) == last {
            run += 1;
        } else {
            last = Some(c);
            run = 1;
        }
        run > keep
    })
}

/// Shortens every run of one letter to at most `keep` letters:
/// "sooooo" → "soo" with `keep` 2.
pub fn collapse_runs(word: &str, keep: usize) -> String {
    let mut out = String::with_capacity(word.len());
    let mut last = None;
    let mut run = 0;
    for c in word.chars() {
        if Some(c) == last {
            run += 1;
        } else {
            last = Some(c);
            run = 1;
        }
        if run <= keep {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only_are_replaced() {
        // (text, result of reading "HIT" as "health it")
        let cases = [
            ("what do HIT techs do", "what do health it techs do"),
            ("HIT?", "health it?"),
            ("WHITE HITS HIT", "WHITE HITS health it"),
            ("HITHIT HIT", "HITHIT health it"),
            ("nothing here", "nothing here"),
        ];
        for (text, expected) in cases {
            assert_eq!(replace_whole_words(text, "HIT", "health it"), expected);
        }
    }

    /// The words `split_pieces` finds in `text`, with each line break as
    /// "/" and other breaks left out.
    fn words_and_lines(text: &str) -> String {
        let read: Vec<String> = split_pieces(text)
            .into_iter()
            .filter_map(|piece| match piece {
                Piece::Word(word) => Some(word),
                Piece::Break(Stop::Line) => Some("/".to_string()),
                Piece::Break(_) => None,
            })
            .collect();
        read.join(" ")
    }

    #[test]
    fn slash_shorthands_are_one_word() {
        // (text, its words; "and" where a slash joins two things asked)
        let cases = [
            ("a job w/ this degree", "a job with this degree"),
            ("a job w/o a degree", "a job without a degree"),
            ("W/O a degree?", "without a degree"),
            ("worth it b/c i hate math", "worth it because i hate math"),
            ("pay/hours", "pay and hours"),
            ("w/", "with"),
            ("saw/heard", "saw and heard"),
            ("w/over", "with over"),
            ("b/cd", "b and cd"),
        ];
        for (text, expected) in cases {
            assert_eq!(words_and_lines(text), expected, "{text}");
        }
    }

    #[test]
    fn markup_goes_whatever_its_case_and_plain_text_is_kept() {
        let normalizer = Normalizer::new(&Lexicon {
            replacements: Vec::new(),
            emoji: Vec::new(),
            capitals: Vec::new(),
            function_words: Vec::new(),
            clause_breaks: Vec::new(),
        });
        // (text, its words): each markup pass runs only where its
        // characters are, so each is tried here alone.
        let cases = [
            ("see WWW.EXAMPLE.COM/hit ok", "see ok"),
            ("see HTTPS://example.com/a. ok", "see ok"),
            ("<@123456789012345678> pay?", "pay"),
            ("<:hype:123456789012345678> pay", "hype pay"),
            (
                "[the article](https://example.com) says",
                "the article says",
            ),
            ("e.g. the pay: 3.5 an hour", "e g the pay 35 an hour"),
            ("is it good. [sic]", "is it good sic"),
        ];
        for (text, expected) in cases {
            assert_eq!(normalizer.normalize(text).text(), expected, "{text}");
        }
        assert!(contains_ignoring_case("go to Www.x", "www."));
        assert!(!contains_ignoring_case("ww.", "www."));
    }

    #[test]
    fn bulleted_lists_are_numbered() {
        // (text, its words and line breaks as "/")
        let cases = [
            ("need: - pay - outlook", "need / 1 pay / 2 outlook"),
            ("• pay\n• school", "/ 1 pay / / 2 school"),
            ("health IT - is it good", "health it is it good"),
            (
                "a 2-year degree - pay - school",
                "a 2 year degree / 1 pay / 2 school",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(words_and_lines(text), expected, "{text}");
        }
    }

    #[test]
    fn a_bracketed_list_number_ends_like_a_dotted_one() {
        // (text, whether a sentence break follows each list number)
        let cases = [
            ("1) degree 2) pay", true),
            ("1. degree 2. pay", true),
            ("(option 2) is fine", true),
            ("a 401k) plan", false),
            ("see (a) and b", false),
        ];
        for (text, breaks) in cases {
            let pieces = split_pieces(text);
            let number_then_break = pieces.windows(2).any(|pair| {
                matches!(
                    pair,
                    [Piece::Word(w), Piece::Break(Stop::Sentence)]
                        if w.len() == 1 && w.as_bytes()[0].is_ascii_digit()
                )
            });
            assert_eq!(number_then_break, breaks, "{text}");
        }
    }

    #[test]
    fn collapse_keeps_up_to_the_limit() {
        assert_eq!(collapse_runs("heyyyyy", 2), "heyy");
        assert_eq!(collapse_runs("heyyyyy", 1), "hey");
        assert_eq!(collapse_runs("book", 2), "book");
        assert!(has_run_over("heyyy", 2));
        assert!(!has_run_over("heyy", 2));
        assert!(!has_run_over("", 2));
    }

    #[test]
    fn an_abbreviation_is_replaced_alone_or_with_a_plural_s() {
        let by = "health information technology";
        for (text, expected) in [
            (
                "do HITs make more",
                "do health information technology make more",
            ),
            ("HIT's pay", "health information technology's pay"),
            ("HITS", "HITS"),
            ("HITson", "HITson"),
            ("aHITs", "aHITs"),
            ("HITHIT", "HITHIT"),
            ("so HIT.", "so health information technology."),
        ] {
            assert_eq!(replace_whole_words(text, "HIT", by), expected, "{text}");
        }
        assert_eq!(replace_whole_words("health ITs", "health IT", by), by);
        // A key ending in a small letter takes no plural of its own.
        assert_eq!(replace_whole_words("Foos", "Foo", "x"), "Foos");
    }

    #[test]
    fn capitals_in_a_key_must_be_typed_as_capitals() {
        assert_eq!(find_with_capitals("so Health IT?", "health IT"), Some(3));
        assert_eq!(find_with_capitals("so health IT?", "health IT"), Some(3));
        assert_eq!(find_with_capitals("so health it?", "health IT"), None);
        assert_eq!(find_with_capitals("é HIT", "HIT"), Some(3));
        assert_eq!(find_with_capitals("hit", "HIT"), None);
        assert_eq!(find_with_capitals("HIT", ""), None);
    }

    #[test]
    fn stems_undo_common_endings() {
        for (word, stem) in [
            ("seeing", "see"),
            ("hating", "hate"),
            ("getting", "get"),
            ("closes", "close"),
            ("studies", "study"),
            ("figured", "figure"),
            ("officers", "officer"),
        ] {
            let stems: Vec<String> = stems(word).collect();
            assert!(stems.iter().any(|s| s == stem), "{word}: {stems:?}");
        }
        // Letters outside ASCII are never cut in the middle.
        assert!(stems("ⶦ𐼏𖫫s").all(|s| s == "ⶦ𐼏𖫫"));
        // Too short a stem is no word of its own.
        assert_eq!(stems("bus").count(), 0);
        assert_eq!(stems("is").count(), 0);
    }
}
