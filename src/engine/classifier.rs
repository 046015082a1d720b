//! The learned classifier: multinomial logistic regression over hashed
//! features, trained from the labelled examples each time knowledge loads.
//!
//! Written here rather than taken from a crate: the model is a weight row
//! per feature seen in training and a softmax, about a hundred lines, and the
//! machine-learning crates that offer it (linfa, smartcore) bring dense
//! matrix stacks, and with them build time and start-up cost, that this
//! does not need. Only features seen in training get a row, looked up by
//! their 64-bit hash, so there are no collisions and memory follows the
//! data (about 1 MB per 15,000 features for 17 classes).
//!
//! Training is plain stochastic gradient descent with a decaying step, so
//! the same examples give the same model on every run and machine. Each
//! epoch visits the samples in an order keyed by each sample's own
//! features and class (mixed with a fixed seed and the epoch), not by its
//! position in the files: a line added to the examples, or a counselor's
//! taught example, takes its own place without reshuffling the others, so
//! it moves the readings near it rather than a random handful anywhere
//! (a shuffle by position moved about 70 answers on the labelled sets for
//! 8 added lines; this order moves 3). The model is the average of the
//! weights at the end of the last epochs (averaged SGD), which depends
//! less on the last few updates than the final weights do. Pure: no I/O,
//! no clock.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::features::{feature_value, Feature};

/// Features are already well mixed hashes: use them as their own hash.
#[derive(Default)]
pub struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

type FeatureRows = HashMap<Feature, u32, BuildHasherDefault<PassThroughHasher>>;

const DECAY: f32 = 0.002;
/// A sample whose every probability is within this of its target is settled.
const SETTLED: f32 = 0.02;

/// How to train.
#[derive(Clone, Copy, Debug)]
pub struct TrainingPlan {
    pub epochs: usize,
    pub learning_rate: f32,
    /// Weight decay applied to each row a sample touches (lazy L2): keeps
    /// any one keyword from deciding alone.
    pub decay: f32,
    /// Seed of each pass's order; the same seed gives the same model.
    pub seed: u64,
    /// The model is the average of the weights at the end of each epoch
    /// from this one (counted from 0) on.
    pub average_from: usize,
}

impl Default for TrainingPlan {
    fn default() -> TrainingPlan {
        TrainingPlan {
            epochs: 5,
            learning_rate: 2.0,
            decay: DECAY,
            seed: 0x5eed_cafe,
            average_from: 3,
        }
    }
}

/// One training sample: its distinct features, its class and its weight.
#[derive(Clone, Debug)]
pub struct Sample {
    pub features: Vec<Feature>,
    pub class: usize,
    pub weight: f32,
}

/// Samples as training reads them, added one at a time: each feature
/// numbered by the row it will have (in first-seen order, so the same
/// samples in the same order give the same numbering), every sample's row
/// numbers in one vector. Nothing of a sample's own feature list is kept.
#[derive(Default)]
pub struct TrainingSet {
    rows: FeatureRows,
    /// Sample `i`'s rows are `row_ids[starts[i]..starts[i + 1]]`.
    row_ids: Vec<u32>,
    starts: Vec<usize>,
    classes: Vec<usize>,
    weights: Vec<f32>,
    /// Each sample's key, from its features and class alone: what orders
    /// the samples in each epoch (see [`Model::train_set`]).
    keys: Vec<u64>,
}

/// splitmix64's finaliser: spreads a key's bits over the whole word.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

impl TrainingSet {
    /// Adds a sample with these distinct features.
    pub fn push(&mut self, features: &[Feature], class: usize, weight: f32) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let mut key = mix(class as u64);
        for &feature in features {
            let next = self.rows.len() as u32;
            self.row_ids.push(*self.rows.entry(feature).or_insert(next));
            key = key.wrapping_add(mix(feature));
        }
        self.keys.push(key);
        self.starts.push(self.row_ids.len());
        self.classes.push(class);
        self.weights.push(weight);
    }

    fn len(&self) -> usize {
        self.classes.len()
    }

    fn sample_rows(&self, i: usize) -> &[u32] {
        &self.row_ids[self.starts[i]..self.starts[i + 1]]
    }
}

/// A trained model.
#[derive(Clone, Debug)]
pub struct Model {
    classes: usize,
    rows: FeatureRows,
    /// `rows.len() × classes` weights, row-major.
    weights: Vec<f32>,
    bias: Vec<f32>,
}

fn softmax_in_place(scores: &mut [f32]) {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    if sum > 0.0 {
        for s in scores.iter_mut() {
            *s /= sum;
        }
    }
}

