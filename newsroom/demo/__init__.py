"""Demo content for `manage.py load_demo`: the texts in `articles`, the pictures in `drawings`."""

import re

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"


def typeset(text):
    """French typography for text typed on a plain keyboard: ’ and non-breaking spaces.

    The demo texts use straight apostrophes and ordinary spaces, which are easier to
    type and to read in the source; no HTML attribute in them uses a single quote.
    """
    text = text.replace("'", "’")
    text = text.replace("« ", f"«{NBSP}")
    text = re.sub(r" ([»:;!?%])", rf"{NBSP}\1", text)
    # Thousands: "9 000" must not break across two lines.
    return re.sub(r"(\d) (\d{3})\b", rf"\1{NARROW_NBSP}\2", text)
