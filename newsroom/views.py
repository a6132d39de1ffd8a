from django.conf import settings
from django.contrib import admin
from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.static import serve


@never_cache
def healthz(request):
    """200 "ok" when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def client_ip(request):
    """The client's address: from the front server's header when one is configured."""
    if settings.CLIENT_IP_HEADER:
        key = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
        # X-Forwarded-For lists every hop; the last one was added by our own front server.
        forwarded = request.META.get(key, "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login, in French, saying for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "username": username,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": minutes,
        "site_title": admin.site.site_title,
        "site_header": admin.site.site_header,
    }
    return render(request, "registration/locked_out.html", context, status=429)


def media(request, path):
    """Uploaded files, read from MEDIA_ROOT as it is now (tests move it)."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError:  # a name too long for the file system, say: no such file
        raise Http404("Aucun fichier à cette adresse.") from None


def bad_request(request, exception):
    """A French 400; a form too big to be read says what the limit is."""
    context = {}
    if isinstance(exception, (RequestDataTooBig, TooManyFieldsSent)):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        context["too_big"] = (
            f"Le formulaire envoyé dépasse {limit} Mo de texte (hors fichiers joints). C’est "
            "presque toujours une image collée dans le texte d’un article : insérez-la depuis "
            "la médiathèque plutôt que de la coller."
            if isinstance(exception, RequestDataTooBig)
            else "Le formulaire envoyé compte trop de champs pour être traité."
        )
        referer = request.headers.get("Referer", "")
        try:
            host = request.get_host()
        except DisallowedHost:
            host = None
        if host and url_has_allowed_host_and_scheme(referer, allowed_hosts={host}):
            context["back_url"] = referer
    return render(request, "400.html", context, status=400)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors here: the database may be what failed.
    page = loader.get_template("500.html").render({"site_name": settings.SITE_NAME})
    return HttpResponseServerError(page)
