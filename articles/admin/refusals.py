"""List actions on articles refuse rows the user may not change, naming them.

Django runs an action on whatever rows were selected, checking only the model's
permission. ``ArticleAdmin.get_action`` wraps every action in ``only_editable``,
so an action acts on articles ``articles.access`` lets the user change, or on none.
"""

import functools

from django.contrib import messages

from ..access import can_publish, editable_by

# How many refused articles an action's message names.
REFUSALS_NAMED = 3


def only_editable(action):
    """``action`` run only when every selected article is one the user may change.

    An author who selects their own published article, or any article not their
    own draft, is told which and nothing is changed: half an action would leave
    them guessing what was done.
    """

    @functools.wraps(action)
    def guarded(model_admin, request, queryset):
        if not can_publish(request.user):
            refused = queryset.exclude(pk__in=editable_by(request.user).values("pk"))
            titles = list(refused.order_by().values_list("title", flat=True)[: REFUSALS_NAMED + 1])
            if titles:
                model_admin.message_user(request, refusal_message(titles), messages.ERROR)
                return None
        return action(model_admin, request, queryset)

    return guarded


def refusal_message(titles: list[str]) -> str:
    named = ", ".join(f"«{title}»" for title in titles[:REFUSALS_NAMED])
    if len(titles) > REFUSALS_NAMED:
        named += " и другие"
    return (
        f"Действие не выполнено: автор может менять только свои черновики, а среди "
        f"выбранных есть другие статьи: {named}. Ничего не изменено."
    )
