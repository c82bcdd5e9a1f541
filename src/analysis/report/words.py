"""The words of a report, in one place: every heading, caption and status word its parts and the site's pages
write (gettext messages, extracted by `make i18n`), and the sentences whose plural follows a count."""

from __future__ import annotations

from ..i18n import N_

# Statuses without a value that are shown as a word of their own (TEXT has one for each; compute.py says
# what each means).
MISSING = ("no_data", "not_reported", "not_yet")

TEXT = {
    "title": N_("{name}: innovative procurement {year}"),
    "indicator": N_("Indicator"),
    "value": N_("Value"),
    "n": N_("n"),
    "coverage": N_("Coverage"),
    "change": N_("Change from previous year"),
    "peer": N_("Peer median"),
    "summary_caption": N_("All indicators for {year}"),
    "intro": N_("This report follows DFØ's framework for measuring innovative procurement: framework conditions, "
                "procurement practice, benefits, diffusion and societal effects. Peers are organisations of the "
                "same type ({org_type})."),
    "intro_other": N_("This report follows DFØ's framework for measuring innovative procurement: framework "
                      "conditions, procurement practice, benefits, diffusion and societal effects. Peers are other "
                      "organisations that belong to none of the fixed types."),
    "method": N_("Data and method"),
    "method_link": N_("Every indicator is defined on the [method page](../../metode.html)."),
    "trend_caption": N_("Development {years} for {area}, with the peer median (dotted) and the middle half of "
                        "peers (shaded)."),
    # The one vocabulary of a value that is not shown (status_word): report tables and scorecard, organisation
    # pages and downloads.
    "suppressed": N_("n<{min_n}"),
    "hidden": N_("hidden (n<{min_n})"),
    "unavailable": N_("not available"),
    "no_data": N_("no data"),
    "not_reported": N_("not reported"),
    "not_yet": N_("not yet measurable"),
    "not_measured": N_("not measured"),
    "small_base": N_("uncertain base"),
    "facts_count": N_(" · {count}"),
    "facts_small": N_(" · uncertain base: 95 % interval {low}–{high}"),
    "area_unmeasured": N_("Not measured"),
    "area_no_data": N_("No data"),
    "low_coverage_note": N_("* Low coverage: fewer than {share} of the units report the field the value rests on."),
    "quality": N_("Data quality"),
    "sources": N_("Sources read: {sources}."),
    "suppression": N_("Values from survey answers and evaluations resting on fewer than {min_n} respondents are not "
                      "shown (n<{min_n}), to protect them. Values from public records (notices, registers) are always "
                      "shown; a share resting on fewer than {small} units is marked as an uncertain base, with its "
                      "95 % interval in the indicator's details, and is not placed among its peers by quarter."),
    "types": {
        "state": N_("state bodies"),
        "municipality": N_("municipalities"),
        "county": N_("counties"),
        "health": N_("health trusts"),
        "enterprise": N_("public enterprises"),
        "other": N_("others"),
    },
    # One organisation's type ("Organisasjonsnummer … · kommune"); `types` names the group.
    "type": {
        "state": N_("state body"),
        "municipality": N_("municipality"),
        "county": N_("county"),
        "health": N_("health trust"),
        "enterprise": N_("public enterprise"),
        "other": N_("other"),
    },
    "key_messages": N_("Key messages"),
    "facts": N_("Value {value} · n = {n} · coverage {coverage}"),
    "facts_peer": N_(" · peer median {median}"),
    "facts_target": N_(" · target {target} by {year}"),
    "facts_source": N_(" · answered by {source}"),
    "answered_by": {"notices": N_("the notices"), "register": N_("the contract register"),
                    "notices+register": N_("the notices and the contract register")},
    "history": N_("Over time: {items}."),
    "scorecard": N_("At a glance"),
    "scorecard_caption": N_("Headline indicators of the five areas, in the framework's order: value, change since "
                            "the previous year and position among peers or against the target."),
    "up": N_("up {change} since {year}"),
    "down": N_("down {change} since {year}"),
    "stable": N_("stable since {year}"),
    "no_change": N_("no comparison with {year}"),
    "on_track": N_("on track to {target} by {year}"),
    "off_track": N_("off track to {target} by {year}"),
    "goals_on_track": N_("Goals on track: {on_track} of {count}"),
    "goals_unmeasured": N_("Goals with a baseline and a target: none of {count}"),
    "no_goals": N_("No goals in the gain register"),
    "gains_not_supplied": N_("No gain register supplied"),
    "all_indicators": N_("All indicators in one table"),
    "trend_details": N_("Figure: development over the years"),
    "peers_details": N_("Figure: the organisation's shares among its peers"),
    "peers_title": N_("Position among peers"),
    "peers_caption": N_("The organisation's shares in {year} (large dot) against the other {org_type} (small "
                        "dots) and the peer median (bar)."),
    "peers_none": N_("There are too few peers with a value in {year} to show a comparison."),
    "chain": N_("Effects chain"),
    "chain_intro": N_("The effects chain follows each goal of the gain register from goal and baseline through "
                      "measures and implementation to results and effects, and answers the framework's questions."),
    "chain_caption": N_("The effects chain of the organisation's goals: goal, measures, implementation, result "
                        "and effect."),
    "chain_none": N_("The organisation has no goals in its gain register yet. Without goals, baselines and "
                     "targets the effects of innovative procurement cannot be followed up."),
    "chain_not_supplied": N_("No gain register is supplied for the organisation, so the effects chain cannot be "
                             "followed: it starts from the goals, baselines and targets in the gain register."),
    "self_eval_not_supplied": N_("No survey answers are supplied for the organisation, so the self-evaluation "
                                 "cannot be shown."),
    "goal": N_("Goal {k}: {text}"),
    "chain_steps": {
        "none": N_("none"),
        "impl": N_("{done} of {n} done"),
        "no_result": N_("no result"),
        "no_effect": N_("no effects recorded"),
        "effect": N_("{realised} of {planned}"),
        "target": N_("(target value %(target)s by %(target_year)s)"),  # as the alt text says it
    },
    "self_eval": N_("Self-evaluation"),
    "self_eval_intro": N_("The framework's seven questions on organisation, steering and leadership, answered in "
                          "the survey on a scale from 1 (strongly disagree) to 5 (strongly agree)."),
    "question": N_("Question"),
    "score": N_("Mean (1–5)"),
    "agree": N_("Share 4–5"),
    "since": N_("Change since {year}"),
    "since_none": N_("Change since previous wave"),
    "self_eval_caption": N_("Self-evaluation {year}"),
    "profile_caption": N_("Mean answer per question in {year}, with the previous wave as a diamond."),
    "method_national": N_("National figures and the distribution by type of organisation are on the [overview "
                          "page for {year}](../../oversikt/{year}.html)."),
}


