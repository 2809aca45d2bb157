"""The platform's rules, each written once: code, forms and screens take them from here,
so the wording on a screen follows the number (templates get them as `rules`)."""

from __future__ import annotations

from datetime import timedelta

# Time credited to one entry of the activity log: beyond this the phone was left aside.
MAX_CREDITED_SECONDS = 30 * 60
# A learner who did nothing for this long is shown as inactive to the facilitator.
INACTIVE_AFTER = timedelta(days=7)
# Failed attempts at a quiz, not passed since, that flag a learner as stuck on it.
FAILURES_FLAGGED = 2
# A card printed this long ago and never used to sign in since: the card failed that person.
CARD_UNUSED_AFTER = timedelta(days=1)
# After « J'ai rappelé », a person leaves « Qui a besoin de vous » this long (a new help request brings them back).
CALLED_BACK_QUIET = timedelta(days=7)
# People listed on one page of « Qui a besoin de vous ».
TRIAGE_PAGE_SIZE = 20

REPORT_MIN_PEOPLE = 5  # no figure of a report is computed over fewer people: the cell says « moins de 5 »

# Text lengths: the database columns, the forms and the screens' "N caractères au plus".
FIRST_NAME_MAX = 80
LAST_NAME_MAX = 80
GROUP_NAME_MAX = 120
HELP_MESSAGE_MAX = 500
HELP_PHONE_MAX = 20
FOLLOW_UP_NOTE_MAX = 300
LESSON_ID_MAX = 120

# Practice questions. A tap picture is never scaled: the browser sends a tap in the picture's
# displayed pixels, so it must fit a 360 px phone inside its question box (Chromium, 2026).
TAP_PICTURE_MAX_WIDTH = 288
# Fewer steps is no ordering; more is too long to hold in mind on a phone.
ORDER_STEPS_MIN = 3
ORDER_STEPS_MAX = 6

# Practice scenarios (« exercices pratiques »): the longest a scenario may say it takes, the longest
# text of one of its lines, and the longest value a learner's field keeps (beyond: cut).
SCENARIO_DURATION_MAX = 60
SCENARIO_VALUE_MAX = 300
SCENARIO_TYPED_MAX = 200


# Picture codes (app/auth/pictures.py): a short code, so accepted only from a phone enrolled by
# the card, and locked on that phone after this many wrong codes in a row.
PICTURE_CODE_LENGTH = 3
PICTURE_CODE_ATTEMPTS = 3
# People enrolled on one family phone (each one a cookie the phone sends with every request).
PEOPLE_PER_PHONE = 8
# How long a phone keeps an enrolled person's device secret without being used.
PHONE_KEPT_FOR = timedelta(days=400)


# Workshops: the lengths offered on the form, in minutes (the usual ones; another is typed in minutes).
WORKSHOP_LENGTHS = (60, 90, 120, 150, 180, 240)
WORKSHOP_MINUTES_MAX = 8 * 60
WORKSHOP_PLACE_MAX = 120
# Participant categories an admin defines for the report (« parent seul », « senior »).
CATEGORY_LABEL_MAX = 60
# Self-assessment (« Je sais faire … » at a module's start and end): statements per module.
SELF_ASSESSMENT_MIN = 3
SELF_ASSESSMENT_MAX = 5
SELF_ASSESSMENT_TEXT_MAX = 160


# When a learner may ask to be called back ("" in a request: any time).
CALL_BACK_TIMES = ("morning", "afternoon", "evening")


def init_app(app) -> None:
    from . import rules

    @app.context_processor
    def rules_for_templates():
        return {"rules": rules}
