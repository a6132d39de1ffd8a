"""Three-way merge of an article form posted against a version someone else has since changed.

The change form carries the version the editor loaded (`loaded_version`). When the article
has moved on since, the posted form ("mine") is compared field by field with that version
("base", read from its historical record) and with the article as it is now ("theirs"):

- a field only they changed takes their value, written into the posted data;
- a field only I changed keeps mine;
- a field we both changed, differently, is a conflict: nothing is saved, and the form shows
  both values side by side (with a diff of long texts) for the editor to choose.

Bylines, tags and linked elections are fields like the others. The posted bylines are always
rewritten against the article's current rows, so the inline formset stays consistent.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from taggit.utils import edit_string_for_tags

from articles.models import Article, Author, Tag, article_relations
from articles.text import sanitize_html
from newsroom.history import fr_moment, text_diff

# The form's fields a merge compares, as they are named in the POST.
FIELDS = [
    "headline", "seo_title", "social_title", "slug", "standfirst", "body", "theme", "tags",
    "lead_image", "elections", "races", "is_lead", "status", "published_at",
]  # fmt: skip
RELATED = {"tags", "elections", "races", "bylines"}
LONG_TEXTS = {"standfirst", "body"}
BYLINES = "bylines"  # the inline formset's prefix


@dataclass
class Conflict:
    name: str
    label: str
    theirs: str
    mine: str
    diff: str = ""


@dataclass
class Merge:
    """The outcome: the data to validate, what was taken from them, what needs a choice."""

    data: object
    current_version: int
    taken: list = field(default_factory=list)  # labels of the fields taken from them
    conflicts: list = field(default_factory=list)
    by: object = None  # who saved the version the editor's form now builds on
    at: object = None

    @property
    def names(self):
        return ",".join(conflict.name for conflict in self.conflicts)


def merge(article, data, form_class):
    """The posted `data` merged with the changes saved since its version, or None if none."""
    loaded = data.get("loaded_version", "")
    if not str(loaded).isdigit() or int(loaded) == article.version:
        return None
    base = article.history.filter(version=int(loaded)).order_by("-history_date").first()
    latest = article.history.order_by("-history_date", "-history_id").first()
    data = data.copy()
    outcome = Merge(data=data, current_version=article.version)
    if latest is not None:
        outcome.by, outcome.at = latest.history_user, latest.history_date
    data["loaded_version"] = str(article.version)  # what the next save is based on
    names = [name for name in FIELDS if name in form_class.base_fields] + [BYLINES]
    theirs_relations = article_relations(article.pk)
    base_relations = base.relations if base is not None else None
    for name in names:
        mine = posted(name, data, form_class)
        theirs = current(name, article, theirs_relations)
        if base is None or (name in RELATED and base_relations is None):
            # The loaded version is unknown: never guess, ask whenever the values differ.
            base_value = object()
        else:
            base_value = current(name, base.instance, base_relations)
        if mine == theirs:
            continue
        if mine == base_value:
            write(name, theirs, data, article)
            outcome.taken.append(label(name))
        elif theirs != base_value:
            outcome.conflicts.append(conflict(name, theirs, mine, article))
    resolve_bylines(data, article)
    return outcome


def resolve(article, data, form_class):
    """Apply the editor's choices ("theirs" or "mine") to the conflicts they were shown.

    Returns the data and the names left without a choice.
    """
    pending = [name for name in data.get("merge_pending", "").split(",") if name]
    if not pending:
        return data, []
    data = data.copy()
    missing = []
    relations = article_relations(article.pk)
    for name in pending:
        choice = data.get(f"merge-{name}")
        if choice == "theirs":
            write(name, current(name, article, relations), data, article)
        elif choice != "mine":
            missing.append(label(name))
    resolve_bylines(data, article)
    return data, missing


def label(name):
    if name == BYLINES:
        return "signatures"
    return Article._meta.get_field(name).verbose_name


def conflict(name, theirs, mine, article):
    theirs_text, mine_text = shown(name, theirs), shown(name, mine)
    diff = text_diff(theirs_text, mine_text) if name in LONG_TEXTS else ""
    return Conflict(name, label(name), theirs_text, mine_text, diff)


def normal_text(value):
    return (value or "").replace("\r\n", "\n").strip()


def posted(name, data, form_class):
    """The posted value of a field, in the form `current()` gives."""
    if name == BYLINES:
        return posted_bylines(data)
    form_field = form_class.base_fields[name]
    raw = form_field.widget.value_from_datadict(data, {}, name)
    try:
        value = form_field.clean(raw)
    except forms.ValidationError:
        return ("invalid", str(raw))  # the form will say what is wrong
    if name == "body":
        return normal_text(sanitize_html(value))
    if name in ("elections", "races"):
        return sorted(item.pk for item in value)
    if name == "tags":
        return sorted(value, key=str.lower)
    if name == "published_at":
        return value.replace(microsecond=0) if value else None
    if isinstance(value, str):
        return normal_text(value)
    return getattr(value, "pk", value)


def current(name, article, relations):
    """A field's value on `article` (or a historical instance) and its related rows."""
    if name in RELATED:
        if name == "tags":
            return sorted(relations["tags"], key=str.lower)
        return relations[name]
    value = getattr(article, Article._meta.get_field(name).attname)
    if name == "published_at":
        return value.replace(microsecond=0) if value else None
    if isinstance(value, str):
        return normal_text(value)
    return value


