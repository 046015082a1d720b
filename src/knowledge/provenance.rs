//! Proves that every figure in the knowledge traces to its source document.
//!
//! A "figure" is any run of digits in a value of the occupation file (or in
//! any text, for [`figures_in`]): money amounts, percentages, years, counts.
//! Thousands separators are folded (`$40,430` → `40430`) so the same amount
//! written either way compares equal. Pure: works on texts already read.

use std::collections::BTreeSet;

/// A figure found in the knowledge that the source does not contain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UntracedFigure {
    /// Dotted path of the value, e.g. `pay[2].amount`.
    pub path: String,
    /// The figure, separators removed.
    pub figure: String,
}

/// What a provenance check found.
#[derive(Clone, Debug, Default)]
pub struct ProvenanceReport {
    /// How many figures were checked.
    pub checked: usize,
    /// Figures not in the source.
    pub untraced: Vec<UntracedFigure>,
}

impl ProvenanceReport {
    pub fn is_clean(&self) -> bool {
        self.untraced.is_empty()
    }
}

/// Every figure in `text`, separators removed, in order of appearance.
pub fn figures_in(text: &str) -> Vec<String> {
    let mut figures = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            current.push(c);
        } else if c == ','
            && !current.is_empty()
            && chars
                .get(i + 1..i + 4)
                .is_some_and(|next| next.iter().all(char::is_ascii_digit))
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit)
        {
            // A thousands separator: "40,430".
        } else if !current.is_empty() {
            figures.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        figures.push(current);
    }
    figures
}

/// Checks every figure in the values of `occupation_toml` against `source`.
/// `occupation_toml` must already parse (validation runs first).
pub fn check(occupation_toml: &str, source: &str) -> ProvenanceReport {
    let known: BTreeSet<String> = figures_in(source).into_iter().collect();
    let mut report = ProvenanceReport::default();
    let Ok(table) = occupation_toml.parse::<toml::Table>() else {
        return report;
    };
    for (key, value) in &table {
        walk(key, value, &known, &mut report);
    }
    report
}

fn walk(path: &str, value: &toml::Value, known: &BTreeSet<String>, report: &mut ProvenanceReport) {
    let mut check_figure = |figure: String| {
        report.checked += 1;
        if !known.contains(&figure) {
            report.untraced.push(UntracedFigure {
                path: path.to_string(),
                figure,
            });
        }
    };
    match value {
        toml::Value::Integer(n) => check_figure(n.unsigned_abs().to_string()),
        toml::Value::Float(x) => figures_in(&x.to_string())
            .into_iter()
            .for_each(check_figure),
        toml::Value::String(text) => figures_in(text).into_iter().for_each(check_figure),
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(&format!("{path}[{i}]"), item, known, report);
            }
        }
        toml::Value::Table(table) => {
            for (key, item) in table {
                walk(&format!("{path}.{key}"), item, known, report);
            }
        }
        toml::Value::Boolean(_) | toml::Value::Datetime(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_fold_thousands_separators() {
        assert_eq!(
            figures_in("$40,430 and 15% (2014-2024)"),
            ["40430", "15", "2014", "2024"]
        );
        assert_eq!(figures_in("1,2 and 3,4567"), ["1", "2", "3", "4567"]);
        assert_eq!(figures_in("2-year"), ["2"]);
    }

    #[test]
    fn untraced_figures_are_reported_with_their_path() {
        let report = check("a = 5\n[b]\nc = \"$12,000 in 2015\"\n", "2015 and $5");
        assert_eq!(report.checked, 3);
        assert_eq!(
            report.untraced,
            [UntracedFigure {
                path: "b.c".into(),
                figure: "12000".into()
            }]
        );
    }
}