impl Model {
    /// Trains a model with `classes` classes on `samples`.
    pub fn train(samples: &[Sample], classes: usize, plan: TrainingPlan) -> Model {
        let mut set = TrainingSet::default();
        for sample in samples {
            set.push(&sample.features, sample.class, sample.weight);
        }
        Model::train_set(set, classes, plan)
    }

    /// Trains a model with `classes` classes on the samples of `set`.
    pub fn train_set(set: TrainingSet, classes: usize, plan: TrainingPlan) -> Model {
        let samples = set.len();
        let mut model = Model {
            classes,
            weights: vec![0.0; set.rows.len() * classes],
            bias: vec![0.0; classes],
            rows: FeatureRows::default(),
        };
        let mut order: Vec<usize> = Vec::with_capacity(samples);
        // (key's high half << 32) | sample: one word per sample sorts
        // faster than a pair; samples beyond u32 are not a concern here.
        let mut keyed: Vec<u64> = Vec::with_capacity(samples);
        let mut scores = vec![0.0f32; classes];
        let total_steps = (plan.epochs * samples).max(1) as f32;
        let mut step = 0usize;
        // Samples settled in the previous epoch sit the next one out: they
        // would most likely move nothing, and skipping them halves the work.
        let mut settled = vec![false; samples];
        // The weights at the end of each of the last epochs, summed: their
        // average is the model (averaged SGD), which depends far less on
        // the order of the last few updates than the final weights do.
        let averaged_epochs = plan.epochs.saturating_sub(plan.average_from).max(1);
        let mut sum_weights = vec![0.0f32; model.weights.len()];
        let mut sum_bias = vec![0.0f32; classes];
        for epoch in 0..plan.epochs {
            // Each epoch's order sorts the samples by their own keys mixed
            // with the seed and the epoch: an example added or removed
            // takes or leaves its place without reordering the others.
            let epoch_seed = mix(plan.seed ^ mix(epoch as u64 + 1));
            keyed.clear();
            keyed.extend(
                (0..samples).map(|i| (mix(set.keys[i] ^ epoch_seed) & !0xffff_ffff) | i as u64),
            );
            keyed.sort_unstable();
            order.clear();
            order.extend(keyed.iter().map(|&k| (k & 0xffff_ffff) as usize));
            for &i in &order {
                if std::mem::take(&mut settled[i]) {
                    step += 1;
                    continue;
                }
                let row_ids = set.sample_rows(i);
                let value = feature_value(row_ids.len());
                model.scores_of_rows(row_ids, value, &mut scores);
                softmax_in_place(&mut scores);
                // Linear decay to a tenth of the starting step.
                let progress = step as f32 / total_steps;
                let step_size = plan.learning_rate * (1.0 - 0.9 * progress);
                let rate = step_size * set.weights[i];
                let decay = plan.decay * step_size;
                step += 1;
                let mut largest = 0.0f32;
                for (class, p) in scores.iter_mut().enumerate() {
                    let target = if class == set.classes[i] { 1.0 } else { 0.0 };
                    largest = largest.max((*p - target).abs());
                    *p = (*p - target) * rate;
                }
                // A sample the model already gets right with confidence
                // would move nothing: skip its update (most of them, after
                // the first epochs), which keeps training fast.
                if largest < SETTLED {
                    settled[i] = true;
                    continue;
                }
                for (bias, gradient) in model.bias.iter_mut().zip(&scores) {
                    *bias -= gradient * 0.1;
                }
                for &row in row_ids {
                    let start = row as usize * classes;
                    let weights = &mut model.weights[start..start + classes];
                    for (w, gradient) in weights.iter_mut().zip(&scores) {
                        *w -= gradient * value + *w * decay;
                    }
                }
            }
            if epoch + averaged_epochs >= plan.epochs {
                for (sum, w) in sum_weights.iter_mut().zip(&model.weights) {
                    *sum += w;
                }
                for (sum, b) in sum_bias.iter_mut().zip(&model.bias) {
                    *sum += b;
                }
            }
        }
        let scale = 1.0 / averaged_epochs as f32;
        model.weights = sum_weights.into_iter().map(|w| w * scale).collect();
        model.bias = sum_bias.into_iter().map(|b| b * scale).collect();
        model.rows = set.rows;
        model
    }

    fn scores_of_rows(&self, row_ids: &[u32], value: f32, scores: &mut [f32]) {
        scores.copy_from_slice(&self.bias);
        for &row in row_ids {
            let start = row as usize * self.classes;
            for (s, w) in scores
                .iter_mut()
                .zip(&self.weights[start..start + self.classes])
            {
                *s += w * value;
            }
        }
    }

