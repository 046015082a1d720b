//! Answers as students get them: the asked fact first, honest gaps,
//! corrections, provenance cited exactly, and nothing the source document
//! does not say. Questions are built as [`Ask`] values directly, so these
//! tests hold whatever engine finds them.

use std::collections::BTreeSet;

use career_bot::answer::compose::{cited_sources, Composer};
use career_bot::answer::text::{render_answer, render_reply_wrapped};
use career_bot::answer::Answer;
use career_bot::intent::{Ask, StatedFigure};
use career_bot::knowledge::{provenance, Knowledge, KnowledgeFiles};
use career_bot::{CareerBot, Intent};

fn knowledge() -> Knowledge {
    Knowledge::embedded().expect("built-in knowledge loads")
}

fn source_text() -> String {
    KnowledgeFiles::embedded().documents[0].text.clone()
}

fn ask(intent: Option<Intent>, aspects: &[&str], uncovered: &[&str]) -> Ask {
    Ask {
        intent,
        aspects: aspects.iter().map(|s| s.to_string()).collect(),
        uncovered: uncovered.iter().map(|s| s.to_string()).collect(),
        ..Ask::default()
    }
}

fn one(composer: &Composer<'_>, question: Ask) -> Answer {
    let answers = composer.reply(std::slice::from_ref(&question));
    assert_eq!(answers.len(), 1, "{question:?}: {answers:?}");
    answers.into_iter().next().expect("one answer")
}

/// The aspect catalogue: (name, topic, covered).
fn catalogue() -> Vec<(String, Intent, bool)> {
    knowledge()
        .aspects
        .aspects
        .iter()
        .map(|aspect| (aspect.name.clone(), aspect.topic, aspect.covered))
        .collect()
}

#[test]
fn every_aspect_in_the_catalogue_has_an_answer_of_the_right_kind() {
    let knowledge = knowledge();
    let catalogue = catalogue();
    assert!(catalogue.len() >= 30, "{} aspects", catalogue.len());
    // Loading checks the same; the call is repeated to see the list.
    let problems = knowledge.occupation.aspect_answer_gaps(
        catalogue
            .iter()
            .map(|(name, _, covered)| (name.as_str(), *covered)),
    );
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Covered aspect → how its answer must begin, and a phrase of its context.
const COVERED: &[(&str, Intent, &str, &str)] = &[
    (
        "average pay",
        Intent::Salary,
        "The average salary in 2015 was $40,430 a year (BLS, 2015).",
        "  Median (2015): $37,110 a year — all specialists",
    ),
    (
        "median pay",
        Intent::Salary,
        "The median salary in 2015 was $37,110 a year (BLS, 2015).",
        "  Average (2015): $40,430 a year — all specialists",
    ),
    (
        "pay by industry",
        Intent::Salary,
        "Pay differs by industry; the article gives these industry averages (BLS, 2015):",
        "General medical and surgical hospitals (2015): $43,080 a year",
    ),
    (
        "highest pay",
        Intent::Salary,
        "The highest average annual wage by industry in 2015 was in professional, scientific and technical services: $52,940 a year (BLS, 2015).",
        "  Median (2015): $37,110 a year — all specialists",
    ),
    (
        "degree needed",
        Intent::Education,
        "Most positions ask for an associate degree in health information technology (source article).",
        "takes 2 years",
    ),
    (
        "program length",
        Intent::Education,
        "The associate degree takes 2 years (source article).",
        "The degree is offered by community colleges and technical colleges.",
    ),
    (
        "online programs",
        Intent::Education,
        "Some colleges offer the degree through online learning (source article).",
        "associate degree",
    ),
    (
        "courses",
        Intent::Education,
        "Programs start with medical terminology and computer usage",
        "pharmacology",
    ),
    (
        "advanced degrees",
        Intent::Education,
        "Bachelor's and master's degrees in the field exist too",
        "advance a career you already have",
    ),
    (
        "certification required",
        Intent::Certification,
        "Certification is preferred by employers (source article).",
        "medical coding and information systems (BLS).",
    ),
    (
        "which certifications",
        Intent::Certification,
        "Employers commonly prefer to hire specialists with credentials in medical coding and information systems (BLS).",
        "prepares you for certification",
    ),
    (
        "job growth",
        Intent::Outlook,
        "The BLS predicted employment would grow 15% from 2014 to 2024, a higher-than-average growth rate (BLS projection, 2014–2024).",
        "",
    ),
    (
        "growth reasons",
        Intent::Outlook,
        "The article attributes the growth to the growing aging population",
        "15% from 2014 to 2024",
    ),
    (
        "work settings",
        Intent::Workplace,
        "Most health information technology specialists work in doctors' offices or other medical facilities (source article).",
        "Insurance companies",
    ),
];

#[test]
fn a_covered_aspect_leads_with_the_fact_asked() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    for (aspect, topic, lead, context) in COVERED {
        let answer = one(&composer, ask(Some(*topic), &[aspect], &[]));
        assert!(
            answer.body.starts_with(lead),
            "{aspect}: expected to start with {lead:?}:\n{}",
            answer.body
        );
        let text = render_answer(&answer);
        assert!(text.contains(context), "{aspect}: no {context:?}:\n{text}");
        assert_eq!(answer.intent, Some(*topic), "{aspect}");
    }
}

