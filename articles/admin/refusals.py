"""List actions on articles refuse rows the user may not change, naming them.

Django runs an action on whatever rows were selected, checking only the model's
permission. ``ArticleAdmin.get_action`` wraps every action in ``only_editable``,
so an action acts on articles ``articles.access`` lets the user change, or on none.
"""

import functools

from django.contrib import messages
from django.contrib.admin import helpers

from ..access import can_publish, editable_by

# How many refused articles an action's message names.
REFUSALS_NAMED = 3
MISSING = (
    "Действие не выполнено: среди выбранных есть статьи, которых нет в вашем списке "
    "(удалены или недоступны вам). Ничего не изменено."
)


def only_editable(action):
    """``action`` run only when every selected article is one the user may change.

    An author who selects their own published article, or any article not their
    own draft, is told which and nothing is changed: half an action would leave
    them guessing what was done.
    """

    @functools.wraps(action)
    def guarded(model_admin, request, queryset):
        if selected_outside_the_list(request, queryset):
            model_admin.message_user(request, MISSING, messages.ERROR)
            return None
        if not can_publish(request.user):
            refused = queryset.exclude(pk__in=editable_by(request.user).values("pk"))
            titles = list(refused.order_by().values_list("title", flat=True)[: REFUSALS_NAMED + 1])
            if titles:
                model_admin.message_user(request, refusal_message(titles), messages.ERROR)
                return None
        return action(model_admin, request, queryset)

    return guarded


def selected_outside_the_list(request, queryset) -> bool:
    """Whether ids were posted that the user's list does not hold.

    Django quietly drops them (the action gets the list's rows only): another
    author's draft, or an article deleted since the list was shown.
    """
    if request.POST.get("select_across", "0") not in ("", "0", "False"):
        return False  # «select all»: the list's rows themselves
    selected = set(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))
    return queryset.count() < len(selected)


def refusal_message(titles: list[str]) -> str:
    named = ", ".join(f"«{title}»" for title in titles[:REFUSALS_NAMED])
    if len(titles) > REFUSALS_NAMED:
        named += " и другие"
    return (
        f"Действие не выполнено: автор может менять только свои черновики, а среди "
        f"выбранных есть другие статьи: {named}. Ничего не изменено."
    )
