from django.conf import settings
from django.contrib import admin
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
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
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors here: the database may be what failed.
    page = loader.get_template("500.html").render({"site_name": settings.SITE_NAME})
    return HttpResponseServerError(page)