#[test]
fn the_table_covers_every_covered_aspect() {
    let listed: BTreeSet<&str> = COVERED.iter().map(|(name, ..)| *name).collect();
    for (name, _, covered) in catalogue() {
        if covered {
            assert!(listed.contains(name.as_str()), "{name} has no test row");
        }
    }
}

#[test]
fn an_average_pay_question_gets_the_average_first_then_one_line_of_context() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    let answer = one(&composer, ask(Some(Intent::Salary), &["average pay"], &[]));
    // The asked figure in the prose (an embed's description), the context
    // as a figure line (an embed's field).
    assert_eq!(
        answer.body,
        "The average salary in 2015 was $40,430 a year (BLS, 2015). These figures are from 2015; the article gives none more recent."
    );
    let lines: Vec<String> = answer
        .fields
        .iter()
        .map(|f| format!("{}: {}", f.name, f.value))
        .collect();
    assert_eq!(lines, ["Median (2015): $37,110 a year — all specialists"]);
    assert_eq!(answer.source.as_deref(), Some("Source: BLS, 2015"));
}

#[test]
fn an_uncovered_aspect_is_said_plainly_then_the_closest_fact_where_it_helps() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    let cases: &[(&[&str], Option<Intent>, &str, &str)] = &[
        (
            &["hourly pay"],
            Some(Intent::Salary),
            "The article gives yearly figures only, not hourly pay.",
            "$37,110",
        ),
        (
            &["starting pay"],
            Some(Intent::Salary),
            "The article gives no starting or entry-level pay.",
            "$37,110",
        ),
        (
            &["pay by location"],
            None,
            "The article gives no pay figures by state or city.",
            "$37,110",
        ),
        (
            &["remote work"],
            None,
            "The article doesn't say whether the work can be done remotely.",
            "What the article does say: most health information technology specialists work in doctors' offices",
        ),
        (
            &["program cost"],
            None,
            "The article gives no program costs.",
            "tuition and costs vary across programs and locations",
        ),
        (
            &["benefits"],
            None,
            "The article doesn't describe benefits such as health insurance, retirement plans or paid time off.",
            "Where do they work?",
        ),
        (
            &["certification cost"],
            None,
            "The article gives no costs for certifications or their exams.",
            "credentials in medical coding and information systems",
        ),
        (
            &["automation"],
            None,
            "The article doesn't discuss automation or AI.",
            "15%",
        ),
        (
            &["hours"],
            None,
            "The article doesn't say what hours or shifts they work.",
            "What it does cover, you can ask me: “Where do they work?”",
        ),
        (
            &["alternatives pay"],
            None,
            "The article gives no pay for the related careers it names.",
            "Database administrator",
        ),
    ];
    for (uncovered, intent, gap, closest) in cases {
        let answer = one(&composer, ask(*intent, &[], uncovered));
        assert!(
            answer.body.starts_with(gap),
            "{uncovered:?}: expected {gap:?} first:\n{}",
            answer.body
        );
        assert!(
            answer.body.contains(closest),
            "{uncovered:?}: no {closest:?}:\n{}",
            answer.body
        );
    }
}

