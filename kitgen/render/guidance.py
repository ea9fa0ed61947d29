"""What every kit tells its interviewer, worded once for every format.

The classic template's cover prints the same steps and the same "never ask" text; a
test checks that the two agree. Plain text: each renderer escapes it as its format needs.
"""

from __future__ import annotations

from kitgen.i18n import N_

HOW_TO_RUN_TITLE = N_("How to run this interview")
HOW_TO_RUN: tuple[str, ...] = (
    N_(
        "Ask every candidate for this role the same questions, in this order. "
        "Use the follow-ups to probe, not to lead."
    ),
    N_("Take notes on what the candidate says, not on your impression of them."),
    N_(
        "Rate each answer against its anchors straight after the interview, "
        "before you talk to other interviewers."
    ),
    N_(
        "Rate what the answer showed: one that reaches a higher anchor but misses what a "
        "lower anchor asks for gets the lower rating; a point reached only after a follow-up "
        "counts, and your notes say it was prompted."
    ),
    N_(
        'Mark "N/A" when a question was not covered; it is left out of the score, not '
        "counted as zero."
    ),
    N_("Fill in the scorecard at the end and hand it in before the debrief."),
)

NEVER_ASK_TITLE = N_("Never ask about")
NEVER_ASK = N_(
    "Age, family or plans for children, marital status, religion, national or ethnic "
    "origin, health or disability, pregnancy, sexual orientation, gender identity, "
    "political views or union membership. If the candidate raises these, do not follow "
    "up and do not note them."
)
