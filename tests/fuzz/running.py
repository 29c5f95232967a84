"""Running hypothesis on one form: its worst examples first (tests/fuzz/submitting.py), then
examples drawn from tests/fuzz/hostile.py, deterministic and bounded; a failure is reported
with the input that caused it rather than raised, so one run reports every failing form.
Shared by the service's forms (test_forms.py) and the platform administration's
(test_admin_forms.py)."""

import os
import re
import traceback

from hypothesis import HealthCheck, Phase, example, given, settings

from tests.fuzz.discovery import Target
from tests.fuzz.submitting import submissions, submit, worst_submissions

EXAMPLES = int(os.environ.get("STEPWISE_FUZZ_EXAMPLES", "8"))

# Deterministic (the same examples every run, so CI is not flaky) and bounded.
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # Shrinking finds the smallest failing input, at the cost of many more requests.
    phases=[Phase.explicit, Phase.generate, Phase.shrink]
    if os.environ.get("STEPWISE_FUZZ_SHRINK", "1") == "1"
    else [Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
    print_blob=False,
)


def known_ids(world) -> list[int]:
    """Every id the world names: the other Trust's objects, and objects of other kinds."""
    return sorted({v for v in world.values.values() if isinstance(v, int)})


# Only the worst examples: each field once with its kind's worst values.
WORST_ONLY = settings(FUZZ, phases=[Phase.explicit])


def fuzz(
    target: Target, visitor, known: list[int], *, only_worst: bool = False, **checks
) -> str | None:
    """What went wrong (None if nothing did); `checks` are submit()'s."""

    @(WORST_ONLY if only_worst else FUZZ)
    @given(submissions(target.form, known))
    def run(submission):
        path, data = submission
        submit(visitor, target.persona, target.form.method, path, data, **checks)

    worst = worst_submissions(target.form)
    if only_worst and not worst:  # a form with nothing to change is still sent, once
        query = f"?{target.form.query}" if target.form.query else ""
        worst = [(target.form.action + query, target.form.defaults())]
    for submission in reversed(worst):
        run = example(submission)(run)

    try:
        run()
    except Exception as error:  # noqa: BLE001 (reported with its falsifying example)
        # The exception's text, with hypothesis's note of the failing example.
        trace = _shortened("".join(traceback.format_exception_only(error)).strip())
        frames = traceback.extract_tb(error.__traceback__)
        ours = [f"{f.filename}:{f.lineno}" for f in frames if "/stepwise/" in f.filename]
        where = f"\n  raised at {ours[-1]}" if ours else ""
        sent = f"{target.key} {target.form.method.upper()} by {target.persona}"
        return f"{sent} (form on {target.page}):\n  {trace[:5000]}{where}"
    return None


def _shortened(text: str) -> str:
    """A run of one character (a 100,000-level JSON array, 10,000 x's) as its length."""
    return re.sub(r"(.)\1{39,}", lambda m: f"{m.group(1) * 3}…({len(m.group(0)):,} times)", text)