#[test]
fn every_uncovered_aspect_opens_with_its_gap_and_never_with_an_answer() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    for (name, topic, covered) in catalogue() {
        if covered {
            continue;
        }
        for intent in [None, Some(topic)] {
            let answer = one(&composer, ask(intent, &[], &[&name]));
            let first = answer.body.split('\n').next().unwrap_or_default();
            assert!(
                first.starts_with("The article"),
                "{name}: the gap comes first:\n{}",
                answer.body
            );
            assert!(!first.contains('$'), "{name}: no figure before the gap");
        }
    }
}

#[test]
fn a_topic_without_an_aspect_gets_a_short_answer_and_the_card_stays_full() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    for topic in Intent::TOPICS {
        let short = one(&composer, ask(Some(topic), &[], &[]));
        let card = composer.answer(topic);
        assert_eq!(short.title, card.title, "{topic}: same heading");
        assert!(
            short.body.len() + 20 < render_answer(&card).len(),
            "{topic}: the short answer is shorter than the card"
        );
    }
    let salary = one(&composer, ask(Some(Intent::Salary), &[], &[]));
    assert!(salary
        .body
        .starts_with("The median salary in 2015 was $37,110 a year (BLS, 2015)."));
    assert!(salary.body.contains("$40,430"));
    let card = render_answer(&composer.answer(Intent::Salary));
    assert!(
        card.contains("  Median (2015): $37,110 a year — all specialists"),
        "{card}"
    );
    assert!(card.contains("  Average (2015): $40,430 a year — all specialists"));
}

#[test]
fn the_narrower_aspect_leads_when_asked_with_the_broader_one() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    let answer = one(
        &composer,
        ask(
            Some(Intent::Salary),
            &["pay by industry", "highest pay"],
            &[],
        ),
    );
    assert!(
        answer.body.starts_with("The highest average annual wage"),
        "{}",
        answer.body
    );
    assert_eq!(answer.body.matches("$52,940").count(), 2, "{}", answer.body);
    let answer = one(
        &composer,
        ask(
            Some(Intent::Outlook),
            &["job growth", "growth reasons"],
            &[],
        ),
    );
    assert!(
        answer.body.starts_with("The article attributes the growth"),
        "{}",
        answer.body
    );
    assert!(
        answer.fields.is_empty(),
        "two aspects are not the full card"
    );
}

#[test]
fn every_covered_aspect_of_a_topic_at_once_gets_the_full_card() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    let names: Vec<String> = catalogue()
        .into_iter()
        .filter(|(_, topic, covered)| *topic == Intent::Salary && *covered)
        .map(|(name, ..)| name)
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let answer = one(&composer, ask(Some(Intent::Salary), &names, &[]));
    assert_eq!(answer.fields, composer.answer(Intent::Salary).fields);
    assert!(!answer.follow_ups.iter().any(|q| q.contains("How much")));
}

fn stated(value: f64, percent: bool) -> StatedFigure {
    StatedFigure { value, percent }
}

