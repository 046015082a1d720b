//! Stage 6, decide: from the classifier's readings of a question, its
//! clauses and the sentences around it, and the guard rails' findings,
//! which topics each question asks, which aspects and gaps, and what to
//! suggest when nothing is sure; then the message's questions combined in
//! the asker's order.
//!
//! A part of [`Engine`]: it reads the thresholds and the helpers of the
//! engine's module and touches nothing outside the engine. Pure.

use super::*;

impl Engine {
    /// Reads one sentence of a message: its topics (from the whole
    /// sentence or its clauses), aspects and gaps, its subject, the figures
    /// it states and what to suggest, with the trace `--explain` prints.
    pub(super) fn read_sentence(
        &self,
        sentence: &Sentence,
        message: &MessageContext,
        budget: &mut TypoBudget,
    ) -> (SentenceVerdict, QuestionTrace) {
        let words = self.read_words(&sentence.words, budget);
        let text = join_read(&words);
        let mut whole = self.read(&words);
        // "what does a health IT specialist actually make": the subject
        // check is the precise guard for other occupations. A question
        // that names this career as the last occupation it names, and as
        // its subject, is about this career, whatever the classifier
        // learnt from "what does a <who> make" asked of others.
        let names_this_career = self.guards.names_this_career(&text);
        let set_aside = names_this_career
            && self.guards.last_mention(&text) == Some(Subject::ThisCareer)
            && self.guards.subject(&text) == Subject::ThisCareer
            && self.probability(&whole, ExampleLabel::OtherOccupation) >= SUGGEST;
        if set_aside {
            whole.set_aside(self.label_index(ExampleLabel::OtherOccupation));
        }
        let mut trace = QuestionTrace {
            text: text.clone(),
            corrections: words
                .iter()
                .filter(|w| w.typed != w.read)
                .map(|w| (w.typed.clone(), w.read.clone()))
                .collect(),
            top: whole
                .ranked
                .iter()
                .take(3)
                .map(|&(l, p)| (self.label(l), p))
                .collect(),
            ..QuestionTrace::default()
        };
        if set_aside {
            trace.guard_rails.push(
                "names this career as its subject: another occupation's reading set aside".into(),
            );
        }
        let mut verdict = SentenceVerdict::default();

        // (clause text, taken label) for every part read.
        let mut parts: Vec<(String, Option<ExampleLabel>)> = Vec::new();
        // Each clause's best label and its probability, taken or not.
        let mut clause_leads: Vec<(ExampleLabel, f32)> = Vec::new();
        let mut has_context = self.guards.has_career_context(&text);
        if !has_context {
            if let Some(taught) = self.taught_match(&text, self.label(whole.best().0)) {
                has_context = true;
                trace
                    .guard_rails
                    .push(format!("close to an example counselors taught as {taught}"));
            }
        }
        // Clauses keep the stricter bar unless the question itself shows
        // context: background naming the career says what the question is
        // about, not that every fragment of it asks something.
        let clause_context = has_context;
        if !has_context && message.names_career {
            has_context = true;
            trace
                .guard_rails
                .push("the message names the career in another sentence".into());
        }
        // "1. whats the salary 2. how long is school": a question before
        // it sure of a topic of the career shows what the message is about.
        // One that points back ("is that needed", "what is that even")
        // asks about what it points to, which that question does not show.
        let points_to_something = questions::only_points(&sentence.words)
            || sentence
                .words
                .iter()
                .any(|w| matches!(w.as_str(), "that" | "those" | "these"));
        if !has_context && message.sure_topic_before && !points_to_something {
            has_context = true;
            trace
                .guard_rails
                .push("a question before it was sure of a topic of the career".into());
        }
        // A question that names this career says what it is about: a
        // topic clearly ahead of the rest needs a lower bar ("if i went
        // into health IT would i make noticeably more").
        let accept = if names_this_career
            && self
                .label(whole.best().0)
                .intent()
                .is_some_and(Intent::is_topic)
        {
            NAMED_ACCEPT
        } else {
            ACCEPT
        };
        let whole_label = self
            .take_whole(&text, &whole, accept)
            .map(|l| self.label(l))
            .filter(|label| {
                has_context
                    || !label.intent().is_some_and(Intent::is_topic)
                    || clear_of_everyday(
                        self.probability(&whole, *label),
                        self.probability(&whole, ExampleLabel::OffTopic),
                    )
            });
        if !has_context {
            trace
                .guard_rails
                .push("no career context: a topic needs a clear lead".into());
        }
        if sentence.clauses.len() > 1 {
            let readings: Vec<(String, Reading)> = (0..sentence.clauses.len())
                .map(|clause| {
                    let clause_words = self.read_words(sentence.clause_words(clause), budget);
                    (join_read(&clause_words), self.read(&clause_words))
                })
                .collect();
            // A clause sure of a career topic ("how much do you make
            // after") shows what its sibling clauses are about: "how long
            // is school" beside it is held to the bar of a question about
            // the career.
            let sure_topic_at: Vec<bool> = readings
                .iter()
                .map(|(_, reading)| {
                    let (best, p) = reading.best();
                    p >= SURE_SIBLING && self.label(best).intent().is_some_and(Intent::is_topic)
                })
                .collect();
            let sure_count = sure_topic_at.iter().filter(|&&sure| sure).count();
            let topic_led: Vec<bool> = readings
                .iter()
                .map(|(_, reading)| {
                    self.label(reading.best().0)
                        .intent()
                        .is_some_and(Intent::is_topic)
                })
                .collect();
            let mut in_example = false;
            let mut in_condition = false;
            for (clause, (clause_text, reading)) in readings.into_iter().enumerate() {
                let (best, p) = reading.best();
                let sibling_context = sure_count > usize::from(sure_topic_at[clause]);
                clause_leads.push((self.label(best), p));
                trace
                    .clauses
                    .push((clause_text.clone(), self.label(best), p));
                // A clause of a question about a career is held to the bar a
                // whole question is; without that sign, a topic is held to a
                // higher one (small talk needs no career context).
                let small_talk = self.label(best).intent().is_some_and(|i| !i.is_topic());
                let accept = if clause_context || small_talk || sibling_context {
                    ACCEPT
                } else {
                    CLAUSE_ACCEPT
                };
                // A clause that only names the career ("so for health IT,
                // how long ...") sets up the questions after it: it asks
                // what the career is only when it asks something itself.
                // A clause that tells ("i know they work in hospitals, but
                // do they wear scrubs") is background within the question.
                let words = sentence.clause_words(clause);
                // What the clause before leans to, taken or not (a
                // condition's is not taken: "if i get a bachelors instead,
                // is that worth it").
                let previous_lead = clause
                    .checked_sub(1)
                    .and_then(|before| clause_leads.get(before))
                    .map(|&(label, _)| label);
                // "is there a way to make more, like working for other
                // employers or getting more school": examples of what the
                // clause before asked of a topic, with the "or" items that
                // go on them, ask nothing of their own ("what does it take,
                // like degree wise" spells out a question that named no
                // topic); nor does one more thing the writer likes ("if i
                // like health + computers").
                let example = clause > 0
                    && ((questions::gives_example(words)
                        && previous_lead
                            .and_then(|l| l.intent())
                            .is_some_and(Intent::is_topic))
                        || (in_example
                            && sentence.opened_by_or.contains(&clause)
                            && !questions::holds_question_word(words)));
                in_example = example;
                let liked_item = clause > 0
                    && !sentence.opened_by_or.contains(&clause)
                    && questions::continues_what_is_liked(sentence.clause_words(clause - 1), words);
                // "how do you balance work | school": a bare word or two
                // after a clause that asked nothing of the career goes on
                // that clause, when no other clause leads to a topic (in
                // "we need: | salary | where they work" the items are a
                // list); the sentence as a whole says what it asks.
                let bare_after_nothing = clause > 0
                    && !topic_led
                        .iter()
                        .enumerate()
                        .any(|(other, &led)| other != clause && led)
                    && words.len() <= MAX_BARE_WORDS
                    && !questions::holds_question_word(words)
                    && !questions::words_ask(words)
                    && matches!(
                        previous_lead,
                        Some(ExampleLabel::OffTopic | ExampleLabel::Uncovered)
                    );
                // A condition sets up what follows when it opens the
                // sentence, or follows only clauses that asked nothing
                // ("follow up question: after i finish the degree, what
                // cert should i get"); after a question ("how long is it,
                // and if i need a cert") it reports one. The clauses that
                // go on with it ("if i did the degree, got certified, and
                // worked at a hospital, what would i make") set it up too.
                let condition = (questions::sets_condition(words)
                    || (in_condition && questions::continues_condition(words)))
                    && parts.iter().all(|(_, before)| {
                        !before
                            .and_then(|l| l.intent())
                            .is_some_and(Intent::is_topic)
                    });
                in_condition = condition;
                let taken = reading
                    .taken(accept)
                    .map(|l| self.label(l))
                    // "whats the job, and is it growing": asked as what
                    // the job is, the clause asks the overview.
                    .or_else(|| {
                        questions::asks_what_it_is(words)
                            .then_some(ExampleLabel::Intent(Intent::Overview))
                    })
                    .filter(|_| !example && !liked_item)
                    // "is it basically help desk but for hospitals": a
                    // place after a question narrows it; it does not ask
                    // where they work. ("and in demand?" still asks.)
                    .filter(|&l| {
                        !(l == ExampleLabel::Intent(Intent::Workplace)
                            && previous_lead
                                .and_then(|l| l.intent())
                                .is_some_and(Intent::is_topic)
                            && questions::only_narrows(words))
                    })
                    .filter(|&l| !(bare_after_nothing && l.intent().is_some_and(Intent::is_topic)))
                    .filter(|&l| {
                        l != ExampleLabel::Intent(Intent::Overview) || questions::words_ask(words)
                    })
                    .filter(|_| !questions::tells(words))
                    .filter(|_| !questions::announces_questions(words))
                    .filter(|_| !condition)
                    // "masters in health it, is that even a thing", "is
                    // that true, is demand growing": a clause that checks
                    // what was said asks nothing of its own.
                    .filter(|_| !questions::checks_claim(words))
                    // "do they need a cert, and do employers actually care
                    // about that": what employers want of the credential
                    // or schooling just asked about, not where they work.
                    .filter(|&l| {
                        !(l == ExampleLabel::Intent(Intent::Workplace)
                            && matches!(
                                previous_lead,
                                Some(ExampleLabel::Intent(
                                    Intent::Education | Intent::Certification
                                ))
                            )
                            && questions::asks_what_employers_want(words))
                    })
                    .filter(|_| {
                        !(sentence.opened_by_or.contains(&clause)
                            && questions::offers_other_answer(words))
                    })
                    // "if i get a bachelors instead, is that worth it":
                    // weighing what the clause before asked about (the
                    // schooling, the credential) is not asking about the
                    // career.
                    .filter(|&l| {
                        !(clause > 0
                            && l == ExampleLabel::Intent(Intent::Overview)
                            && questions::weighs_what_it_points_to(words)
                            && matches!(
                                previous_lead,
                                Some(ExampleLabel::Intent(
                                    Intent::Education | Intent::Certification
                                ))
                            ))
                    })
                    // "what would i learn in the program, and is it a lot
                    // of computer stuff": "it" is the program the clause
                    // before asked about, not the job.
                    .filter(|&l| {
                        !(clause > 0
                            && matches!(l, ExampleLabel::Intent(Intent::Duties | Intent::Overview))
                            && questions::asks_of_it(words)
                            && previous_lead == Some(ExampleLabel::Intent(Intent::Education))
                            && questions::names_studies(sentence.clause_words(clause - 1)))
                    })
                    // A clause's own topic that the whole question gives
                    // no weight stands only if the clause is sure of it:
                    // "is certification something employers care about, or
                    // is experience enough" asks one thing twice over.
                    // A question of its own beside a sure one ("what is it
                    // and is it in demand") needs no such support.
                    .filter(|&l| {
                        !l.intent().is_some_and(Intent::is_topic)
                            || (sibling_context && questions::opens_with_wh(words))
                            || clause_topic_stands(p, self.probability(&whole, l))
                    });
                parts.push((clause_text, taken));
            }
        }
        let clause_topics: Vec<Intent> = parts
            .iter()
            .filter_map(|(_, label)| label.and_then(|l| l.intent()))
            .filter(|i| i.is_topic())
            .collect();
        // The whole sentence decides, unless its clauses clearly ask more
        // than one topic, or it found none and a clause did.
        let mut distinct = clause_topics.clone();
        distinct.dedup();
        // A sentence read as about another occupation, with a clause that
        // names it ("for the hygienist, what does that pay"), is about that
        // occupation: the clause asking the pay asks it of them. The
        // clause's lead counts, sure or not, if the classifier gives it
        // at least the weight of a suggestion.
        let names_other_in_a_clause = whole_label == Some(ExampleLabel::OtherOccupation)
            && clause_leads
                .iter()
                .any(|&(label, p)| label == ExampleLabel::OtherOccupation && p >= SUGGEST);
        let use_clauses = match whole_label.and_then(|l| l.intent()) {
            _ if names_other_in_a_clause => false,
            Some(topic) if topic.is_topic() => {
                // One clause topic other than the whole question's replaces
                // it when a clause clearly leads to the whole's topic but
                // did not ask it (a condition: "if i finish the degree,
                // what would i make"), or when that clause is at least as
                // sure of its topic as the whole is of its own: "my
                // question is about what they do on the tech side, like
                // are they setting up servers" stays the duties.
                let whole_p = self.probability(&whole, ExampleLabel::Intent(topic));
                let set_up_by_a_clause = clause_leads
                    .iter()
                    .any(|&(label, p)| label.intent() == Some(topic) && p >= ACCEPT);
                let surer_clause = |other: Intent| {
                    set_up_by_a_clause
                        || clause_leads
                            .iter()
                            .any(|&(label, p)| label.intent() == Some(other) && p >= whole_p)
                };
                distinct.len() >= 2
                    || matches!(distinct[..], [other] if other != topic && surer_clause(other))
            }
            // Small talk in the clauses ("hey | what can you do") is taken
            // when it says more than the whole sentence did.
            _ => {
                let clause_small_talk = parts
                    .iter()
                    .filter_map(|(_, label)| label.and_then(|l| l.intent()))
                    .filter(|i| !i.is_topic())
                    .count();
                let whole_small_talk = usize::from(whole_label.is_some());
                !distinct.is_empty() || clause_small_talk > whole_small_talk
            }
        };
        if !use_clauses {
            parts = vec![(text.clone(), whole_label)];
        } else {
            drop_lead_in_to_a_list(&mut parts);
        }

        let stated_words: Vec<&str> = words.iter().map(|w| w.read.as_str()).collect();
        let stated = guards::stated_figures(&stated_words);

        // Whom a part that names nobody is about: "they" stands for an
        // occupation named before it in the question; otherwise the
        // occupation named last before the part, in this question or the
        // sentences before it ("what do pharmacists do and how long is
        // school"). Unnamed, it is this career.
        let pronoun_antecedent = if names_this_career {
            None
        } else {
            self.guards.antecedent(&text)
        };
        let mut running = message.earlier_subject.clone();
        // "is that true everywhere, or just at her hospital": the place
        // says where the claim is checked; an aspect it names asks nothing.
        let opens_with_claim_check =
            sentence.clauses.len() > 1 && questions::checks_claim(sentence.clause_words(0));
        // Topics of clauses that ask on their own, in a question of several.
        let mut asked_on_their_own: Vec<Intent> = Vec::new();
        // Whether a part read as the workplace asks about places ("where do
        // they work", "what kinds of places hire them").
        let mut asks_about_places = false;
        // Whether a part read as the duties asks them of careers pointed
        // at ("what does each one involve", "what does that job involve").
        let mut duties_of_others = false;
        // The same for the schooling ("do they all need a bachelor's").
        let mut schooling_of_others = false;
        for (part_text, label) in &parts {
            let label = label.or_else(|| {
                self.aspect_lead(
                    part_text,
                    &whole,
                    message.names_career,
                    opens_with_claim_check,
                    &mut trace,
                )
            });
            let label = self.gap_with_topic(part_text, label, has_context, &mut trace);
            let inherited = if Guards::has_people_pronoun(part_text) {
                pronoun_antecedent.clone().or_else(|| running.clone())
            } else {
                running.clone()
            };
            let inherited = inherited.filter(|_| {
                // A comparison asks about this career beside the other, in
                // a message that names this career at all.
                !(message.names_career && Guards::compares(part_text))
            });
            let part = self.read_part(part_text, label, &whole, inherited.as_ref(), &mut trace);
            // Only a part that asks names whom what follows is about: a
            // bare occupation in a list ("26, bartender, no degree") is
            // the writer's own.
            let part_words: Vec<&str> = part_text.split(' ').collect();
            let part_asks = questions::words_ask(&part_words);
            if part_asks && parts.len() > 1 {
                asked_on_their_own.extend(part.topics.iter().copied());
            }
            asks_about_places |= part.topics.contains(&Intent::Workplace)
                && questions::holds_question_word(&part_words);
            // "list related careers and explain what they do": "they"
            // after a part asking the related careers are those careers.
            duties_of_others |= part.topics.contains(&Intent::Duties)
                && !self.guards.says_this_career(part_text)
                && (Guards::points_to_several(part_text)
                    || (verdict.topics.contains(&Intent::Alternatives)
                        && Guards::has_people_pronoun(part_text)));
            // "what other careers are there, and do those need more
            // school": their schooling, which their answer gives.
            schooling_of_others |= part.topics.contains(&Intent::Education)
                && !self.guards.says_this_career(part_text)
                && !Guards::asks_to_choose(part_text)
                && Guards::points_to_others(part_text);
            verdict.merge(part);
            if part_asks {
                if let Some(mention) = self.guards.last_mention(part_text) {
                    running = (mention != Subject::ThisCareer).then_some(mention);
                }
            }
        }
        // An aspect asked that takes in another topic ("which employers pay
        // the most" names places to ask the pay) leaves that topic out,
        // unless a clause asks it on its own ("where can i work, and which
        // place pays best").
        let included: Vec<Intent> = verdict
            .aspects
            .values()
            .flat_map(|(covered, _)| covered)
            .filter_map(|name| self.aspects.get(name))
            .flat_map(|aspect| aspect.includes.iter().copied())
            .collect();
        for topic in included {
            if verdict.topics.contains(&topic) && !asked_on_their_own.contains(&topic) {
                trace.guard_rails.push(format!(
                    "{} asked only as part of another topic",
                    topic.name()
                ));
                verdict.topics.retain(|t| *t != topic);
                verdict.aspects.remove(&topic);
            }
        }

        // "are there careers like it that are still in a medical setting
        // but more office based?": in a question about other careers, the
        // setting named is what those careers should offer, not a question
        // about where this one works; a part that asks about places ("where
        // do they work, and what are similar careers") still asks it.
        if parts.len() > 1
            && verdict.topics.contains(&Intent::Alternatives)
            && verdict.topics.contains(&Intent::Workplace)
            && !asks_about_places
        {
            trace
                .guard_rails
                .push("a setting wanted of other careers: not where this one works".into());
            verdict.topics.retain(|t| *t != Intent::Workplace);
            verdict.aspects.remove(&Intent::Workplace);
        }

        // "what careers are similar, and what does each one involve": the
        // work of the related careers is what their answer describes, not
        // this career's duties.
        if verdict.topics.contains(&Intent::Alternatives)
            && verdict.topics.contains(&Intent::Duties)
            && duties_of_others
        {
            trace
                .guard_rails
                .push("the work of the related careers: not this one's duties".into());
            verdict.topics.retain(|t| *t != Intent::Duties);
            verdict.aspects.remove(&Intent::Duties);
        }
        if verdict.topics.contains(&Intent::Alternatives)
            && verdict.topics.contains(&Intent::Education)
            && schooling_of_others
        {
            trace
                .guard_rails
                .push("the schooling of the related careers: not this one's".into());
            verdict.topics.retain(|t| *t != Intent::Education);
            verdict.aspects.remove(&Intent::Education);
        }

        // "health IT vs database admin": a comparison of this career with a
        // related career the source describes, that nothing else read,
        // asks about that related career.
        // (A part naming only the related career may have been read as
        // another occupation: the comparison says it is the related one.)
        if verdict.topics.is_empty()
            && verdict.small_talk.is_empty()
            && verdict.uncovered_alone.is_empty()
            && ((Guards::compares(&text)
                && self.guards.alternative_in(&text).is_some()
                && (self.guards.says_this_career(&text) || text.split(' ').any(|w| w == "this")))
                // "I'm torn between this and DBA. What's the difference
                // between the two?": the two were named before.
                || (message.names_career
                    && message.names_alternative
                    && Guards::asks_to_choose(&text)
                    && Guards::points_to_several(&text)))
        {
            trace
                .guard_rails
                .push("compares this career with a related one".into());
            verdict.off_scope = false;
            verdict.other_subject = None;
            verdict.topics.push(Intent::Alternatives);
        }
        // "health IT or database admin, which one needs more school": a
        // choice between this career and a related one the source
        // describes asks about the related one too.
        if !verdict.topics.is_empty()
            && !verdict.topics.contains(&Intent::Alternatives)
            && message.names_career
            && message.names_alternative
            && Guards::asks_to_choose(&text)
        {
            trace
                .guard_rails
                .push("a choice between this career and a related one".into());
            verdict.topics.push(Intent::Alternatives);
        }
        // "thx that makes sense": thanks and an acknowledgement, neither
        // clear alone, both small talk; together they are clear.
        if verdict.topics.is_empty() && verdict.small_talk.is_empty() && !verdict.off_scope {
            let small_talk: Vec<Intent> = whole
                .ranked
                .iter()
                .take(2)
                .filter_map(|&(l, _)| self.label(l).intent())
                .filter(|i| !i.is_topic())
                .collect();
            let together: f32 = whole.ranked.iter().take(2).map(|r| r.1).sum();
            if small_talk.len() == 2 && together >= SMALL_TALK_TOGETHER {
                trace
                    .guard_rails
                    .push("two kinds of small talk, clear together".into());
                verdict.small_talk = small_talk;
            }
        }
        if verdict.topics.is_empty() && verdict.small_talk.is_empty() && !verdict.off_scope {
            verdict.near = whole
                .ranked
                .iter()
                .take(2)
                .filter(|&&(_, p)| p >= SUGGEST)
                .filter_map(|&(l, _)| self.label(l).intent())
                .filter(|i| i.is_topic())
                .collect();
        }
        trace.decision = describe(&verdict, &stated);
        verdict.aspects.values_mut().for_each(|(c, u)| {
            dedup_keep_order(c);
            dedup_keep_order(u);
        });
        dedup_keep_order(&mut verdict.uncovered_alone);
        verdict.stated = stated;
        verdict.best = whole.best().1;
        // A yes/no question on what the career is like ("is that what they
        // do?", "someone told me it's kind of both??", "could i switch to
        // it?") that the classifier reads only weakly as the overview or
        // related careers sets up the message's other questions rather
        // than asking a topic of its own; one asking for a judgement ("is
        // it a reasonable choice for me?") asks the overview.
        verdict.tentative = !use_clauses
            && whole.best().1 < TENTATIVE_BELOW
            && verdict
                .topics
                .iter()
                .all(|t| matches!(t, Intent::Overview | Intent::Alternatives))
            && !questions::opens_with_question_word(&sentence.words)
            && !questions::judges(&sentence.words);
        // "I'm curious about the HIT field." before the questions it leads
        // to: an interest stated, not a question of its own, unless it is
        // all the message asks.
        // "I'm curious if it's a good fit for me" asks for a judgement.
        let states_interest = !sentence.question_mark
            && verdict.topics == [Intent::Overview]
            && !questions::opens_with_question_word(&sentence.words)
            && questions::states_interest(&sentence.words)
            && !questions::judges(&sentence.words);
        verdict.tentative |= states_interest;
        if verdict.tentative && !verdict.topics.is_empty() {
            trace.guard_rails.push(
                "a weak yes/no question: its topic stands only if no other question asks one"
                    .into(),
            );
        }
        (verdict, trace)
    }

