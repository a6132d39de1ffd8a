from django import template

register = template.Library()


@register.filter
def renditions(image, kind):
    """{{ image|renditions:"card" }}: the copies of one kind, with their srcset strings."""
    return image.renditions(kind)