#[test]
fn a_wrong_figure_is_corrected_first_and_a_right_one_confirmed() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    let cases: &[(&str, Intent, StatedFigure, &str)] = &[
        (
            "median pay",
            Intent::Salary,
            stated(40430.0, false),
            "Not quite. The median salary in 2015 was $37,110 a year (BLS, 2015). $40,430 is the average salary in 2015.",
        ),
        (
            "average pay",
            Intent::Salary,
            stated(37110.0, false),
            "Not quite. The average salary in 2015 was $40,430 a year (BLS, 2015). $37,110 is the median salary in 2015.",
        ),
        (
            "median pay",
            Intent::Salary,
            stated(37110.0, false),
            "Yes. The median salary in 2015 was $37,110 a year (BLS, 2015).",
        ),
        (
            "median pay",
            Intent::Salary,
            stated(37000.0, false),
            "Close. The median salary in 2015 was $37,110 a year (BLS, 2015).",
        ),
        (
            "highest pay",
            Intent::Salary,
            stated(43080.0, false),
            "Not quite. The highest average annual wage by industry in 2015 was in professional, scientific and technical services: $52,940 a year (BLS, 2015). $43,080 is the average in general medical and surgical hospitals in 2015.",
        ),
        (
            "job growth",
            Intent::Outlook,
            stated(20.0, true),
            "Not quite. The BLS predicted employment would grow 15% from 2014 to 2024",
        ),
        (
            "job growth",
            Intent::Outlook,
            stated(15.0, true),
            "Yes. The BLS predicted employment would grow 15%",
        ),
    ];
    for (aspect, topic, figure, first) in cases {
        let question = Ask {
            stated: vec![*figure],
            ..ask(Some(*topic), &[aspect], &[])
        };
        let answer = one(&composer, question);
        assert!(
            answer.body.starts_with(first),
            "{aspect} {figure:?}: expected {first:?}:\n{}",
            answer.body
        );
        assert_eq!(
            answer.body.matches("(BLS").count(),
            1,
            "cited once: {}",
            answer.body
        );
    }
    // A wrong figure is never repeated back.
    let question = Ask {
        stated: vec![stated(55000.0, false)],
        ..ask(Some(Intent::Salary), &["median pay"], &[])
    };
    let answer = one(&composer, question);
    assert!(answer.body.starts_with("Not quite."), "{}", answer.body);
    assert!(!answer.body.contains("55"), "{}", answer.body);
}

#[test]
fn questions_are_answered_in_the_askers_order_each_once() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    let answers = composer.reply(&[
        ask(Some(Intent::Salary), &[], &[]),
        ask(Some(Intent::Education), &[], &[]),
        ask(Some(Intent::Salary), &[], &[]),
    ]);
    let titles: Vec<&str> = answers.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["Salary", "Education"]);
}

#[test]
fn another_occupation_is_said_to_be_outside_and_the_rest_still_answered() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    let nurses = Ask {
        other_subject: Some("nurses".into()),
        ..Ask::default()
    };
    let answers = composer.reply(&[ask(Some(Intent::Salary), &[], &[]), nurses.clone()]);
    assert_eq!(answers.len(), 2);
    assert!(answers[0].body.contains("$37,110"));
    assert!(
        answers[1]
            .body
            .contains("I only cover the Health Information Technology Specialist career"),
        "{}",
        answers[1].body
    );
    assert!(answers[1].body.contains("nurses") && !answers[1].body.contains('$'));
    // Only another occupation: still the outside answer, never a figure.
    let alone = one(&composer, nurses);
    assert!(!alone.body.contains('$'));
    // Markup in the name is never repeated back.
    let marked = one(
        &composer,
        Ask {
            other_subject: Some("<@1> **nurses**".into()),
            ..Ask::default()
        },
    );
    assert!(marked.body.contains("that occupation"), "{}", marked.body);
    // A related career the article names: said to be only mentioned.
    let dba = one(
        &composer,
        Ask {
            other_subject: Some("database administrators".into()),
            ..Ask::default()
        },
    );
    assert!(
        dba.body.contains("only as a related career"),
        "{}",
        dba.body
    );
    assert!(!dba.body.contains('$'));
}

