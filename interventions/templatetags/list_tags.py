"""Tags for list pages."""

from django import template

register = template.Library()


@register.filter
def paired(first, second):
    """{% for header, cell in headers|paired:cells %}: walk two lists side by side."""
    return zip(first, second, strict=False)
