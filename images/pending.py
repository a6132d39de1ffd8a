"""Uploads kept aside while their form is refused for another field, under a signed token.

The file is re-encoded first (no EXIF, as the library stores it) and written outside the
public media, in PENDING_UPLOAD_ROOT; the token names it and is signed, so a form can only
bring back a file this site kept, for a day.
"""

import mimetypes
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from images.uploads import reencode

SALT = "images.pending"
MAX_AGE = 24 * 60 * 60


def storage():
    return FileSystemStorage(location=settings.PENDING_UPLOAD_ROOT)


def keep(upload):
    """Store `upload` aside; the token that brings it back."""
    extension = PurePosixPath(upload.name).suffix.lower()[:6]
    stored = storage().save(f"{secrets.token_hex(16)}{extension}", reencode(upload))
    return signing.dumps({"stored": stored, "name": upload.name[:255]}, salt=SALT)


def load(token):
    """The kept upload a token names, as a fresh upload, or None (unknown, expired, forged)."""
    if not token:
        return None
    try:
        kept = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    files = storage()
    if not files.exists(kept["stored"]):
        return None
    with files.open(kept["stored"], "rb") as file:
        content = file.read()
    content_type = mimetypes.guess_type(kept["name"])[0] or "application/octet-stream"
    return SimpleUploadedFile(kept["name"], content, content_type=content_type)