#[test]
fn small_talk_gets_a_short_fitting_reply() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    for intent in [
        Intent::Greeting,
        Intent::Help,
        Intent::Thanks,
        Intent::Goodbye,
        Intent::Acknowledgement,
        Intent::Insult,
    ] {
        let answer = one(&composer, ask(Some(intent), &[], &[]));
        assert!(!answer.body.is_empty(), "{intent}");
        assert!(answer.body.len() < 400, "{intent}: {}", answer.body);
        assert!(!answer.body.contains("can't answer"), "{intent}");
        assert!(answer.source.is_none(), "{intent}: no facts, no citation");
    }
}

#[test]
fn the_greeting_gives_the_other_name_the_source_gives() {
    // The article: "also known as health information technicians".
    let article = source_text().to_lowercase();
    // (knowledge file edit, the greeting holds, the greeting lacks)
    let cases = [
        (
            None,
            "(also called a health information technician)",
            "also called a health information technology)",
        ),
        // Without `also_called` the greeting names the title alone,
        // never an alias in its place.
        (
            Some(("also_called = \"health information technician\"", "")),
            "the Health Information Technology Specialist. Ask me",
            "also called",
        ),
    ];
    for (edit, holds, lacks) in cases {
        let mut files = KnowledgeFiles::embedded();
        if let Some((find, replace)) = edit {
            assert!(files.occupation.text.contains(find), "{find}");
            files.occupation.text = files.occupation.text.replace(find, replace);
        }
        let knowledge = Knowledge::from_files(&files).expect("edited knowledge loads");
        if let Some(other) = &knowledge.occupation.also_called {
            assert!(
                article.contains(&format!("also known as {other}")),
                "{other}"
            );
        }
        let composer = Composer::new(&knowledge);
        let greeting = one(&composer, ask(Some(Intent::Greeting), &[], &[]));
        let body = greeting.body.replace('\n', " ");
        assert!(body.contains(holds), "{edit:?}: {body}");
        assert!(!body.contains(lacks), "{edit:?}: {body}");
    }
}

#[test]
fn follow_ups_never_offer_what_was_just_answered() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    let offered = |asks: &[Ask]| -> Vec<String> {
        let answers = composer.reply(asks);
        answers
            .last()
            .map(|a| a.follow_ups.clone())
            .unwrap_or_default()
    };
    let salary = offered(&[ask(Some(Intent::Salary), &[], &[])]);
    assert!(!salary.iter().any(|q| q.contains("How much")), "{salary:?}");
    assert_eq!(
        salary.first().map(String::as_str),
        Some("What degree do I need?")
    );
    let both = offered(&[
        ask(Some(Intent::Salary), &[], &[]),
        ask(Some(Intent::Education), &[], &[]),
    ]);
    assert!(
        !both
            .iter()
            .any(|q| q.contains("How much") || q.contains("What degree")),
        "{both:?}"
    );
    let growth = offered(&[ask(Some(Intent::Outlook), &["job growth"], &[])]);
    assert!(
        !growth
            .iter()
            .any(|q| q.contains("growing?") && q.starts_with("Is")),
        "{growth:?}"
    );
    for topic in Intent::TOPICS {
        let card = composer.answer(topic);
        assert_eq!(card.follow_ups.len(), 3, "{topic}");
    }
}

#[test]
fn off_topic_refusals_stay_short() {
    let bot = CareerBot::from_embedded().expect("loads");
    let reply = bot.reply("what's the weather tomorrow");
    assert_eq!(reply.answers.len(), 1);
    assert!(
        reply.answers[0].body.len() < 200,
        "{}",
        reply.answers[0].body
    );
}

// ---- provenance --------------------------------------------------------

