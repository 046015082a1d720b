//! Usage statistics: the report the store counts ([`StatsReport`]) and its
//! two renderings, for counselors (`/stats` on Discord, `career-bot stats`).
//!
//! Contract:
//!
//! - Pure: no I/O, no clock, no global state except the chart's embedded
//!   font, registered once. The store fills a [`StatsReport`]; this module
//!   only reads it.
//! - Times are unix seconds, UTC. Weeks are ISO weeks, starting Monday
//!   00:00 UTC ([`week_start`]); dates are shown as `YYYY-MM-DD` in UTC.
//! - Any report renders, however big, empty or inconsistent (more answered
//!   than asked, weeks outside the period, names with line breaks): nothing
//!   here panics on the data.
//! - [`render_text`] stays within [`TEXT_LIMIT`] characters (counted as
//!   UTF-16 units, the stricter of the two counts Discord might use), so it
//!   fits one Discord message; long lists are cut with a "… and N more" line.
//! - [`render_png`] draws a [`CHART_WIDTH`]×[`CHART_HEIGHT`] PNG with text in
//!   DejaVu Sans embedded in the binary, never a system font, so the chart
//!   is the same on every machine. An empty report draws a chart that says
//!   "No questions recorded".

use std::collections::BTreeMap;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::register_font;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Seconds in a day.
const DAY: i64 = 86_400;
/// Seconds in a week.
const WEEK: i64 = 7 * DAY;

/// The most characters [`render_text`] writes (Discord's limit is 2,000).
pub const TEXT_LIMIT: usize = 1_900;
/// The chart's width in pixels.
pub const CHART_WIDTH: u32 = 1_000;
/// The chart's height in pixels.
pub const CHART_HEIGHT: u32 = 600;

/// How many weeks the text and the chart show, the newest ones.
const SHOWN_WEEKS: usize = 12;
/// Topics listed in the text before "… and N more".
const TEXT_TOPICS: usize = 10;
/// Uncovered aspects listed in the text.
const TEXT_UNCOVERED: usize = 5;
/// Topics with their own colour in the chart; the rest are "other".
const CHART_TOPICS: usize = 9;
/// Longest topic or aspect name shown, in characters, before it is cut.
const NAME_CHARS: usize = 32;

/// Usage over a period, as the store counts it. Serialize gives `stats --json`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StatsReport {
    /// Unix seconds, start of the period (inclusive).
    pub since: i64,
    /// Unix seconds, end of the period (exclusive).
    pub until: i64,
    /// Oldest first, one per ISO week (Monday 00:00 UTC) that had
    /// questions; may be empty.
    pub weeks: Vec<WeekStats>,
    /// One per topic with questions or feedback, most questions first.
    pub topics: Vec<TopicStats>,
    /// Most asked first, at most 10.
    pub uncovered: Vec<UncoveredCount>,
    /// Distinct askers (counted from salted hashes).
    pub askers: u64,
    /// All questions in the period.
    pub questions: u64,
    /// Of those, answered with a topic.
    pub answered: u64,
}

/// One ISO week's questions.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WeekStats {
    /// Unix seconds of the week's Monday 00:00 UTC.
    pub week_start: i64,
    /// All questions that week.
    pub questions: u64,
    /// Of those, answered with a topic.
    pub answered: u64,
    /// Questions per topic name.
    pub per_topic: BTreeMap<String, u64>,
}

/// One topic's questions and the feedback on its answers.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TopicStats {
    pub topic: String,
    pub questions: u64,
    /// 👍 reactions.
    pub helpful: u64,
    /// 👎 reactions.
    pub unhelpful: u64,
}

/// How often students asked about an aspect the knowledge does not cover.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UncoveredCount {
    pub aspect: String,
    pub count: u64,
}

/// Why the chart could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The embedded font was not a font the text renderer could read.
    #[error("the chart's embedded font could not be loaded")]
    Font,
    /// Drawing into the pixel buffer failed.
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    /// The pixels could not be encoded as PNG.
    #[error("encoding the chart as PNG failed: {0}")]
    Encode(#[from] png::EncodingError),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(error.to_string())
    }
}

impl StatsReport {
    /// The share of questions answered with a topic, 0.0 to 1.0 for a
    /// consistent report; `None` when there were no questions.
    pub fn answered_share(&self) -> Option<f64> {
        (self.questions > 0).then(|| self.answered as f64 / self.questions as f64)
    }

    /// True when the report counts nothing at all.
    fn is_empty(&self) -> bool {
        self.questions == 0
            && self.weeks.is_empty()
            && self.topics.is_empty()
            && self.uncovered.is_empty()
    }
}

/// The Monday 00:00 UTC at or before `unix_seconds` (saturating at the ends
/// of the `i64` range).
pub fn week_start(unix_seconds: i64) -> i64 {
    let day = unix_seconds.div_euclid(DAY);
    // Day 0, 1970-01-01, was a Thursday: three days after a Monday.
    let since_monday = (day + 3).rem_euclid(7);
    (day - since_monday).saturating_mul(DAY)
}