    /// The topic a part asks when the classifier took nothing: pay for an
    /// amount of money stated in a question about the career (when pay
    /// has at least [`FIGURE_LEAD`]: "is 40k normal for this job"), growth
    /// for a percentage (at least [`SUGGEST`]); otherwise a topic the
    /// classifier leaned to (at least [`SUGGEST`]) that a covered aspect's
    /// pattern names too, in a part about a career or stating a figure: "so
    /// the median is 40,430 right?".
    fn aspect_lead(
        &self,
        part_text: &str,
        whole: &Reading,
        message_names_career: bool,
        opens_with_claim_check: bool,
        trace: &mut QuestionTrace,
    ) -> Option<ExampleLabel> {
        // A figure stated in a question about the career says what it asks:
        // an amount of money is about pay ("is 40k normal for this job"), a
        // percentage about growth, when the classifier leans that way at all.
        let words: Vec<&str> = part_text.split(' ').collect();
        let figures = guards::stated_figures(&words);
        if !figures.is_empty() && self.guards.has_career_context(part_text) {
            // A percentage says less ("is it 100% online"): it needs the
            // bar of a suggestion.
            let (topic, bar) = if figures.iter().any(|f| !f.percent) {
                (Intent::Salary, FIGURE_LEAD)
            } else {
                (Intent::Outlook, SUGGEST)
            };
            if self.probability(whole, ExampleLabel::Intent(topic)) >= bar {
                trace
                    .guard_rails
                    .push(format!("a stated figure points to {topic}"));
                return Some(ExampleLabel::Intent(topic));
            }
        }
        // "is it like 40k a year?", "is 40k normal for this": an amount
        // a year or an hour (or one that size), asked of "it" or "they"
        // with no one else named, checks this career's pay when the
        // classifier takes it for pay.
        let money = figures.iter().any(|f| !f.percent);
        let pay_amount = figures
            .iter()
            .any(|f| !f.percent && f.value >= YEARLY_PAY_AT_LEAST)
            || (money && words.iter().any(|w| PAY_PERIODS.contains(w)));
        let pay_check = pay_amount
            && words
                .iter()
                .any(|w| matches!(*w, "it" | "they" | "this" | "that"))
            && !matches!(self.guards.last_mention(part_text), Some(Subject::Other(_)))
            && best_topic(whole, &self.labels) == Some(Intent::Salary)
            && self.probability(whole, ExampleLabel::Intent(Intent::Salary)) >= SUGGEST;
        if pay_check {
            trace
                .guard_rails
                .push("an amount of pay checked: the pay".into());
            return Some(ExampleLabel::Intent(Intent::Salary));
        }
        let (best, p) = whole
            .ranked
            .iter()
            .copied()
            .find(|&(l, _)| self.label(l).intent().is_some_and(Intent::is_topic))?;
        let topic = self.label(best).intent()?;
        // Everyday requests use these words too ("my average bill"): the
        // lead needs a sign the question is about a career (in it, or in
        // the message: "they have a health IT program. whats the normal
        // program length?"), or a figure.
        let grounded = self.guards.has_career_context(part_text)
            || message_names_career
            || !figures.is_empty();
        if p < SUGGEST || !grounded || opens_with_claim_check {
            return None;
        }
        let named = self.aspects.matching(part_text).into_iter().any(|i| {
            let aspect = &self.aspects.aspects[i];
            aspect.topic == topic && aspect.covered
        });
        named.then(|| {
            trace.guard_rails.push(format!(
                "an aspect of {topic} confirms the classifier's lead"
            ));
            ExampleLabel::Intent(topic)
        })
    }

