"""The admin's «view on site» redirect (``<admin>/r/<content type>/<pk>/``), for
what the user may view in the admin only.

Django's own redirect (``contenttypes.views.shortcut``) sends any staff member to
the page of any object, whatever its admin lets them see: the ``Location`` alone
tells an article's slug and so its headline, so walking the numbers would show
everyone's unpublished drafts. This one first asks the object's admin, which is
how an app says who may see what without the core importing it: an object whose
``ModelAdmin.has_view_permission(request, obj)`` says no, or whose model has no
admin, answers 404, exactly as an object that does not exist.
"""

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse


def view_on_site(request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
    try:
        content_type = ContentType.objects.get(pk=content_type_id)
        model = content_type.model_class()
        obj = content_type.get_object_for_this_type(pk=object_id) if model else None
        model_admin = admin.site.get_model_admin(model) if model else None
    except (ObjectDoesNotExist, ValueError, ValidationError, NotRegistered):
        raise Http404("Нет такой страницы.") from None
    if obj is None or not model_admin.has_view_permission(request, obj):
        raise Http404("Нет такой страницы.")
    return shortcut(request, content_type_id, object_id)