def posted_bylines(data):
    """Author ids of the posted bylines, in their order; the deleted and empty ones left out."""
    try:
        total = int(data.get(f"{BYLINES}-TOTAL_FORMS", 0))
    except ValueError:
        return []
    rows = []
    for index in range(min(total, 1000)):
        prefix = f"{BYLINES}-{index}-"
        author, position = data.get(prefix + "author", ""), data.get(prefix + "position", "")
        if author.isdigit() and not data.get(prefix + "DELETE"):
            order = int(position) if position.isdigit() else index
            rows.append((order, index, int(author)))
    return [author for _, _, author in sorted(rows)]


def write(name, value, data, article):
    """Put `value` into the posted data as the form would have sent it."""
    if name == BYLINES:
        data["_merged_bylines"] = ",".join(str(pk) for pk in value)
    elif name in ("elections", "races"):
        data.setlist(name, [str(pk) for pk in value])
    elif name == "tags":
        data[name] = edit_string_for_tags(list(Tag.objects.filter(name__in=value)))
    elif name == "is_lead":
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    elif name == "published_at":
        local = timezone.localtime(value) if value else None
        data[f"{name}_0"] = local.strftime("%d/%m/%Y") if local else ""
        data[f"{name}_1"] = local.strftime("%H:%M:%S") if local else ""
    else:
        data[name] = "" if value is None else str(value)


def resolve_bylines(data, article):
    """Rewrite the posted bylines against the current rows: kept, deleted, added."""
    wanted = data.pop("_merged_bylines", None)
    if wanted is not None:
        authors = [int(pk) for pk in wanted[0].split(",") if pk]
    else:
        authors = posted_bylines(data)
    bylines_data(data, article, authors)


def bylines_data(data, article, authors):
    for key in [key for key in data if key.startswith(f"{BYLINES}-")]:
        if not key.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")):
            del data[key]
    rows = list(article.bylines.order_by("position", "pk"))
    index = 0
    for row in rows:
        prefix = f"{BYLINES}-{index}-"
        data[prefix + "id"], data[prefix + "article"] = str(row.pk), str(article.pk)
        data[prefix + "author"] = str(row.author_id)
        if row.author_id in authors:
            data[prefix + "position"] = str(authors.index(row.author_id))
        else:
            data[prefix + "position"], data[prefix + "DELETE"] = str(row.position), "on"
        index += 1
    kept = {row.author_id for row in rows}
    for position, author in enumerate(authors):
        if author not in kept:
            prefix = f"{BYLINES}-{index}-"
            data[prefix + "id"], data[prefix + "article"] = "", str(article.pk)
            data[prefix + "author"], data[prefix + "position"] = str(author), str(position)
            index += 1
    data[f"{BYLINES}-INITIAL_FORMS"], data[f"{BYLINES}-TOTAL_FORMS"] = str(len(rows)), str(index)


def shown(name, value):
    """A value as the conflict panel shows it."""
    if isinstance(value, tuple):  # invalid input, shown as typed
        return value[1]
    if name == BYLINES:
        names = dict(Author.objects.filter(pk__in=value).values_list("pk", "name"))
        return ", ".join(names.get(pk, "?") for pk in value) or "—"
    if name == "tags":
        return ", ".join(value) or "—"
    if name in ("elections", "races", "theme", "lead_image"):
        model = Article._meta.get_field(name).related_model
        pks = value if isinstance(value, list) else [value]
        return ", ".join(str(row) for row in model.objects.filter(pk__in=pks)) or "—"
    if name == "published_at":
        return fr_moment(value) if value else "—"
    if name == "status":
        return Article.Status(value).label if value in Article.Status.values else str(value)
    if name == "is_lead":
        return "oui" if value else "non"
    return str(value) if value not in (None, "") else "—"