    /// The topic of a question the classifier read as asking something the
    /// source does not cover, when that gap asks its topic (`asks_topic`):
    /// "will AI replace them" gets the outlook, with the note that the
    /// source does not discuss automation. Only in a message about the
    /// career: "ai, call me deb" asks no outlook.
    fn gap_with_topic(
        &self,
        part_text: &str,
        label: Option<ExampleLabel>,
        has_context: bool,
        trace: &mut QuestionTrace,
    ) -> Option<ExampleLabel> {
        if label != Some(ExampleLabel::Uncovered) || !has_context {
            return label;
        }
        let matched = self.aspects.matching(part_text);
        let gaps: Vec<&Aspect> = matched
            .iter()
            .map(|&i| &self.aspects.aspects[i])
            .filter(|a| !a.covered)
            .collect();
        // Every gap named must ask the same topic: "will AI replace them,
        // and can I work from home" stays a gap.
        let Some(topic) = gaps.first().map(|a| a.topic) else {
            return label;
        };
        if gaps.iter().all(|a| a.asks_topic && a.topic == topic) {
            trace
                .guard_rails
                .push(format!("a gap the {topic} answer still meets, with a note"));
            return Some(ExampleLabel::Intent(topic));
        }
        label
    }

    /// What one part of a question (the whole sentence, or a clause) asks,
    /// after the guard rails: aspects, and the part's subject. A part that
    /// names nobody (or only "they") is about `inherited`, the occupation
    /// named before it, when that is not this career.
    fn read_part(
        &self,
        part_text: &str,
        label: Option<ExampleLabel>,
        whole: &Reading,
        inherited: Option<&Subject>,
        trace: &mut QuestionTrace,
    ) -> SentenceVerdict {
        let matched = self.aspects.matching(part_text);
        let mut subject = self.guards.subject(part_text);
        if subject == Subject::ThisCareer && !self.guards.says_this_career(part_text) {
            if let Some(named) = inherited {
                trace
                    .guard_rails
                    .push("about the occupation named before it".into());
                subject = named.clone();
            }
        }
        match &subject {
            Subject::ThisCareer => {}
            Subject::Alternative(title) => trace
                .guard_rails
                .push(format!("subject: the related career {title:?}")),
            Subject::Other(name) => trace
                .guard_rails
                .push(format!("subject: another occupation ({name})")),
        }
        let mut verdict = SentenceVerdict::default();
        {
            match label {
                Some(ExampleLabel::Intent(intent)) if intent.is_topic() => {
                    let mut covered = Vec::new();
                    let mut uncovered = Vec::new();
                    let mut drop_topic = false;
                    for &index in &matched {
                        let aspect = &self.aspects.aspects[index];
                        if aspect.topic != intent {
                            continue;
                        }
                        trace.guard_rails.push(format!(
                            "aspect: {} ({})",
                            aspect.name,
                            cover_word(aspect.covered)
                        ));
                        if aspect.covered {
                            covered.push(aspect.name.clone());
                        } else {
                            uncovered.push(aspect.name.clone());
                            drop_topic |= !aspect.keeps_topic;
                        }
                    }
                    // A topic is dropped only when every aspect asked of it is
                    // one the source cannot answer.
                    if drop_topic && covered.is_empty() {
                        verdict.uncovered_alone.extend(uncovered);
                    } else {
                        verdict.topics.push(intent);
                        let entry = verdict.aspects.entry(intent).or_default();
                        entry.0.extend(covered);
                        entry.1.extend(uncovered);
                    }
                }
                Some(ExampleLabel::Intent(intent)) => verdict.small_talk.push(intent),
                Some(ExampleLabel::Uncovered) => {
                    let names: Vec<String> = matched
                        .iter()
                        .map(|&i| &self.aspects.aspects[i])
                        .filter(|a| !a.covered)
                        .map(|a| a.name.clone())
                        .collect();
                    for name in &names {
                        trace
                            .guard_rails
                            .push(format!("aspect: {name} (not in the source)"));
                    }
                    verdict.uncovered_alone.extend(names);
                    verdict.off_scope = true;
                }
                Some(ExampleLabel::OtherOccupation)
                    if matches!(subject, Subject::Alternative(_)) =>
                {
                    // A related career asked about: its topic is the best
                    // topic the classifier saw (pay, outlook, or the rest).
                    if let Some(topic) = best_topic(whole, &self.labels) {
                        verdict.topics.push(topic);
                    }
                }
                Some(ExampleLabel::OtherOccupation) | Some(ExampleLabel::OffTopic) => {
                    verdict.off_scope = true;
                }
                None => {}
            }
        }

        // The subject overrides: another occupation gets no career answer;
        // a related career's pay and outlook are not in the source.
        match subject {
            Subject::Other(name) if !self.guards.names_this_career(part_text) => {
                verdict.topics.clear();
                verdict.aspects.clear();
                verdict.uncovered_alone.clear();
                verdict.other_subject = Some(name);
            }
            Subject::Alternative(_) if !verdict.topics.is_empty() => {
                // What is asked of the related career: the sentence read as
                // if about this one ("how much do <it> make" → pay).
                let as_if_ours = self.guards.mark_alternatives(part_text);
                let reading = self.read(&plain_words(&as_if_ours));
                let asked = best_topic(&reading, &self.labels);
                verdict.aspects.clear();
                match asked.and_then(|topic| self.alternative_gap(topic)) {
                    Some(gap) => {
                        trace.guard_rails.push(format!("the source gives no {gap}"));
                        verdict.topics.clear();
                        verdict.uncovered_alone.push(gap);
                    }
                    None => verdict.topics = vec![Intent::Alternatives],
                }
            }
            _ => {}
        }

        verdict
    }

