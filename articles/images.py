"""Lead images moved to the media library (the images app). Early migrations still name this
validator, so it stays, as the library's own."""

from images.uploads import validate_upload as validate_image_format

__all__ = ["validate_image_format"]