    /// Class probabilities for a text with these distinct features.
    /// Features never seen in training carry no weight but still count in
    /// the text's length, so a text mostly of unknown words stays unsure.
    pub fn probabilities(&self, features: &[Feature]) -> Vec<f32> {
        let value = feature_value(features.len());
        let mut scores = self.bias.clone();
        for feature in features {
            if let Some(&row) = self.rows.get(feature) {
                let start = row as usize * self.classes;
                for (s, w) in scores
                    .iter_mut()
                    .zip(&self.weights[start..start + self.classes])
                {
                    *s += w * value;
                }
            }
        }
        softmax_in_place(&mut scores);
        scores
    }

    /// How many distinct features the model has weights for.
    pub fn feature_count(&self) -> usize {
        self.rows.len()
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }
}

#[cfg(test)]
mod tests {
    use super::super::features::extract_plain;
    use super::*;

    fn sample(words: &[&str], class: usize) -> Sample {
        Sample {
            features: extract_plain(words),
            class,
            weight: 1.0,
        }
    }

    fn toy() -> Vec<Sample> {
        vec![
            sample(&["how", "much", "do", "they", "make"], 0),
            sample(&["what", "is", "the", "salary"], 0),
            sample(&["pay", "per", "year"], 0),
            sample(&["what", "degree", "do", "i", "need"], 1),
            sample(&["how", "long", "is", "school"], 1),
            sample(&["which", "college", "degree"], 1),
        ]
    }

    #[test]
    fn learns_a_separable_toy_set() {
        let model = Model::train(&toy(), 2, TrainingPlan::default());
        let pay = model.probabilities(&extract_plain(&["salary", "per", "year"]));
        let school = model.probabilities(&extract_plain(&["college", "degree"]));
        assert!(pay[0] > 0.7, "{pay:?}");
        assert!(school[1] > 0.7, "{school:?}");
    }

    #[test]
    fn training_is_deterministic() {
        let a = Model::train(&toy(), 2, TrainingPlan::default());
        let b = Model::train(&toy(), 2, TrainingPlan::default());
        let text = extract_plain(&["degree", "salary"]);
        assert_eq!(a.probabilities(&text), b.probabilities(&text));
        assert_eq!(a.feature_count(), b.feature_count());
    }

    #[test]
    fn the_files_order_of_the_samples_does_not_change_the_model() {
        // Each epoch's order comes from the samples themselves: the same
        // samples listed in another order train the same model.
        let forward = Model::train(&toy(), 2, TrainingPlan::default());
        let mut reversed_samples = toy();
        reversed_samples.reverse();
        let reversed = Model::train(&reversed_samples, 2, TrainingPlan::default());
        for words in [&["degree", "salary"][..], &["how", "long"], &["pay"]] {
            let text = extract_plain(words);
            assert_eq!(
                forward.probabilities(&text),
                reversed.probabilities(&text),
                "{words:?}"
            );
        }
        // Another seed orders them otherwise.
        let reseeded = Model::train(
            &toy(),
            2,
            TrainingPlan {
                seed: 7,
                ..TrainingPlan::default()
            },
        );
        let text = extract_plain(&["how", "long", "salary"]);
        assert_ne!(forward.probabilities(&text), reseeded.probabilities(&text));
    }

    #[test]
    fn averaging_from_the_last_epoch_is_plain_sgd_and_averages_differ() {
        let plain = TrainingPlan {
            average_from: 8,
            ..TrainingPlan::default()
        };
        let last_only = TrainingPlan {
            average_from: 100,
            ..TrainingPlan::default()
        };
        let averaged = TrainingPlan::default();
        let text = extract_plain(&["how", "long", "salary"]);
        let a = Model::train(&toy(), 2, plain).probabilities(&text);
        let b = Model::train(&toy(), 2, last_only).probabilities(&text);
        let c = Model::train(&toy(), 2, averaged).probabilities(&text);
        // Averaging only the last epoch is the final weights, however far
        // `average_from` lies past the end.
        assert_eq!(a, b);
        // Averaging earlier epochs gives another model, still a
        // distribution.
        assert_ne!(a, c);
        assert!((c.iter().sum::<f32>() - 1.0).abs() < 1e-5, "{c:?}");
    }

    #[test]
    fn unseen_text_gives_the_prior() {
        let model = Model::train(&toy(), 2, TrainingPlan::default());
        let p = model.probabilities(&extract_plain(&["zzzq"]));
        assert!((p[0] - 0.5).abs() < 0.2, "{p:?}");
        let sum: f32 = p.iter().sum();
        assert!((sum - 1.0).abs() < 1e-5);
    }
}
