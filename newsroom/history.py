"""The admin's « Historique » for every model that keeps versions: readable, and held to the roles.

django-simple-history's own views check the view permission only, and its revert form saves the
old row as it was (publication state and version counter included). Here every history page
asks for the change permission on the object, the same rule as its change form, and restoring
a version is one click that copies the version's content onto the current row and saves it
like any edit, so the workflow's rules and the stale-save check keep holding.
"""

import difflib
import re

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from articles.text import plain_text

WORD_OR_SPACE = re.compile(r"\s+|[^\s]+")
# Texts longer than this are shown as a diff of their words rather than "before → after".
SHORT_TEXT = 120


def fr_time(value):
    """The time as an editor reads it, in Paris: 19 h 32."""
    value = timezone.localtime(value)
    return f"{value.hour} h {value:%M}"


def fr_moment(value):
    """The moment as "1er décembre à 18 h 38", in Paris; the year only if not this one."""
    value = timezone.localtime(value)
    day = "1er" if value.day == 1 else str(value.day)
    year = "" if value.year == timezone.localtime().year else f" {value.year}"
    return f"{day} {format_date(value, 'F')}{year} à {fr_time(value)}"


def text_diff(old, new):
    """The words of `new` against `old`, removed ones in <del>, added ones in <ins>."""
    old_words = WORD_OR_SPACE.findall(plain_text(old or ""))
    new_words = WORD_OR_SPACE.findall(plain_text(new or ""))
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed = escape("".join(old_words[a_start:a_end]))
        added = escape("".join(new_words[b_start:b_end]))
        if operation == "equal":
            parts.append(added)
        else:
            if removed.strip():
                parts.append(f"<del>{removed}</del>")
            if added.strip():
                parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(parts))


def readable(field, value):
    """A field's value as an editor reads it: labels of choices, Paris times, names."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return "oui" if value else "non"
    if isinstance(field, models.DateTimeField):
        return fr_moment(value)
    if isinstance(field, models.TextField):
        return plain_text(value)
    return str(value)


def changes_between(record, previous, fields=None):
    """What `record` changed since `previous`: label, before, after and, for long texts, a diff.

    `fields` limits the comparison to those names. Related rows (bylines, tags) come from the
    record's own `relation_changes()`, when it keeps them.
    """
    if previous is None:
        return []
    model = type(record.instance)
    rows = []
    diff = record.diff_against(previous, included_fields=fields, foreign_keys_are_objs=True)
    for change in diff.changes:
        field = model._meta.get_field(change.field)
        row = {
            "label": field.verbose_name,
            "old": readable(field, change.old),
            "new": readable(field, change.new),
        }
        if (
            isinstance(field, models.TextField)
            and max(len(row["old"]), len(row["new"])) > SHORT_TEXT
        ):
            row["diff"] = text_diff(change.old, change.new)
        rows.append(row)
    if hasattr(record, "relation_changes"):
        rows += record.relation_changes(previous)
    return rows


class HistoryAdmin(SimpleHistoryAdmin):
    """Versions with what each changed; any version can be restored by who may edit the object."""

    object_history_list_template = "admin/history/version_list.html"
    version_template = "admin/history/version.html"
    # Left as they are by a restore: when and by whom the row was made, its own counters.
    restore_excluded_fields = ["created_at", "updated_at"]

    def allowed_object(self, request, object_id):
        """The object if this user may change it, as its change form decides; else refuse."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("Cet objet n’existe pas, ou vous n’y avez pas accès.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self.allowed_object(request, object_id)
        context = {"title": f"Historique : {obj}", **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history's own adds a bare select_related(), which Django 6.1 deprecates.
        return history_manager.filter(**{pk_name: object_id}).select_related("history_user")

    def set_history_delta_changes(self, request, page_obj, foreign_keys_are_objs=True):
        # Each version says what it changed since the one before, readably.
        records = list(page_obj.object_list)  # newest first
        for record, older in zip(records, records[1:] + [None], strict=True):
            previous = older if older is not None else record.prev_record
            record.readable_changes = changes_between(record, previous)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One version beside the current text; POST restores it, in one click."""
        obj = self.allowed_object(request, object_id)
        try:
            record = obj.history.get(history_id=int(version_id))
        except (ValueError, obj.history.model.DoesNotExist):
            raise Http404("Cette version n’existe pas.") from None
        if request.method == "POST":
            with transaction.atomic():
                self.restore(request, obj, record)
            self.message_user(
                request, f"Version du {fr_moment(record.history_date)} rétablie.", messages.SUCCESS
            )
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)
        current = obj.history.order_by("-history_date", "-history_id").first()
        context = {
            **self.admin_site.each_context(request),
            "title": f"Version du {fr_moment(record.history_date)}",
            "opts": self.opts,
            "original": obj,
            "record": record,
            "is_current": current is not None and current.pk == record.pk,
            "changes": changes_between(record, current, self.restorable_field_names())
            if current
            else [],
            "kept_fields": self.kept_field_labels(),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.version_template, context)

    def restorable_fields(self):
        excluded = set(self.restore_excluded_fields)
        history_fields = {field.name for field in self.model.history.model.tracked_fields}
        return [
            field
            for field in self.model._meta.concrete_fields
            if not field.primary_key and field.name not in excluded and field.name in history_fields
        ]

    def restorable_field_names(self):
        # What the diff can compare: simple-history compares editable fields only.
        return [field.name for field in self.restorable_fields() if field.editable]

    def kept_field_labels(self):
        return [
            self.model._meta.get_field(name).verbose_name
            for name in self.restore_excluded_fields
            if name not in ("created_at", "updated_at")
        ]

    def restore(self, request, obj, record):
        """Copy the version's content onto the current row and save it, as an edit would."""
        old = record.instance
        for field in self.restorable_fields():
            setattr(obj, field.attname, getattr(old, field.attname))
        self.restore_related(request, obj, record)
        obj._history_user = request.user
        obj._change_reason = f"Version du {fr_moment(record.history_date)} rétablie"
        obj.save()

    def restore_related(self, request, obj, record):
        """Rows of other tables that a version records; none by default."""