    /// The uncovered aspect a related career's `topic` stands for, if the
    /// catalogue has one: pay and outlook of the alternatives.
    fn alternative_gap(&self, topic: Intent) -> Option<String> {
        let wanted = match topic {
            Intent::Salary => "alternatives pay",
            Intent::Outlook => "alternatives outlook",
            _ => return None,
        };
        self.aspects.get(wanted).map(|a| a.name.clone())
    }

    pub(super) fn combine(&self, mut verdicts: Vec<SentenceVerdict>, result: &mut Classification) {
        // Tentative verdicts give way when a firm one asks a topic.
        let firm_asks = verdicts
            .iter()
            .any(|v| !v.tentative && !v.topics.is_empty());
        if firm_asks {
            for verdict in verdicts.iter_mut().filter(|v| v.tentative) {
                verdict.topics.clear();
                verdict.aspects.clear();
            }
        }
        let mut asks: Vec<Ask> = Vec::new();
        let mut small_talk: Vec<Intent> = Vec::new();
        let mut near: Vec<Intent> = Vec::new();
        let mut any_scope_signal = false;
        for verdict in verdicts {
            // Stated figures ride on the first topic the sentence asks.
            let stated = verdict.stated;
            any_scope_signal |= verdict.off_scope;
            for (position, topic) in verdict.topics.iter().enumerate() {
                let (covered, uncovered) = verdict.aspects.get(topic).cloned().unwrap_or_default();
                let figures = if position == 0 {
                    stated.clone()
                } else {
                    Vec::new()
                };
                match asks.iter_mut().find(|a| a.intent == Some(*topic)) {
                    Some(ask) => {
                        ask.aspects.extend(covered);
                        ask.uncovered.extend(uncovered);
                        ask.stated.extend(figures);
                        dedup_keep_order(&mut ask.aspects);
                        dedup_keep_order(&mut ask.uncovered);
                    }
                    None => asks.push(Ask {
                        intent: Some(*topic),
                        aspects: covered,
                        uncovered,
                        stated: figures,
                        other_subject: None,
                    }),
                }
            }
            if !verdict.uncovered_alone.is_empty() || verdict.other_subject.is_some() {
                asks.push(Ask {
                    intent: None,
                    aspects: Vec::new(),
                    uncovered: verdict.uncovered_alone,
                    stated: Vec::new(),
                    other_subject: verdict.other_subject,
                });
            }
            small_talk.extend(verdict.small_talk);
            near.extend(verdict.near);
        }
        let mut intents: Vec<Intent> = asks.iter().filter_map(|a| a.intent).collect();
        if intents.is_empty() && asks.is_empty() && !any_scope_signal {
            // A greeting beside other small talk ("hey, what can you do")
            // is politeness: the other is what the student wants.
            if small_talk.iter().any(|&i| i != Intent::Greeting) {
                small_talk.retain(|&i| i != Intent::Greeting);
            }
            intents = small_talk;
        }
        intents.sort();
        intents.dedup();
        if intents.is_empty() && asks.is_empty() {
            near.sort();
            near.dedup();
            result.suggestions = near;
        }
        result.intents = intents;
        result.asks = asks;
    }
}

