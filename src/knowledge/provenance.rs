//! Proves that every figure in the knowledge traces to its source document,
//! and that every dated citation's date is the source's.
//!
//! A "figure" is any run of digits in a value of the occupation file (or in
//! any text, for [`figures_in`]): money amounts, percentages, years, counts.
//! Thousands separators are folded (`$40,430` → `40430`) so the same amount
//! written either way compares equal. A dated citation ("BLS, 2015" on a pay
//! figure, "BLS projection, 2014–2024" on growth) holds when the source has
//! a paragraph (or table block) with the figure and each of its years
//! ([`check_dated`]). Pure: works on texts already read.

use std::collections::BTreeSet;

use super::model::{Dating, Occupation, SourceRef};

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

/// A figure that answers cite with a date, and that date's years.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatedFigure {
    /// What the figure is, e.g. `pay "Median"`.
    pub what: String,
    /// The figure, separators removed.
    pub figure: String,
    /// The years its citation gives (one, or a projection's two).
    pub years: Vec<u16>,
    /// The source the citation names.
    pub source: SourceRef,
}

/// Every figure in `occupation` that is cited with a date.
pub fn dated_figures(occupation: &Occupation) -> Vec<DatedFigure> {
    let mut figures: Vec<DatedFigure> = occupation
        .pay
        .iter()
        .map(|pay| DatedFigure {
            what: format!("pay {:?}", pay.label),
            figure: pay.amount.to_string(),
            years: vec![pay.year],
            source: pay.source,
        })
        .collect();
    let outlook = &occupation.outlook;
    let years = match outlook.citation.dating {
        Dating::Projection { start, end } => vec![start, end],
        Dating::Year(year) => vec![year],
        Dating::Undated => Vec::new(),
    };
    if !years.is_empty() {
        figures.push(DatedFigure {
            what: "outlook growth_percent".into(),
            figure: outlook.growth_percent.to_string(),
            years,
            source: outlook.citation.source,
        });
    }
    figures
}

/// What checking dated citations found.
#[derive(Clone, Debug, Default)]
pub struct DatedReport {
    /// How many dated figures were checked.
    pub checked: usize,
    /// Those whose figure and years share no paragraph of the source.
    pub unmatched: Vec<DatedFigure>,
}

impl DatedReport {
    pub fn is_clean(&self) -> bool {
        self.unmatched.is_empty()
    }
}

/// Checks that each of `figures` appears in `source` in one paragraph (text
/// between blank lines) together with every year its citation gives.
pub fn check_dated(figures: &[DatedFigure], source: &str) -> DatedReport {
    let paragraphs: Vec<BTreeSet<String>> = source
        .split("\n\n")
        .map(|paragraph| figures_in(paragraph).into_iter().collect())
        .collect();
    let mut report = DatedReport::default();
    for dated in figures {
        report.checked += 1;
        let found = paragraphs.iter().any(|numbers| {
            numbers.contains(&dated.figure)
                && dated
                    .years
                    .iter()
                    .all(|year| numbers.contains(&year.to_string()))
        });
        if !found {
            report.unmatched.push(dated.clone());
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(figure: &str, years: &[u16]) -> DatedFigure {
        DatedFigure {
            what: "test".into(),
            figure: figure.into(),
            years: years.to_vec(),
            source: SourceRef(0),
        }
    }

    #[test]
    fn a_dated_figure_needs_its_years_in_the_same_paragraph() {
        let source = "In 2015 the median was $37,110.\n\nGrowth of 15% from 2014 to 2024.";
        let figures = [
            dated("37110", &[2015]),
            dated("15", &[2014, 2024]),
            dated("37110", &[2016]),
            dated("15", &[2015]),
        ];
        let report = check_dated(&figures, source);
        assert_eq!(report.checked, 4);
        assert_eq!(report.unmatched, [figures[2].clone(), figures[3].clone()]);
    }

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
