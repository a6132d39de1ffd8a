"""French dates as the newsroom writes them: "1er octobre 2023 à 9h05"."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

register = template.Library()

TIME_FORMAT = r"G\hi"  # 18h30, 9h05


@register.filter
def fr_date(value):
    if not value:
        return ""
    value = timezone.localtime(value)
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {format_date(value, 'F Y')}"


@register.filter
def fr_datetime(value):
    if not value:
        return ""
    return f"{fr_date(value)} à {format_date(timezone.localtime(value), TIME_FORMAT)}"
