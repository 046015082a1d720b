//! Training: the examples read as the engine reads a message, the
//! classifier trained on them (classes weighted towards balance) and its
//! cross-validated accuracy for `career-bot knowledge check`.
//!
//! Reads the knowledge and the engine's normaliser and guard rails; writes
//! nothing. Deterministic: the same examples give the same model.

use super::*;

/// A counselor's taught example weighs this many ordinary ones: a few
/// taught wordings must move the classifier for the next student's own
/// wording, against thousands of file examples.
const TAUGHT_BOOST: f32 = 4.0;

/// The words of an example as the engine reads a message: the sentences
/// that ask, or all of them.
pub(super) fn example_words(
    normalizer: &Normalizer,
    joiners: &[String],
    text: &str,
) -> Vec<String> {
    let normalized = normalizer.normalize(text);
    let mut sentences = questions::sentences(normalized.tokens, joiners);
    // Each sentence is asked at most once: its words are moved, not copied.
    questions::questions(&sentences)
        .into_iter()
        .flat_map(|i| std::mem::take(&mut sentences[i].words))
        .collect()
}

/// Each example as the classifier learns it: its class among `labels`, and
/// its words as a message's are read (the sentences that ask, every name of
/// this career as one token), joined by single spaces: one string an
/// example rather than one a word keeps the thousands of them small.
pub(super) fn training_samples(
    knowledge: &Knowledge,
    normalizer: &Normalizer,
    guards: &Guards,
    labels: &[ExampleLabel],
) -> Vec<(usize, String, f32)> {
    let joiners = &knowledge.intents.lexicon.clause_breaks;
    let first_taught = knowledge.examples.len().saturating_sub(knowledge.taught);
    knowledge
        .examples
        .iter()
        .enumerate()
        .filter_map(|(index, example)| {
            let class = labels.iter().position(|l| *l == example.label)?;
            let words =
                guards.mark_career_joined(&example_words(normalizer, joiners, &example.text));
            let boost = if index >= first_taught {
                TAUGHT_BOOST
            } else {
                1.0
            };
            Some((class, words, boost))
        })
        .collect()
}

/// How well the classifier generalises from the examples: each example
/// predicted by a model trained without it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CrossValidation {
    pub folds: usize,
    pub examples: usize,
    /// Share of examples whose label was predicted exactly.
    pub accuracy: f64,
}

/// `folds`-fold cross-validation of the classifier on `knowledge`'s
/// examples. Folds are every `folds`-th example, so the result is the same
/// on every run.
pub fn cross_validate(knowledge: &Knowledge, folds: usize) -> CrossValidation {
    let folds = folds.max(2);
    let table = &knowledge.intents;
    let normalizer = Normalizer::new(&table.lexicon);
    let guards = Guards::new(knowledge, |phrase: &str| {
        normalizer.normalize(phrase).text()
    });
    let labels = ExampleLabel::all();
    let samples = training_samples(knowledge, &normalizer, &guards, &labels);
    let mut correct = 0usize;
    for fold in 0..folds {
        let training: Vec<(usize, String, f32)> = samples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != fold)
            .map(|(_, s)| s.clone())
            .collect();
        let model = train(&training, labels.len());
        for (_, (class, text, _)) in samples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds == fold)
        {
            let words: Vec<&str> = sample_words(text).collect();
            let probabilities = model.probabilities(&features::extract_plain(&words));
            let best = probabilities
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map_or(0, |(i, _)| i);
            correct += usize::from(best == *class);
        }
    }
    CrossValidation {
        folds,
        examples: samples.len(),
        accuracy: correct as f64 / samples.len().max(1) as f64,
    }
}

/// The words of a training sample's joined text.
pub(super) fn sample_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(' ').filter(|w| !w.is_empty())
}

/// Trains the classifier. Classes are weighted towards balance (by the
/// square root of their rarity, capped), so the thousands of everyday
/// negatives do not drown the few hundred examples of each topic.
pub(super) fn train(normalised: &[(usize, String, f32)], classes: usize) -> Model {
    let mut counts = vec![0usize; classes];
    for (class, _, _) in normalised {
        counts[*class] += 1;
    }
    let nonzero: Vec<usize> = counts.iter().copied().filter(|&c| c > 0).collect();
    let mean = nonzero.iter().sum::<usize>() as f32 / nonzero.len().max(1) as f32;
    let weights: Vec<f32> = counts
        .iter()
        .map(|&c| {
            if c == 0 {
                0.0
            } else {
                (mean / c as f32).sqrt().clamp(0.6, 1.5)
            }
        })
        .collect();
    // One feature buffer for every sample: the set keeps only row numbers.
    let mut set = TrainingSet::default();
    let mut buffer = Vec::new();
    for (class, text, boost) in normalised {
        let words: Vec<&str> = sample_words(text).collect();
        features::extract_plain_into(&words, &mut buffer);
        set.push(&buffer, *class, weights[*class] * boost);
    }
    Model::train_set(set, classes, TrainingPlan::default())
}