/// Whether a topic read with probability `topic` in a question with no
/// sign it is about a career stands, when everyday requests get
/// `everyday`: sure of it ([`ACCEPT_WITHOUT_CONTEXT`]), or no trace of an
/// everyday request ([`EVERYDAY_AT_MOST`]), or clearly ahead of one
/// ([`EVERYDAY_RATIO`] times as likely, from [`CLAUSE_ACCEPT`] up).
fn clear_of_everyday(topic: f32, everyday: f32) -> bool {
    topic >= ACCEPT_WITHOUT_CONTEXT
        || everyday < EVERYDAY_AT_MOST
        || (topic >= CLAUSE_ACCEPT && topic >= EVERYDAY_RATIO * everyday)
}

/// What the job is and what its people do are two readings of one
/// question ("what does a health info tech even do"). When the best two
/// readings (`first`, `second`) are the overview and the duties, and
/// neither is taken alone, the duties are taken if the two together reach
/// `accept` plus [`MARGIN`] and lead the third reading (`third`) by at
/// least `accept`.
pub(super) fn what_they_do(
    first: (ExampleLabel, f32),
    second: (ExampleLabel, f32),
    third: f32,
    accept: f32,
) -> Option<ExampleLabel> {
    let overview = ExampleLabel::Intent(Intent::Overview);
    let duties = ExampleLabel::Intent(Intent::Duties);
    let pair = [first.0, second.0];
    let both = pair.contains(&overview) && pair.contains(&duties);
    let together = first.1 + second.1;
    (both && together >= accept + MARGIN && together - third >= accept).then_some(duties)
}