/// Every answer the knowledge can produce: each topic's card and short
/// answer, each aspect (covered and not, with and without its topic), each
/// pay figure and growth rate stated right and wrong, other occupations,
/// small talk, capabilities and sources.
fn every_answer(composer: &Composer<'_>, knowledge: &Knowledge) -> Vec<(String, Answer)> {
    let mut all = Vec::new();
    for intent in Intent::ALL {
        all.push((format!("card {intent}"), composer.answer(intent)));
        for answer in composer.reply(&[ask(Some(intent), &[], &[])]) {
            all.push((format!("short {intent}"), answer));
        }
    }
    for (name, topic, covered) in catalogue() {
        let asks = if covered {
            vec![ask(Some(topic), &[&name], &[])]
        } else {
            vec![ask(Some(topic), &[], &[&name]), ask(None, &[], &[&name])]
        };
        for question in asks {
            for answer in composer.reply(&[question]) {
                all.push((format!("aspect {name}"), answer));
            }
        }
    }
    let mut figures: Vec<StatedFigure> = knowledge
        .occupation
        .pay
        .iter()
        .map(|f| stated(f64::from(f.amount), false))
        .collect();
    figures.extend([
        stated(99999.0, false),
        stated(15.0, true),
        stated(50.0, true),
        stated(20.0, false),
    ]);
    for (name, topic, covered) in catalogue() {
        if !covered || !matches!(topic, Intent::Salary | Intent::Outlook) {
            continue;
        }
        for figure in &figures {
            let question = Ask {
                stated: vec![*figure],
                ..ask(Some(topic), &[&name], &[])
            };
            for answer in composer.reply(&[question]) {
                all.push((format!("correction {name} {figure:?}"), answer));
            }
        }
    }
    for figure in &figures {
        let question = Ask {
            stated: vec![*figure],
            ..ask(Some(Intent::Salary), &[], &[])
        };
        for answer in composer.reply(&[question]) {
            all.push((format!("correction salary {figure:?}"), answer));
        }
    }
    for subject in [
        "nurses",
        "database administrator",
        "health services manager",
    ] {
        let question = Ask {
            other_subject: Some(subject.into()),
            ..Ask::default()
        };
        for answer in composer.reply(&[question]) {
            all.push((format!("other {subject}"), answer));
        }
    }
    all.push((
        "capabilities".into(),
        composer.capabilities(&Intent::TOPICS),
    ));
    all.push(("sources".into(), composer.sources()));
    all
}

/// Claims the source does not make, in any answer.
const BEYOND_THE_SOURCE: &[&str] = &[
    "up to $",
    "likely higher",
    "legally",
    "not required",
    "no, but",
    "faster than the average for all",
    "needs more medical care",
    "national",
    "at least",
    "more than $",
];

/// Qualifiers an answer may use only if the source uses them too.
const QUALIFIERS: &[&str] = &[
    "median",
    "average",
    "highest",
    "majority",
    "preferred",
    "prefer",
    "commonly",
    "usually",
    "generally",
    "higher-than-average",
    "some",
    "most",
    "predicted",
];

#[test]
fn every_answer_states_only_numbers_dates_and_qualifiers_from_the_source() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    let source = source_text();
    let source_lower = source.to_lowercase();
    let known: BTreeSet<String> = provenance::figures_in(&source).into_iter().collect();
    let paragraphs: Vec<BTreeSet<String>> = source
        .split("\n\n")
        .map(|p| provenance::figures_in(p).into_iter().collect())
        .collect();
    let answers = every_answer(&composer, &knowledge);
    assert!(answers.len() > 100, "{} answers", answers.len());
    for (what, answer) in &answers {
        let text = render_answer(answer) + answer.source.as_deref().unwrap_or_default();
        let lower = text.to_lowercase();
        for figure in provenance::figures_in(&text) {
            assert!(
                known.contains(&figure),
                "{what}: {figure} is not in the source:\n{text}"
            );
        }
        // Dates: each sentence's years appear in the source with its figures.
        for sentence in text.split(['\n', '.']) {
            let numbers = provenance::figures_in(sentence);
            let years: Vec<&String> = numbers
                .iter()
                .filter(|n| n.len() == 4 && n.starts_with("20"))
                .collect();
            let amounts: Vec<&String> = numbers.iter().filter(|n| !years.contains(n)).collect();
            for amount in amounts.iter().filter(|a| a.len() >= 2) {
                assert!(
                    paragraphs
                        .iter()
                        .any(|p| p.contains(*amount) && years.iter().all(|y| p.contains(*y))),
                    "{what}: {amount} with {years:?} is not dated so in the source: {sentence:?}"
                );
            }
        }
        for claim in BEYOND_THE_SOURCE {
            assert!(!lower.contains(claim), "{what}: says {claim:?}:\n{text}");
        }
        for qualifier in QUALIFIERS {
            if lower.contains(qualifier) {
                assert!(
                    source_lower.contains(qualifier),
                    "{what}: {qualifier:?} is not the source's"
                );
            }
        }
    }
}

