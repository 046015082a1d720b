//! Typo correction against the intent table's vocabulary.
//!
//! Comparing every word with every keyword is too slow for the throughput we
//! need, so the index stores each target word under every string reachable
//! from it by deleting up to its allowed number of letters (the symmetric
//! delete method). A typed word looks up its own deletions, and each
//! candidate is confirmed with `strsim`'s optimal string alignment distance,
//! which counts a swap of two neighbouring letters as one edit.

use std::collections::{HashMap, HashSet};

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
        5..=7 => 1,
        _ => 2,
    }
}

/// Deletion index over the target words.
#[derive(Debug, Default)]
pub struct KeywordIndex {
    targets: Vec<String>,
    by_deletion: HashMap<String, Vec<u32>>,
}

impl KeywordIndex {
    pub fn new<'a>(targets: impl IntoIterator<Item = &'a str>) -> KeywordIndex {
        let mut index = KeywordIndex::default();
        let unique: HashSet<&str> = targets.into_iter().collect();
        let mut sorted: Vec<&str> = unique.into_iter().collect();
        // Sorted so equal-distance ties break the same way every run.
        sorted.sort_unstable();
        for target in sorted {
            let edits = allowed_edits(target.chars().count());
            if edits == 0 {
                continue;
            }
            let id = index.targets.len() as u32;
            index.targets.push(target.to_string());
            for variant in deletions(target, edits) {
                index.by_deletion.entry(variant).or_default().push(id);
            }
        }
        index
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
        let mut seen = HashSet::new();
        for variant in deletions(word, 2) {
            let Some(ids) = self.by_deletion.get(&variant) else {
                continue;
            };
            for &id in ids {
                if !seen.insert(id) {
                    continue;
                }
                let target = &self.targets[id as usize];
                if !target.starts_with(first) {
                    continue;
                }
                let distance = strsim::osa_distance(word, target);
                if distance == 0 || distance > allowed_edits(target.chars().count()) {
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

/// `word` and every string made by deleting up to `max` of its letters.
fn deletions(word: &str, max: usize) -> HashSet<String> {
    let mut all = HashSet::new();
    all.insert(word.to_string());
    let mut frontier = vec![word.to_string()];
    for _ in 0..max {
        let mut next = Vec::new();
        for current in &frontier {
            let chars: Vec<char> = current.chars().collect();
            if chars.len() <= 1 {
                continue;
            }
            for skip in 0..chars.len() {
                let variant: String = chars
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != skip)
                    .map(|(_, c)| c)
                    .collect();
                if all.insert(variant.clone()) {
                    next.push(variant);
                }
            }
        }
        frontier = next;
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> KeywordIndex {
        KeywordIndex::new(["salary", "certification", "requirements", "earning", "pay", "outlook"])
    }

    #[test]
    fn corrects_common_typos() {
        let index = index();
        assert_eq!(index.correct("salery").unwrap().target, "salary");
        assert_eq!(index.correct("slaary").unwrap().target, "salary");
        assert_eq!(index.correct("certifcation").unwrap().target, "certification");
        assert_eq!(index.correct("requirments").unwrap().target, "requirements");
        assert_eq!(index.correct("outlok").unwrap().target, "outlook");
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