/// Whether a topic a clause reads with probability `in_clause` counts, when
/// the whole question gives it `in_whole`: the clause must be sure of a
/// topic the question as a whole gives no weight.
fn clause_topic_stands(in_clause: f32, in_whole: f32) -> bool {
    in_clause >= CLAUSE_ALONE || in_whole >= CLAUSE_SUPPORT
}

/// Most words of a list item that names a topic ("pay", "typical degree").
const LIST_ITEM_WORDS: usize = 3;

/// A request for the overview followed by a list of topics ("give me the
/// rundown on health IT: duties, school, pay") asks for the listed topics:
/// the overview part is the lead-in and is dropped.
fn drop_lead_in_to_a_list(parts: &mut Vec<(String, Option<ExampleLabel>)>) {
    let overview = ExampleLabel::Intent(Intent::Overview);
    let Some(lead) = parts.iter().position(|(_, label)| *label == Some(overview)) else {
        return;
    };
    // "a rundown of what the career is, what it pays, ...": asking what
    // it is makes the overview an item of the list, not its lead-in.
    if parts[lead].0.ends_with(" is") || parts[lead].0.ends_with(" are") {
        return;
    }
    let listed = parts[lead + 1..]
        .iter()
        .filter(|(text, label)| {
            label.and_then(|l| l.intent()).is_some_and(Intent::is_topic)
                && *label != Some(overview)
                && text.split(' ').count() <= LIST_ITEM_WORDS
        })
        .count();
    if listed >= 2 {
        parts.remove(lead);
    }
}

