from django import template
from django.utils.formats import number_format

from elections.results import race_results

register = template.Library()


@register.inclusion_tag("elections/includes/result_box.html")
def result_box(races):
    """The results of an article's linked races, from the cached results: no query of its own."""
    races = list(races)
    results = race_results(races)
    return {"boxes": [(race, results[race.pk]) for race in races]}


@register.filter
def percent(share, digits=1):
    """0.6257 → "62,6 %", with the narrow no-break space French puts before %."""
    if share is None:
        return "—"
    # number_format() truncates: round first, so 55.315 reads 55,32.
    digits = int(digits)
    return f"{number_format(round(share * 100, digits), digits)}\u202f%"


@register.filter
def percent_of(part, whole):
    """votes|percent_of:cast → "55,3 %"."""
    return percent(part / whole if whole else None)


@register.filter
def bar_width(share):
    """A share as the width of a bar drawn in a 100-unit SVG."""
    return f"{max(0.0, min(1.0, share or 0)) * 100:.2f}"


@register.filter
def signed(number):
    """+3, −2 (a true minus sign), or "=" for no change."""
    if number is None:
        return ""
    if number == 0:
        return "="
    return f"+{number}" if number > 0 else f"\u2212{-number}"


@register.filter
def thousands(number):
    """1956 → "1 956"."""
    if number is None:
        return "—"
    return number_format(number, force_grouping=True)
