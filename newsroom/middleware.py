"""What no view should have to think about: methods we never serve, and NUL characters.

PostgreSQL refuses any text holding a NUL character (0x00) with an error, so a NUL typed
into a URL, a query parameter, a form or a cookie would be a 500 wherever it reached a
query. No address of ours holds one (404), and no field's value needs one: it is dropped.
"""

from django.http import HttpResponseNotAllowed, QueryDict
from django.shortcuts import render

# Every page is read with GET (HEAD) and every form sent with POST; TRACE, PUT, DELETE… never.
ALLOWED_METHODS = ["GET", "HEAD", "POST"]
NUL = "\x00"


class RequestHygieneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            response = HttpResponseNotAllowed(ALLOWED_METHODS)
            response.content = "Méthode non autorisée.".encode()
            response["Content-Type"] = "text/plain; charset=utf-8"
            return response
        if NUL in request.path:
            return render(request, "404.html", status=404)
        request.GET = without_nul(request.GET)
        if request.method == "POST":
            request.POST = without_nul(request.POST)
        request.COOKIES = {
            name: value for name, value in request.COOKIES.items() if NUL not in name + value
        }
        return self.get_response(request)


def without_nul(query):
    """A copy of `query` whose keys and values have their NUL characters removed."""
    if not any(NUL in key or NUL in "".join(values) for key, values in query.lists()):
        return query
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    cleaned._mutable = False
    return cleaned