/// The most likely topic in `reading`, whatever its probability.
fn best_topic(reading: &Reading, labels: &[ExampleLabel]) -> Option<Intent> {
    reading
        .ranked
        .iter()
        .filter_map(|&(l, _)| labels[l].intent())
        .find(|i| i.is_topic())
}

fn cover_word(covered: bool) -> &'static str {
    if covered {
        "covered"
    } else {
        "not in the source"
    }
}

fn describe(verdict: &SentenceVerdict, stated: &[StatedFigure]) -> String {
    let mut parts = Vec::new();
    if !verdict.topics.is_empty() {
        let names: Vec<&str> = verdict.topics.iter().map(|t| t.name()).collect();
        parts.push(format!("answer {}", names.join(", ")));
    }
    if !verdict.uncovered_alone.is_empty() {
        parts.push(format!(
            "not in the source: {}",
            verdict.uncovered_alone.join(", ")
        ));
    }
    if let Some(other) = &verdict.other_subject {
        parts.push(format!(
            "about another occupation ({other}): no career answer"
        ));
    }
    if !verdict.small_talk.is_empty() {
        let names: Vec<&str> = verdict.small_talk.iter().map(|t| t.name()).collect();
        parts.push(format!("small talk {}", names.join(", ")));
    }
    if !stated.is_empty() {
        parts.push(format!("{} stated figure(s)", stated.len()));
    }
    if parts.is_empty() {
        if verdict.near.is_empty() {
            "nothing the bot answers".to_string()
        } else {
            let names: Vec<&str> = verdict.near.iter().map(|t| t.name()).collect();
            format!("unsure: did you mean {}?", names.join(" or "))
        }
    } else {
        parts.join("; ")
    }
}