/// The UTC calendar date of `unix_seconds` as `YYYY-MM-DD`.
pub fn civil_date(unix_seconds: i64) -> String {
    let (year, month, day) = civil(unix_seconds);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The UTC calendar date of `unix_seconds` as (year, month 1–12, day 1–31).
///
/// Days are converted to a civil date with the proleptic Gregorian
/// calendar: count from 0000-03-01 (so the leap day ends a year) in
/// 400-year eras of 146,097 days, then years of 365 days corrected for the
/// century and leap rules, then months of the March-based year, whose
/// lengths follow a linear formula (153 days per 5 months).
fn civil(unix_seconds: i64) -> (i64, i64, i64) {
    // Days since 0000-03-01; 719,468 days separate it from 1970-01-01.
    let days = unix_seconds.div_euclid(DAY) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097); // 0..=146_096
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153; // 0 = March .. 11 = February
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    (year, month, day)
}

/// The period as "first day to last day", both dates included.
fn period(report: &StatsReport) -> String {
    let first = civil_date(report.since);
    // `until` is exclusive: the last day is the one of its last second.
    let last = civil_date(report.until.saturating_sub(1).max(report.since));
    if first == last {
        first
    } else {
        format!("{first} to {last}")
    }
}

/// A share as a whole percentage that never rounds to "all" or "none" when
/// it is not.
fn percent(share: f64) -> String {
    let value = share * 100.0;
    if value > 0.0 && value < 0.5 {
        "<1%".to_owned()
    } else if (99.5..100.0).contains(&value) {
        ">99%".to_owned()
    } else {
        format!("{:.0}%", value.round())
    }
}

/// The noun for `count` things: "question" or "questions".
fn noun(count: u64, singular: &str) -> String {
    if count == 1 {
        singular.to_owned()
    } else {
        format!("{singular}s")
    }
}

/// "1 question", "2 questions".
fn count_of(count: u64, singular: &str) -> String {
    format!("{count} {}", noun(count, singular))
}

