//! Typo correction against the examples' vocabulary.
//!
//! Comparing every word with every keyword is too slow for the throughput we
//! need, so the index buckets target words by first letter and length: a
//! typed word is compared only with targets that share its first letter and
//! are within two letters of its length, a handful out of hundreds. The
//! comparison is `strsim`'s optimal string alignment distance, which counts
//! a swap of two neighbouring letters as one edit.

use rustc_hash::{FxHashMap, FxHashSet};

use super::normalize::collapse_runs;

/// A correction: which target word a typed word was taken for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    pub target: String,
    pub distance: usize,
}

/// How many edits a target of this length tolerates. Short words get none:
/// "pay" one edit away is "say", "day", "bay".
pub fn allowed_edits(target_len: usize) -> usize {
    match target_len {
        0..=4 => 0,
        5..=9 => 1,
        _ => 2,
    }
}

/// How often each letter occurs in a word, letters folded into 32
/// buckets. Each edit changes the counts by at most two (a substitution
/// moves one letter out and one in; an insertion or deletion moves one; a
/// swap moves none), and folding letters together only shrinks the
/// difference, so half the difference, rounded up, is a lower bound on
/// the edit distance: a target it rules out needs no alignment.
#[derive(Clone, Copy, Debug, Default)]
struct LetterCounts([u8; 32]);

impl LetterCounts {
    fn of(word: &str) -> LetterCounts {
        let mut counts = [0u8; 32];
        for c in word.chars() {
            let bucket = (c as u32 % 32) as usize;
            counts[bucket] = counts[bucket].saturating_add(1);
        }
        LetterCounts(counts)
    }

    /// The fewest edits that can turn a word with these counts into one
    /// with `other`'s.
    fn edits_at_least(&self, other: &LetterCounts) -> usize {
        let difference: usize = self
            .0
            .iter()
            .zip(&other.0)
            .map(|(&a, &b)| usize::from(a.abs_diff(b)))
            .sum();
        difference.div_ceil(2)
    }
}

/// Target words bucketed by first letter and length, so a typed word is
/// compared only with the few targets it could be a typo of.
#[derive(Debug, Default)]
pub struct KeywordIndex {
    targets: Vec<String>,
    /// Each target with repeated letters collapsed, computed once.
    collapsed_targets: Vec<String>,
    /// Letter counts of each target and of its collapsed form.
    target_counts: Vec<(LetterCounts, LetterCounts)>,
    by_first_and_len: FxHashMap<(char, usize), Vec<u32>>,
}

impl KeywordIndex {
    pub fn new<'a>(targets: impl IntoIterator<Item = &'a str>) -> KeywordIndex {
        let mut index = KeywordIndex::default();
        let unique: FxHashSet<&str> = targets.into_iter().collect();
        let mut sorted: Vec<&str> = unique.into_iter().collect();
        // Sorted so equal-distance ties break the same way every run.
        sorted.sort_unstable();
        for target in sorted {
            let len = target.chars().count();
            let Some(first) = target.chars().next() else {
                continue;
            };
            if allowed_edits(len) == 0 {
                continue;
            }
            let id = index.targets.len() as u32;
            let collapsed = collapse_runs(target, 1);
            index
                .target_counts
                .push((LetterCounts::of(target), LetterCounts::of(&collapsed)));
            index.targets.push(target.to_string());
            index.collapsed_targets.push(collapsed);
            index
                .by_first_and_len
                .entry((first, len))
                .or_default()
                .push(id);
        }
        index
    }

    /// Every target, in index order.
    pub fn targets(&self) -> impl Iterator<Item = &str> {
        self.targets.iter().map(String::as_str)
    }

    /// The closest target within its allowed edits that starts with the same
    /// letter as `word` (typos rarely hit the first letter, and requiring it
    /// keeps "learning" from becoming "earning").
    pub fn correct(&self, word: &str) -> Option<Correction> {
        let len = word.chars().count();
        if !(4..=40).contains(&len) {
            return None;
        }
        let first = word.chars().next()?;
        let mut best: Option<(usize, u32)> = None;
        let collapsed_word = collapse_runs(word, 1);
        let collapsed_len = collapsed_word.chars().count();
        let word_counts = LetterCounts::of(word);
        let collapsed_counts = LetterCounts::of(&collapsed_word);
        // A target of length n tolerates at most 2 edits, so only targets
        // within 2 letters of the word's length, or of its length with
        // repeated letters collapsed ("saalaryy"), can match.
        for target_len in collapsed_len.saturating_sub(2)..=len + 2 {
            let Some(ids) = self.by_first_and_len.get(&(first, target_len)) else {
                continue;
            };
            let allowed = allowed_edits(target_len);
            if target_len.abs_diff(len) > allowed && target_len.abs_diff(collapsed_len) > allowed {
                continue;
            }
            for &id in ids {
                // Cheap bound first: most targets differ in more letters
                // than the edits allow, and need no alignment at all.
                let (target_counts, collapsed_target_counts) = &self.target_counts[id as usize];
                if word_counts.edits_at_least(target_counts) > allowed
                    && collapsed_counts.edits_at_least(collapsed_target_counts) > allowed
                {
                    continue;
                }
                let target = &self.targets[id as usize];
                // A doubled or undoubled letter ("sallery", "carreer") is the
                // commonest slip: it costs nothing beyond the other edits,
                // though a word is never taken as exactly a keyword.
                let distance = strsim::osa_distance(word, target).min(
                    strsim::osa_distance(&collapsed_word, &self.collapsed_targets[id as usize])
                        .max(1),
                );
                if distance == 0 || distance > allowed {
                    continue;
                }
                if best.map_or(true, |(d, b)| (distance, id) < (d, b)) {
                    best = Some((distance, id));
                }
            }
        }
        best.map(|(distance, id)| Correction {
            target: self.targets[id as usize].clone(),
            distance,
        })
    }

    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> KeywordIndex {
        KeywordIndex::new([
            "salary",
            "certification",
            "requirements",
            "earning",
            "pay",
            "outlook",
        ])
    }

    #[test]
    fn letter_counts_never_exceed_the_edit_distance() {
        let words = [
            "salary",
            "salery",
            "slaary",
            "sallery",
            "certification",
            "certifcation",
            "outlook",
            "outlok",
            "oultook",
            "requirements",
            "requirments",
            "hospital",
            "hospitla",
            "café",
            "cafe",
            "naïve",
            "",
            "a",
            "ab",
            "ba",
            "zzzz",
        ];
        for a in words {
            for b in words {
                let bound = LetterCounts::of(a).edits_at_least(&LetterCounts::of(b));
                let distance = strsim::osa_distance(a, b);
                assert!(bound <= distance, "{a:?} {b:?}: {bound} > {distance}");
            }
        }
    }

    #[test]
    fn corrects_common_typos() {
        let index = index();
        assert_eq!(index.correct("salery").unwrap().target, "salary");
        assert_eq!(index.correct("slaary").unwrap().target, "salary");
        assert_eq!(
            index.correct("certifcation").unwrap().target,
            "certification"
        );
        assert_eq!(index.correct("requirments").unwrap().target, "requirements");
        assert_eq!(index.correct("outlok").unwrap().target, "outlook");
        assert_eq!(index.correct("sallery").unwrap().target, "salary");
        assert_eq!(index.correct("saalaryy").unwrap().target, "salary");
    }

    #[test]
    fn leaves_short_and_distant_words_alone() {
        let index = index();
        assert_eq!(index.correct("say"), None);
        assert_eq!(index.correct("salad"), None);
        assert_eq!(index.correct("learning"), None);
        assert_eq!(index.correct("celery"), None);
    }
}