# Why indicators lack a value, as clauses of the method section's count ("4 are not measured"), in the status
# words of the tables (STATUS).
COUNT_CLAUSES = {
    "suppressed": lambda t, n: t.ngettext("{n} is hidden because it rests on too few respondents",
                                          "{n} are hidden because they rest on too few respondents", n),
    "not_measured": lambda t, n: t.ngettext("{n} is not measured", "{n} are not measured", n),
    "no_data": lambda t, n: t.ngettext("{n} has no data", "{n} have no data", n),
    "not_reported": lambda t, n: t.ngettext("{n} is not reported", "{n} are not reported", n),
    "not_yet": lambda t, n: t.ngettext("{n} is not yet measurable", "{n} are not yet measurable", n),
    "unavailable": lambda t, n: t.ngettext("{n} needs data that is not part of the dataset",
                                           "{n} need data that is not part of the dataset", n),
}

# The method section's lines naming indicators by status ("Hidden in 2025 because it rests on …: G1."): the
# sentence agrees with the number of indicators it names.
METHOD_LINES = {
    "suppressed": lambda t, n: t.ngettext(
        "Hidden in {year} because it rests on too few respondents: {items}.",
        "Hidden in {year} because they rest on too few respondents: {items}.", n),
    "low_coverage": lambda t, n: t.ngettext(
        "Low coverage (fewer than {share} of the units report the field): {items}.",
        "Low coverage (fewer than {share} of the units report the field): {items}.", n),
    "not_reported": lambda t, n: t.ngettext(
        "Not reported in {year} (there are units, but none of them reports the field the indicator reads, so no "
        "value is shown, not 0 %): {items}.",
        "Not reported in {year} (there are units, but none of them reports the field the indicators read, so no "
        "value is shown, not 0 %): {items}.", n),
    "not_yet": lambda t, n: t.ngettext(
        "Not yet measurable for {year} (the data that answers it, such as accounts two years after the award, "
        "cannot be in the dataset yet): {items}.",
        "Not yet measurable for {year} (the data that answers them, such as accounts two years after the award, "
        "cannot be in the dataset yet): {items}.", n),
    "unavailable": lambda t, n: t.ngettext("Needs data outside the dataset: {items}.",
                                           "Need data outside the dataset: {items}.", n),
}