/// A name on one line and at most `max` characters, cut with "…".
fn clip(name: &str, max: usize) -> String {
    let flat: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.trim();
    if flat.chars().count() <= max {
        flat.to_owned()
    } else {
        let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// One list of the text: a heading, its lines, and how many were left out.
struct Section {
    heading: String,
    items: Vec<String>,
    /// Items left out of `items`.
    hidden: usize,
    /// Fewest items kept before other lists are cut further.
    floor: usize,
    /// Weeks keep their newest lines and say how many earlier ones are
    /// left out; other lists keep their first lines.
    newest_last: bool,
    /// What the items are, singular ("topic").
    noun: &'static str,
}

impl Section {
    fn lines(&self) -> Vec<String> {
        if self.items.is_empty() && self.hidden == 0 {
            return Vec::new();
        }
        let mut lines = vec![self.heading.clone()];
        let hidden = u64::try_from(self.hidden).unwrap_or(u64::MAX);
        let note = (self.hidden > 0).then(|| {
            if self.newest_last {
                format!("- … {hidden} earlier {} not shown", noun(hidden, self.noun))
            } else {
                format!("- … and {hidden} more {}", noun(hidden, self.noun))
            }
        });
        if self.newest_last {
            lines.extend(note.clone());
        }
        lines.extend(self.items.iter().cloned());
        if !self.newest_last {
            lines.extend(note);
        }
        lines
    }

    /// Leaves out one more item: the oldest week, or the last of a list.
    fn drop_one(&mut self) {
        if self.items.is_empty() {
            return;
        }
        if self.newest_last {
            self.items.remove(0);
        } else {
            self.items.pop();
        }
        self.hidden += 1;
    }
}

/// Length as Discord might count it: UTF-16 units, never fewer than
/// characters.
fn text_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The lines joined, with lists cut until the text fits [`TEXT_LIMIT`]:
/// the list with the most lines above its floor loses one, then, when all
/// are at their floors, the longest list.
fn fit(head: Vec<String>, mut sections: Vec<Section>) -> String {
    let total = |sections: &[Section]| {
        let lines = head
            .iter()
            .cloned()
            .chain(sections.iter().flat_map(Section::lines));
        let (count, len) = lines.fold((0usize, 0usize), |(n, l), line| {
            (n + 1, l + text_len(&line))
        });
        len + count.saturating_sub(1)
    };
    while total(&sections) > TEXT_LIMIT {
        let above_floor = sections
            .iter_mut()
            .filter(|s| s.items.len() > s.floor)
            .max_by_key(|s| s.items.len() - s.floor);
        let victim = match above_floor {
            Some(section) => section,
            None => match sections
                .iter_mut()
                .filter(|s| !s.items.is_empty())
                .max_by_key(|s| s.items.len())
            {
                Some(section) => section,
                None => break,
            },
        };
        victim.drop_one();
    }
    // Lines are short (names are clipped), so this only matters for
    // absurd reports: whole lines that do not fit are left out.
    let mut text = String::new();
    for line in head
        .into_iter()
        .chain(sections.iter().flat_map(Section::lines))
    {
        let extra = usize::from(!text.is_empty());
        if text_len(&text) + extra + text_len(&line) > TEXT_LIMIT {
            break;
        }
        if extra == 1 {
            text.push('\n');
        }
        text.push_str(&line);
    }
    text
}

/// A compact plain-text summary for a terminal or a Discord message, at
/// most [`TEXT_LIMIT`] characters.
pub fn render_text(report: &StatsReport) -> String {
    let mut head = vec![format!("Usage statistics, {} (UTC)", period(report))];
    match report.answered_share() {
        Some(share) => head.push(format!(
            "{} from {}; {} answered with a topic ({}).",
            count_of(report.questions, "question"),
            count_of(report.askers, "asker"),
            percent(share),
            report.answered
        )),
        None => head.push("No questions were recorded in this period.".to_owned()),
    }
    if report.is_empty() {
        return fit(head, Vec::new());
    }

    let topics: Vec<String> = report
        .topics
        .iter()
        .take(TEXT_TOPICS)
        .map(|t| {
            format!(
                "- {}: {}, 👍 {}, 👎 {}",
                clip(&t.topic, NAME_CHARS),
                count_of(t.questions, "question"),
                t.helpful,
                t.unhelpful
            )
        })
        .collect();
    let topics = Section {
        heading: "Topics (questions, 👍/👎):".to_owned(),
        hidden: report.topics.len() - topics.len(),
        items: topics,
        floor: 3,
        newest_last: false,
        noun: "topic",
    };

    let shown_from = report.weeks.len().saturating_sub(SHOWN_WEEKS);
    let weeks = Section {
        heading: "Questions per week (week of Monday):".to_owned(),
        items: report.weeks[shown_from..]
            .iter()
            .map(|w| {
                format!(
                    "- {}: {}, {} answered",
                    civil_date(w.week_start),
                    count_of(w.questions, "question"),
                    w.answered
                )
            })
            .collect(),
        hidden: shown_from,
        floor: 4,
        newest_last: true,
        noun: "week",
    };

    let uncovered: Vec<String> = report
        .uncovered
        .iter()
        .take(TEXT_UNCOVERED)
        .map(|u| format!("- {}: {}", clip(&u.aspect, NAME_CHARS), u.count))
        .collect();
    let uncovered = Section {
        heading: "Most asked, not covered by the knowledge:".to_owned(),
        hidden: report.uncovered.len() - uncovered.len(),
        items: uncovered,
        floor: 3,
        newest_last: false,
        noun: "aspect",
    };
    fit(head, vec![topics, weeks, uncovered])
}

/// The font family name the chart's text is drawn in.
const FONT: &str = "sans-serif";

/// Registers the embedded DejaVu Sans with the text renderer, once.
fn load_font() -> Result<(), ChartError> {
    static LOADED: OnceLock<bool> = OnceLock::new();
    let loaded = LOADED.get_or_init(|| {
        register_font(FONT, FontStyle::Normal, dejavu::sans::regular()).is_ok()
            && register_font(FONT, FontStyle::Bold, dejavu::sans::bold()).is_ok()
    });
    if *loaded {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// Colours of the chart's topics, in order (distinct for colour-blind
/// readers too: the Okabe–Ito set, then darker tones).
const TOPIC_COLOURS: [RGBColor; CHART_TOPICS] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(120, 94, 240),
    RGBColor(110, 70, 40),
];
/// Topics past the coloured ones, together.
const OTHER_COLOUR: RGBColor = RGBColor(150, 150, 150);
/// Questions answered with no topic.
const NO_TOPIC_COLOUR: RGBColor = RGBColor(225, 225, 225);
/// The share-answered line.
const SHARE_COLOUR: RGBColor = RGBColor(20, 20, 20);
const INK: RGBColor = RGBColor(30, 30, 30);
const MUTED: RGBColor = RGBColor(100, 100, 100);

/// One stacked bar: a week's questions by chart series.
struct Bar {
    week_start: i64,
    /// Questions per series, in the order of [`Series`].
    stack: Vec<u64>,
    questions: u64,
    answered: u64,
}

/// What the chart stacks: the top topics, "other topics", "no topic".
struct Series {
    names: Vec<String>,
    colours: Vec<RGBColor>,
}

/// The series of the chart: the first [`CHART_TOPICS`] topics of the
/// report (most asked first), then the others together, then questions
/// with no topic.
fn series(report: &StatsReport) -> Series {
    let mut names: Vec<String> = report
        .topics
        .iter()
        .take(CHART_TOPICS)
        .map(|t| t.topic.clone())
        .collect();
    let mut colours: Vec<RGBColor> = TOPIC_COLOURS[..names.len()].to_vec();
    names.push("other topics".to_owned());
    colours.push(OTHER_COLOUR);
    names.push("no topic".to_owned());
    colours.push(NO_TOPIC_COLOUR);
    Series { names, colours }
}

/// The last [`SHOWN_WEEKS`] calendar weeks of the period (weeks with no
/// questions included, as empty bars), each split by series.
fn bars(report: &StatsReport, series: &Series) -> Vec<Bar> {
    let by_week: BTreeMap<i64, &WeekStats> = report
        .weeks
        .iter()
        .map(|w| (week_start(w.week_start), w))
        .collect();
    let newest_data = by_week.keys().next_back().copied();
    let oldest_data = by_week.keys().next().copied();
    let period_last = (report.until > report.since).then(|| week_start(report.until - 1));
    let Some(last) = newest_data.max(period_last) else {
        return Vec::new();
    };
    let first_allowed = [Some(week_start(report.since)), oldest_data]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(last);
    let span = i64::try_from(SHOWN_WEEKS - 1).unwrap_or(0);
    let first = last
        .saturating_sub(span * WEEK)
        .max(first_allowed)
        .min(last);

    let named = series.names.len() - 2; // the topics with their own colour
    let mut out = Vec::new();
    let mut week = first;
    while week <= last && out.len() < SHOWN_WEEKS {
        let mut stack = vec![0u64; series.names.len()];
        let (questions, answered) = match by_week.get(&week) {
            Some(w) => {
                for (topic, count) in &w.per_topic {
                    let slot = series.names[..named]
                        .iter()
                        .position(|n| n == topic)
                        .unwrap_or(named);
                    stack[slot] = stack[slot].saturating_add(*count);
                }
                let on_topics = stack.iter().fold(0u64, |a, b| a.saturating_add(*b));
                stack[named + 1] = w.questions.saturating_sub(on_topics);
                (w.questions, w.answered)
            }
            None => (0, 0),
        };
        out.push(Bar {
            week_start: week,
            stack,
            questions,
            answered,
        });
        week = match week.checked_add(WEEK) {
            Some(next) => next,
            None => break,
        };
    }
    out
}

/// A round axis top at or above `max`, leaving headroom above the bars.
fn axis_top(max: u64) -> u64 {
    let want = max.saturating_add((max / 10).max(1)).max(4);
    let step = [1u64, 2, 5]
        .into_iter()
        .flat_map(|m| (0..19).map(move |e| m.saturating_mul(10u64.saturating_pow(e))))
        .filter(|s| want / s <= 10)
        .min()
        .unwrap_or(u64::MAX / 2);
    want.div_ceil(step).saturating_mul(step)
}

/// A PNG chart of the report: questions per topic per week (stacked bars,
/// the last 12 weeks), the share answered (a line on its own axis), and
/// each topic's questions and 👍/👎 (a side panel).
pub fn render_png(report: &StatsReport) -> Result<Vec<u8>, ChartError> {
    load_font()?;
    let (width, height) = (CHART_WIDTH, CHART_HEIGHT);
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let (header, body) = root.split_vertically(78);
        draw_header(&header, report)?;
        let (plot, side) = body.split_horizontally(700);
        let series = series(report);
        let bars = bars(report, &series);
        let bars = if bars.iter().all(|b| b.questions == 0) {
            Vec::new()
        } else {
            bars
        };
        if bars.is_empty() {
            draw_no_questions(&plot)?;
        } else {
            draw_bars(&plot, &bars, &series)?;
        }
        draw_side(&side, report, &series, !bars.is_empty())?;
        root.present()?;
    }
    let mut png_bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut png_bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(png_bytes)
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// The title (the period) and the totals under it.
fn draw_header(area: &Area<'_>, report: &StatsReport) -> Result<(), ChartError> {
    let title = (FONT, 26).into_font().style(FontStyle::Bold).color(&INK);
    area.draw(&Text::new(
        format!("Questions per week, {} (UTC)", period(report)),
        (24, 14),
        title,
    ))?;
    let totals = match report.answered_share() {
        Some(share) => format!(
            "{} from {} · {} answered with a topic",
            count_of(report.questions, "question"),
            count_of(report.askers, "asker"),
            percent(share)
        ),
        None => "No questions recorded in this period".to_owned(),
    };
    area.draw(&Text::new(
        totals,
        (24, 50),
        (FONT, 17).into_font().color(&MUTED),
    ))?;
    Ok(())
}

/// Says there is nothing to chart, where the bars would be.
fn draw_no_questions(area: &Area<'_>) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    let style = (FONT, 28)
        .into_font()
        .color(&MUTED)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let (w, h) = (i32::try_from(w).unwrap_or(0), i32::try_from(h).unwrap_or(0));
    area.draw(&Rectangle::new(
        [(40, 30), (w - 20, h - 40)],
        ShapeStyle::from(&NO_TOPIC_COLOUR).stroke_width(2),
    ))?;
    area.draw(&Text::new("No questions recorded", (w / 2, h / 2), style))?;
    Ok(())
}

/// The stacked bars per week and the share-answered line.
fn draw_bars(area: &Area<'_>, bars: &[Bar], series: &Series) -> Result<(), ChartError> {
    let count = i32::try_from(bars.len()).unwrap_or(i32::MAX);
    let tallest = bars
        .iter()
        .map(|b| {
            b.stack
                .iter()
                .fold(0u64, |a, s| a.saturating_add(*s))
                .max(b.questions)
        })
        .max()
        .unwrap_or(0);
    let top = axis_top(tallest);
    let labels = (FONT, 15).into_font().color(&INK);
    let mut chart = ChartBuilder::on(area)
        .margin_left(12)
        .margin_right(8)
        .margin_top(10)
        .margin_bottom(8)
        .x_label_area_size(52)
        .y_label_area_size(64)
        .right_y_label_area_size(64)
        .build_cartesian_2d((0..count).into_segmented(), 0u64..top)?
        .set_secondary_coord((0..count).into_segmented(), 0f64..100f64);

    let week_label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => usize::try_from(*i)
            .ok()
            .and_then(|i| bars.get(i))
            .map(|b| {
                let (_, month, day) = civil(b.week_start);
                format!("{month:02}-{day:02}")
            })
            .unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(220, 220, 220))
        .x_labels(bars.len())
        .x_label_formatter(&week_label)
        .x_desc("Week starting Monday (month-day, UTC)")
        .y_desc("Questions")
        .label_style(labels.clone())
        .axis_desc_style(labels.clone())
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_labels(6)
        .y_label_formatter(&|v| format!("{v:.0}%"))
        .y_desc("Answered with a topic")
        .label_style(labels.clone())
        .axis_desc_style(labels)
        .draw()?;

    for (slot, colour) in series.colours.iter().enumerate() {
        chart.draw_series(bars.iter().enumerate().filter_map(|(i, bar)| {
            let height = bar.stack.get(slot).copied().unwrap_or(0);
            if height == 0 {
                return None;
            }
            let x = i32::try_from(i).ok()?;
            let below = bar.stack[..slot]
                .iter()
                .fold(0u64, |a, s| a.saturating_add(*s));
            let mut rect = Rectangle::new(
                [
                    (SegmentValue::Exact(x), below),
                    (SegmentValue::Exact(x + 1), below.saturating_add(height)),
                ],
                colour.filled(),
            );
            rect.set_margin(0, 0, 9, 9);
            Some(rect)
        }))?;
    }

    let shares: Vec<(SegmentValue<i32>, f64)> = bars
        .iter()
        .enumerate()
        .filter(|(_, b)| b.questions > 0)
        .filter_map(|(i, b)| {
            let share = (b.answered as f64 / b.questions as f64 * 100.0).clamp(0.0, 100.0);
            Some((SegmentValue::CenterOf(i32::try_from(i).ok()?), share))
        })
        .collect();
    chart.draw_secondary_series(LineSeries::new(
        shares.iter().cloned(),
        SHARE_COLOUR.stroke_width(3),
    ))?;
    chart.draw_secondary_series(shares.iter().map(|p| {
        Circle::new(
            p.clone(),
            5,
            ShapeStyle::from(&SHARE_COLOUR).filled().stroke_width(1),
        )
    }))?;
    Ok(())
}

/// The legend: each series' colour, and per topic its questions and 👍/👎
/// (the bars' keys only when there are bars).
fn draw_side(
    area: &Area<'_>,
    report: &StatsReport,
    series: &Series,
    has_bars: bool,
) -> Result<(), ChartError> {
    let name_style = (FONT, 15).into_font().color(&INK);
    let note_style = (FONT, 13).into_font().color(&MUTED);
    let heading = (FONT, 16).into_font().style(FontStyle::Bold).color(&INK);
    let x = 14;
    let mut y = 14;
    area.draw(&Text::new("Key", (x, y), heading.clone()))?;
    y += 28;

    if has_bars {
        // The share line's key.
        area.draw(&PathElement::new(
            [(x, y + 8), (x + 22, y + 8)],
            SHARE_COLOUR.stroke_width(3),
        ))?;
        area.draw(&Circle::new((x + 11, y + 8), 5, SHARE_COLOUR.filled()))?;
        area.draw(&Text::new(
            "share answered",
            (x + 32, y),
            name_style.clone(),
        ))?;
        y += 30;
    }

    let named = series.names.len() - 2;
    let others = &report.topics[named.min(report.topics.len())..];
    for (slot, (name, colour)) in series.names.iter().zip(&series.colours).enumerate() {
        let note = if let Some(topic) = report.topics.get(slot).filter(|_| slot < named) {
            format!(
                "{}, +{} / −{}",
                count_of(topic.questions, "question"),
                topic.helpful,
                topic.unhelpful
            )
        } else if slot == named {
            if others.is_empty() {
                continue;
            }
            let (q, up, down) = others.iter().fold((0u64, 0u64, 0u64), |(q, u, d), t| {
                (
                    q.saturating_add(t.questions),
                    u.saturating_add(t.helpful),
                    d.saturating_add(t.unhelpful),
                )
            });
            let topics = u64::try_from(others.len()).unwrap_or(u64::MAX);
            format!(
                "{}: {}, +{up} / −{down}",
                count_of(topics, "topic"),
                count_of(q, "question")
            )
        } else if has_bars {
            "not answered with a topic".to_owned()
        } else {
            continue;
        };
        let swatch = [(x, y + 2), (x + 22, y + 16)];
        area.draw(&Rectangle::new(swatch, colour.filled()))?;
        area.draw(&Rectangle::new(
            swatch,
            ShapeStyle::from(&MUTED).stroke_width(1),
        ))?;
        area.draw(&Text::new(clip(name, 26), (x + 32, y), name_style.clone()))?;
        area.draw(&Text::new(note, (x + 32, y + 17), note_style.clone()))?;
        y += 36;
    }
    area.draw(&Text::new(
        "+ helpful / − not helpful: reactions",
        (x, y),
        note_style.clone(),
    ))?;
    y += 30;

    // The most asked uncovered aspects, as many as fit.
    let (_, height) = area.dim_in_pixel();
    let bottom = i32::try_from(height).unwrap_or(i32::MAX) - 24;
    if !report.uncovered.is_empty() && y + 28 < bottom {
        area.draw(&Text::new("Most asked, not covered", (x, y), heading))?;
        y += 24;
        for aspect in &report.uncovered {
            if y > bottom {
                break;
            }
            let line = format!("{} ({})", clip(&aspect.aspect, 26), aspect.count);
            area.draw(&Text::new(line, (x, y), name_style.clone()))?;
            y += 20;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-01-01 00:00 UTC, a Monday.
    const MONDAY_2024: i64 = 1_704_067_200;

    #[test]
    fn week_start_table() {
        let cases: [(i64, i64, &str); 11] = [
            (
                0,
                -3 * DAY,
                "the epoch, a Thursday, is in the week of Monday 1969-12-29",
            ),
            (-1, -3 * DAY, "the second before the epoch"),
            (-3 * DAY, -3 * DAY, "Monday 1969-12-29 00:00 itself"),
            (
                -3 * DAY - 1,
                -10 * DAY,
                "the last second of the week before",
            ),
            (4 * DAY, 4 * DAY, "Monday 1970-01-05 00:00"),
            (4 * DAY - 1, -3 * DAY, "Sunday 1970-01-04 23:59:59"),
            (MONDAY_2024, MONDAY_2024, "a Monday at midnight"),
            (
                MONDAY_2024 + WEEK - 1,
                MONDAY_2024,
                "the Sunday's last second",
            ),
            (MONDAY_2024 + WEEK, MONDAY_2024 + WEEK, "the next Monday"),
            (1_743_336_000, 1_742_774_400, "Sunday 2025-03-30 noon"),
            (
                -WEEK * 100 + 5,
                -WEEK * 100 - 3 * DAY,
                "a hundred weeks back",
            ),
        ];
        for (input, expected, what) in cases {
            assert_eq!(week_start(input), expected, "{what}");
        }
    }

    #[test]
    fn week_start_is_a_monday_at_or_before_at_the_range_ends() {
        for input in [i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - DAY] {
            let start = week_start(input);
            assert!(start <= input, "{input}");
        }
        let top = week_start(i64::MAX);
        assert!(i64::MAX - top < WEEK);
        assert_eq!(civil_weekday(top), 0, "a Monday");
    }

    /// 0 for Monday .. 6 for Sunday.
    fn civil_weekday(unix_seconds: i64) -> i64 {
        (unix_seconds.div_euclid(DAY) + 3).rem_euclid(7)
    }

    #[test]
    fn civil_dates() {
        let cases = [
            (0, "1970-01-01"),
            (-1, "1969-12-31"),
            (DAY - 1, "1970-01-01"),
            (951_782_400, "2000-02-29"),
            (951_782_400 + DAY, "2000-03-01"),
            (1_709_164_800, "2024-02-29"),
            (MONDAY_2024 - 1, "2023-12-31"),
            (-2_208_988_800, "1900-01-01"),
            (4_102_444_800, "2100-01-01"),
        ];
        for (input, expected) in cases {
            assert_eq!(civil_date(input), expected, "{input}");
        }
    }

    #[test]
    fn answered_share() {
        let mut report = StatsReport::default();
        assert_eq!(report.answered_share(), None);
        report.questions = 8;
        report.answered = 6;
        assert_eq!(report.answered_share(), Some(0.75));
    }

    #[test]
    fn percentages_never_round_to_all_or_none() {
        let cases = [
            (0.0, "0%"),
            (0.003, "<1%"),
            (0.125, "13%"),
            (0.996, ">99%"),
            (1.0, "100%"),
        ];
        for (share, expected) in cases {
            assert_eq!(percent(share), expected, "{share}");
        }
    }

    #[test]
    fn names_are_clipped_to_one_line() {
        assert_eq!(clip("pay", 5), "pay");
        assert_eq!(clip("hourly pay", 5), "hour…");
        assert_eq!(clip("two\nlines", 20), "two lines");
    }

    fn week(offset: i64, questions: u64, answered: u64, per_topic: &[(&str, u64)]) -> WeekStats {
        WeekStats {
            week_start: MONDAY_2024 + offset * WEEK,
            questions,
            answered,
            per_topic: per_topic
                .iter()
                .map(|(t, n)| ((*t).to_owned(), *n))
                .collect(),
        }
    }

    fn topic(name: &str, questions: u64, helpful: u64, unhelpful: u64) -> TopicStats {
        TopicStats {
            topic: name.to_owned(),
            questions,
            helpful,
            unhelpful,
        }
    }

    fn small_report() -> StatsReport {
        StatsReport {
            since: MONDAY_2024,
            until: MONDAY_2024 + 3 * WEEK,
            weeks: vec![
                week(0, 20, 15, &[("salary", 10), ("education", 5)]),
                week(2, 12, 10, &[("salary", 6), ("outlook", 4)]),
            ],
            topics: vec![
                topic("salary", 16, 7, 2),
                topic("education", 5, 1, 0),
                topic("outlook", 4, 0, 3),
            ],
            uncovered: vec![
                UncoveredCount {
                    aspect: "hourly pay".to_owned(),
                    count: 5,
                },
                UncoveredCount {
                    aspect: "remote work".to_owned(),
                    count: 2,
                },
            ],
            askers: 9,
            questions: 32,
            answered: 25,
        }
    }

    /// Many topics and weeks, long names and big numbers.
    fn huge_report() -> StatsReport {
        let long = |i: usize| format!("topic number {i} with a very long name indeed, longer");
        StatsReport {
            since: MONDAY_2024 - 200 * WEEK,
            until: MONDAY_2024,
            weeks: (0..200)
                .map(|i| {
                    let per_topic: Vec<(String, u64)> =
                        (0..40).map(|t| (long(t), u64::MAX / 64)).collect();
                    WeekStats {
                        week_start: MONDAY_2024 - (200 - i) * WEEK,
                        questions: u64::MAX,
                        answered: u64::MAX / 3,
                        per_topic: per_topic.into_iter().collect(),
                    }
                })
                .collect(),
            topics: (0..40)
                .map(|t| topic(&long(t), u64::MAX, u64::MAX, u64::MAX))
                .collect(),
            uncovered: (0..10)
                .map(|i| UncoveredCount {
                    aspect: format!("uncovered aspect {i} {}", "x".repeat(300)),
                    count: u64::MAX,
                })
                .collect(),
            askers: u64::MAX,
            questions: u64::MAX,
            answered: u64::MAX,
        }
    }

    #[test]
    fn empty_report_says_nothing_was_recorded() {
        let report = StatsReport {
            since: MONDAY_2024,
            until: MONDAY_2024 + WEEK,
            ..StatsReport::default()
        };
        let text = render_text(&report);
        assert_eq!(
            text,
            "Usage statistics, 2024-01-01 to 2024-01-07 (UTC)\n\
             No questions were recorded in this period."
        );
    }

    #[test]
    fn small_report_text_has_its_numbers() {
        let text = render_text(&small_report());
        let expected_lines = [
            "Usage statistics, 2024-01-01 to 2024-01-21 (UTC)",
            "32 questions from 9 askers; 78% answered with a topic (25).",
            "- salary: 16 questions, 👍 7, 👎 2",
            "- education: 5 questions, 👍 1, 👎 0",
            "- outlook: 4 questions, 👍 0, 👎 3",
            "- 2024-01-01: 20 questions, 15 answered",
            "- 2024-01-15: 12 questions, 10 answered",
            "- hourly pay: 5",
            "- remote work: 2",
        ];
        for line in expected_lines {
            assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
        }
        assert!(!text.contains("more"), "nothing cut:\n{text}");
        // Weeks come oldest first, newest last.
        let first = text.find("2024-01-01:").unwrap();
        let last = text.find("2024-01-15:").unwrap();
        assert!(first < last);
    }

    #[test]
    fn huge_report_text_fits_one_discord_message() {
        let report = huge_report();
        let text = render_text(&report);
        assert!(text.encode_utf16().count() <= TEXT_LIMIT, "{}", text.len());
        assert!(text.chars().count() <= TEXT_LIMIT);
        assert!(text.contains("more topics"), "{text}");
        // The newest week is the last one listed.
        let newest = civil_date(report.weeks.last().unwrap().week_start);
        assert!(text.contains(&newest), "{text}");
        let oldest = civil_date(report.weeks[0].week_start);
        assert!(!text.contains(&format!("- {oldest}:")), "{text}");
        assert!(text.contains(" earlier weeks not shown"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let newest_at = lines.iter().position(|l| l.contains(&newest)).unwrap();
        assert!(lines[newest_at + 1].starts_with("Most asked"), "{text}");
        assert!(text.contains("uncovered aspect 0"), "{text}");
    }

    #[test]
    fn long_lists_are_cut_with_a_count() {
        let mut report = small_report();
        report.topics = (0..15).map(|i| topic(&format!("t{i}"), 1, 0, 0)).collect();
        let text = render_text(&report);
        assert!(text.contains("- t9: 1 question, 👍 0, 👎 0"), "{text}");
        assert!(!text.contains("- t10:"), "{text}");
        assert!(text.contains("- … and 5 more topics"), "{text}");
    }

    fn decode(bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
        let info = reader.next_frame(&mut buf).expect("a frame");
        buf.truncate(info.buffer_size());
        (info, buf)
    }

    fn check_png(bytes: &[u8]) -> Vec<u8> {
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "PNG signature");
        let (info, pixels) = decode(bytes);
        assert_eq!((info.width, info.height), (CHART_WIDTH, CHART_HEIGHT));
        assert_eq!(info.color_type, png::ColorType::Rgb);
        let first = &pixels[..3];
        assert!(
            pixels.chunks_exact(3).any(|p| p != first),
            "not a single colour"
        );
        pixels
    }

    /// How many pixels have exactly this colour.
    fn count_colour(pixels: &[u8], colour: RGBColor) -> usize {
        pixels
            .chunks_exact(3)
            .filter(|p| *p == [colour.0, colour.1, colour.2])
            .count()
    }

    #[test]
    fn small_report_chart_is_a_png_with_bars() {
        let bytes = render_png(&small_report()).expect("a chart");
        let pixels = check_png(&bytes);
        // The first three topics' bars are drawn in their colours.
        for colour in &TOPIC_COLOURS[..3] {
            assert!(count_colour(&pixels, *colour) > 500, "{colour:?}");
        }
        assert_eq!(count_colour(&pixels, TOPIC_COLOURS[3]), 0);
        if let Ok(path) = std::env::var("STATS_SAMPLE_PNG") {
            std::fs::write(path, &bytes).expect("sample written");
        }
    }

    #[test]
    fn empty_report_renders_a_chart() {
        let bytes = render_png(&StatsReport::default()).expect("a chart");
        let pixels = check_png(&bytes);
        for colour in TOPIC_COLOURS {
            assert_eq!(count_colour(&pixels, colour), 0, "no bars");
        }
    }

    #[test]
    fn huge_report_renders_a_chart() {
        let bytes = render_png(&huge_report()).expect("a chart");
        check_png(&bytes);
    }

    /// Reports a buggy store might send: nothing may panic, the text stays
    /// short, and the chart is still a chart.
    #[test]
    fn odd_reports_still_render() {
        let small = small_report();
        let odd = [
            (
                "more answered than asked",
                StatsReport {
                    answered: 99,
                    ..small.clone()
                },
            ),
            (
                "period backwards",
                StatsReport {
                    since: small.until,
                    until: small.since,
                    ..small.clone()
                },
            ),
            (
                "extreme period",
                StatsReport {
                    since: i64::MIN,
                    until: i64::MAX,
                    ..small.clone()
                },
            ),
            (
                "weeks at the ends of time",
                StatsReport {
                    weeks: vec![
                        week(0, 3, 3, &[]),
                        WeekStats {
                            week_start: i64::MIN,
                            ..week(0, 1, 1, &[])
                        },
                        WeekStats {
                            week_start: i64::MAX,
                            ..week(0, 2, 0, &[])
                        },
                    ],
                    ..small.clone()
                },
            ),
            (
                "topics counted more than questions",
                StatsReport {
                    weeks: vec![week(0, 2, 2, &[("salary", 50), ("unknown", 7)])],
                    ..small.clone()
                },
            ),
            (
                "feedback but no questions",
                StatsReport {
                    weeks: Vec::new(),
                    questions: 0,
                    answered: 0,
                    ..small.clone()
                },
            ),
        ];
        for (what, report) in odd {
            let text = render_text(&report);
            assert!(text_len(&text) <= TEXT_LIMIT, "{what}");
            assert!(text.starts_with("Usage statistics, "), "{what}: {text}");
            let bytes = render_png(&report).unwrap_or_else(|e| panic!("{what}: {e}"));
            check_png(&bytes);
        }
    }

    #[test]
    fn bars_cover_the_last_weeks_with_gaps_filled() {
        let report = small_report();
        let series = series(&report);
        let bars = bars(&report, &series);
        let starts: Vec<i64> = bars.iter().map(|b| b.week_start).collect();
        assert_eq!(starts, [0, 1, 2].map(|i| MONDAY_2024 + i * WEEK));
        // salary, education, outlook, other topics, no topic
        assert_eq!(bars[0].stack, [10, 5, 0, 0, 5]);
        assert_eq!(bars[1].stack, [0, 0, 0, 0, 0]);
        assert_eq!(bars[2].stack, [6, 0, 4, 0, 2]);

        let long = huge_report();
        let bars = super::bars(&long, &super::series(&long));
        assert_eq!(bars.len(), SHOWN_WEEKS);
        assert_eq!(bars.last().unwrap().week_start, MONDAY_2024 - WEEK);
    }

    #[test]
    fn axis_tops_are_round_and_above_the_data() {
        let cases = [(0, 4), (3, 4), (9, 10), (20, 25), (95, 110), (1234, 1400)];
        for (max, expected) in cases {
            assert_eq!(axis_top(max), expected, "{max}");
        }
        assert!(axis_top(u64::MAX) >= u64::MAX / 2);
    }

    #[test]
    fn report_round_trips_through_json() {
        let report = small_report();
        let json = serde_json::to_string(&report).unwrap();
        assert!(json.contains("\"week_start\":1704067200"), "{json}");
        let back: StatsReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report);
    }
}
