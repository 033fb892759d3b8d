"""The questionnaires' patient-facing wording: the published English, translatable.

PHQ-9 and GAD-7 (Pfizer; free to reproduce), PCL-5 (US National Center for PTSD; public
domain) and the PEG pain scale (Krebs et al. 2009; free to use) are reproduced with their
published wording. The Spanish is in the catalogue (booking/translations/es/).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_pgettext

from booking.domain.questionnaires import DEFINITIONS, Instrument
from booking.i18n import lazy_text as _l


@dataclass(frozen=True)
class Wording:
    """What the patient reads: the question's stem, each item, and each answer's label."""

    title: object
    stem: object
    items: tuple[object, ...]
    options: tuple[object, ...]  # one per answer value, from the lowest
    # For 0-10 scales: what the two ends mean, per item.
    anchors: tuple[tuple[object, object], ...] = ()


_PHQ_OPTIONS = (_l("Not at all"), _l("Several days"), _l("More than half the days"), _l("Nearly every day"))

WORDING: dict[Instrument, Wording] = {
    Instrument.PHQ9: Wording(
        title=_l("Mood (PHQ-9)"),
        stem=_l("Over the last 2 weeks, how often have you been bothered by any of the following problems?"),
        items=(
            _l("Little interest or pleasure in doing things"),
            _l("Feeling down, depressed, or hopeless"),
            _l("Trouble falling or staying asleep, or sleeping too much"),
            _l("Feeling tired or having little energy"),
            _l("Poor appetite or overeating"),
            _l("Feeling bad about yourself — or that you are a failure or have let yourself or your family down"),
            _l("Trouble concentrating on things, such as reading the newspaper or watching television"),
            _l("Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
               "fidgety or restless that you have been moving around a lot more than usual"),
            _l("Thoughts that you would be better off dead or of hurting yourself in some way"),
        ),
        options=_PHQ_OPTIONS,
    ),
    Instrument.GAD7: Wording(
        title=_l("Anxiety (GAD-7)"),
        stem=_l("Over the last 2 weeks, how often have you been bothered by the following problems?"),
        items=(
            _l("Feeling nervous, anxious, or on edge"),
            _l("Not being able to stop or control worrying"),
            _l("Worrying too much about different things"),
            _l("Trouble relaxing"),
            _l("Being so restless that it is hard to sit still"),
            _l("Becoming easily annoyed or irritable"),
            _l("Feeling afraid, as if something awful might happen"),
        ),
        options=_PHQ_OPTIONS,
    ),
    Instrument.PCL5: Wording(
        title=_l("Stress (PCL-5)"),
        stem=_l("Below is a list of problems that people sometimes have in response to a very stressful "
                "experience. Please read each problem carefully and then select how much you have been "
                "bothered by that problem in the past month. In the past month, how much were you bothered by:"),
        items=(
            _l("Repeated, disturbing, and unwanted memories of the stressful experience?"),
            _l("Repeated, disturbing dreams of the stressful experience?"),
            _l("Suddenly feeling or acting as if the stressful experience were actually happening again "
               "(as if you were actually back there reliving it)?"),
            _l("Feeling very upset when something reminded you of the stressful experience?"),
            _l("Having strong physical reactions when something reminded you of the stressful experience "
               "(for example, heart pounding, trouble breathing, sweating)?"),
            _l("Avoiding memories, thoughts, or feelings related to the stressful experience?"),
            _l("Avoiding external reminders of the stressful experience (for example, people, places, "
               "conversations, activities, objects, or situations)?"),
            _l("Trouble remembering important parts of the stressful experience?"),
            _l("Having strong negative beliefs about yourself, other people, or the world (for example, having "
               "thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, "
               "the world is completely dangerous)?"),
            _l("Blaming yourself or someone else for the stressful experience or what happened after it?"),
            _l("Having strong negative feelings such as fear, horror, anger, guilt, or shame?"),
            _l("Loss of interest in activities that you used to enjoy?"),
            _l("Feeling distant or cut off from other people?"),
            _l("Trouble experiencing positive feelings (for example, being unable to feel happiness or have "
               "loving feelings for people close to you)?"),
            _l("Irritable behavior, angry outbursts, or acting aggressively?"),
            _l("Taking too many risks or doing things that could cause you harm?"),
            _l("Being “superalert” or watchful or on guard?"),
            _l("Feeling jumpy or easily startled?"),
            _l("Having difficulty concentrating?"),
            _l("Trouble falling or staying asleep?"),
        ),
        # "Not at all" reads differently in Spanish here ("Nada") than on the PHQ-9 ("Ningún día").
        options=(lazy_pgettext("PCL-5", "Not at all"), _l("A little bit"), _l("Moderately"), _l("Quite a bit"),
                 _l("Extremely")),
    ),
    Instrument.PAIN: Wording(
        title=_l("Pain (PEG)"),
        stem=_l("Choose the one number that best describes your pain."),
        items=(
            _l("What number best describes your pain on average in the past week?"),
            _l("What number best describes how, during the past week, pain has interfered with your "
               "enjoyment of life?"),
            _l("What number best describes how, during the past week, pain has interfered with your "
               "general activity?"),
        ),
        options=tuple(str(n) for n in range(11)),
        anchors=(
            (_l("No pain"), _l("Pain as bad as you can imagine")),
            (_l("Does not interfere"), _l("Completely interferes")),
            (_l("Does not interfere"), _l("Completely interferes")),
        ),
    ),
}

# Every instrument has wording for each of its items and answers.
assert all(
    len(WORDING[i].items) == d.items and len(WORDING[i].options) == d.highest - d.lowest + 1
    for i, d in DEFINITIONS.items()
)
