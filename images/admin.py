import json

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from images import pending
from images.embeds import picker_data
from images.models import Image
from images.uploads import UploadedImageField
from newsroom.history import HistoryAdmin

PICKER_PAGE_SIZE = 24
# Where the article form puts a picked image: its body, or its lead image.
PICKER_TARGETS = {"body", "lead_image"}
# Placed over the preview by focal_point.js, which reads the two fields.
FOCAL_POINT_MARKER = mark_safe('<span class="focal-point-marker" hidden></span>')


class ImageForm(forms.ModelForm):
    """The library's form. A file sent with a form refused for another field (no alt text,
    say) is kept aside, re-encoded, so the editor need not choose it again."""

    pending_upload = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Image
        fields = ["file", "title", "alt_text", "caption", "credit", "focal_x", "focal_y"]
        # Our upload field words every refusal, where Django's says « image non valide ».
        field_classes = {"file": UploadedImageField}
        error_messages = {
            "alt_text": {
                "required": "Décrivez l’image pour qui ne la voit pas : "
                "le texte alternatif est obligatoire."
            }
        }

    def __init__(self, data=None, files=None, *args, **kwargs):
        self.kept_upload = None
        if data is not None and not (files and files.get("file")):
            self.kept_upload = pending.load(data.get("pending_upload", ""))
            if self.kept_upload is not None:
                files = MultiValueDict({**(files or {}), "file": [self.kept_upload]})
        super().__init__(data, files, *args, **kwargs)

    def full_clean(self):
        super().full_clean()
        upload = self.cleaned_data.get("file") if hasattr(self, "cleaned_data") else None
        if self.errors and "file" not in self.errors and isinstance(upload, UploadedFile):
            self.data = self.data.copy()
            self.data["pending_upload"] = (
                self.data.get("pending_upload")
                if self.kept_upload is not None
                else pending.keep(upload)
            )

    @property
    def kept_name(self):
        """The kept file's name, as the editor chose it, or None."""
        token = self.data.get("pending_upload", "") if self.is_bound else ""
        upload = self.kept_upload or pending.load(token)
        return upload.name if upload is not None else None


@admin.register(Image)
class ImageAdmin(HistoryAdmin):
    list_display = ["thumbnail", "title", "alt_text", "credit", "uploaded_by", "created_at"]
    list_display_links = ["thumbnail", "title"]
    list_select_related = ["uploaded_by"]
    search_fields = ["title", "alt_text", "caption", "credit"]
    date_hierarchy = "created_at"
    readonly_fields = ["preview", "crops", "dimensions", "uploaded_by", "created_at", "updated_at"]
    form = ImageForm
    restore_excluded_fields = ["uploaded_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["file", "pending_upload", "title", "alt_text", "caption", "credit"]}),
        (
            "Point d’intérêt",
            {
                "fields": ["preview", "focal_x", "focal_y", "crops"],
                "description": (
                    "Le point que les recadrages (vignettes, réseaux sociaux) gardent au centre "
                    "autant que possible."
                ),
            },
        ),
        (
            "Informations",
            {
                "fields": ["dimensions", "uploaded_by", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        css = {"all": ["images/admin.css"]}
        js = ["images/focal_point.js"]

    def get_urls(self):
        return [
            path(
                "en-attente/<str:token>/",
                self.admin_site.admin_view(self.pending_view),
                name="images_image_pending",
            ),
            path(
                "mediatheque/",
                self.admin_site.admin_view(self.picker_view),
                name="images_image_picker",
            ),
            *super().get_urls(),
        ]

    def pending_view(self, request, token):
        """A kept upload, shown in the refused form's preview (never public)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        upload = pending.load(token)
        if upload is None:
            raise Http404("Ce fichier n’est plus disponible.")
        return HttpResponse(upload.read(), content_type=upload.content_type)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        token = form.data.get("pending_upload", "") if form.is_bound else ""
        if form.kept_name and token:
            context["kept_upload"] = {
                "name": form.kept_name,
                "url": reverse("admin:images_image_pending", args=[token]),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def picker_view(self, request):
        """The library as a grid of thumbnails to pick from, searchable (a popup of the form)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()[:200]
        images = Image.objects.all()
        if query:
            images = self.get_search_results(request, images, query)[0]
        page = Paginator(images, PICKER_PAGE_SIZE).get_page(request.GET.get("p"))
        target = request.GET.get("cible", "")
        context = {
            **self.admin_site.each_context(request),
            "title": "Médiathèque",
            "opts": self.opts,
            "is_popup": True,
            "query": query,
            "target": target if target in PICKER_TARGETS else "",
            "page_obj": page,
            "choices": [(image, json.dumps(picker_data(image))) for image in page],
        }
        return TemplateResponse(request, "admin/images/image/picker.html", context)

    def save_model(self, request, image, form, change):
        if not change or "file" in form.changed_data:
            image.uploaded_by = request.user
        super().save_model(request, image, form, change)

    @admin.display(description="vignette")
    def thumbnail(self, image):
        card = image.renditions("card").jpeg[0]
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" class="image-thumbnail">',
            card.url,
            card.width,
            card.height,
        )

    @admin.display(description="aperçu")
    def preview(self, image):
        if not image.pk:
            # focal_point.js shows the chosen file here before it is sent.
            return format_html(
                '<div class="focal-point"><img alt="" class="focal-point-image" hidden>{}</div>',
                FOCAL_POINT_MARKER,
            )
        return format_html(
            '<div class="focal-point"><img src="{}" alt="{}" class="focal-point-image">{}</div>',
            image.renditions("full").src,
            image.alt_text,
            FOCAL_POINT_MARKER,
        )

    @admin.display(description="recadrages")
    def crops(self, image):
        if not image.pk:
            return "Ils paraissent une fois l’image enregistrée."
        card, social = image.renditions("card").default, image.renditions("social").default
        return format_html(
            '<img src="{}" alt="Vignette" class="image-crop">'
            '<img src="{}" alt="Réseaux sociaux" class="image-crop">',
            card.url,
            social.url,
        )

    @admin.display(description="dimensions")
    def dimensions(self, image):
        return f"{image.width} × {image.height} pixels" if image.pk else "–"
