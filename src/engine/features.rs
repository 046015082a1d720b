//! Features: what the classifier sees of a piece of text.
//!
//! A text (normalised words) becomes a set of hashed features, the fastText
//! recipe: every word, every pair of neighbouring words, and the character
//! 4-grams of each word with its boundaries marked. Character n-grams
//! let a misspelt or unseen word ("salery", "certifcation") share most of its
//! features with the word it resembles; word pairs keep a little order ("how
//! much", "where do"). Each feature's value is `1/√n` for a text with `n`
//! distinct features, so long and short texts weigh the same.
//!
//! Pure and deterministic: a 64-bit FNV-1a hash with a tag per feature
//! kind, the same on every machine and run.

/// One hashed feature.
pub type Feature = u64;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Tags that keep a word, a pair and an n-gram with the same bytes apart.
const TAG_WORD: u8 = 1;
const TAG_PAIR: u8 = 2;
const TAG_CHARS: u8 = 3;

fn fnv(hash: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

fn word_feature(word: &str) -> Feature {
    fnv(fnv(FNV_OFFSET, &[TAG_WORD]), word.as_bytes())
}

fn pair_feature(first: &str, second: &str) -> Feature {
    let h = fnv(fnv(FNV_OFFSET, &[TAG_PAIR]), first.as_bytes());
    fnv(fnv(h, b" "), second.as_bytes())
}

/// Length of the character n-grams. 4-grams alone: adding 3-grams
/// doubled the features (and so training time) for no measurable gain on
/// the labelled sets.
const GRAM: usize = 4;

/// Pushes the character [`GRAM`]-grams of `<word>`.
fn push_char_grams(word: &str, out: &mut Vec<Feature>) {
    let bytes = word.as_bytes();
    // Byte `i` of "<word>", without building it.
    let padded = |i: usize| match i {
        0 => b'<',
        i if i <= bytes.len() => bytes[i - 1],
        _ => b'>',
    };
    let tagged = fnv(FNV_OFFSET, &[TAG_CHARS]);
    for start in 0..(bytes.len() + 2).saturating_sub(GRAM - 1) {
        let hash = (start..start + GRAM).fold(tagged, |h, i| {
            (h ^ u64::from(padded(i))).wrapping_mul(FNV_PRIME)
        });
        out.push(hash);
    }
}

/// The words of one text as the classifier reads them: `typed` is what the
/// student wrote (after normalisation), `read` the same word after typo
/// correction. Character n-grams come from the typed form, word features
/// from the corrected one.
#[derive(Clone, Copy, Debug)]
pub struct WordPair<'a> {
    pub typed: &'a str,
    pub read: &'a str,
}

/// The distinct features of `words`, sorted, into `out` (cleared first).
pub fn extract(words: &[WordPair<'_>], out: &mut Vec<Feature>) {
    out.clear();
    // A word of n bytes gives n - 1 grams, a word feature and a pair.
    out.reserve(words.iter().map(|w| w.typed.len() + 2).sum::<usize>() + 1);
    let mut previous = "<s>";
    for word in words {
        out.push(word_feature(word.read));
        out.push(pair_feature(previous, word.read));
        push_char_grams(word.typed, out);
        if word.typed != word.read {
            push_char_grams(word.read, out);
        }
        previous = word.read;
    }
    if !words.is_empty() {
        out.push(pair_feature(previous, "</s>"));
    }
    out.sort_unstable();
    out.dedup();
}

/// The value every feature of a text with `count` distinct features has.
pub fn feature_value(count: usize) -> f32 {
    if count == 0 {
        0.0
    } else {
        1.0 / (count as f32).sqrt()
    }
}

/// Features of plain words (typed = read), for tests and training data.
pub fn extract_plain(words: &[&str]) -> Vec<Feature> {
    let mut out = Vec::new();
    extract_plain_into(words, &mut out);
    out
}

/// [`extract_plain`] into `out` (cleared first), for a caller reusing one
/// buffer.
pub fn extract_plain_into(words: &[&str], out: &mut Vec<Feature>) {
    let pairs: Vec<WordPair<'_>> = words
        .iter()
        .map(|&word| WordPair {
            typed: word,
            read: word,
        })
        .collect();
    extract(&pairs, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_distinct_sorted_and_deterministic() {
        let a = extract_plain(&["how", "much", "pay", "pay"]);
        let b = extract_plain(&["how", "much", "pay", "pay"]);
        assert_eq!(a, b);
        assert!(a.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_misspelling_shares_most_character_grams() {
        let right = extract_plain(&["certification"]);
        let typo = extract_plain(&["certifcation"]);
        let shared = right.iter().filter(|f| typo.contains(f)).count();
        // "<cer", "cert", ..., "tion", "ion>" survive the one lost letter:
        // 8 of the 11 grams of the misspelling.
        assert!(shared >= 8, "shared {shared}");
        assert_ne!(right, typo);
    }

    #[test]
    fn word_order_shows_in_pairs() {
        let a = extract_plain(&["pay", "more"]);
        let b = extract_plain(&["more", "pay"]);
        assert_ne!(a, b);
    }

    #[test]
    fn values_normalise_length() {
        assert_eq!(feature_value(0), 0.0);
        assert!((feature_value(4) - 0.5).abs() < 1e-6);
    }
}