fn dedup_keep_order(items: &mut Vec<String>) {
    let mut seen = HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clause_topic_the_question_ignores_needs_a_sure_clause() {
        // (in the clause, in the whole question, counts)
        let cases = [
            (0.60, 0.01, false),
            (0.60, CLAUSE_SUPPORT, true),
            (CLAUSE_ALONE, 0.0, true),
            (0.95, 0.30, true),
        ];
        for (in_clause, in_whole, counts) in cases {
            assert_eq!(
                clause_topic_stands(in_clause, in_whole),
                counts,
                "{in_clause} {in_whole}"
            );
        }
    }

    #[test]
    fn a_topic_without_career_context_must_be_clear_of_everyday_requests() {
        // (topic, everyday request, stands)
        let cases = [
            (ACCEPT_WITHOUT_CONTEXT, 0.20, true),
            (0.55, 0.04, true),
            (0.73, 0.06, true),
            (0.66, 0.08, true),
            (0.69, 0.09, false),
            (0.59, 0.05, false),
            (0.55, 0.05, false),
            (0.70, 0.20, false),
        ];
        for (topic, everyday, stands) in cases {
            assert_eq!(
                clear_of_everyday(topic, everyday),
                stands,
                "{topic} {everyday}"
            );
        }
    }

    #[test]
    fn a_reading_split_between_the_job_and_its_work_asks_the_work() {
        use ExampleLabel::{Intent as Topic, OffTopic};
        use Intent::{Duties, Overview, Salary};
        // (best, second, third's probability, label taken) for a question
        // naming the career
        let cases = [
            ((Topic(Overview), 0.33), (Topic(Duties), 0.24), 0.15, true),
            ((Topic(Duties), 0.40), (Topic(Overview), 0.35), 0.0, true),
            // Together not clear of the bar, or of the third reading.
            ((Topic(Overview), 0.25), (Topic(Duties), 0.20), 0.10, false),
            ((Topic(Overview), 0.30), (Topic(Duties), 0.30), 0.30, false),
            // Any other pair is a near miss, not a split.
            ((Topic(Overview), 0.40), (Topic(Salary), 0.35), 0.0, false),
            ((Topic(Duties), 0.40), (OffTopic, 0.35), 0.0, false),
        ];
        for (first, second, third, taken) in cases {
            assert_eq!(
                what_they_do(first, second, third, NAMED_ACCEPT),
                taken.then_some(Topic(Duties)),
                "{first:?} {second:?} {third}"
            );
        }
    }

    #[test]
    fn an_overview_leading_into_a_list_of_topics_is_dropped() {
        use Intent::{Duties, Education, Overview, Salary};
        // (parts, whether the overview part is dropped)
        let cases: [(&[(&str, Intent)], bool); 3] = [
            (
                &[
                    ("give me the rundown on thiscareer", Overview),
                    ("pay", Salary),
                    ("school", Education),
                ],
                true,
            ),
            // Questions of their own are not a list: the overview stays.
            (
                &[
                    ("what is thiscareer", Overview),
                    ("what do they do all day", Duties),
                    ("how much do they make a year", Salary),
                ],
                false,
            ),
            // One topic after it is not a list.
            (
                &[("tell me about thiscareer", Overview), ("pay", Salary)],
                false,
            ),
        ];
        for (given, dropped) in cases {
            let mut parts: Vec<(String, Option<ExampleLabel>)> = given
                .iter()
                .map(|&(text, intent)| (text.to_string(), Some(ExampleLabel::Intent(intent))))
                .collect();
            drop_lead_in_to_a_list(&mut parts);
            let overview_left = parts
                .iter()
                .any(|(_, l)| *l == Some(ExampleLabel::Intent(Overview)));
            assert_eq!(parts.len(), given.len() - usize::from(dropped), "{given:?}");
            assert_eq!(overview_left, !dropped, "{given:?}");
        }
    }
}
