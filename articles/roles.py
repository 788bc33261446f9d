"""The newsroom's roles as Django groups, with the permissions each one needs.

Apps this one does not know (readers' mail) grant theirs through ``portal.desk_roles``."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from portal.desk_roles import AUTHOR, EDITOR, granted

CATALOG = ["companies.company", "companies.vehiclemodel", "companies.official", "companies.country"]
# What an article is made of besides its own row: links and tags.
ARTICLE_PARTS = [
    "articles.articlecompany",
    "articles.articlevehiclemodel",
    "articles.articleofficial",
    "articles.articlecountry",
    "articles.taggedarticle",
]
EVERYTHING = ("add", "change", "delete", "view")
# The inbox's desk (inbox/desk/): the sources and their items, named as strings (the
# articles app never imports the inbox); «Сделать черновик» is a permission of its own.
INBOX = ["inbox.source", "inbox.inboxitem", "inbox.storygroup"]
MAKE_DRAFT_FROM_ITEM = "inbox.draft_inboxitem"  # declared by the inbox's item model


def perms(models: list[str], actions: tuple[str, ...]) -> list[str]:
    return [
        f"{model.split('.')[0]}.{action}_{model.split('.')[1]}"
        for model in models
        for action in actions
    ]


ROLES: dict[str, list[str]] = {
    # Everything on articles, the catalog and the inbox, publishing included.
    EDITOR: [
        "articles.publish_article",
        MAKE_DRAFT_FROM_ITEM,
        *perms(INBOX, EVERYTHING),
        *perms(
            [
                "articles.article",
                "articles.tag",
                "articles.entitysuggestion",
                "articles.rejectedlink",
                *ARTICLE_PARTS,
                *CATALOG,
            ],
            EVERYTHING,
        ),
    ],
    # Their own drafts: write, tag and link them; no publishing, no deleting articles.
    # The inbox: read it and make drafts from its items; discarding is the editors'.
    AUTHOR: [
        MAKE_DRAFT_FROM_ITEM,
        *perms(["inbox.inboxitem", "inbox.source"], ("view",)),
        *perms(["articles.article"], ("add", "change", "view")),
        *perms(["articles.tag"], ("add", "view")),
        *perms(CATALOG, ("view",)),
        *perms(ARTICLE_PARTS, EVERYTHING),
    ],
}


@transaction.atomic
def setup_roles() -> dict[str, int]:
    """Create the groups or bring their permissions up to date; idempotent."""
    result = {}
    for name, own in ROLES.items():
        codenames = [*own, *(code for code in granted(name) if code not in own)]
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(code) for code in codenames])
        result[name] = len(codenames)
    return result


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)