#[test]
fn citations_are_exact_once_per_answer_and_never_a_date_the_source_lacks() {
    let knowledge = knowledge();
    let composer = Composer::new(&knowledge);
    let allowed = [
        "BLS, 2015",
        "BLS projection, 2014–2024",
        "BLS",
        "source article",
    ];
    for (what, answer) in every_answer(&composer, &knowledge) {
        for cited in cited_sources(&answer) {
            assert!(allowed.contains(&cited.as_str()), "{what}: cites {cited:?}");
            let inline = format!("({cited})");
            let text = render_answer(&answer);
            assert_eq!(
                text.matches(&inline).count(),
                1,
                "{what}: {inline} once:\n{text}"
            );
        }
        // Pay figures carry their year; nothing else does.
        let has_pay = answer.body.contains('$');
        assert_eq!(
            answer.body.contains("(BLS, 2015)"),
            has_pay,
            "{what}:\n{}",
            answer.body
        );
        assert!(!answer.body.contains("2015 data"), "{what}");
    }
    // Education, duties, workplace and related careers are the article's own.
    for topic in [
        Intent::Education,
        Intent::Duties,
        Intent::Workplace,
        Intent::Overview,
        Intent::Alternatives,
    ] {
        let card = composer.answer(topic);
        assert_eq!(cited_sources(&card), ["source article"], "{topic}");
    }
    assert_eq!(
        cited_sources(&composer.answer(Intent::Outlook)),
        ["BLS projection, 2014–2024", "source article"]
    );
    assert_eq!(
        cited_sources(&composer.answer(Intent::Certification)),
        ["source article", "BLS"]
    );
}

#[test]
fn a_dated_citation_with_a_year_the_source_lacks_fails_the_check() {
    let files = KnowledgeFiles::embedded();
    let knowledge = Knowledge::from_files(&files).expect("loads");
    let figures = provenance::dated_figures(&knowledge.occupation);
    assert_eq!(figures.len(), knowledge.occupation.pay.len() + 1);
    let report = provenance::check_dated(&figures, &files.documents[0].text);
    assert!(report.is_clean(), "{:?}", report.unmatched);
    // 2014 is in the source, but not with the median.
    let mut edited = files.clone();
    edited.occupation.text = edited
        .occupation
        .text
        .replacen("year = 2015", "year = 2014", 1);
    let knowledge = Knowledge::from_files(&edited).expect("still loads");
    let figures = provenance::dated_figures(&knowledge.occupation);
    let report = provenance::check_dated(&figures, &files.documents[0].text);
    assert_eq!(report.unmatched.len(), 1, "{:?}", report.unmatched);
    assert_eq!(report.unmatched[0].figure, "37110");
}

// ---- text -----------------------------------------------------------------

#[test]
fn terminal_text_wraps_to_the_width_between_words() {
    let bot = CareerBot::from_embedded().expect("loads");
    for intent in Intent::ALL {
        let reply = career_bot::answer::Reply {
            intents: vec![intent],
            kind: career_bot::ReplyKind::Answered,
            answers: vec![bot.answer(intent)],
        };
        for width in [40, 80] {
            let text = render_reply_wrapped(&reply, width);
            for line in text.lines() {
                assert!(
                    line.chars().count() <= width,
                    "{intent} at {width}: {line:?}"
                );
            }
            let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
            assert_eq!(
                words(&text),
                words(&career_bot::answer::text::render_reply(&reply)),
                "{intent}: wrapping keeps every word whole"
            );
        }
    }
}
